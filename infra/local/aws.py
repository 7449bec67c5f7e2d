"""AWS emulation for the local stack: moto's server with its state kept across restarts.

moto keeps state in memory. Its recorder appends every request it serves to a file; on start
we replay that file, so a restart shows yesterday's tables, items and uploaded files. Before
replaying, reads are dropped from the file (they change nothing), which keeps it from growing
with every page view.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.local.stack import StackContext, ensure_port_free

RECORDING = "aws-recording.jsonl"

# Requests that change nothing, by DynamoDB target or S3 method.
_DYNAMODB_READS = {"GetItem", "BatchGetItem", "Query", "Scan", "DescribeTable", "ListTables", "DescribeTimeToLive", "DescribeContinuousBackups"}


@dataclass
class RunningAws:
    name: str
    url: str
    server: Any

    def stop(self) -> None:
        self.server.stop()


def start(ctx: StackContext) -> RunningAws:
    port = ctx.ports["aws"]
    ensure_port_free("aws", ctx.host, port)
    ctx.data_dir.mkdir(parents=True, exist_ok=True)
    recording = ctx.data_dir / RECORDING
    compact_recording(recording)
    # The recorder reads these when moto is first imported: set them before the import.
    os.environ["MOTO_RECORDER_FILEPATH"] = str(recording)
    os.environ["MOTO_ENABLE_RECORDING"] = "True"
    from moto.moto_api import recorder
    from moto.server import ThreadedMotoServer

    recorder._location = str(recording)  # in case moto was imported before (tests)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per emulated AWS call is noise
    server = ThreadedMotoServer(ip_address=ctx.host, port=port, verbose=False)
    server.start()
    url = ctx.url("aws")
    if recording.exists() and recording.stat().st_size:
        recorder.replay_recording(target_host=url)
    recorder.start_recording()
    ctx.portal_env.update(
        {
            "AWS_ENDPOINT_URL": url,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": ctx.portal_env.get("AWS_REGION", "eu-west-1"),
            "AWS_REGION": ctx.portal_env.get("AWS_REGION", "eu-west-1"),
        }
    )
    return RunningAws("AWS emulation (moto)", url, server)


def compact_recording(recording: Path) -> None:
    """Drop recorded reads: replaying them changes nothing."""
    if not recording.exists():
        return
    kept = [line for line in recording.read_text().splitlines() if line.strip() and not _is_read(json.loads(line))]
    tmp = recording.with_suffix(".tmp")
    tmp.write_text("".join(f"{line}\n" for line in kept))
    tmp.replace(recording)


def _is_read(entry: dict[str, Any]) -> bool:
    headers = {k.lower(): v for k, v in (entry.get("headers") or {}).items()}
    target = headers.get("x-amz-target", "")
    if target:
        return target.rsplit(".", 1)[-1] in _DYNAMODB_READS
    return entry.get("method") in {"GET", "HEAD", "OPTIONS"}
