"""Idempotency-Key on create and submit: a retried request returns the first result."""

from __future__ import annotations

from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.programs import Portal


def test_a_retried_create_returns_the_same_draft(api: Api, portal: Portal, registrant: AsRegistrant, program: str) -> None:
    first = portal.apply(registrant, program, {"name": "Amina"}, headers={"Idempotency-Key": "create-0001"})
    retry = portal.apply(registrant, program, {"name": "Amina"}, headers={"Idempotency-Key": "create-0001"})
    assert first.status == retry.status == 201
    assert retry.json["application_id"] == first.json["application_id"]
    assert len(api.get("/api/applications", as_=registrant).json["items"]) == 1


def test_the_same_key_from_another_person_makes_their_own_draft(portal: Portal, registrant: AsRegistrant, other_registrant: AsRegistrant, program: str) -> None:
    mine = portal.apply(registrant, program, headers={"Idempotency-Key": "create-0001"})
    theirs = portal.apply(other_registrant, program, headers={"Idempotency-Key": "create-0001"})
    assert theirs.status == 201 and theirs.json["application_id"] != mine.json["application_id"]


def test_a_retried_submit_returns_the_first_result(portal: Portal, registrant: AsRegistrant, program: str) -> None:
    draft = portal.draft(registrant, program, {"name": "Amina"})
    first = portal.submit(registrant, draft["application_id"], headers={"Idempotency-Key": "submit-0001"})
    retry = portal.submit(registrant, draft["application_id"], headers={"Idempotency-Key": "submit-0001"})
    assert first.status == retry.status == 200
    assert retry.json["reference"] == first.json["reference"]
    assert retry.json["timeline"] == first.json["timeline"]
    other_key = portal.submit(registrant, draft["application_id"], headers={"Idempotency-Key": "submit-0002"})
    assert other_key.status == 409 and other_key.error_code == "already_submitted"


def test_a_resubmission_with_the_first_submits_key_goes_through(portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str) -> None:
    """A client that reuses its key after a request for information resubmits; it is no retry."""
    draft = portal.draft(registrant, program, {"name": "Amina"})
    application_id = draft["application_id"]
    first = portal.submit(registrant, application_id, headers={"Idempotency-Key": "submit-0001"})
    assert portal.decide(reviewer, application_id, "under_review").status == 200
    assert portal.decide(reviewer, application_id, "info_requested", reason="Add your full name.").status == 200
    assert portal.save(registrant, application_id, {"name": "Amina Okafor"}).status == 200
    again = portal.submit(registrant, application_id, headers={"Idempotency-Key": "submit-0001"})
    assert again.status == 200 and again.json["status"] == "submitted"
    assert again.json["reference"] == first.json["reference"]
    assert [entry["to"] for entry in again.json["timeline"]] == ["draft", "submitted", "under_review", "info_requested", "submitted"]
    retry = portal.submit(registrant, application_id, headers={"Idempotency-Key": "submit-0001"})
    assert retry.status == 200 and retry.json["timeline"] == again.json["timeline"]  # and a retry of that is a retry
