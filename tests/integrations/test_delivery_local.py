"""The local stack's webhook delivery (``infra/local/queues.py``): the events stream and the FIFO
queue read from the emulator (moto's server, as `make dev` runs it) and handed to the deployed
functions, up to a receiver on loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from chalice.test import Client
from moto.server import ThreadedMotoServer

from app import app as chalice_app
from chalicelib import config
from chalicelib.integrations import subscriptions
from chalicelib.store.tables import TABLE_MODELS, create_missing_tables
from infra.local.queues import LOCAL_SETTINGS, deliver_once, fan_out_once
from infra.local.stack import free_port
from infra.local.streams import StreamReader
from tests.support.api import Api, AsStaff
from tests.support.factories import logged_in
from tests.support.integrations import receiving, signed_by
from tests.support.programs import Portal, simple_program


def _fresh_connections() -> None:
    # pynamodb keeps a connection per model; the next one must honour this test's endpoint.
    for model in TABLE_MODELS:
        model._connection = None


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    for name, value in LOCAL_SETTINGS.items():
        monkeypatch.setenv(name, value)
    _fresh_connections()
    subscriptions.forget_cache()
    try:
        create_missing_tables()
        queue_url = boto3.client("sqs", region_name=config.region()).create_queue(
            QueueName="ssp-dev-webhooks.fifo", Attributes={"FifoQueue": "true", "VisibilityTimeout": "60"}
        )["QueueUrl"]
        monkeypatch.setenv("SSP_WEBHOOK_QUEUE_URL", queue_url)
        yield queue_url
    finally:
        _fresh_connections()
        subscriptions.forget_cache()
        server.stop()


def test_an_application_submitted_on_the_local_stack_reaches_a_loopback_receiver_signed(emulator: str, admin: AsStaff, tmp_path: Path) -> None:
    with Client(chalice_app) as client, receiving(["503"]) as receiver:
        api = Api(client)
        made = api.post("/api/admin/integrations/endpoints", {"url": receiver.url, "event_types": ["application.submitted"]}, as_=admin)
        assert made.status == 201, made.json
        person = logged_in()
        submitted = Portal(api).submitted(person, simple_program(), {"name": "Someone"})

        reader = StreamReader(config.table_name("events"), tmp_path / "webhooks-stream.json")
        assert fan_out_once(reader) >= 1
        sqs = boto3.client("sqs", region_name=config.region())
        assert deliver_once(sqs, emulator) == 1  # 503: put back for its backoff (2 s here)
        assert deliver_once(sqs, emulator) == 0  # ... and not visible before
        deadline = time.monotonic() + 10
        while not deliver_once(sqs, emulator) and time.monotonic() < deadline:
            time.sleep(0.1)  # the backoff is the emulator's own visibility timeout
        assert fan_out_once(StreamReader(config.table_name("events"), tmp_path / "webhooks-stream.json")) == 0  # restarted: nothing again

    assert [r.answered for r in receiver.received] == ["503", "200"]
    assert len(set(receiver.webhook_ids())) == 1
    assert all(signed_by(made.json["secret"], r) for r in receiver.received)
    assert submitted["application_id"] in receiver.received[-1].body.decode()
