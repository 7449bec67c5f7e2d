"""DynamoDB calls per registrant route, whatever the number of programs and applications (the
session lookup is one of them). OpenG2P's equivalent list queries once per program."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from chalicelib import web
from chalicelib.forms import answers as form_answers
from tests.support.api import Api, AsRegistrant
from tests.support.factories import make_form, make_program
from tests.support.programs import HOUSEHOLD, Portal, simple_program


def _many_programs_and_applications(portal: Portal, who: AsRegistrant, count: int) -> list[str]:
    programs = [simple_program(policy={"kind": "repeat"}) for _ in range(count)]
    for program_id in programs:
        portal.submitted(who, program_id, {"name": "Amina"})
        portal.draft(who, program_id, {"name": "Amina"})
    return programs


def test_listing_programs_logged_in_costs_three_calls_with_many_programs_and_applications(api: Api, portal: Portal, registrant: AsRegistrant) -> None:
    _many_programs_and_applications(portal, registrant, 12)
    answer = api.get("/api/programs?limit=100", as_=registrant)
    assert answer.status == 200 and len(answer.json["items"]) == 12
    assert all(item["you"]["draft_application_id"] for item in answer.json["items"])
    answer.calls.assert_dynamodb_at_most(3)


def test_listing_programs_anonymously_costs_one_call(api: Api, program: str) -> None:
    answer = api.get("/api/programs")
    assert answer.status == 200 and "you" not in answer.json["items"][0]
    answer.calls.assert_dynamodb_at_most(1)


def test_listing_my_applications_costs_two_calls_with_many_applications(api: Api, portal: Portal, registrant: AsRegistrant) -> None:
    _many_programs_and_applications(portal, registrant, 12)
    answer = api.get("/api/applications?limit=50", as_=registrant)
    assert answer.status == 200 and len(answer.json["items"]) == 24
    answer.calls.assert_dynamodb_at_most(3)


def test_submitting_costs_three_calls_for_a_program_without_documents(api: Api, portal: Portal, registrant: AsRegistrant) -> None:
    _many_programs_and_applications(portal, registrant, 5)
    program_id = simple_program(policy={"kind": "once", "cooldown_days": 30})
    draft = portal.draft(registrant, program_id, {"name": "Amina"})
    answer = portal.submit(registrant, draft["application_id"])
    assert answer.status == 200, answer.json
    answer.calls.assert_dynamodb_at_most(3)


def test_submitting_with_consent_statements_costs_three_calls(api: Api, portal: Portal, registrant: AsRegistrant) -> None:
    # The agreements are written on the application, in the submission's own TransactWriteItems.
    _many_programs_and_applications(portal, registrant, 5)
    statements = [{"id": f"statement_{n}", "text": {"en": f"I agree to point {n}.", "fr": f"J'accepte le point {n}."}} for n in range(10)]
    program_id = simple_program(policy={"kind": "once", "cooldown_days": 30}, consents=statements)
    draft = portal.draft(registrant, program_id, {"name": "Amina"})
    answer = api.post(f"/api/applications/{draft['application_id']}/submit", {"consents": {s["id"]: True for s in statements}}, as_=registrant)
    assert answer.status == 200, answer.json
    assert len(answer.json["consents"]) == 10
    answer.calls.assert_dynamodb_at_most(3)


def test_submitting_costs_three_calls_when_the_program_requires_documents(api: Api, portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    # The kinds of the available documents are read with the application and the program.
    draft = portal.draft(registrant, sample, HOUSEHOLD)
    portal.attach(registrant, draft["application_id"])
    answer = portal.submit(registrant, draft["application_id"])
    assert answer.status == 200, answer.json
    answer.calls.assert_dynamodb_at_most(3)


def test_reading_saving_and_withdrawing_cost_at_most_three_calls(api: Api, portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    draft = portal.draft(registrant, sample)
    application_id = draft["application_id"]
    answers = [
        api.get(f"/api/programs/{sample}", as_=registrant),
        portal.save(registrant, application_id, HOUSEHOLD),
        api.get(f"/api/applications/{application_id}", as_=registrant),
        api.get("/api/enrolments", as_=registrant),
        api.post(f"/api/applications/{application_id}/withdraw", {}, as_=registrant),
    ]
    for answer in answers:
        assert answer.status == 200, answer.json
        answer.calls.assert_dynamodb_at_most(3)


def test_starting_a_draft_with_prefill_costs_four_calls(api: Api, portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    # Session, program, the person's profile for the prefill, and the new item.
    answer = portal.apply(registrant, sample)
    assert answer.status == 201
    answer.calls.assert_dynamodb_at_most(4)
    without_prefill = portal.apply(registrant, str(make_program(form=make_form()).program_id))
    without_prefill.calls.assert_dynamodb_at_most(3)


class _CountingValidator:
    """Stands in for jsonschema's Draft202012Validator and notes each schema it compiles."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.compiled: list[str] = []

    def __call__(self, schema: Any, *args: Any, **kwargs: Any) -> Any:
        self.compiled.append(json.dumps(schema, sort_keys=True))
        return self.real(schema, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_a_published_versions_validators_are_compiled_once_across_requests(
    api: Api, portal: Portal, registrant: AsRegistrant, other_registrant: AsRegistrant, sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole form, each condition (which questions show) and each prefilled question."""
    counting = _CountingValidator(jsonschema.Draft202012Validator)
    monkeypatch.setattr(jsonschema, "Draft202012Validator", counting)
    form_answers._validators.clear()
    web._compiled_validator.cache_clear()

    def apply(who: AsRegistrant) -> None:
        assert api.get(f"/api/programs/{sample}", as_=who).status == 200  # prefill checks each profile value
        draft = portal.draft(who, sample, {**HOUSEHOLD, "receives_other_support": True, "support_kinds": ["food"], "other_support_details": "Food parcels"})
        portal.attach(who, draft["application_id"])
        assert portal.submit(who, draft["application_id"]).status == 200  # conditions decide what is dropped

    apply(registrant)
    form_schema = json.dumps(portal.api.get(f"/api/programs/{sample}").json["form"]["schema"], sort_keys=True)
    first = list(counting.compiled)
    assert form_schema in first and len(first) == len(set(first)), first  # each compiled once
    apply(other_registrant)
    assert counting.compiled == first  # nothing compiled again for the second person


def test_a_programs_page_with_prefill_and_the_persons_standing_costs_three_calls(api: Api, portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    # Session, one TransactGetItems (program, the person's claims and drafts), the profile.
    draft = portal.draft(registrant, sample)
    answer = api.get(f"/api/programs/{sample}", as_=registrant)
    assert answer.json["you"]["draft_application_id"] == draft["application_id"]
    assert answer.json["prefilled"]["read_only"] == ["/birthdate", "/name"]
    answer.calls.assert_dynamodb_at_most(3)
