"""Idempotency-Key on create and submit: a retried request returns the first result."""

from __future__ import annotations

from tests.programs.portal import Portal
from tests.support.api import Api, AsRegistrant


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
