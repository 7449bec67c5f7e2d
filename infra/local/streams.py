"""The outbox's stream on the local stack: the launcher's stand-in for Lambda's event source.

``python -m infra.local.streams`` (started by ``start(ctx)`` after the portal) reads the events
table's stream from the emulator (DescribeStream, GetShardIterator, GetRecords) and hands each
batch, shaped as Lambda hands it, to ``app.deliver_events``: the function deployed in AWS, so
the code path is the same. Where it got to is kept in ``<data dir>/outbox-stream.json``, so a
restart does not hand old records again (and if it did, delivery sends each message once).
The same process serves the local outbox page (``infra.local.outbox``).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import config
from infra.local.outbox import make_server
from infra.local.portal import stage_environment
from infra.local.processes import ChildService, watch_parent
from infra.local.stack import StackContext, ensure_port_free, free_port

NAME = "outbox (every SMS and email sent)"
DEFAULT_PORT = 4800
SENDER = "Self-Service Portal <portal@localhost.example>"
POLL_SECONDS = 1.0


def start(ctx: StackContext) -> ChildService:
    port = int(ctx.ports.setdefault("outbox", DEFAULT_PORT))
    try:
        ensure_port_free("outbox", ctx.host, port)
    except Exception:  # noqa: BLE001 - any taken port: pick another rather than fail the stack
        port = ctx.ports["outbox"] = free_port()
    env = {
        **stage_environment(),
        "SSP_PUBLIC_URL": ctx.public_url,
        "SSP_EMAIL_SENDER": SENDER,
        "SSP_NOTIFY_BACKOFF_SECONDS": "0.2",
        **ctx.portal_env,
    }
    url = f"http://{ctx.host}:{port}"
    argv = ["-m", "infra.local.streams", "--host", ctx.host, "--port", str(port), "--data-dir", str(ctx.data_dir)]
    child = ChildService(NAME, url + "/", argv, ready=lambda: _answers(url + "/health"), env=env)
    child.launch()
    return child


def _answers(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback only
        return bool(answer.status == 200)


class StreamReader:
    """Reads the events table's stream shard by shard, from where it last got to."""

    def __init__(self, table: str, checkpoint: Path) -> None:
        self.table = table
        self.checkpoint = checkpoint
        self.positions: dict[str, str] = json.loads(checkpoint.read_text()) if checkpoint.exists() else {}
        self.dynamodb = boto3.client("dynamodb")
        self.streams = boto3.client("dynamodbstreams")
        self.arn = ""

    def batches(self) -> list[dict[str, Any]]:
        """The new records of each shard, as Lambda's events (one per shard with records)."""
        if not self.arn:
            self.arn = str(self.dynamodb.describe_table(TableName=self.table)["Table"]["LatestStreamArn"])
        events = []
        for shard in self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"].get("Shards", []):
            shard_id = shard["ShardId"]
            records = self._records(shard_id)
            if records:
                events.append({"Records": [self._lambda_record(r) for r in records], "_shard": shard_id, "_last": records[-1]["dynamodb"]["SequenceNumber"]})
        return events

    def _records(self, shard_id: str) -> list[dict[str, Any]]:
        """The records after the last one handed; from the start when there is none, or when the
        emulator no longer knows that record (its data restored from an older snapshot):
        delivery sends each message once, so handing a record again is safe."""
        after = self.positions.get(shard_id)
        try:
            return self._read(shard_id, after)
        except ClientError:
            if not after:
                raise
            self.positions.pop(shard_id, None)
            return self._read(shard_id, None)

    def _read(self, shard_id: str, after: str | None) -> list[dict[str, Any]]:
        where: dict[str, Any] = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after} if after else {"ShardIteratorType": "TRIM_HORIZON"}
        iterator = self.streams.get_shard_iterator(StreamArn=self.arn, ShardId=shard_id, **where)["ShardIterator"]
        return list(self.streams.get_records(ShardIterator=iterator, Limit=100).get("Records", []))

    def done(self, event: dict[str, Any]) -> None:
        self.positions[event["_shard"]] = event["_last"]
        self.checkpoint.write_text(json.dumps(self.positions))

    def _lambda_record(self, record: dict[str, Any]) -> dict[str, Any]:
        dynamodb = dict(record.get("dynamodb") or {})
        created = dynamodb.get("ApproximateCreationDateTime", time.time())
        dynamodb["ApproximateCreationDateTime"] = created.timestamp() if hasattr(created, "timestamp") else created
        dynamodb.setdefault("SizeBytes", 0)
        dynamodb.setdefault("StreamViewType", "NEW_IMAGE")
        return {**record, "dynamodb": dynamodb, "eventSourceARN": self.arn}


def poll_once(reader: StreamReader) -> int:
    """Hand every new batch to the stream function, as Lambda would; the records handed."""
    # Only the consumer's own process loads the app; the launcher imports this module to start it.
    from app import deliver_events

    handed = 0
    for event in reader.batches():
        deliver_events({"Records": event["Records"]}, None)
        reader.done(event)
        handed += len(event["Records"])
    return handed


def poll(reader: StreamReader, stopping: threading.Event) -> None:
    while not stopping.is_set():
        try:
            poll_once(reader)
        except (BotoCoreError, ClientError) as error:
            print(f"  [outbox] reading the events stream failed ({type(error).__name__}); trying again", file=sys.stderr, flush=True)
        stopping.wait(POLL_SECONDS)


def _sender_identity() -> None:
    address = SENDER.split("<")[-1].rstrip(">")
    try:
        boto3.client("sesv2").create_email_identity(EmailIdentity=address)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "AlreadyExistsException":
            raise


def serve(host: str, port: int, data_dir: Path, parent: int | None) -> int:
    _sender_identity()
    return serve_poller(make_server(host, port), poll, StreamReader(config.table_name("events"), data_dir / "outbox-stream.json"), "events-stream", parent)


def serve_poller(server: Any, poll: Callable[[StreamReader, threading.Event], None], reader: StreamReader, name: str, parent: int | None) -> int:
    """A poller of the events stream as its own process: ``poll`` in a thread, ``server`` (its
    health or outbox page) in the foreground, both stopped by SIGTERM, SIGINT or the launcher's end."""
    stopping = threading.Event()

    def stop(*_: Any) -> None:
        stopping.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if parent:
        watch_parent(parent, stop)
    threading.Thread(target=poll, args=(reader, stopping), name=name, daemon=True).start()
    server.serve_forever(poll_interval=0.2)
    return 0


def poller_main(prog: str, default_port: int, serve: Callable[[str, int, Path, int | None], int], argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--parent", type=int)
    args = parser.parse_args(argv)
    return serve(args.host, args.port, args.data_dir, args.parent)


def main(argv: list[str] | None = None) -> int:
    return poller_main("python -m infra.local.streams", DEFAULT_PORT, serve, argv)


if __name__ == "__main__":
    sys.exit(main())
