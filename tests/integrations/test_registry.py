"""The sample registry, over real HTTP on loopback: it applies a delivery signed as Standard
Webhooks says, refuses a tampered or replayed one, applies an id once, and shows each enrolled
person with their household and answers on a page that says their signature was verified."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests
from standardwebhooks.webhooks import Webhook

from chalicelib.integrations import delivery, payloads, subscriptions
from chalicelib.store.base import now
from chalicelib.store.events import OutboxEvent
from chalicelib.store.subscriptions import IntegrationItem, deliveries_pk
from infra.local.registry import RunningRegistry
from infra.local.registry.subscribe import _write, subscribe_sample_registry
from infra.local.stack import free_port
from tests.support.api import AsStaff
from tests.support.factories import SAMPLE_PEOPLE, logged_in
from tests.support.households import child, household_program
from tests.support.programs import Portal

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD_SECRET = "whsec_" + "c2VjcmV0LW9mLWxhc3QteWVhcg=="


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[RunningRegistry]:
    folder = tmp_path / "registry"
    _write(folder / "secrets.json", [SECRET])
    running = RunningRegistry("sample registry", "127.0.0.1", free_port(), folder, folder / "secrets.json")
    try:
        yield running
    finally:
        running.stop()


def send(registry: RunningRegistry, body: dict[str, Any] | str, webhook_id: str, *, secret: str = SECRET, at: datetime | None = None) -> requests.Response:
    text = body if isinstance(body, str) else json.dumps(body)
    moment = at or datetime.now(UTC)
    headers = {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, moment, text),
        "content-type": "application/json",
    }
    return requests.post(registry.webhook_url, data=text.encode(), headers=headers, timeout=5)


def enrolled(name: str = "Amina Okafor", registrant_id: str = "r-1", application_id: str = "app-1", sequence: int = 7) -> dict[str, Any]:
    """A small ``application.enrolled`` body, valid against its schema."""
    body = {
        "type": "application.enrolled",
        "timestamp": "2026-12-06T10:00:00Z",
        "data": {
            "schema_version": 1,
            "event_id": f"20261206T100000000000Z-01{application_id[-1] * 10}",
            "registrant_id": registrant_id,
            "application": {
                "application_id": application_id,
                "reference": "K7M-Q2X-P4H",
                "program_id": "child-support-grant",
                "sequence": sequence,
                "submitted_at": "2026-12-06T09:00:00Z",
                "enrolled_at": "2026-12-06T10:00:00Z",
            },
            "generated_at": "2026-12-06T10:00:01Z",
            "program": {"program_id": "child-support-grant", "name": {"en": "Child Support Grant", "fr": "Allocation de soutien à l'enfant"}},
            "person": {
                "identity": {"issuer": "http://127.0.0.1:8900", "subject": "sub-1", "individual_id": "2345678901"},
                "preferred_locale": "en",
                "details": {"name": {"value": name, "source": "id_provider", "provider": "esignet", "verified": True}},
            },
            "household": [
                {"member_id": "m1", "fields": {"name": "Zara Okafor", "birth_date": "2019-04-02"}, "source": "self", "provider": None, "recorded_at": None}
            ],
            "form": {"form_id": "child-support-grant", "version": 2},
            "answers": {"region": "coast"},
            "labelled_answers": [{"pointer": "/region", "label": "Region", "value": "coast", "shown_as": "Coast"}],
            "group_members": [],
            "documents": [],
        },
    }
    jsonschema.validate(body, payloads.schemas()["application.enrolled"])  # a real body's shape
    return body


def state(registry: RunningRegistry) -> dict[str, Any]:
    return dict(requests.get(registry.url + "beneficiaries.json", timeout=5).json())


def log(registry: RunningRegistry) -> list[dict[str, Any]]:
    return list(requests.get(registry.url + "log.json", timeout=5).json())


def test_a_signed_enrolment_is_kept_and_shown_with_its_verified_signature(registry: RunningRegistry) -> None:
    answer = send(registry, enrolled(), "evt-1")
    assert answer.status_code == 200 and answer.json()["outcome"] == "applied"
    (kept,) = state(registry)["enrolments"].values()
    assert kept["person"]["identity"]["individual_id"] == "2345678901"
    page = requests.get(registry.url, timeout=5)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    text = page.text
    assert '<html lang="en"' in text and 'name="viewport"' in text and '<span lang="fr">' in text
    for shown in ("Amina Okafor", "Zara Okafor", "Region", "Coast", "2345678901", "signature verified; beneficiary enrolled"):
        assert shown in text, shown
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]


def test_a_tampered_delivery_is_refused_and_changes_nothing(registry: RunningRegistry) -> None:
    body = json.dumps(enrolled())
    moment = datetime.now(UTC)
    headers = {"webhook-id": "evt-1", "webhook-timestamp": str(int(moment.timestamp())), "webhook-signature": Webhook(SECRET).sign("evt-1", moment, body)}
    tampered = body.replace("Amina Okafor", "Mallory Evil")
    answer = requests.post(registry.webhook_url, data=tampered.encode(), headers=headers, timeout=5)
    assert answer.status_code == 401 and answer.json()["outcome"] == "refused"
    assert send(registry, enrolled(), "evt-2", secret=OLD_SECRET).status_code == 401  # signed with a secret it does not hold
    garbled = {**headers, "webhook-signature": "garbage"}
    assert requests.post(registry.webhook_url, data=body.encode(), headers=garbled, timeout=5).status_code == 401
    assert state(registry)["enrolments"] == {}
    assert [entry["outcome"] for entry in log(registry)] == ["refused"] * 3
    assert "signature not verified" in requests.get(registry.url, timeout=5).text


def test_a_replayed_delivery_is_refused_by_its_timestamp_and_an_id_is_applied_once(registry: RunningRegistry) -> None:
    captured_at = datetime.now(UTC) - timedelta(minutes=10)
    old = send(registry, enrolled(), "evt-1", at=captured_at)
    assert old.status_code == 401 and "too old" in old.json()["detail"]
    assert state(registry)["enrolments"] == {}

    assert send(registry, enrolled(), "evt-1").json()["outcome"] == "applied"
    # The same id again (a retry after a lost answer, or a replay within the 5 minutes): acknowledged, not applied again.
    again = send(registry, enrolled(name="Someone Else"), "evt-1")
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    (kept,) = state(registry)["enrolments"].values()
    assert kept["person"]["details"]["name"]["value"] == "Amina Okafor"


def test_during_a_rotation_either_secret_verifies(registry: RunningRegistry, tmp_path: Path) -> None:
    _write(tmp_path / "registry" / "secrets.json", [SECRET, OLD_SECRET])
    assert send(registry, enrolled(), "evt-1", secret=OLD_SECRET).status_code == 200


def test_changes_of_details_and_a_withdrawn_consent_reach_the_kept_person(registry: RunningRegistry) -> None:
    send(registry, enrolled(), "evt-1")
    changed = {
        "type": "registrant.details_changed",
        "timestamp": "2026-12-06T11:00:00Z",
        "data": {"registrant_id": "r-1", "details": {"phone": {"value": "+254700111222", "source": "self", "verified": False}}},
    }
    assert send(registry, changed, "evt-2").json()["outcome"] == "applied"
    withdrawn = {"type": "consent.withdrawn", "timestamp": "2026-12-06T12:00:00Z", "data": {"registrant_id": "r-1", "removed_fields": ["name"]}}
    assert send(registry, withdrawn, "evt-3").json()["outcome"] == "applied"
    (kept,) = state(registry)["enrolments"].values()
    assert set(kept["person"]["details"]) == {"phone"} and kept["consent_withdrawn"] is True
    # An older change of the application than one applied is skipped (in order per application).
    older = enrolled(name="Stale", sequence=3)
    assert "older change" in send(registry, older, "evt-4").json()["detail"]


def test_a_household_change_replaces_the_kept_household(registry: RunningRegistry) -> None:
    send(registry, enrolled(), "evt-1")
    members = [
        {
            "member_id": "m2",
            "fields": {"name": "Yusuf Okafor", "birth_date": "2025-11-02"},
            "source": "self",
            "provider": None,
            "recorded_at": "2026-12-07T09:00:00Z",
        }
    ]
    changed: dict[str, Any] = {
        "type": "household.changed",
        "timestamp": "2026-12-07T09:00:00Z",
        "data": {
            "schema_version": 1,
            "event_id": "20261207T090000000000Z-00aaaaaaaaaa",
            "registrant_id": "r-1",
            "identity": {"issuer": "http://127.0.0.1:8900", "subject": "sub-1", "individual_id": "2345678901"},
            "reasons": ["self_update"],
            "added": ["m2"],
            "changed": [],
            "removed": ["m1"],
            "household": members,
            "applications": [{"application_id": "app-1", "reference": "K7M-Q2X-P4H", "program_id": "child-support-grant", "status": "enrolled"}],
        },
    }
    jsonschema.validate(changed, payloads.schemas()["household.changed"])  # a real body's shape
    answer = send(registry, changed, "evt-2")
    assert answer.status_code == 200 and "household updated (1 member(s)) in 1 enrolment(s)" in answer.json()["detail"]
    (kept,) = state(registry)["enrolments"].values()
    assert kept["household"] == members
    page = requests.get(registry.url, timeout=5).text
    assert "Household (1)" in page and "Yusuf Okafor" in page and "Zara Okafor" not in page
    # Someone the registry does not hold: acknowledged, nothing kept.
    stranger = {**changed, "data": {**changed["data"], "registrant_id": "r-9"}}
    assert "in 0 enrolment(s)" in send(registry, stranger, "evt-3").json()["detail"]


def test_bad_requests_get_4xx_never_a_500(registry: RunningRegistry) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", registry.port, timeout=5)
    connection.putrequest("POST", "/webhooks")
    connection.putheader("Content-Length", "2000000")
    connection.endheaders()
    assert connection.getresponse().status == 413  # answered before a byte of the body is read
    connection.close()
    assert send(registry, "not json", "evt-1").status_code == 400  # signed, but not JSON
    assert send(registry, {"type": 3}, "evt-2").status_code == 400
    assert requests.post(registry.url + "elsewhere", data=b"{}", timeout=5).status_code == 404
    assert requests.get(registry.url + "nothing", timeout=5).status_code == 404


def test_a_real_enrolment_payload_shows_the_household_and_answers(registry: RunningRegistry, portal: Portal, reviewer: AsStaff) -> None:
    program = household_program(prefill={"/children": {"from": "household", "fields": {f: f for f in ("name", "birth_date", "relationship")}}})
    me = logged_in(SAMPLE_PEOPLE[0])
    application_id = portal.draft(me, program, {"name": "Amina"})["application_id"]
    children = [
        child("Zara", birth_certificate=portal.attach(me, application_id)),
        child("Omar", "2020-01-09", "son", birth_certificate=portal.attach(me, application_id)),
    ]
    assert portal.save(me, application_id, {"children": children}).status == 200
    assert portal.submit(me, application_id).status == 200
    portal.decide(reviewer, application_id, "under_review")
    assert portal.decide(reviewer, application_id, "approved", enrol=True).status == 200
    for event in sorted(OutboxEvent.scan(), key=lambda e: e.event_id):
        body = payloads.build(event, now=now())
        if body is not None:
            assert send(registry, body, event.event_id).status_code == 200

    page = requests.get(registry.url, timeout=5).text
    assert SAMPLE_PEOPLE[0]["name"] in page and SAMPLE_PEOPLE[0]["individual_id"] in page
    assert re.search(r"Household \(2\)", page) and "Zara" in page and "Omar" in page
    assert "Child&#x27;s full name" in page and "Son" in page and "certificate.pdf" in page
    assert page.count("signature verified") == 4  # submitted, household changed (the children remembered), decided, enrolled


def test_seeding_subscribes_the_registry_once_and_hands_it_the_secret(aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets_file = tmp_path / "registry" / "secrets.json"
    monkeypatch.setenv("SSP_WEBHOOK_ALLOW_LOCAL", "true")
    monkeypatch.setenv("SSP_LOCAL_REGISTRY_URL", "http://127.0.0.1:4999/webhooks")
    monkeypatch.setenv("SSP_LOCAL_REGISTRY_SECRETS", str(secrets_file))
    endpoint_id = subscribe_sample_registry()
    assert endpoint_id is not None
    (endpoint,) = subscriptions.list_endpoints()
    assert endpoint.url == "http://127.0.0.1:4999/webhooks" and sorted(endpoint.event_types) == sorted(payloads.TYPES)
    (secret,) = json.loads(secrets_file.read_text())
    assert secret.startswith("whsec_") and secrets_file.stat().st_mode & 0o077 == 0

    monkeypatch.setenv("SSP_LOCAL_REGISTRY_URL", "http://127.0.0.1:4998/webhooks")  # restarted on another port
    secrets_file.unlink()
    assert subscribe_sample_registry() == endpoint_id
    (endpoint,) = subscriptions.list_endpoints()
    assert endpoint.url == "http://127.0.0.1:4998/webhooks" and json.loads(secrets_file.read_text()) == [secret]


def test_seeding_resumes_a_paused_registry_with_what_was_held(aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_WEBHOOK_ALLOW_LOCAL", "true")
    monkeypatch.setenv("SSP_LOCAL_REGISTRY_URL", "http://127.0.0.1:4999/webhooks")
    monkeypatch.setenv("SSP_LOCAL_REGISTRY_SECRETS", str(tmp_path / "registry" / "secrets.json"))
    endpoint_id = subscribe_sample_registry()
    assert endpoint_id is not None
    subscriptions.pause(endpoint_id, "failing_for_a_day")  # the registry was down for a day
    held = OutboxEvent(stream="application#app-1", event_id="20261206T100000000000Z-00bbbbbbbbbb", type="application.enrolled", registrant_id="r-1")
    assert delivery.enqueue(subscriptions.get(endpoint_id), held) == 0
    assert _delivery(endpoint_id, held.event_id).state == "paused"

    assert subscribe_sample_registry() == endpoint_id  # the next start
    assert subscriptions.get(endpoint_id).state == "active"
    resent = _delivery(endpoint_id, held.event_id)
    assert (resent.state, resent.replays) == ("queued", 1)  # queued again with its id, as an administrator's resume does


def _delivery(endpoint_id: str, event_id: str) -> IntegrationItem:
    return IntegrationItem.get(deliveries_pk(endpoint_id, event_id), event_id, consistent_read=True)


def test_seeding_outside_the_local_stack_subscribes_nothing(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSP_LOCAL_REGISTRY_URL", raising=False)
    assert subscribe_sample_registry() is None and subscriptions.list_endpoints() == []
