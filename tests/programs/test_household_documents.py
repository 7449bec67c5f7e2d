"""A document question inside a repeating group: each member's document is that member's, of
this very application; the person, the reviewer and the export see whose it is."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.factories import logged_in
from tests.support.households import child, household_program
from tests.support.programs import Portal


@pytest.fixture
def household(aws: None) -> str:
    return household_program()


def _children(portal: Portal, me: AsRegistrant, application_id: str, names: list[str]) -> list[dict[str, Any]]:
    return [child(name, birth_certificate=portal.attach(me, application_id)) for name in names]


def _members(portal: Portal, me: AsRegistrant, application_id: str) -> list[dict[str, Any]]:
    return list(portal.api.get(f"/api/applications/{application_id}", as_=me).json["members"])


def test_each_child_has_their_own_certificate_seen_by_the_person_the_reviewer_and_the_export(
    portal: Portal, household: str, reviewer: AsStaff, api: Api
) -> None:
    me = logged_in()
    application_id = portal.draft(me, household, {"name": "Fatima"})["application_id"]
    children = _children(portal, me, application_id, ["Amina", "Omar", "Sara"])
    assert portal.save(me, application_id, {"children": children}).status == 200
    assert portal.submit(me, application_id).status == 200

    members = _members(portal, me, application_id)
    assert [(m["label"], m["documents"][0]["document_id"]) for m in members] == [(c["name"], c["birth_certificate"]) for c in children]

    listed = api.get(f"/api/admin/documents?application_id={application_id}", as_=reviewer)
    assert listed.status == 200
    owners = {d["document_id"]: (d["member"] or {}).get("label") for d in listed.json["items"]}
    assert owners == {c["birth_certificate"]: c["name"] for c in children}
    opened = api.get(f"/api/admin/applications/{application_id}", as_=reviewer).json
    assert [m["label"] for m in opened["members"]] == ["Amina", "Omar", "Sara"]
    assert opened["members"][1]["answers"]["birth_date"] == "2019-04-02"

    exported = api.get("/api/me/export", as_=me).json
    assert {d["document_id"]: d["member"]["label"] for d in exported["documents"]} == {c["birth_certificate"]: c["name"] for c in children}
    (application,) = exported["applications"]
    assert [m["label"] for m in application["members"]] == ["Amina", "Omar", "Sara"]
    assert any(a["pointer"] == "/children/2/name" and a["label"] == "Child's full name" for a in application["answers"])


def test_a_document_of_another_person_is_refused_and_nothing_changes(portal: Portal, household: str) -> None:
    me, someone = logged_in(), logged_in()
    theirs = portal.draft(someone, household)["application_id"]
    their_document = portal.attach(someone, theirs)
    mine = portal.draft(me, household, {"children": [child()]})["application_id"]
    refused = portal.save(me, mine, {"children": [child(birth_certificate=their_document)]})
    assert refused.status == 422 and refused.json["error"]["fields"] == {"/answers/children/0/birth_certificate": "unknown_document"}
    assert refused.json["error"]["messages"]["/answers/children/0/birth_certificate"]["ar"]
    assert portal.api.get(f"/api/applications/{mine}", as_=me).json["answers"]["children"] == [child()]
    # Nor can a new application start with it.
    assert portal.apply(me, household, {"children": [child(birth_certificate=their_document)]}).status in {409, 422}


def test_a_document_of_another_application_of_the_same_person_is_refused(portal: Portal, api: Api) -> None:
    me = logged_in()
    first, second = household_program(), household_program()
    earlier = portal.draft(me, first)["application_id"]
    earlier_document = portal.attach(me, earlier)
    current = portal.draft(me, second)["application_id"]
    refused = portal.save(me, current, {"children": [child(birth_certificate=earlier_document)]})
    assert refused.status == 422 and refused.json["error"]["fields"] == {"/answers/children/0/birth_certificate": "unknown_document"}
    # Using it here takes a copy of its own (documents area), which a member may then name.
    copied = api.post(f"/api/applications/{current}/documents", {"document_id": earlier_document}, as_=me)
    assert copied.status == 201
    assert portal.save(me, current, {"children": [child(birth_certificate=copied.json["document"]["document_id"])]}).status == 200


def test_removing_a_member_detaches_their_document_without_losing_it(portal: Portal, household: str, api: Api) -> None:
    me = logged_in()
    application_id = portal.draft(me, household, {"name": "Fatima"})["application_id"]
    amina, omar = _children(portal, me, application_id, ["Amina", "Omar"])
    assert portal.save(me, application_id, {"children": [amina, omar]}).status == 200
    kept = portal.save(me, application_id, {"children": [amina]})
    assert kept.status == 200 and [m["label"] for m in kept.json["members"]] == ["Amina"]
    document = api.get(f"/api/documents/{omar['birth_certificate']}", as_=me)
    assert document.status == 200 and document.json["document"]["status"] == "available"
    listed = api.get(f"/api/documents?application_id={application_id}", as_=me).json["items"]
    assert omar["birth_certificate"] in {d["document_id"] for d in listed}
    # It can be given to a member again.
    assert portal.save(me, application_id, {"children": [amina, child("Omar", birth_certificate=omar["birth_certificate"])]}).status == 200


def test_a_deleted_document_named_by_a_member_stops_the_submission(portal: Portal, household: str, api: Api) -> None:
    me = logged_in()
    application_id = portal.draft(me, household, {"name": "Fatima"})["application_id"]
    amina, omar = _children(portal, me, application_id, ["Amina", "Omar"])
    assert portal.save(me, application_id, {"children": [amina, omar]}).status == 200
    assert api.delete(f"/api/documents/{omar['birth_certificate']}", as_=me).status == 204
    refused = portal.submit(me, application_id)
    assert refused.status == 422 and refused.json["error"]["fields"] == {"/answers/children/1/birth_certificate": "unknown_document"}


def test_a_resubmission_after_an_information_request_may_change_the_members(portal: Portal, household: str, reviewer: AsStaff, api: Api) -> None:
    me = logged_in()
    application_id = portal.draft(me, household, {"name": "Fatima"})["application_id"]
    amina, omar = _children(portal, me, application_id, ["Amina", "Omar"])
    assert portal.save(me, application_id, {"children": [amina, omar]}).status == 200
    assert portal.submit(me, application_id).status == 200
    assert portal.decide(reviewer, application_id, "under_review").status == 200
    assert portal.decide(reviewer, application_id, "info_requested", reason="Add your youngest child.").status == 200

    (sara,) = _children(portal, me, application_id, ["Sara"])
    assert portal.save(me, application_id, {"children": [amina, sara]}).status == 200
    resubmitted = portal.submit(me, application_id)
    assert resubmitted.status == 200 and resubmitted.json["status"] == "submitted"
    opened = api.get(f"/api/admin/applications/{application_id}", as_=reviewer).json
    assert [m["label"] for m in opened["members"]] == ["Amina", "Sara"]
    queue = api.get(f"/api/admin/programs/{household}/applications?status=submitted", as_=reviewer).json["items"]
    assert queue[0]["member_count"] == {"children": 2} and "answers" not in queue[0]
