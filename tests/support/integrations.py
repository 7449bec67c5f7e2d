"""Webhook tests' tools: a real HTTP receiver on loopback, and the queue driven as Lambda would.

``Receiver`` answers each request as its script says (a status, ``hang`` or ``redirect``) and
keeps what it was sent. ``Webhooks`` creates the deliveries' FIFO queue in moto, hands new
outbox events to ``app.fan_out_webhooks`` and the queue's messages to ``app.deliver_webhooks``,
deleting what the function did not report as failed (what Lambda's event source does).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple

import boto3
from standardwebhooks.webhooks import Webhook

from app import deliver_webhooks, fan_out_webhooks
from chalicelib import config
from chalicelib.store.events import OutboxEvent
from infra.local.queues import sqs_record
from tests.support.events import stream_record


class Received(NamedTuple):
    path: str
    headers: dict[str, str]
    body: bytes
    answered: str


class Receiver:
    """A threaded HTTP server on 127.0.0.1; ``script`` is consumed one entry per request, then 200:
    a status code, ``hang`` (no answer), ``trickle`` (an answer that never ends) or ``redirect``."""

    def __init__(self, script: list[str] | None = None, hang_seconds: float = 2.0) -> None:
        self.script = list(script or [])
        self.hang_seconds = hang_seconds
        self.received: list[Received] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                with owner.lock:
                    action = owner.script.pop(0) if owner.script else "200"
                    owner.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body, action))
                if action == "hang":
                    time.sleep(owner.hang_seconds)
                    return
                if action == "trickle":  # an answer a few bytes at a time, never finished
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    deadline = time.monotonic() + owner.hang_seconds
                    while time.monotonic() < deadline:
                        try:
                            self.wfile.write(b"X-Slow: 1\r\n")
                            self.wfile.flush()
                        except OSError:
                            return
                        time.sleep(0.1)
                    return
                if action == "redirect":
                    self.send_response(307)
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(int(action))
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def do_GET(self) -> None:  # noqa: N802 - a redirect target must never be fetched
                owner.received.append(Received(self.path, {}, b"", "GET"))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def webhook_ids(self) -> list[str]:
        return [r.headers.get("webhook-id", "") for r in self.received]


def signed_by(secret: str, received: Received) -> bool:
    """Whether one of the delivery's signatures is ``secret``'s (the timestamp's age aside: tests
    move the portal's clock)."""
    at = datetime.fromtimestamp(int(received.headers["webhook-timestamp"]), tz=UTC)
    expected = Webhook(secret).sign(received.headers["webhook-id"], at, received.body.decode())
    return expected in received.headers["webhook-signature"].split(" ")


class Webhooks:
    """The deliveries' queue in moto, with the two functions fed as Lambda feeds them."""

    def __init__(self) -> None:
        self.sqs = boto3.client("sqs", region_name=config.region())
        self.queue_url = self.sqs.create_queue(QueueName="ssp-dev-webhooks.fifo", Attributes={"FifoQueue": "true", "VisibilityTimeout": "60"})["QueueUrl"]
        self.handed: set[str] = set()

    def fan_out(self) -> int:
        """Hand every outbox event not handed yet to the stream function, in order."""
        events = sorted((e for e in OutboxEvent.scan() if e.event_id not in self.handed), key=lambda e: e.event_id)
        self.handed.update(e.event_id for e in events)
        if events:
            fan_out_webhooks(
                {"Records": [stream_record(n, e) for n, e in enumerate(events)]},
                None,
            )
        return len(events)

    def drain(self, rounds: int = 10) -> int:
        """Receive and hand over messages until the queue has none visible (or ``rounds`` runs)."""
        handed = 0
        for _ in range(rounds):
            messages = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=1, AttributeNames=["All"]).get("Messages", [])
            if not messages:
                return handed
            for message in messages:
                record = sqs_record(message)
                answer = deliver_webhooks({"Records": [record]}, None)
                failed = {f["itemIdentifier"] for f in answer["batchItemFailures"]}
                if message["MessageId"] not in failed:
                    self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
                handed += 1
        return handed

    def waiting(self) -> int:
        attributes = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["All"])["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


@contextmanager
def receiving(script: list[str] | None = None, hang_seconds: float = 2.0) -> Iterator[Receiver]:
    with Receiver(script, hang_seconds) as receiver:
        yield receiver


def body_of(received: Received) -> dict[str, Any]:
    return dict(json.loads(received.body))
