"""The officer reads and changes the person's details in an assisted session: what nobody verified
changes at once in the officer's name (``source: officer``), a verified field becomes a change
request in the officer's name, and the person sees all of it in their own views."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import Answer, AsRegistrant
from tests.support.devices import Agent, CaptureKit
from tests.support.factories import SAMPLE_PEOPLE, logged_in

AMINA = SAMPLE_PEOPLE[0]


@pytest.fixture
def amina(aws: None) -> AsRegistrant:
    return logged_in(AMINA)


def _session(kit: CaptureKit, agent: Agent, person: dict[str, Any] = AMINA) -> str:
    answer = kit.verified(agent, person["individual_id"])
    assert answer.status == 201, answer.json
    return str(answer.json["assisted_session"]["session_id"])


def _patch(kit: CaptureKit, agent: Agent, session: str, changes: Any, if_match: str | None) -> Answer:
    headers = {"If-Match": if_match} if if_match is not None else {}
    return kit.api.patch(f"/api/assisted/sessions/{session}/profile", changes, as_=agent.officer, headers=headers)


def test_the_officer_reads_the_persons_details_and_the_read_is_in_their_activity(kit: CaptureKit, amina: AsRegistrant) -> None:
    agent = kit.enrol()
    session = _session(kit, agent)
    answer = kit.api.get(f"/api/assisted/sessions/{session}/profile", as_=agent.officer)
    assert answer.status == 200, answer.json
    assert answer.calls.dynamodb == ["GetItem", "BatchGetItem", "PutItem"]  # the session, the person with the form, the audit event
    assert answer.json["registrant_id"] == amina.registrant_id
    assert (answer.json["fields"]["name"]["value"], answer.json["fields"]["name"]["verified"]) == (AMINA["name"], True)
    assert "phone" in answer.json["profile_form"]["schema"]["properties"]
    assert answer.headers["etag"] == f'"{answer.json["version"]}"'

    activity = kit.api.get("/api/me/activity", as_=amina).json["items"]
    read = next(e for e in activity if e["action"] == "assisted.profile_read")
    assert read["by"]["role"] == "officer" and read["details"] == {"assisted_session_id": session}


def test_the_officers_changes_are_labelled_with_the_officer_and_verified_fields_wait_for_review(kit: CaptureKit, amina: AsRegistrant) -> None:
    agent = kit.enrol()
    session = _session(kit, agent)
    etag = kit.api.get(f"/api/assisted/sessions/{session}/profile", as_=agent.officer).headers["etag"]

    changed = _patch(kit, agent, session, {"phone": "+254700999888", "household_size": 5, "name": "Amina N. Okafor"}, etag)
    assert changed.status == 200, changed.json
    assert sorted(changed.json["applied"]) == ["household_size", "phone"]
    [request] = changed.json["change_requests"]
    officer = request["requested_by"]
    assert officer["role"] == "officer" and officer["ref"].startswith("staff-")
    assert changed.headers["etag"] == f'"{changed.json["profile"]["version"]}"' != etag
    assert len(changed.calls.dynamodb) <= 4  # session, person and form, the write, the audit event

    mine = kit.api.get("/api/me", as_=amina).json["fields"]
    assert (mine["phone"]["value"], mine["phone"]["source"], mine["phone"]["verified"]) == ("+254700999888", "officer", False)
    assert (mine["name"]["value"], mine["name"]["source"]) == (AMINA["name"], "id_provider")  # verified: not written over
    assert mine["name"]["pending_change"]["value"] == "Amina N. Okafor"
    assert [r["requested_by"] for r in kit.api.get("/api/me/change-requests", as_=amina).json["items"]] == [officer]
    history = kit.api.get("/api/me/history", as_=amina).json["items"]
    assert {(h["field"], h["reason"]) for h in history} >= {("phone", "officer_update"), ("household_size", "officer_update")}
    assert all(h["by"] == officer for h in history if h["reason"] == "officer_update")

    activity = kit.api.get("/api/me/activity", as_=amina).json["items"]
    [event] = [e for e in activity if e["action"] == "profile_changed"]
    assert event["by"] == officer
    assert event["details"]["assisted_session_id"] == session and sorted(event["details"]["fields"]) == ["household_size", "name", "phone"]


def test_the_officer_needs_the_version_they_saw_like_the_person(kit: CaptureKit, amina: AsRegistrant) -> None:
    agent = kit.enrol()
    session = _session(kit, agent)
    etag = kit.api.get(f"/api/assisted/sessions/{session}/profile", as_=agent.officer).headers["etag"]

    missing = _patch(kit, agent, session, {"household_size": 2}, None)
    assert (missing.status, missing.error_code) == (400, "if_match_required")
    assert _patch(kit, agent, session, {"household_size": 2}, etag).status == 200
    stale = _patch(kit, agent, session, {"household_size": 3}, etag)
    assert (stale.status, stale.error_code) == (409, "stale_version")
    wrong = _patch(kit, agent, session, {"phone": "0700 111 222", "shoe_size": 42}, str(stale.json["error"]["current_version"]))
    assert (wrong.status, wrong.error_code) == (422, "validation_failed")
    assert wrong.json["error"]["fields"] == {"/phone": "wrong_format", "/shoe_size": "unknown_field"}
    not_an_object = _patch(kit, agent, session, ["household_size"], etag)
    assert not_an_object.status == 422
    assert kit.api.get("/api/me", as_=amina).json["fields"]["household_size"]["value"] == 2


def test_another_officer_or_an_ended_session_reaches_nothing(kit: CaptureKit, amina: AsRegistrant) -> None:
    agent = kit.enrol()
    session = _session(kit, agent)
    etag = kit.api.get(f"/api/assisted/sessions/{session}/profile", as_=agent.officer).headers["etag"]
    other = kit.enrol(kit.officer("officer-2"))
    unknown = kit.api.get(f"/api/assisted/sessions/{session}/profile", as_=other.officer)
    missing = kit.api.get("/api/assisted/sessions/00000000-0000-0000-0000-000000000000/profile", as_=agent.officer)
    assert (unknown.status, unknown.error_code) == (missing.status, missing.error_code) == (404, "assisted_session_not_found")
    assert unknown.json["error"]["message"] == missing.json["error"]["message"]
    assert _patch(kit, other, session, {"household_size": 2}, etag).status == 404

    assert kit.api.post(f"/api/assisted/sessions/{session}/close", as_=agent.officer).status == 200
    ended = _patch(kit, agent, session, {"household_size": 2}, etag)
    assert (ended.status, ended.error_code) == (403, "assisted_session_ended")
    assert kit.api.get(f"/api/assisted/sessions/{session}/profile", as_=agent.officer).error_code == "assisted_session_ended"
    assert kit.api.get(f"/api/assisted/sessions/{session}/profile", as_=amina).status == 401
    assert kit.api.get("/api/me", as_=amina).json["fields"]["household_size"]["value"] is None


def test_the_officer_fills_in_someone_who_never_logged_in(kit: CaptureKit, aws: None) -> None:
    person = SAMPLE_PEOPLE[2]
    agent = kit.enrol()
    session = _session(kit, agent, person)
    profile = kit.api.get(f"/api/assisted/sessions/{session}/profile", as_=agent.officer)
    assert profile.json["individual_id"] == person["individual_id"]
    assert {name: field["value"] for name, field in profile.json["fields"].items() if field["value"] is not None} == {}
    changed = _patch(kit, agent, session, {"name": person["name"], "phone": "+254700123456"}, profile.headers["etag"])
    assert changed.status == 200, changed.json
    assert sorted(changed.json["applied"]) == ["name", "phone"]  # nothing was verified yet: written at once, in the officer's name
    assert {changed.json["profile"]["fields"][f]["source"] for f in ("name", "phone")} == {"officer"}
