"""Assisting a person who never logged in: a verified capture registers them, an unverified one
does not, and their later login lands on the record the officer used."""

from __future__ import annotations

from chalicelib.auth.sessions import create_session
from chalicelib.registrants.logins import find_by_individual_id, record_login
from tests.support.api import AsRegistrant
from tests.support.devices import CaptureKit
from tests.support.factories import SAMPLE_PEOPLE, make_program

PERSON = SAMPLE_PEOPLE[2]


def _login(individual_id: str, subject: str = "pairwise-sub-1") -> str:
    return record_login(
        issuer="https://idp.test",
        subject=subject,
        provider_id="esignet",
        profile_claims={"name": PERSON["name"]},
        individual_id=individual_id,
        consented_claims=["name"],
    ).registrant_id


def test_an_officer_applies_for_someone_who_never_logged_in_and_their_login_finds_it(kit: CaptureKit) -> None:
    individual_id = PERSON["individual_id"]
    assert find_by_individual_id(individual_id) is None
    program = str(make_program().program_id)
    agent = kit.enrol()

    verified = kit.verified(agent, individual_id)
    assert verified.status == 201, verified.json
    assert verified.json["outcome"] == "verified"
    registrant_id = verified.json["registrant_id"]
    assert registrant_id and find_by_individual_id(individual_id) == registrant_id
    session = verified.json["assisted_session"]["session_id"]

    base = f"/api/assisted/sessions/{session}/applications"
    # Nothing is prefilled (no ID provider released anything yet): the officer types the name.
    created = kit.api.post(base, {"program_id": program, "answers": {"name": PERSON["name"]}}, as_=agent.officer)
    assert created.status == 201, created.json
    application_id = created.json["application_id"]
    submitted = kit.api.post(f"{base}/{application_id}/submit", {}, as_=agent.officer)
    assert submitted.status == 200, submitted.json
    assert submitted.json["channel"] == "assisted"

    # A second verified capture of the same person uses the same record.
    assert kit.verified(agent, individual_id).json["registrant_id"] == registrant_id

    assert _login(individual_id) == registrant_id
    auth = create_session(registrant_id, {"name": PERSON["name"], "provider": "esignet"})
    person = AsRegistrant(registrant_id, auth.raw_id, auth.csrf_token)
    mine = kit.api.get(f"/api/applications/{application_id}", as_=person)
    assert mine.status == 200, mine.json
    assert mine.json["channel"] == "assisted"
    activity = kit.api.get("/api/me/activity", as_=person)
    actions = {e["action"] for e in activity.json["items"]}
    assert {"registered_by_officer", "assisted.identity_verified"} <= actions

    assert _login(individual_id) == registrant_id  # and again: still the same person
    assert _login(individual_id, subject="another-login") != registrant_id  # never adopted twice


def test_an_unverified_capture_of_someone_who_never_logged_in_registers_nobody(kit: CaptureKit) -> None:
    individual_id = PERSON["individual_id"]
    agent = kit.enrol()
    txn = kit.transaction(agent, individual_id)
    exchange = kit.device_answer(txn["transaction_id"], SAMPLE_PEOPLE[0]["individual_id"])
    answer = kit.relay(agent.officer, kit.seal(agent, kit.payload(agent, txn, individual_id, exchange)))
    assert (answer.status, answer.error_code) == (422, "identity_not_matched")
    assert find_by_individual_id(individual_id) is None
    assert kit.verified(agent, individual_id).status == 201  # a later verified capture still can
    assert find_by_individual_id(individual_id) is not None


def test_a_person_who_logs_in_while_the_officer_captures_keeps_one_record(kit: CaptureKit) -> None:
    individual_id = PERSON["individual_id"]
    agent = kit.enrol()
    txn = kit.transaction(agent, individual_id)
    assert txn["registrant_id"] is None  # nobody yet when the officer asked
    real = _login(individual_id)  # the person logs in on their phone meanwhile
    exchange = kit.device_answer(txn["transaction_id"], individual_id)
    answer = kit.relay(agent.officer, kit.seal(agent, kit.payload(agent, txn, individual_id, exchange)))
    assert answer.status == 201, answer.json
    assert answer.json["registrant_id"] == real
    assert find_by_individual_id(individual_id) == real
