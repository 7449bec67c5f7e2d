"""Webhook delivery on the local stack: the launcher's stand-in for two Lambda event sources.

``start(ctx)`` (before the portal starts) creates the deliveries' FIFO queue in the emulator and
gives the portal its settings: the queue's URL, secrets in SSM (SecureString), and endpoints on
``http://localhost`` allowed. Then ``python -m infra.local.queues`` reads the events table's
stream (from its own checkpoint, ``<data dir>/webhooks-stream.json``) and hands each batch to
``app.fan_out_webhooks``, and receives the queue's messages and hands each to
``app.deliver_webhooks``, deleting those the function did not report as failed: what Lambda does
in AWS, so the code path is the same. Retries wait seconds here, not minutes
(``SSP_WEBHOOK_BACKOFF_SECONDS=2``, at most a minute), so a newcomer sees them happen.
"""

from __future__ import annotations

import http.server
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import config
from infra.local.portal import stage_environment
from infra.local.processes import ChildService
from infra.local.stack import StackContext, ensure_port_free, free_port
from infra.local.streams import StreamReader, poller_main, serve_poller

NAME = "webhook delivery"
DEFAULT_PORT = 4810
POLL_SECONDS = 1.0
LOCAL_SETTINGS = {
    "SSP_WEBHOOK_SECRETS": "ssm",
    "SSP_WEBHOOK_ALLOW_LOCAL": "true",
    "SSP_WEBHOOK_BACKOFF_SECONDS": "2",
    "SSP_WEBHOOK_MAX_BACKOFF_SECONDS": "60",
}


def queue_name() -> str:
    return f"{config.get('SSP_TABLE_PREFIX')}-webhooks.fifo"


def start(ctx: StackContext) -> ChildService:
    port = int(ctx.ports.setdefault("webhooks", DEFAULT_PORT))
    try:
        ensure_port_free("webhooks", ctx.host, port)
    except Exception:  # noqa: BLE001 - any taken port: pick another rather than fail the stack
        port = ctx.ports["webhooks"] = free_port()
    prefix = {**stage_environment(), **ctx.portal_env}.get("SSP_TABLE_PREFIX", "ssp-dev")
    sqs = boto3.client(
        "sqs",
        endpoint_url=ctx.portal_env["AWS_ENDPOINT_URL"],
        region_name=ctx.portal_env.get("AWS_REGION", "eu-west-1"),
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - the emulator's
    )
    url = sqs.create_queue(QueueName=f"{prefix}-webhooks.fifo", Attributes={"FifoQueue": "true", "VisibilityTimeout": "60"})["QueueUrl"]
    for name, value in {**LOCAL_SETTINGS, "SSP_WEBHOOK_QUEUE_URL": url}.items():
        ctx.portal_env.setdefault(name, value)
    env = {**stage_environment(), "SSP_PUBLIC_URL": ctx.public_url, **ctx.portal_env}
    status = f"http://{ctx.host}:{port}"
    argv = ["-m", "infra.local.queues", "--host", ctx.host, "--port", str(port), "--data-dir", str(ctx.data_dir)]
    child = ChildService(NAME, status + "/", argv, ready=lambda: _answers(status + "/health"), env=env)
    child.launch()
    return child


def _answers(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback only
        return bool(answer.status == 200)


def fan_out_once(reader: StreamReader) -> int:
    """Hand every new stream batch to the fan-out function, as Lambda would."""
    # Only this process loads the app; the launcher imports this module to start it.
    from app import fan_out_webhooks

    handed = 0
    for event in reader.batches():
        fan_out_webhooks({"Records": event["Records"]}, None)
        reader.done(event)
        handed += len(event["Records"])
    return handed


def deliver_once(sqs: Any, queue_url: str) -> int:
    """Hand each visible message to the delivery function; delete those it did not fail."""
    from app import deliver_webhooks

    # A look at the count is a read for the emulator (no snapshot); receiving is a change.
    counts = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    if not int(counts.get("ApproximateNumberOfMessages", 0)):
        return 0
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]).get("Messages", [])
    for message in messages:
        answer = deliver_webhooks({"Records": [sqs_record(message)]}, None)
        if not answer["batchItemFailures"]:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return len(messages)


def poll(reader: StreamReader, stopping: threading.Event) -> None:
    sqs = boto3.client("sqs", region_name=config.region())
    queue_url = config.get("SSP_WEBHOOK_QUEUE_URL")
    # On a new stack the outbox table is made while this poller starts: until a first read has
    # worked, its absence is the stack starting, not a fault worth printing.
    started = False
    while not stopping.is_set():
        try:
            fan_out_once(reader)
            while deliver_once(sqs, queue_url) and not stopping.is_set():
                pass
            started = True
        except (BotoCoreError, ClientError) as error:
            if started or not (isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") == "ResourceNotFoundException"):
                print(f"  [webhooks] reading the stream or the queue failed ({type(error).__name__}); trying again", file=sys.stderr, flush=True)
        except Exception as error:  # noqa: BLE001 - as Lambda would: the batch is handed again, the poller goes on
            print(f"  [webhooks] a batch failed ({type(error).__name__}); it is handed again", file=sys.stderr, flush=True)
        stopping.wait(POLL_SECONDS)


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        text = b"ok" if self.path == "/health" else b"Webhook delivery: endpoints and their logs are in the staff console (Integrations).\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def sqs_record(message: dict[str, Any]) -> dict[str, Any]:
    """A received SQS message as Lambda's event source hands it to the function."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {},
        "eventSource": "aws:sqs",
        "awsRegion": config.region(),
    }


def serve(host: str, port: int, data_dir: Path, parent: int | None) -> int:
    server = http.server.ThreadingHTTPServer((host, port), _Health)
    return serve_poller(server, poll, StreamReader(config.table_name("events"), data_dir / "webhooks-stream.json"), "webhooks", parent)


def main(argv: list[str] | None = None) -> int:
    return poller_main("python -m infra.local.queues", DEFAULT_PORT, serve, argv)


if __name__ == "__main__":
    sys.exit(main())
