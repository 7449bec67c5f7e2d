"""The portal remembers the person's household: members listed in an application, with their
provenance, shown in their details and export, prefilled into the next program that asks."""

from __future__ import annotations

import pytest

from chalicelib.identity.callers import Actor
from chalicelib.programs import service as programs
from tests.support.api import Api, AsRegistrant
from tests.support.factories import logged_in
from tests.support.households import child, household_program, logged_in_with_household
from tests.support.logs import captured_logs
from tests.support.programs import Portal

REMEMBER = {"/children": {"from": "household", "fields": {"name": "name", "birth_date": "birth_date", "relationship": "relationship"}}}


@pytest.fixture
def portal(api: Api) -> Portal:
    return Portal(api)


def _household_program() -> str:
    return household_program(prefill=REMEMBER)


def _submit_children(portal: Portal, me: AsRegistrant, program_id: str, names: list[str]) -> str:
    application_id = portal.draft(me, program_id, {"name": "Fatima"})["application_id"]
    children = [child(name, birth_date=f"201{index}-0{index + 1}-15", birth_certificate=portal.attach(me, application_id)) for index, name in enumerate(names)]
    assert portal.save(me, application_id, {"children": children}).status == 200
    submitted = portal.submit(me, application_id)
    assert submitted.status == 200, submitted.json
    submitted.calls.assert_dynamodb_at_most(3)  # remembering rides on the submission's own transaction
    return application_id


def test_children_listed_in_a_submission_are_remembered_shown_and_prefilled_next_time(aws: None, portal: Portal, api: Api) -> None:
    me = logged_in()
    with captured_logs() as logs:
        _submit_children(portal, me, _household_program(), ["Amina Haddad", "Omar Haddad", "Sara Haddad"])
    assert "Amina" not in logs.getvalue() and "2010-01-15" not in logs.getvalue()  # members' data never reach the logs

    details = api.get("/api/me", as_=me).json
    assert [(m["fields"]["name"], m["source"]) for m in details["household"]] == [("Amina Haddad", "self"), ("Omar Haddad", "self"), ("Sara Haddad", "self")]
    assert details["household"][0]["fields"] == {"name": "Amina Haddad", "birth_date": "2010-01-15", "relationship": "daughter"}
    assert [m["fields"]["name"] for m in api.get("/api/me/export", as_=me).json["profile"]["household"]] == ["Amina Haddad", "Omar Haddad", "Sara Haddad"]

    following = _household_program()
    offered = api.get(f"/api/programs/{following}", as_=me).json["prefilled"]
    assert [c["name"] for c in offered["answers"]["children"]] == ["Amina Haddad", "Omar Haddad", "Sara Haddad"]
    assert offered["read_only"] == []  # the person confirms or changes them
    created = portal.apply(me, following)
    assert created.status == 201
    created.calls.assert_dynamodb_at_most(4)  # session, program, the person and their household in one read, the write
    assert created.json["answers"]["children"][1] == {"name": "Omar Haddad", "birth_date": "2011-02-15", "relationship": "daughter"}
    # The person changes them: that is what is sent, and remembered.
    changed = [*created.json["answers"]["children"][:2], child("Yusuf Haddad", birth_date="2022-03-01", relationship="son")]
    application_id = created.json["application_id"]
    changed = [{**c, "birth_certificate": portal.attach(me, application_id)} for c in changed]
    assert portal.save(me, application_id, {"name": "Fatima", "children": changed}).status == 200
    assert portal.submit(me, application_id).status == 200
    remembered = api.get("/api/me", as_=me).json["household"]
    assert [m["fields"]["name"] for m in remembered] == ["Amina Haddad", "Omar Haddad", "Sara Haddad", "Yusuf Haddad"]


def test_a_form_that_does_not_map_its_group_remembers_nothing(aws: None, portal: Portal, api: Api) -> None:
    me = logged_in()
    _submit_children(portal, me, household_program(), ["Amina"])
    assert api.get("/api/me", as_=me).json["household"] == []


def test_members_an_officer_listed_say_so(aws: None, portal: Portal, api: Api) -> None:
    me = logged_in()
    program_id = _household_program()
    application_id = portal.draft(me, program_id, {"name": "Fatima"})["application_id"]
    children = [child("Amina", birth_certificate=portal.attach(me, application_id))]
    assert portal.save(me, application_id, {"children": children}).status == 200
    programs.submit_application(me.registrant_id, application_id, Actor("officer", "officer-7"))
    (member,) = api.get("/api/me", as_=me).json["household"]
    assert member["source"] == "officer" and member["by"] == {"role": "officer", "ref": "officer-7"}


def test_a_person_can_forget_a_member(aws: None, portal: Portal, api: Api) -> None:
    me, someone = logged_in(), logged_in()
    _submit_children(portal, me, _household_program(), ["Amina", "Omar"])
    amina, omar = api.get("/api/me", as_=me).json["household"]
    assert api.delete(f"/api/me/household/{amina['member_id']}", as_=someone).status == 404  # nobody else's
    forgotten = api.delete(f"/api/me/household/{amina['member_id']}", as_=me)
    assert forgotten.status == 200 and [m["member_id"] for m in forgotten.json["household"]] == [omar["member_id"]]
    assert api.delete(f"/api/me/household/{amina['member_id']}", as_=me).status == 404


def test_members_an_id_provider_released_go_when_consent_is_withdrawn(aws: None, api: Api) -> None:
    person = logged_in_with_household([{"name": "Nour Haddad", "birth_date": "2016-07-01", "relationship": "daughter"}])
    details = api.get("/api/me", as_=person).json
    assert [(m["fields"]["name"], m["source"], m["provider"]) for m in details["household"]] == [("Nour Haddad", "id_provider", "esignet")]
    assert "household" not in details["fields"]  # members, not a profile field
    offered = api.get(f"/api/programs/{_household_program()}", as_=person).json["prefilled"]["answers"]
    assert offered["children"] == [{"name": "Nour Haddad", "birth_date": "2016-07-01", "relationship": "daughter"}]

    consent_id = api.get("/api/me/consents", as_=person).json["items"][0]["consent_id"]
    assert api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person).status == 200
    assert api.get("/api/me", as_=person).json["household"] == []


def test_a_group_prefill_must_come_from_the_household_and_name_its_questions(aws: None, api: Api) -> None:
    from tests.support import households
    from tests.support.factories import as_staff

    admin = as_staff("admin")
    wrong = [
        ({"/children": "profile.name"}, "/prefill/~1children", "group_prefill_from_household"),
        ({"/children": {"from": "household", "fields": {"nickname": "name"}}}, "/prefill/~1children/fields/nickname", "unknown_field"),
        ({"/children": {"from": "household", "fields": {"name": "Full Name"}}}, "/prefill/~1children/fields/name", "unknown_source"),
        ({"/children": {"from": "household"}}, "/prefill/~1children/fields", "required"),
        ({"/name": {"from": "household", "fields": {"name": "name"}}}, "/prefill/~1name/from", "unknown_source"),
    ]
    for prefill, pointer, code in wrong:
        refused = api.post("/api/admin/forms", households.definition(prefill=prefill), as_=admin)
        assert refused.status == 422 and refused.json["error"]["fields"].get(pointer) == code, (prefill, refused.json)
