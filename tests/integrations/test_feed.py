"""The pull feed: a machine client with the ``integration`` role reads the webhooks' payloads in
order, page by page, with an opaque cursor; nobody else reads it, and a made-up cursor is a 400."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.integrations import feed, payloads
from chalicelib.store.events import OutboxEvent
from tests.support.api import Api, AsStaff
from tests.support.factories import SAMPLE_PEOPLE, as_staff, logged_in
from tests.support.programs import Portal


@pytest.fixture
def integration() -> AsStaff:
    return as_staff("integration", subject="registry-client")


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Events count as settled at once (the feed otherwise holds back the last few seconds)."""
    monkeypatch.setattr(feed, "SETTLE", timedelta(0))


def enrol_two_people(portal: Portal, reviewer: AsStaff, program: str) -> list[str]:
    """Two people submit; one is enrolled, the other rejected: their applications' ids."""
    ids = []
    for person, to in ((SAMPLE_PEOPLE[0], "approved"), (SAMPLE_PEOPLE[1], "rejected")):
        who = logged_in(person)
        application_id = portal.submitted(who, program, {"name": person["name"]})["application_id"]
        assert portal.decide(reviewer, application_id, "under_review").status == 200
        assert portal.decide(reviewer, application_id, to, enrol=to == "approved").status == 200
        ids.append(application_id)
    return ids


def public_event_ids() -> list[str]:
    return sorted(e.event_id for e in OutboxEvent.scan() if payloads.public_type(e.type))


def read_all(api: Api, who: AsStaff, limit: int) -> tuple[list[dict[str, Any]], int, str]:
    """Every item, page by page: (items, pages read, the last cursor)."""
    items: list[dict[str, Any]] = []
    cursor = ""
    for pages in range(1, 50):
        answer = api.get(f"/api/admin/events?limit={limit}" + (f"&after={cursor}" if cursor else ""), as_=who)
        assert answer.status == 200, answer.json
        items += answer.json["items"]
        cursor = answer.json["next_cursor"]
        if not answer.json["has_more"]:
            return items, pages, cursor
    raise AssertionError("the feed never ended")


@pytest.mark.usefixtures("settled")
def test_the_feed_gives_the_public_payloads_in_order_page_by_page(api: Api, portal: Portal, reviewer: AsStaff, program: str, integration: AsStaff) -> None:
    applications = enrol_two_people(portal, reviewer, program)

    whole, _, _ = read_all(api, integration, 100)
    assert [i["id"] for i in whole] == public_event_ids()
    assert [(i["type"], i["data"]["application"]["application_id"]) for i in whole] == [
        ("application.submitted", applications[0]),
        ("application.decided", applications[0]),
        ("application.enrolled", applications[0]),
        ("application.submitted", applications[1]),
        ("application.decided", applications[1]),
    ]
    for item in whole:  # the webhooks' bodies, with the event's id
        body = {k: v for k, v in item.items() if k != "id"}
        assert body["data"]["event_id"] == item["id"]
        assert set(body) == {"type", "timestamp", "data"}

    paged, pages, cursor = read_all(api, integration, 2)
    assert [i["id"] for i in paged] == [i["id"] for i in whole] and pages == 3
    # Polling from the last cursor: nothing again, then only what happened since.
    assert api.get(f"/api/admin/events?after={cursor}", as_=integration).json["items"] == []
    withdrawn_by = logged_in(SAMPLE_PEOPLE[2])
    late = portal.submitted(withdrawn_by, program, {"name": "Late"})["application_id"]
    newer = api.get(f"/api/admin/events?after={cursor}", as_=integration).json
    assert [(i["type"], i["data"]["application"]["application_id"]) for i in newer["items"]] == [("application.submitted", late)]


@pytest.mark.usefixtures("settled")
def test_review_steps_and_messages_to_the_person_stay_out_of_the_feed(api: Api, portal: Portal, reviewer: AsStaff, program: str, integration: AsStaff) -> None:
    who = logged_in()
    application_id = portal.submitted(who, program, {"name": "Amina"})["application_id"]
    portal.decide(reviewer, application_id, "under_review")
    portal.decide(reviewer, application_id, "info_requested", reason="Which region?")
    assert api.post("/api/me/contacts/sms", {"value": "+254700111222"}, as_=who).status == 202
    stored = {e.type for e in OutboxEvent.scan()}
    assert {"application.review_started", "application.information_requested", "contact.confirmation_requested"} <= stored
    items, _, _ = read_all(api, integration, 1)
    assert [i["type"] for i in items] == ["application.submitted"]


def test_events_of_the_last_seconds_wait_until_they_settle(portal: Portal, program: str) -> None:
    who = logged_in()
    portal.submitted(who, program, {"name": "Amina"})
    (event,) = OutboxEvent.scan()
    at_once = feed.read(None, 10, now=event.occurred_at + timedelta(seconds=1))
    assert at_once.items == [] and not at_once.more
    later = feed.read(feed.encode(at_once.after), 10, now=event.occurred_at + feed.SETTLE + timedelta(seconds=1))
    assert [i["id"] for i in later.items] == [event.event_id]


@pytest.mark.parametrize("role", ["reviewer", "admin", "officer"])
def test_only_the_integration_role_reads_the_feed(api: Api, role: str) -> None:
    answer = api.get("/api/admin/events", as_=as_staff(role))
    assert answer.status == 403 and answer.json["error"]["code"]


def test_without_a_token_the_feed_is_401(api: Api) -> None:
    assert api.get("/api/admin/events").status == 401


def _b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor!",
        _b64({"v": 1, "after": "20261301T000000000000Z-00abcdef0123"}),  # month 13
        _b64({"v": 1, "after": "x"}),
        _b64({"v": 2, "after": None}),
        _b64({"v": 1, "after": None, "more": 1}),
        _b64(["v", 1]),
        "%00",
    ],
)
def test_a_cursor_the_feed_did_not_give_out_is_a_400_in_the_error_shape(api: Api, integration: AsStaff, cursor: str) -> None:
    answer = api.get(f"/api/admin/events?after={cursor}", as_=integration)
    assert answer.status == 400, answer.json
    assert answer.json["error"]["code"] == "bad_cursor" and answer.json["error"]["message"]


@pytest.mark.parametrize("limit", ["0", "101", "many"])
def test_a_limit_out_of_range_is_a_400(api: Api, integration: AsStaff, limit: str) -> None:
    answer = api.get(f"/api/admin/events?limit={limit}", as_=integration)
    assert answer.status == 400 and "/limit" in json.dumps(answer.json["error"].get("fields", {})), answer.json


def test_the_feed_is_empty_without_events_and_its_cursor_starts_over(api: Api, integration: AsStaff) -> None:
    answer = api.get("/api/admin/events", as_=integration)
    assert answer.status == 200 and answer.json["items"] == [] and answer.json["has_more"] is False
    assert feed.decode(answer.json["next_cursor"]) is None
