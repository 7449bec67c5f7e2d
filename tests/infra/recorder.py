"""pytest plugin: records the AWS permissions the deployed code needs, for the IAM check.

Loaded with ``-p tests.infra.recorder`` (``make test`` does). Every botocore call, and every URL
or POST presigned, counts when code that is deployed to Lambda (``app.py``, ``chalicelib/``) is
on the calling thread's stack, and no local-only helper is: fixtures creating tables, tests
reading items back or uploading as a browser would are not the portal's calls. Each process
(each xdist worker) writes what it saw to ``$SSP_RECORD_AWS_CALLS/<pid>.json`` at the end of
the session; ``tests/infra/test_iam_policy.py`` then compares the policy files with it.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import botocore.signers
import pytest

from tests.infra.iam import needs_for
from tests.support import calls

REPO = Path(__file__).resolve().parents[2]
DEPLOYED = (str(REPO / "chalicelib") + os.sep, str(REPO / "app.py"))
# Functions in chalicelib/ that only the local stack and the tests run (they create what the
# CloudFormation template creates in AWS). Calls made under them are not the portal's.
LOCAL_ONLY = {
    ("chalicelib/store/tables.py", "create_missing_tables"),
    ("chalicelib/documents/storage.py", "prepare_bucket"),
}

_needs: set[tuple[str, str]] = set()
_lock = threading.Lock()
_paused = threading.local()
_output: Path | None = None


def _deployed_caller(frame: FrameType | None) -> bool:
    deployed = False
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(DEPLOYED):
            if (str(Path(filename).relative_to(REPO)), frame.f_code.co_name) in LOCAL_ONLY:
                return False
            deployed = True
        frame = frame.f_back
    return deployed


@contextmanager
def paused() -> Iterator[None]:
    """Calls made inside, on this thread, are not recorded: a test running the portal's code with
    another stage's names (the packaged prod template's) is not what the dev policy must grant."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


def record(service: str, operation: str, params: dict[str, Any]) -> None:
    if getattr(_paused, "on", False):
        return
    if _deployed_caller(sys._getframe(1)):
        needs = needs_for(service, operation, params)
        with _lock:
            _needs.update(needs)


def recorded() -> set[tuple[str, str]]:
    with _lock:
        return set(_needs)


_presign_url = botocore.signers.generate_presigned_url
_presign_post = botocore.signers.generate_presigned_post


def _recording_presign_url(self: Any, ClientMethod: str, Params: Any = None, ExpiresIn: int = 3600, HttpMethod: Any = None) -> Any:  # noqa: N803 - botocore's names
    operation = self._PY_TO_OP_NAME.get(ClientMethod, ClientMethod)
    record(self.meta.service_model.service_name, operation, dict(Params or {}))
    return _presign_url(self, ClientMethod, Params=Params, ExpiresIn=ExpiresIn, HttpMethod=HttpMethod)


def _recording_presign_post(self: Any, Bucket: str, Key: str, Fields: Any = None, Conditions: Any = None, ExpiresIn: int = 3600) -> Any:  # noqa: N803
    record("s3", "PostObject", {"Bucket": Bucket, "Key": Key})
    return _presign_post(self, Bucket, Key, Fields=Fields, Conditions=Conditions, ExpiresIn=ExpiresIn)


def install() -> None:
    """Start recording (idempotent). botocore adds the presign methods to each client class it
    builds from these module attributes, so clients made after this record their presigns."""
    if record not in calls.observers:
        calls.observers.append(record)
    botocore.signers.generate_presigned_url = _recording_presign_url
    botocore.signers.generate_presigned_post = _recording_presign_post


def uninstall() -> None:
    if record in calls.observers:
        calls.observers.remove(record)
    botocore.signers.generate_presigned_url = _presign_url
    botocore.signers.generate_presigned_post = _presign_post


def pytest_configure(config: pytest.Config) -> None:
    global _output
    directory = os.environ.get("SSP_RECORD_AWS_CALLS")
    _output = (config.invocation_params.dir / directory).resolve() if directory else None  # before any test changes directory
    install()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _output is None:
        return
    _output.mkdir(parents=True, exist_ok=True)
    (_output / f"{os.getpid()}.json").write_text(json.dumps(sorted(recorded())))
