"""A household changed after enrolment reaches the ministry's systems: each change of the members
the portal remembers (listed by a later submission, released at a login, removed by the person,
gone with a withdrawn consent) writes a ``household.changed`` event with the change, and its
payload, valid against its schema, carries the whole household as it is now; a person no registry
can know (no submitted application) is told to nobody."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from chalicelib.integrations import payloads
from chalicelib.notifications import delivery
from chalicelib.registrants import household
from chalicelib.store.base import now
from chalicelib.store.events import OutboxEvent
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.factories import logged_in
from tests.support.households import child, household_program, logged_in_with_household
from tests.support.programs import Portal

REMEMBER = {"/children": {"from": "household", "fields": {"name": "name", "birth_date": "birth_date", "relationship": "relationship"}}}


def household_events(registrant_id: str) -> list[OutboxEvent]:
    return sorted((e for e in OutboxEvent.scan() if e.registrant_id == registrant_id and e.type == "household.changed"), key=lambda e: e.event_id)


def body_of(event: OutboxEvent) -> dict[str, Any] | None:
    body = payloads.build(event, now=now())
    if body is not None:
        jsonschema.validate(body, payloads.schemas()["household.changed"], format_checker=jsonschema.FormatChecker())
    return body


def enrolled_with_children(portal: Portal, reviewer: AsStaff, me: AsRegistrant, names: list[str]) -> tuple[str, str]:
    program = household_program(prefill=REMEMBER)
    application_id = portal.draft(me, program, {"name": "Fatima"})["application_id"]
    children = [child(name, birth_date=f"201{i}-0{i + 1}-15", birth_certificate=portal.attach(me, application_id)) for i, name in enumerate(names)]
    assert portal.save(me, application_id, {"children": children}).status == 200
    assert portal.submit(me, application_id).status == 200
    assert portal.decide(reviewer, application_id, "under_review").status == 200
    assert portal.decide(reviewer, application_id, "approved", enrol=True).status == 200
    return program, application_id


def test_a_member_removed_after_enrolment_is_told_with_the_household_as_it_is_now(portal: Portal, reviewer: AsStaff, api: Api) -> None:
    me = logged_in()
    _, application_id = enrolled_with_children(portal, reviewer, me, ["Amina", "Omar"])
    amina, omar = api.get("/api/me", as_=me).json["household"]
    (at_submission,) = household_events(me.registrant_id)  # the submission remembered both
    assert at_submission.data["added"] == sorted([amina["member_id"], omar["member_id"]])

    assert api.delete(f"/api/me/household/{amina['member_id']}", as_=me).status == 200

    _, removal = household_events(me.registrant_id)
    assert removal.actor_role == "registrant" and removal.stream == f"registrant#{me.registrant_id}"
    assert "Amina" not in str(removal.data)  # the outbox keeps ids and codes only
    body = body_of(removal)
    assert body is not None and body["type"] == "household.changed"
    data = body["data"]
    assert (data["added"], data["changed"], data["removed"], data["reasons"]) == ([], [], [amina["member_id"]], ["self_update"])
    assert [(m["member_id"], m["fields"]["name"], m["source"]) for m in data["household"]] == [(omar["member_id"], "Omar", "self")]
    assert [a["application_id"] for a in data["applications"]] == [application_id] and data["applications"][0]["status"] == "enrolled"
    assert data["event_id"] == body["data"]["event_id"] == removal.event_id and data["registrant_id"] == me.registrant_id


def test_a_later_submission_that_lists_a_new_child_is_told(portal: Portal, reviewer: AsStaff, api: Api) -> None:
    me = logged_in()
    program, _ = enrolled_with_children(portal, reviewer, me, ["Amina"])
    # The next program asks again: the remembered child is offered, the person adds a newborn.
    other = household_program(prefill=REMEMBER)
    application_id = portal.draft(me, other, {"name": "Fatima"})["application_id"]
    children = [
        child("Amina", birth_date="2010-01-15", birth_certificate=portal.attach(me, application_id)),
        child("Yusuf", birth_date="2025-11-02", birth_certificate=portal.attach(me, application_id)),
    ]
    assert portal.save(me, application_id, {"children": children}).status == 200
    submitted = portal.submit(me, application_id)
    assert submitted.status == 200
    submitted.calls.assert_dynamodb_at_most(3)  # the event rides on the submission's own transaction

    latest = household_events(me.registrant_id)[-1]
    body = body_of(latest)
    assert body is not None
    yusuf = next(m for m in body["data"]["household"] if m["fields"]["name"] == "Yusuf")
    assert body["data"]["added"] == [yusuf["member_id"]] and body["data"]["removed"] == []
    assert sorted(m["fields"]["name"] for m in body["data"]["household"]) == ["Amina", "Yusuf"]
    assert program != other


def test_nothing_is_written_when_a_submission_changes_no_member(portal: Portal, reviewer: AsStaff) -> None:
    me = logged_in()
    enrolled_with_children(portal, reviewer, me, ["Amina"])
    other = household_program(prefill=REMEMBER)
    application_id = portal.draft(me, other, {"name": "Fatima"})["application_id"]
    children = [child("Amina", birth_date="2010-01-15", birth_certificate=portal.attach(me, application_id))]
    assert portal.save(me, application_id, {"children": children}).status == 200
    assert portal.submit(me, application_id).status == 200
    assert len(household_events(me.registrant_id)) == 1  # only the first submission's


def test_members_from_a_login_and_their_removal_with_consent_are_told_once_the_person_applied(aws: None, portal: Portal, api: Api) -> None:
    nour = {"name": "Nour Haddad", "birth_date": "2016-07-01", "relationship": "daughter"}
    person = logged_in_with_household([nour], "pairwise-household-events")
    (released,) = household_events(person.registrant_id)
    assert released.data["reasons"] == ["login_refresh"] and released.actor_role == "system"
    assert body_of(released) is None  # no submitted application: no registry can know this person

    program = household_program(prefill=REMEMBER)
    application_id = portal.draft(person, program, {"name": "Layla"})["application_id"]
    children = [child("Nour Haddad", birth_date="2016-07-01", relationship="daughter", birth_certificate=portal.attach(person, application_id))]
    assert portal.save(person, application_id, {"children": children}).status == 200
    assert portal.submit(person, application_id).status == 200

    consent_id = api.get("/api/me/consents", as_=person).json["items"][0]["consent_id"]
    assert api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person).status == 200
    gone = household_events(person.registrant_id)[-1]
    body = body_of(gone)
    assert body is not None and body["data"]["reasons"] == ["consent_withdrawn"]
    identity = body["data"]["identity"]  # the ID number went with the consent; the issuer and subject match the person
    assert (identity["issuer"], identity["subject"], identity["individual_id"]) == ("https://idp.test", "pairwise-household-events", None)
    assert len(body["data"]["removed"]) == 1 and body["data"]["household"] == []


def test_an_unchanged_household_writes_no_event(aws: None) -> None:
    nour = {"name": "Nour Haddad", "birth_date": "2016-07-01"}
    person = logged_in_with_household([nour], "pairwise-household-again")
    household.remember_from_provider(person.registrant_id, "esignet", [nour])  # the next login releases the same
    assert len(household_events(person.registrant_id)) == 1


@pytest.mark.usefixtures("aws")
def test_the_household_event_sends_no_message_to_the_person() -> None:
    person = logged_in_with_household([{"name": "Nour Haddad", "birth_date": "2016-07-01"}], "pairwise-household-quiet")
    (event,) = household_events(person.registrant_id)
    assert delivery.deliver(event) == []
