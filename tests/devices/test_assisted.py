"""Assisted sessions: after a verified capture the officer reads the person's applications and
applies for them, every step labelled with the officer and shown to the person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.store.devices import DeviceItem
from tests.support.api import AsRegistrant
from tests.support.devices import Agent, CaptureKit
from tests.support.factories import SAMPLE_PEOPLE, logged_in, make_program

AMINA = SAMPLE_PEOPLE[0]


@pytest.fixture
def amina(aws: None) -> AsRegistrant:
    return logged_in(AMINA)


@pytest.fixture
def program(aws: None) -> str:
    return str(make_program().program_id)


def _session(kit: CaptureKit, agent: Agent) -> str:
    answer = kit.verified(agent, AMINA["individual_id"])
    assert answer.status == 201, answer.json
    return str(answer.json["assisted_session"]["session_id"])


def test_the_officer_applies_for_the_person_and_the_person_sees_who_helped(kit: CaptureKit, amina: AsRegistrant, program: str) -> None:
    agent = kit.enrol()
    session = _session(kit, agent)
    base = f"/api/assisted/sessions/{session}/applications"

    created = kit.api.post(base, {"program_id": program}, as_=agent.officer)
    assert created.status == 201, created.json
    application_id = created.json["application_id"]
    saved = kit.api.patch(f"{base}/{application_id}", {"answers": {"name": "Amina Okafor"}}, as_=agent.officer)
    assert saved.status == 200, saved.json
    submitted = kit.api.post(f"{base}/{application_id}/submit", {}, as_=agent.officer)
    assert submitted.status == 200, submitted.json
    assert submitted.json["status"] == "submitted" and submitted.json["channel"] == "assisted"

    mine = kit.api.get(f"/api/applications/{application_id}", as_=amina)
    assert mine.status == 200
    officer_ref = mine.json["assisted_by"]
    assert mine.json["channel"] == "assisted" and officer_ref.startswith("staff-")
    submission = [entry for entry in mine.json["timeline"] if entry.get("to") == "submitted"]
    assert submission and submission[0]["by"] == {"role": "officer", "ref": officer_ref}

    activity = kit.api.get("/api/me/activity", as_=amina)
    actions = {(e["action"], e["by"]["role"], e["by"]["ref"]) for e in activity.json["items"]}
    assert ("assisted.identity_verified", "officer", officer_ref) in actions
    assert ("application_submitted", "officer", officer_ref) in actions


def test_the_officer_uploads_the_required_document_and_submits_the_sample_program(kit: CaptureKit, amina: AsRegistrant) -> None:
    import requests

    from infra.local import seed
    from tests.support.programs import HOUSEHOLD, PDF

    program_id = seed.seed_sample_program()
    agent = kit.enrol()
    session = _session(kit, agent)
    base = f"/api/assisted/sessions/{session}"
    created = kit.api.post(f"{base}/applications", {"program_id": program_id, "answers": HOUSEHOLD}, as_=agent.officer)
    assert created.status == 201, created.json
    application_id = created.json["application_id"]
    early = kit.api.post(f"{base}/applications/{application_id}/submit", {}, as_=agent.officer)
    assert early.status == 422 and "/documents/birth_certificate" in early.json["error"]["fields"]

    declared = kit.api.post(
        f"{base}/documents",
        {"kind": "birth_certificate", "file_name": "birth.pdf", "content_type": "application/pdf", "size": len(PDF), "application_id": application_id},
        as_=agent.officer,
    )
    assert declared.status == 201, declared.json
    upload = declared.json["upload"]
    assert requests.post(upload["url"], data=upload["fields"], files={"file": ("birth.pdf", PDF)}, timeout=10).status_code in (200, 201, 204)
    document_id = declared.json["document"]["document_id"]
    assert kit.api.post(f"{base}/documents/{document_id}/complete", as_=agent.officer).status == 200
    listed = kit.api.get(f"{base}/applications/{application_id}/documents", as_=agent.officer)
    assert [d["document_id"] for d in listed.json["items"]] == [document_id]

    submitted = kit.api.post(f"{base}/applications/{application_id}/submit", {}, as_=agent.officer)
    assert submitted.status == 200, submitted.json
    assert submitted.json["reference"] and submitted.json["channel"] == "assisted"
    mine = kit.api.get("/api/documents", as_=amina)
    assert [d["document_id"] for d in mine.json["items"]] == [document_id]
    actions = {e["action"] for e in kit.api.get("/api/me/activity", as_=amina).json["items"]}
    assert {"assisted.document_declared", "assisted.document_uploaded", "application_submitted"} <= actions


def test_the_officer_reads_the_persons_applications_and_each_read_is_recorded(kit: CaptureKit, amina: AsRegistrant, program: str) -> None:
    own = kit.api.post(f"/api/programs/{program}/applications", {}, as_=amina)
    assert own.status == 201
    agent = kit.enrol()
    session = _session(kit, agent)
    listed = kit.api.get(f"/api/assisted/sessions/{session}/applications", as_=agent.officer)
    assert [a["application_id"] for a in listed.json["items"]] == [own.json["application_id"]]
    one = kit.api.get(f"/api/assisted/sessions/{session}/applications/{own.json['application_id']}", as_=agent.officer)
    assert one.status == 200
    enrolments = kit.api.get(f"/api/assisted/sessions/{session}/enrolments", as_=agent.officer)
    assert enrolments.status == 200 and enrolments.json["items"] == []
    actions = [e["action"] for e in kit.api.get("/api/me/activity", as_=amina).json["items"]]
    assert {"assisted.applications_read", "assisted.application_read", "assisted.enrolments_read"} <= set(actions)


def test_another_officer_cannot_use_the_session(kit: CaptureKit, amina: AsRegistrant, program: str) -> None:
    session = _session(kit, kit.enrol())
    other = kit.officer("officer-2")
    answer = kit.api.post(f"/api/assisted/sessions/{session}/applications", {"program_id": program}, as_=other)
    assert (answer.status, answer.error_code) == (404, "assisted_session_not_found")
    assert kit.api.get(f"/api/assisted/sessions/{session}", as_=other).status == 404


def test_an_expired_session_no_longer_lets_the_officer_act(kit: CaptureKit, amina: AsRegistrant, program: str) -> None:
    agent = kit.enrol()
    session = _session(kit, agent)
    for item in DeviceItem.query(next(i.pk for i in DeviceItem.scan() if i.sk == f"assist#{session}"), DeviceItem.sk == f"assist#{session}"):
        item.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        item.save()
    answer = kit.api.post(f"/api/assisted/sessions/{session}/applications", {"program_id": program}, as_=agent.officer)
    assert (answer.status, answer.error_code) == (403, "assisted_session_ended")
    assert kit.api.get("/api/assisted/sessions", as_=agent.officer).json["items"] == []
    assert kit.api.get(f"/api/assisted/sessions/{session}", as_=agent.officer).json["status"] == "expired"


def test_a_closed_session_no_longer_lets_the_officer_act(kit: CaptureKit, amina: AsRegistrant, program: str) -> None:
    agent = kit.enrol()
    session = _session(kit, agent)
    closed = kit.api.post(f"/api/assisted/sessions/{session}/close", as_=agent.officer)
    assert closed.status == 200 and closed.json["status"] == "closed"
    answer = kit.api.get(f"/api/assisted/sessions/{session}/applications", as_=agent.officer)
    assert (answer.status, answer.error_code) == (403, "assisted_session_ended")


def test_the_officer_cannot_reach_another_persons_application_through_a_session(kit: CaptureKit, amina: AsRegistrant, program: str) -> None:
    someone_else = logged_in(SAMPLE_PEOPLE[1])
    theirs = kit.api.post(f"/api/programs/{program}/applications", {}, as_=someone_else)
    agent = kit.enrol()
    session = _session(kit, agent)
    answer = kit.api.get(f"/api/assisted/sessions/{session}/applications/{theirs.json['application_id']}", as_=agent.officer)
    assert answer.status == 404
    patched = kit.api.patch(f"/api/assisted/sessions/{session}/applications/{theirs.json['application_id']}", {"answers": {"name": "x"}}, as_=agent.officer)
    assert patched.status == 404


def test_only_officers_use_assisted_routes(kit: CaptureKit, amina: AsRegistrant) -> None:
    from tests.support.factories import as_staff

    assert kit.api.get("/api/assisted/sessions", as_=as_staff("reviewer")).error_code == "wrong_role"
    assert kit.api.get("/api/assisted/sessions", as_=amina).status == 401


def _submission(application: dict[str, Any]) -> dict[str, Any]:
    [entry] = [e for e in application["timeline"] if e.get("to") == "submitted"]
    return dict(entry)


def test_the_person_sees_in_their_list_and_their_application_that_an_officer_submitted_it(kit: CaptureKit, amina: AsRegistrant) -> None:
    """What the registrant app needs to say "submitted with the help of an officer": the
    channel, and the officer's role on the submission step (an opaque reference, never a name).
    It is the submission step that says who submitted: an application the officer started and
    the person sent themself is ``assisted`` but its submission is the person's."""
    started_by_the_person, started_by_the_officer, sent_by_the_person = (str(make_program().program_id) for _ in range(3))
    own = kit.api.post(f"/api/programs/{started_by_the_person}/applications", {}, as_=amina)
    assert own.status == 201, own.json
    agent = kit.enrol()
    session = _session(kit, agent)
    base = f"/api/assisted/sessions/{session}/applications"
    made = {p: kit.api.post(base, {"program_id": p}, as_=agent.officer).json["application_id"] for p in (started_by_the_officer, sent_by_the_person)}
    for application_id in (own.json["application_id"], made[started_by_the_officer]):
        assert kit.api.patch(f"{base}/{application_id}", {"answers": {"name": "Amina Okafor"}}, as_=agent.officer).status == 200
        assert kit.api.post(f"{base}/{application_id}/submit", {}, as_=agent.officer).status == 200
    theirs = made[sent_by_the_person]
    assert kit.api.patch(f"/api/applications/{theirs}", {"answers": {"name": "Amina Okafor"}}, as_=amina).status == 200
    assert kit.api.post(f"/api/applications/{theirs}/submit", {}, as_=amina).status == 200

    listed = {a["application_id"]: a for a in kit.api.get("/api/applications", as_=amina).json["items"]}
    assert len(listed) == 3
    for application_id in (own.json["application_id"], made[started_by_the_officer]):
        for seen in (listed[application_id], kit.api.get(f"/api/applications/{application_id}", as_=amina).json):
            assert seen["channel"] == "assisted" and seen["status"] == "submitted"
            submission = _submission(seen)
            assert submission["by"] == {"role": "officer", "ref": seen["assisted_by"]}
            assert seen["assisted_by"].startswith("staff-")
    assert listed[own.json["application_id"]]["timeline"][0]["by"]["role"] == "registrant"
    assert listed[made[started_by_the_officer]]["timeline"][0]["by"]["role"] == "officer"

    sent = listed[theirs]
    assert sent["channel"] == "assisted" and sent["timeline"][0]["by"]["role"] == "officer"  # the officer started it
    assert _submission(sent)["by"] == {"role": "registrant", "ref": amina.registrant_id}  # but did not submit it


def test_the_officer_submits_a_program_with_a_required_statement_the_person_agreed_to(kit: CaptureKit, amina: AsRegistrant) -> None:
    statement = {"id": "share_with_ministry", "text": {"en": "My answers may go to the Ministry.", "fr": "Mes réponses peuvent aller au ministère."}}
    program_id = str(make_program(consents=[statement]).program_id)
    agent = kit.enrol()
    base = f"/api/assisted/sessions/{_session(kit, agent)}/applications"
    created = kit.api.post(base, {"program_id": program_id, "answers": {"name": "Amina Okafor"}}, as_=agent.officer)
    assert created.status == 201, created.json
    submit = f"{base}/{created.json['application_id']}/submit"

    refused = kit.api.post(submit, {}, as_=agent.officer)
    assert refused.status == 422 and refused.json["error"]["fields"] == {"/consents/share_with_ministry": "consent_required"}
    submitted = kit.api.post(submit, {"consents": {"share_with_ministry": True}, "locale": "fr"}, as_=agent.officer)
    assert submitted.status == 200, submitted.json
    officer = {"role": "officer", "ref": submitted.json["assisted_by"]}
    (record,) = submitted.json["consents"]
    assert (record["id"], record["locale"], record["text"], record["by"]) == ("share_with_ministry", "fr", statement["text"]["fr"], officer)
    assert submitted.json["timeline"][-1]["consents"] == ["share_with_ministry"] and submitted.json["timeline"][-1]["by"] == officer

    (listed,) = [c for c in kit.api.get("/api/me/consents", as_=amina).json["items"] if c["kind"] == "application"]
    assert listed["reference"]["reference"] == submitted.json["reference"] and listed["given_by"] == officer
