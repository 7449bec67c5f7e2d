"""The AWS emulator's state on disk: one consistent snapshot of moto's backends, never requests.

A snapshot pickles every moto backend in use (DynamoDB tables with their items and indexes, S3
buckets with their objects, ...) as they are at one instant, and is written to a temporary file
then atomically renamed over the previous one: a crash while writing leaves the previous
snapshot whole. Restoring puts the unpickled backends back in moto's registries before the
emulator serves its first request. A request that failed changed nothing, so it is in no
snapshot and is never replayed.

Only the emulator's own process writes or reads these files (``infra/local/emulator.py``), and a
test or the bulk builder (``infra/local/bulk.py``) that runs moto in-process.
"""

from __future__ import annotations

import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import moto
from moto.backends import get_backend
from moto.core.base_backend import BackendDict

SNAPSHOT = "aws-snapshot.pickle"
FORMAT = 1


class UnreadableSnapshot(Exception):
    """The snapshot was written by another moto version, or is damaged."""


@dataclass(frozen=True)
class Restored:
    written_at: float
    services: list[str]


def capture() -> bytes:
    """moto's state now, as bytes. The caller makes sure no request is being served meanwhile."""
    backends = {registry.service_name: {account: dict(regions) for account, regions in registry.items()} for registry in _in_use()}
    return pickle.dumps(
        {"format": FORMAT, "moto": moto.__version__, "written_at": time.time(), "backends": backends},
        protocol=pickle.HIGHEST_PROTOCOL,
    )


def _in_use() -> list[BackendDict[Any]]:
    """moto's own list of the backends that hold something."""
    return list(BackendDict._instances)  # type: ignore[misc]  # noqa: SLF001


def write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: a reader sees the old file or the new one."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


def restore(path: Path) -> Restored:
    """Put the snapshot at ``path`` back into moto's registries (which should be empty)."""
    try:
        state: dict[str, Any] = pickle.loads(path.read_bytes())  # noqa: S301 - our own file, in our own data folder
    except Exception as error:  # noqa: BLE001 - any failure to read means the same to the person
        raise UnreadableSnapshot(f"{type(error).__name__}: {error}") from error
    if state.get("format") != FORMAT or state.get("moto") != moto.__version__:
        raise UnreadableSnapshot(f"written by moto {state.get('moto')}, this is moto {moto.__version__}")
    for service, accounts in state["backends"].items():
        registry = get_backend(service)
        for account, regions in accounts.items():
            for region, backend in regions.items():
                registry[account][region] = backend
    return Restored(float(state["written_at"]), sorted(state["backends"]))
