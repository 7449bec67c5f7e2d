"""The outbox: every state change people must hear about writes its event in the change's own
transaction, with ids and codes only."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from pynamodb.transactions import TransactWrite

from chalicelib.events import outbox
from chalicelib.programs import outbox as program_outbox
from chalicelib.programs import service
from chalicelib.store.applications import Application
from chalicelib.store.events import OutboxEvent
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.factories import as_staff
from tests.support.programs import Portal
from tests.support.registrants import approve, ask_to_change_name


def events(registrant: AsRegistrant) -> list[OutboxEvent]:
    return sorted((e for e in OutboxEvent.scan() if e.registrant_id == registrant.registrant_id), key=lambda e: e.event_id)


def types(registrant: AsRegistrant) -> list[str]:
    return [e.type for e in events(registrant)]


def test_each_status_change_writes_its_event_with_ids_and_no_answers(portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str) -> None:
    submitted = portal.submitted(registrant, program, {"name": "Amina Okafor"})
    application_id = submitted["application_id"]
    for to in ("under_review", "info_requested"):
        assert portal.decide(reviewer, application_id, to).status == 200
    assert portal.submit(registrant, application_id).status == 200
    assert portal.decide(reviewer, application_id, "under_review").status == 200
    assert portal.decide(reviewer, application_id, "approved", enrol=True).status == 200

    assert types(registrant) == [
        "application.submitted",
        "application.review_started",
        "application.information_requested",
        "application.information_received",
        "application.review_started",
        "application.approved",
        "application.enrolled",
    ]
    found = events(registrant)
    first = outbox.event_json(found[0])
    assert first["application_id"] == application_id and first["program_id"] == program
    assert first["reference"] == submitted["reference"] and first["schema_version"] == 1
    assert (first["actor_role"], found[2].actor_role) == ("registrant", "reviewer")
    # One ordered stream per application: the sequence is the application's version after the change.
    final = Application.get(application_id)
    assert [e.sequence for e in found] == [2, 3, 4, 5, 6, 7, 7] and final.version == 7
    assert {e.stream for e in found} == {f"application#{application_id}"}
    stored = json.dumps([outbox.event_json(e) for e in found])
    assert "Amina" not in stored and "Checked against the register" not in stored


def test_rejection_and_withdrawal_write_theirs_and_a_draft_given_up_writes_none(
    api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str
) -> None:
    rejected = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    portal.decide(reviewer, rejected, "under_review")
    assert portal.decide(reviewer, rejected, "rejected").status == 200
    withdrawn = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    assert api.post(f"/api/applications/{withdrawn}/withdraw", {}, as_=registrant).status == 200
    draft = portal.draft(registrant, program, {"name": "Amina"})["application_id"]
    assert api.post(f"/api/applications/{draft}/withdraw", {}, as_=registrant).status == 200
    assert [(e.type, e.application_id) for e in events(registrant) if e.type in {"application.rejected", "application.withdrawn"}] == [
        ("application.rejected", rejected),
        ("application.withdrawn", withdrawn),
    ]
    assert all(e.application_id != draft for e in events(registrant))


def test_a_decision_whose_transaction_fails_writes_neither_change_nor_event(
    portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    application_id = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    read = service.submitted_application

    def read_then_another_reviewer_decides(application_id: str) -> Application:
        seen = read(application_id)
        other = read(application_id)
        service.apply_transitions(
            other, [{"from": "submitted", "to": "under_review", "at": "2026-01-01T00:00:00+00:00", "by": {"role": "reviewer", "ref": "x"}}]
        )
        return seen  # the version this reviewer saw is stale now

    monkeypatch.setattr(service, "submitted_application", read_then_another_reviewer_decides)
    answer = portal.decide(reviewer, application_id, "under_review")
    assert answer.status == 409 and answer.error_code == "changed_meanwhile"
    # The other reviewer's change and its event; nothing of the failed decision.
    assert types(registrant) == ["application.submitted", "application.review_started"]
    assert len(Application.get(application_id).history) == 3


def test_an_event_that_cannot_be_written_cancels_the_change(
    portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    application_id = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    taken = next(e for e in events(registrant))

    def add_event_whose_id_is_taken(writes: TransactWrite, kind: Any, **fields: Any) -> OutboxEvent:
        event = outbox.add_event(writes, kind, **fields)
        writes._put_items.pop()  # replace the put by one that collides with an event already stored
        event.stream, event.event_id = taken.stream, taken.event_id
        writes.save(event, condition=OutboxEvent.event_id.does_not_exist())
        return event

    monkeypatch.setattr(program_outbox, "add_event", add_event_whose_id_is_taken)
    answer = portal.decide(reviewer, application_id, "under_review")
    assert answer.status == 409
    assert Application.get(application_id).status == "submitted"
    assert types(registrant) == ["application.submitted"]


def test_a_change_request_decision_writes_its_event_with_the_field_name_only(api: Api, registrant: AsRegistrant) -> None:
    request_id = ask_to_change_name(api, registrant)
    assert approve(api, as_staff("reviewer"), request_id, "Certificate seen").status == 200
    (event,) = events(registrant)
    assert event.type == "change_request.decided" and event.stream == f"registrant#{registrant.registrant_id}"
    assert event.data == {"change_request_id": request_id, "decision": "approved", "field": "name"}


def test_a_refused_document_writes_its_event_with_the_reason_code(api: Api, registrant: AsRegistrant) -> None:
    html = b"<!doctype html><html><script>alert(1)</script></html>\n"
    declared = api.post("/api/documents", {"kind": "other", "file_name": "payslip.pdf", "content_type": "application/pdf", "size": len(html)}, as_=registrant)
    assert declared.status == 201, declared.json
    upload = declared.json["upload"]
    requests.post(upload["url"], data=upload["fields"], files={"file": ("payslip.pdf", html)}, timeout=10)
    document_id = declared.json["document"]["document_id"]
    assert api.post(f"/api/documents/{document_id}/complete", as_=registrant).status == 415
    (event,) = events(registrant)
    assert event.type == "document.refused"
    assert event.data["reason"] == "content_mismatch" and event.data["document_id"] == document_id


def test_submitting_still_costs_three_calls_with_its_event(portal: Portal, registrant: AsRegistrant, program: str) -> None:
    draft = portal.draft(registrant, program, {"name": "Amina"})
    answer = portal.submit(registrant, draft["application_id"])
    assert answer.status == 200
    answer.calls.assert_dynamodb_at_most(3)
    assert types(registrant) == ["application.submitted"]
