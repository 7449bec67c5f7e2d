"""Bad input gets a clear 4xx with a stable code, and field errors by JSON pointer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.programs import catalogue
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.factories import as_staff, make_form
from tests.support.programs import HOUSEHOLD, Portal, simple_program


@pytest.mark.parametrize(
    ("answers", "pointer", "code"),
    [
        ({"household_size": "four"}, "/answers/household_size", "wrong_type"),
        ({"caregiver_role": "uncle"}, "/answers/caregiver_role", "not_allowed_value"),
        ({"region": "atlantis"}, "/answers/region", "not_allowed_value"),
        ({"support_kinds": ["food", "lottery"]}, "/answers/support_kinds/1", "not_allowed_value"),
        ({"support_kinds": "food"}, "/answers/support_kinds", "wrong_type"),
        ({"other_support_details": "x" * 501}, "/answers/other_support_details", "too_long"),
        ({"phone": "+1" * 1000}, "/answers/phone", "too_long"),
        ({"favourite_colour": "blue"}, "/answers/favourite_colour", "unknown_field"),
        ({"name": "Someone Else"}, "/answers/name", "read_only"),
    ],
)
def test_saving_answers_that_cannot_be_stored_is_refused_with_the_field_and_a_message_per_locale(
    portal: Portal, registrant: AsRegistrant, sample: str, answers: dict[str, object], pointer: str, code: str
) -> None:
    draft = portal.draft(registrant, sample)
    answer = portal.save(registrant, draft["application_id"], answers)
    assert answer.status == 422
    assert answer.error_code == "validation_failed"
    assert answer.json["error"]["fields"] == {pointer: code}
    assert set(answer.json["error"]["messages"][pointer]) >= {"en", "fr", "ar"}


def test_unknown_field_at_creation_is_refused(portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    answer = portal.apply(registrant, sample, {"favourite_colour": "blue"})
    assert answer.status == 422 and answer.json["error"]["fields"] == {"/answers/favourite_colour": "unknown_field"}


def test_a_draft_keeps_an_unfinished_date_but_submission_refuses_it(portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    child = {"name": "Tunde", "birth_date": "2021-02-30", "relationship": "son"}
    draft = portal.draft(registrant, sample, {**HOUSEHOLD, "children": [child]})
    answer = portal.submit(registrant, draft["application_id"])
    assert answer.status == 422
    assert answer.json["error"]["fields"]["/answers/children/0/birth_date"] == "not_a_date"
    assert answer.json["error"]["messages"]["/answers/children/0/birth_date"]["fr"].startswith("Saisissez une date")


def test_submission_names_every_missing_answer(portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    draft = portal.draft(registrant, sample, {"household_size": 3})
    answer = portal.submit(registrant, draft["application_id"])
    assert answer.status == 422
    fields = answer.json["error"]["fields"]
    assert {k: v for k, v in fields.items() if k.startswith("/answers")} == {
        "/answers/region": "required",
        "/answers/children": "required",
        "/answers/caregiver_role": "required",
        "/answers/receives_other_support": "required",
    }


def test_the_conditional_questions_are_required_only_when_they_are_shown(portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    draft = portal.draft(registrant, sample, {**HOUSEHOLD, "receives_other_support": True})
    portal.attach(registrant, draft["application_id"])
    answer = portal.submit(registrant, draft["application_id"])
    assert answer.status == 422 and answer.json["error"]["fields"] == {"/answers/support_kinds": "required", "/answers/other_support_details": "required"}
    # A checkbox group with nothing ticked is not an answer.
    portal.save(registrant, draft["application_id"], {"support_kinds": [], "other_support_details": "Food vouchers"})
    answer = portal.submit(registrant, draft["application_id"])
    assert answer.status == 422 and answer.json["error"]["fields"] == {"/answers/support_kinds": "too_few"}
    portal.save(registrant, draft["application_id"], {"receives_other_support": False, "support_kinds": ["food"]})
    submitted = portal.submit(registrant, draft["application_id"])
    assert submitted.status == 200
    assert not {"support_kinds", "other_support_details"} & set(submitted.json["answers"])  # not asked, so not kept


def test_a_one_megabyte_answer_body_is_too_large(api: Api, registrant: AsRegistrant, portal: Portal, sample: str) -> None:
    draft = portal.draft(registrant, sample)
    answer = portal.save(registrant, draft["application_id"], {"phone": "1" * (1024 * 1024)})
    assert answer.status == 413 and answer.error_code == "too_large"


def test_malformed_json_and_wrong_content_type_are_refused(api: Api, registrant: AsRegistrant, portal: Portal, sample: str) -> None:
    draft = portal.draft(registrant, sample)
    path = f"/api/applications/{draft['application_id']}"
    malformed = api.request("PATCH", path, raw_body=b'{"answers": {', as_=registrant, headers={"Content-Type": "application/json"})
    assert malformed.status == 400 and malformed.error_code == "malformed_json"
    wrong_type = api.request("PATCH", path, raw_body=b"answers=1", as_=registrant, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert wrong_type.status == 415
    not_an_object = api.request("PATCH", path, raw_body=json.dumps({"answers": [1]}).encode(), as_=registrant, headers={"Content-Type": "application/json"})
    assert not_an_object.status == 422 and not_an_object.json["error"]["fields"] == {"/answers": "wrong_type"}


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_json_cannot_hold_are_refused_and_never_stored(api: Api, registrant: AsRegistrant, portal: Portal, number: str) -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"}, "income": {"type": "number"}}, "required": ["name"]}
    program = simple_program(form=make_form(schema), policy={"kind": "repeat"})
    draft = portal.draft(registrant, program)
    path = f"/api/applications/{draft['application_id']}"
    body = b'{"answers": {"name": "Amina", "income": ' + number.encode() + b"}}"
    refused = api.request("PATCH", path, raw_body=body, as_=registrant, headers={"Content-Type": "application/json"})
    assert refused.status == 400 and refused.error_code == "malformed_json"
    created = api.request("POST", f"/api/programs/{program}/applications", raw_body=body, as_=registrant, headers={"Content-Type": "application/json"})
    assert created.status == 400 and created.error_code == "malformed_json"
    assert portal.submit(registrant, draft["application_id"]).status == 422  # the name was never saved
    read = api.get(path, as_=registrant)
    assert read.status == 200 and json.loads(read.body, parse_constant=lambda c: pytest.fail(f"{c} in a response")) == read.json


@pytest.mark.parametrize(("state", "code"), [("closed", "program_closed"), ("archived", "program_archived")])
def test_applying_to_a_closed_or_archived_program_is_refused(portal: Portal, registrant: AsRegistrant, state: str, code: str) -> None:
    answer = portal.apply(registrant, simple_program(state=state))
    assert answer.status == 409 and answer.error_code == code


def test_applying_to_a_draft_program_is_as_if_it_did_not_exist(portal: Portal, registrant: AsRegistrant) -> None:
    answer = portal.apply(registrant, simple_program(state="draft"))
    assert answer.status == 404


def test_applying_outside_the_window_is_refused(portal: Portal, registrant: AsRegistrant) -> None:
    today = datetime.now(UTC)
    early = simple_program(opens_at=(today + timedelta(days=3)).isoformat())
    late = simple_program(opens_at=(today - timedelta(days=30)).isoformat(), closes_at=(today - timedelta(days=1)).isoformat())
    assert portal.apply(registrant, early).error_code == "program_not_open_yet"
    assert portal.apply(registrant, late).error_code == "program_window_closed"


def test_submitting_a_draft_after_the_program_closed_is_refused(portal: Portal, registrant: AsRegistrant, program: str) -> None:
    draft = portal.draft(registrant, program, {"name": "Amina"})
    catalogue.change_state(program, "close")
    answer = portal.submit(registrant, draft["application_id"])
    assert answer.status == 409 and answer.error_code == "program_closed"


def test_submitting_twice_is_refused(portal: Portal, registrant: AsRegistrant, program: str) -> None:
    application = portal.submitted(registrant, program, {"name": "Amina"})
    again = portal.submit(registrant, application["application_id"])
    assert again.status == 409 and again.error_code == "already_submitted"
    assert again.json["error"]["current"]["status"] == "submitted"


def test_transitions_the_table_does_not_allow_are_refused_with_the_current_status(
    api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str
) -> None:
    application_id = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    skipped = portal.decide(reviewer, application_id, "approved")
    assert skipped.status == 409 and skipped.error_code == "transition_not_allowed"
    assert skipped.json["error"]["current"] == {"status": "submitted"}
    portal.decide(reviewer, application_id, "under_review", reason=None)
    portal.decide(reviewer, application_id, "rejected", reason="Not eligible.")
    assert portal.decide(reviewer, application_id, "enrolled", reason=None).error_code == "transition_not_allowed"
    withdraw = api.post(f"/api/applications/{application_id}/withdraw", {}, as_=registrant)
    assert withdraw.status == 409 and withdraw.error_code == "transition_not_allowed"
    saved = portal.save(registrant, application_id, {"name": "Amina"})
    assert saved.status == 409 and saved.error_code == "application_not_editable"


@pytest.mark.parametrize("reason", [None, "   "])
def test_a_reviewer_deciding_without_a_reason_is_refused(portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str, reason: str | None) -> None:
    application_id = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    portal.decide(reviewer, application_id, "under_review", reason=None)
    for decision in ("approved", "rejected", "info_requested"):
        answer = portal.decide(reviewer, application_id, decision, reason=reason)
        assert answer.status == 422 and answer.json["error"]["fields"] == {"/reason": "required"}


def test_a_decision_on_a_stale_version_gets_the_current_state(portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str) -> None:
    application = portal.submitted(registrant, program, {"name": "Amina"})
    answer = portal.decide(reviewer, application["application_id"], "under_review", reason=None, version=application["version"] - 1)
    assert answer.status == 409 and answer.error_code == "changed_meanwhile"
    assert answer.json["error"]["current"] == {"status": "submitted", "version": application["version"]}


def test_saving_over_a_stale_version_is_refused(portal: Portal, registrant: AsRegistrant, program: str) -> None:
    draft = portal.draft(registrant, program)
    assert portal.save(registrant, draft["application_id"], {"name": "A"}, version=draft["version"]).status == 200
    stale = portal.save(registrant, draft["application_id"], {"name": "B"}, version=draft["version"])
    assert stale.status == 409 and stale.error_code == "changed_meanwhile"


@pytest.mark.parametrize(
    "path",
    [
        "/api/programs?colour=blue",
        "/api/applications?limit=0",
        "/api/applications?limit=many",
        "/api/applications?cursor=not-a-cursor",
        "/api/enrolments?cursor=eyJ4IjoxfQ",
    ],
)
def test_bad_query_parameters_are_refused(api: Api, registrant: AsRegistrant, path: str) -> None:
    answer = api.get(path, as_=registrant)
    assert answer.status == 400


def test_a_cursor_from_someone_elses_list_is_refused(api: Api, portal: Portal, registrant: AsRegistrant, other_registrant: AsRegistrant, program: str) -> None:
    for _ in range(3):
        portal.draft(other_registrant, program)
    cursor = api.get("/api/applications?limit=1", as_=other_registrant).json["next_cursor"]
    assert cursor
    answer = api.get(f"/api/applications?limit=1&cursor={cursor}", as_=registrant)
    assert answer.status == 400 and answer.error_code == "bad_cursor"


def test_a_malformed_idempotency_key_is_refused(portal: Portal, registrant: AsRegistrant, program: str) -> None:
    answer = portal.apply(registrant, program, headers={"Idempotency-Key": "no spaces allowed"})
    assert answer.status == 400 and answer.error_code == "bad_idempotency_key"


def test_routes_need_the_right_caller(api: Api, registrant: AsRegistrant, program: str) -> None:
    assert api.get("/api/applications").status == 401
    assert api.post(f"/api/programs/{program}/applications", {}).status == 401
    assert api.get("/api/admin/programs/x/applications").status == 401
    assert api.get(f"/api/admin/programs/{program}/applications", as_=as_staff("officer")).status == 403
    assert api.post("/api/admin/programs", {"name": {"en": "X"}}, as_=as_staff("reviewer")).status == 403
    csrf_missing = api.post(f"/api/programs/{program}/applications", {}, headers={"Cookie": registrant.headers("GET")["Cookie"]})
    assert csrf_missing.status == 403


def test_a_reviewer_decision_with_an_unknown_status_is_refused(portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str) -> None:
    application_id = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    answer = portal.decide(reviewer, application_id, "paid")
    assert answer.status == 422 and answer.json["error"]["fields"] == {"/to": "not_allowed_value"}
