"""Fixtures of the notifications tests: people with contacts, the stream handler fed from the
outbox table, and what the emulated SNS and SES received."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sesv2.models import sesv2_backends
from moto.sns.models import sns_backends

from app import deliver_events
from chalicelib import config
from chalicelib.auth.sessions import create_session
from chalicelib.store.base import now
from chalicelib.store.events import OutboxEvent
from chalicelib.store.registrants import Registrant
from tests.support.api import AsRegistrant
from tests.support.events import stream_record
from tests.support.factories import SAMPLE_PEOPLE

SENDER = "portal@example.gov"


def _entry(value: Any, source: str = "id_provider", verified: bool = True) -> dict[str, Any]:
    return {"value": value, "source": source, "provider": "dev", "verified": verified, "changed_at": now().isoformat()}


def person(index: int = 0, *, phone: str = "id_provider", email: str | None = None, locale: str | None = None) -> AsRegistrant:
    """A sample person logged in; ``phone`` is ``id_provider`` (verified), ``self`` (typed, not
    confirmed) or ``none``; ``email`` likewise when given."""
    sample = SAMPLE_PEOPLE[index]
    profile: dict[str, Any] = {"name": _entry(sample["name"]), "birthdate": _entry(sample["birthdate"].replace("/", "-"))}
    if phone != "none":
        profile["phone"] = _entry(sample["phone_number"], phone, phone == "id_provider")
    if email:
        profile["email"] = _entry(sample["email"], email, email == "id_provider")
    language = locale or sample["preferred_lang"]
    profile["preferred_language"] = _entry(language)
    registrant = Registrant(registrant_id=str(uuid.uuid4()), login=f"https://idp.test#{uuid.uuid4()}", profile=profile, preferred_locale=language)
    registrant.save()
    session = create_session(registrant.registrant_id, {"name": sample["name"], "provider": "dev"})
    return AsRegistrant(registrant.registrant_id, session.raw_id, session.csrf_token)


class Stream:
    """The outbox's stream as Lambda hands it to the function: every event not handed yet, in order."""

    def __init__(self) -> None:
        self.handed: set[str] = set()

    def records(self, events: list[OutboxEvent]) -> dict[str, Any]:
        return {"Records": [stream_record(n, event) for n, event in enumerate(events)]}

    def new_events(self) -> list[OutboxEvent]:
        return sorted((e for e in OutboxEvent.scan() if e.event_id not in self.handed), key=lambda e: e.event_id)

    def flush(self) -> list[OutboxEvent]:
        """Hand every new event to the deployed handler, once."""
        events = self.new_events()
        if events:
            deliver_events(self.records(events), None)
        self.handed |= {e.event_id for e in events}
        return events


@pytest.fixture
def stream(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stream]:
    monkeypatch.setenv("SSP_NOTIFY_BACKOFF_SECONDS", "0")
    monkeypatch.setenv("SSP_EMAIL_SENDER", SENDER)
    monkeypatch.setenv("SSP_STATUS_MIN_SECONDS", "0")
    boto3.client("sesv2", region_name=config.region()).create_email_identity(EmailIdentity=SENDER)
    yield Stream()


def sms_sent() -> list[tuple[str, str]]:
    return list(sns_backends[DEFAULT_ACCOUNT_ID][config.region()].sms_messages.values())


def emails_sent() -> list[Any]:
    return list(sesv2_backends[DEFAULT_ACCOUNT_ID][config.region()].core_backend.sent_messages)
