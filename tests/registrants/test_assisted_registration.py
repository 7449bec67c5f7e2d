"""A person an officer registered after a verified capture: one record however many officers
race, adopted by that person's first login that releases the same ID number, and only by it."""

from __future__ import annotations

from typing import Any

from chalicelib.identity.callers import Actor
from chalicelib.registrants import logins
from chalicelib.store.audit import AuditEvent
from chalicelib.store.registrants import Registrant
from tests.support.calls import record_aws_calls

OFFICER = Actor("officer", "staff-officer-1")
ID_NUMBER = "5550001112"


def login(subject: str, individual_id: str | None = ID_NUMBER, claims: dict[str, Any] | None = None) -> logins.LoginRecord:
    return logins.record_login(
        issuer="https://idp.test",
        subject=subject,
        provider_id="esignet",
        profile_claims=claims if claims is not None else {"name": "Ama Mensah"},
        individual_id=individual_id,
        consented_claims=["name"],
    )


def test_an_officer_registers_a_person_once_with_no_profile_values_and_an_audit_event(aws: None) -> None:
    first = logins.register_assisted(ID_NUMBER, OFFICER)
    assert logins.register_assisted(ID_NUMBER, Actor("officer", "staff-officer-2")) == first  # the slower officer
    assert logins.find_by_individual_id(ID_NUMBER) == first
    person = Registrant.get(first)
    assert person.profile == {} and person.individual_id == ID_NUMBER
    events = [(e.action, e.actor_role, e.actor_ref) for e in AuditEvent.query(first)]
    assert events == [("registered_by_officer", "officer", "staff-officer-1")]


def test_the_persons_first_login_adopts_the_officers_record_with_verified_fields(aws: None) -> None:
    registrant_id = logins.register_assisted(ID_NUMBER, OFFICER)
    with record_aws_calls() as calls:
        record = login("pairwise-1")
    calls.assert_dynamodb_at_most(3)
    assert record.registrant_id == registrant_id and record.name == "Ama Mensah"
    person = Registrant.get(registrant_id)
    assert person.login == "https://idp.test#pairwise-1"
    assert person.profile["name"]["source"] == "id_provider" and person.profile["name"]["verified"] is True
    assert login("pairwise-1").registrant_id == registrant_id
    assert [e.action for e in AuditEvent.query(registrant_id)] == ["registered_by_officer"]


def test_a_record_made_by_a_real_login_is_never_adopted_by_another_login(aws: None) -> None:
    real = login("owner-sub")
    other = login("someone-else-sub")
    assert other.registrant_id != real.registrant_id
    assert Registrant.get(real.registrant_id).login == "https://idp.test#owner-sub"


def test_an_adopted_record_is_not_adopted_again_by_a_second_login(aws: None) -> None:
    registrant_id = logins.register_assisted(ID_NUMBER, OFFICER)
    assert login("first-sub").registrant_id == registrant_id
    assert login("second-sub").registrant_id != registrant_id
    assert Registrant.get(registrant_id).login == "https://idp.test#first-sub"


def test_a_login_without_the_id_number_does_not_adopt(aws: None) -> None:
    registrant_id = logins.register_assisted(ID_NUMBER, OFFICER)
    assert login("no-id-sub", individual_id=None).registrant_id != registrant_id
    assert Registrant.get(registrant_id).login == f"assisted#{ID_NUMBER}"
    assert login("other-id-sub", individual_id="9990001112").registrant_id != registrant_id


def test_a_first_login_with_an_id_number_and_no_officer_record_stays_within_three_calls(aws: None) -> None:
    with record_aws_calls() as calls:
        record = login("fresh-sub")
    calls.assert_dynamodb_at_most(3)
    assert Registrant.get(record.registrant_id).login == "https://idp.test#fresh-sub"
