"""The local stack's stand-in for Lambda's event source: the events table's stream read from the
emulator (moto's server, as `make dev` runs it) and handed to the deployed stream function; the
outbox page lists what was sent."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer
from pynamodb.models import Model

from chalicelib import config
from chalicelib.events.outbox import EventType, add_event
from chalicelib.store.base import now
from chalicelib.store.contacts import Contacts
from chalicelib.store.messages import Counter, Message, ProgramTemplates
from chalicelib.store.registrants import Registrant
from chalicelib.store.tables import TABLE_MODELS, create_missing_tables
from chalicelib.store.transactions import transaction
from infra.local import outbox
from infra.local.stack import free_port
from infra.local.streams import StreamReader, poll_once

MODELS: tuple[type[Model], ...] = (*TABLE_MODELS, Contacts, ProgramTemplates, Counter)


def _fresh_connections() -> None:
    # pynamodb keeps a connection per model; the next one must honour this test's endpoint.
    for model in MODELS:
        model._connection = None


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("SSP_EMAIL_SENDER", "portal@example.gov")
    _fresh_connections()
    try:
        create_missing_tables()
        boto3.client("sesv2", region_name=config.region()).create_email_identity(EmailIdentity="portal@example.gov")
        yield f"http://127.0.0.1:{port}"
    finally:
        _fresh_connections()
        server.stop()


def test_an_event_written_with_a_change_reaches_the_outbox_page_once(emulator: str, tmp_path: Path) -> None:
    verified = {"source": "id_provider", "provider": "dev", "verified": True, "changed_at": now().isoformat()}
    person = Registrant(
        registrant_id=str(uuid.uuid4()),
        login=f"https://idp.test#{uuid.uuid4()}",
        profile={"name": {"value": "Amina Okafor", **verified}, "phone": {"value": "+254700111222", **verified}},
        preferred_locale="en",
    )
    person.save()
    with transaction() as writes:
        add_event(writes, EventType.APPLICATION_INFO_REQUESTED, registrant_id=person.registrant_id, actor_role="reviewer", reference="K7M-Q2X-P4H", sequence=3)
    checkpoint = tmp_path / "outbox-stream.json"
    assert poll_once(StreamReader(config.table_name("events"), checkpoint)) == 1
    assert poll_once(StreamReader(config.table_name("events"), checkpoint)) == 0  # restarted: nothing handed again
    (sent,) = outbox.sent_messages()
    assert (sent["channel"], sent["state"], sent["sms_segments"]) == ("sms", "sent", 1)
    assert sent["text"].startswith("Amina, we need more information") and sent["provider_message_id"]
    assert "K7M-Q2X-P4H" in outbox.page(outbox.sent_messages())
    assert len(list(Message.scan())) == 1
    # The emulator's data restored from an older snapshot no longer knows where the reader was:
    # it starts again from the beginning, and delivery sends nothing twice.
    shard = next(iter(json.loads(checkpoint.read_text())))
    checkpoint.write_text(json.dumps({shard: "9" * 21}))
    poll_once(StreamReader(config.table_name("events"), checkpoint))
    assert len(list(Message.scan())) == 1 and len(outbox.sent_messages()) == 1
