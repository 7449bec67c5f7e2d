"""A person's answers to a repeating group are checked on the server by the group's own rules."""

from __future__ import annotations

import pytest

from tests.support.api import Api
from tests.support.factories import logged_in
from tests.support.households import child, household_program
from tests.support.programs import Portal


@pytest.fixture
def household(aws: None) -> str:
    return household_program()


def test_more_members_than_the_group_allows_are_refused_and_nothing_changes(portal: Portal, household: str) -> None:
    me = logged_in()
    draft = portal.draft(me, household, {"children": [child()]})
    refused = portal.save(me, draft["application_id"], {"children": [child(f"Child {i}") for i in range(31)]})
    assert refused.status == 422 and refused.json["error"]["fields"] == {"/answers/children": "too_many"}
    assert refused.json["error"]["messages"]["/answers/children"]["fr"]
    assert portal.api.get(f"/api/applications/{draft['application_id']}", as_=me).json["answers"]["children"] == [child()]


def test_a_member_with_an_unknown_field_is_refused(portal: Portal, household: str) -> None:
    me = logged_in()
    refused = portal.apply(me, household, {"children": [child(), child("Omar", nickname="O")]})
    assert refused.status == 422 and refused.json["error"]["fields"] == {"/answers/children/1/nickname": "unknown_field"}
    assert portal.api.get("/api/applications", as_=me).json["items"] == []


def test_a_members_answers_are_checked_in_full_at_submission(portal: Portal, household: str, api: Api) -> None:
    me = logged_in()
    draft = portal.draft(me, household, {"name": "Fatima", "children": [{"name": "Amina"}, child("Omar", relationship="other")]})
    refused = portal.submit(me, draft["application_id"])
    assert refused.status == 422
    fields = refused.json["error"]["fields"]
    assert fields["/answers/children/0/birth_date"] == "required"
    assert fields["/answers/children/1/relationship_other"] == "required"  # the condition inside the member holds
    assert "/answers/children/0/relationship_other" not in fields  # and not for the first one


def test_a_group_needs_its_fewest_members_at_submission(portal: Portal, household: str) -> None:
    me = logged_in()
    draft = portal.draft(me, household, {"name": "Fatima", "children": []})
    refused = portal.submit(me, draft["application_id"])
    assert refused.status == 422 and refused.json["error"]["fields"]["/answers/children"] == "too_few"


def test_an_answer_to_a_question_hidden_for_one_member_is_dropped_at_submission(portal: Portal, household: str) -> None:
    me = logged_in()
    draft = portal.draft(me, household, {"name": "Fatima", "children": [child(relationship_other="neighbour")]})
    # Submission still lacks the certificates, but the hidden answer is not what it complains of.
    refused = portal.submit(me, draft["application_id"])
    assert "/answers/children/0/relationship_other" not in refused.json["error"]["fields"]


def test_an_over_long_answer_inside_a_member_is_refused_before_anything_else(portal: Portal, household: str) -> None:
    me = logged_in()
    refused = portal.apply(me, household, {"children": [child("x" * 101)]})
    assert refused.status == 422 and refused.json["error"]["fields"] == {"/answers/children/0/name": "too_long"}
