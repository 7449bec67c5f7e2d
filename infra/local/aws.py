"""AWS emulation for the local stack: moto in its own process (``infra/local/emulator.py``),
serving one request at a time and keeping its state as snapshots under the data folder.

``start(ctx)`` launches it, waits until it has restored its data, and points the portal at it.
This module stays free of moto: the launcher never imports the emulator itself.
"""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any

from infra.local.processes import ChildService
from infra.local.stack import StackContext, ensure_port_free

NAME = "AWS emulation (moto)"
STATUS_PATH = "/_ssp/status"
DEFAULT_SNAPSHOT_SECONDS = 5.0


def snapshot_seconds() -> float:
    raw = os.environ.get("SSP_AWS_SNAPSHOT_SECONDS", "").strip()
    return float(raw) if raw else DEFAULT_SNAPSHOT_SECONDS


def status(url: str) -> dict[str, Any]:
    """The emulator's own status: ``ready`` and ``snapshot_at`` (epoch seconds or null)."""
    with urllib.request.urlopen(url + STATUS_PATH, timeout=2) as answer:  # noqa: S310 - loopback only
        return dict(json.loads(answer.read()))


def start(ctx: StackContext) -> ChildService:
    port = ctx.ports["aws"]
    ensure_port_free("aws", ctx.host, port)
    url = ctx.url("aws")
    argv = ["-m", "infra.local.emulator", "--host", ctx.host, "--port", str(port), "--data-dir", str(ctx.data_dir)]
    argv += ["--snapshot-seconds", f"{snapshot_seconds():g}"]
    child = ChildService(NAME, url, argv, ready=lambda: bool(status(url)["ready"]))
    child.launch()
    region = ctx.portal_env.get("AWS_REGION", "eu-west-1")
    ctx.portal_env.update(
        {
            "AWS_ENDPOINT_URL": url,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
        }
    )
    # The emulator serves one request at a time: under load a call may wait in line far longer
    # than DynamoDB ever takes, so the local stack's portal waits as long as a person would.
    for name, value in (("SSP_AWS_READ_TIMEOUT_SECONDS", "30"), ("SSP_AWS_CONNECT_TIMEOUT_SECONDS", "5")):
        ctx.portal_env.setdefault(name, value)
    return child
