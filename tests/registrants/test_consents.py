"""Consent records from login and applications; withdrawing consent removes the ID provider's data."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.auth.sessions import create_session
from chalicelib.registrants import consent, logins
from tests.support.api import Api, AsRegistrant
from tests.support.factories import as_staff
from tests.support.registrants import approve, ask_to_change_name, patch_me

CLAIMS = {"name": "Layla Haddad", "birthdate": "1994/02/05", "phone": "+212600334455", "gender": "Female"}


def logged_in_through_provider(claims: dict[str, str] | None = None) -> AsRegistrant:
    record = logins.record_login(
        issuer="https://idp.test",
        subject="pairwise-layla",
        provider_id="esignet",
        profile_claims=claims or CLAIMS,
        individual_id="3927160485",
        consented_claims=["name", "birthdate", "phone_number", "gender", "individual_id"],
    )
    session = create_session(record.registrant_id, {"name": record.name, "provider": "esignet"})
    return AsRegistrant(record.registrant_id, session.raw_id, session.csrf_token)


def test_login_consent_says_which_claims_which_provider_and_when(api: Api) -> None:
    person = logged_in_through_provider()
    answer = api.get("/api/me/consents", as_=person)
    assert answer.status == 200
    answer.calls.assert_dynamodb_at_most(3)
    (consent,) = answer.json["items"]
    assert consent["kind"] == "id_provider"
    assert consent["provider"] == "esignet"
    assert consent["claims"] == ["birthdate", "gender", "individual_id", "name", "phone_number"]
    assert consent["given_at"] and consent["status"] == "active"


STATEMENT = {"id": "share_with_ministry_of_health", "text": {"en": "I agree that my answers go to the Ministry of Health."}, "required": True}


def _submitted_with_a_statement(api: Api, who: AsRegistrant) -> dict[str, Any]:
    from tests.support.factories import make_program

    program = make_program(consents=[STATEMENT], documents=[])
    created = api.post(f"/api/programs/{program.program_id}/applications", {"answers": {"name": "Layla Haddad"}}, as_=who)
    assert created.status == 201, created.json
    submitted = api.post(f"/api/applications/{created.json['application_id']}/submit", {"consents": {STATEMENT["id"]: True}}, as_=who)
    assert submitted.status == 200, submitted.json
    return dict(submitted.json)


def test_consent_given_in_an_application_is_listed_with_the_login_consent_in_three_calls(api: Api) -> None:
    person = logged_in_through_provider()
    application = _submitted_with_a_statement(api, person)
    answer = api.get("/api/me/consents", as_=person)
    assert answer.status == 200
    answer.calls.assert_dynamodb_at_most(3)  # session, the person's record, one Query of their applications
    given, login = answer.json["items"]  # newest first
    assert login["kind"] == "id_provider"
    assert given["kind"] == "application" and given["purpose"] == STATEMENT["id"]
    assert given["statement"] == {"en": STATEMENT["text"]["en"]}
    assert given["program_name"]["en"] == "Child Support Grant"
    assert given["reference"]["reference"] == application["reference"] and given["reference"]["application_id"] == application["application_id"]
    assert given["given_at"] == application["consents"][0]["agreed_at"] and given["given_by"] == {"role": "registrant", "ref": person.registrant_id}


def test_withdrawing_consent_removes_the_providers_values_everywhere_and_is_recorded(api: Api) -> None:
    person = logged_in_through_provider()
    patch_me(api, person, {"household_size": 3})
    logged_in_through_provider({**CLAIMS, "phone": "+212600999999"})  # a refresh: the old phone goes to history
    request_id = ask_to_change_name(api, person, "Layla B. Haddad")
    consent_id = api.get("/api/me/consents", as_=person).json["items"][0]["consent_id"]

    answer = api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person)
    assert answer.status == 200, answer.json
    assert answer.json["removed_fields"] == ["birthdate", "gender", "name", "phone"]

    me = api.get("/api/me", as_=person).json
    assert me["individual_id"] is None
    assert me["fields"]["name"]["value"] is None
    assert me["fields"]["household_size"]["value"] == 3  # the person's own declarations stay
    consent = api.get("/api/me/consents", as_=person).json["items"][0]
    assert consent["status"] == "withdrawn" and consent["withdrawn_at"]
    history = api.get("/api/me/history", as_=person, headers={}).json["items"]
    text = str(history) + str(api.get("/api/me/change-requests", as_=person).json)
    for value in ("Layla Haddad", "+212600334455", "+212600999999", "1994-02-05"):
        assert value not in text
    assert {h["field"] for h in history if h["reason"] == "consent_withdrawn"} == {"birthdate", "gender", "name", "phone"}
    assert logins.find_by_individual_id("3927160485") is None
    # The pending request still names what the person asked for; staff can still decide it.
    assert approve(api, as_staff("reviewer"), request_id).status == 200


def test_consent_is_withdrawn_once(api: Api) -> None:
    person = logged_in_through_provider()
    consent_id = api.get("/api/me/consents", as_=person).json["items"][0]["consent_id"]
    assert api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person).status == 200
    again = api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person)
    assert (again.status, again.error_code) == (409, "not_active")


def test_an_application_consent_cannot_be_withdrawn_here_and_is_nobody_elses(api: Api, other_registrant: AsRegistrant) -> None:
    person = logged_in_through_provider()
    _submitted_with_a_statement(api, person)
    consent_id = next(c["consent_id"] for c in api.get("/api/me/consents", as_=person).json["items"] if c["kind"] == "application")
    answer = api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person)
    assert (answer.status, answer.error_code) == (409, "not_withdrawable")
    assert api.post(f"/api/me/consents/{consent_id}/withdraw", as_=other_registrant).status == 404
    assert api.get("/api/me/consents", as_=other_registrant).json["items"] == []


def test_another_persons_consent_is_404_and_untouched(api: Api, other_registrant: AsRegistrant) -> None:
    person = logged_in_through_provider()
    consent_id = api.get("/api/me/consents", as_=person).json["items"][0]["consent_id"]
    assert api.post(f"/api/me/consents/{consent_id}/withdraw", as_=other_registrant).status == 404
    assert api.get("/api/me/consents", as_=other_registrant).json["items"] == []
    assert api.get("/api/me/consents", as_=person).json["items"][0]["status"] == "active"


def test_withdrawing_needs_the_csrf_token(api: Api) -> None:
    person = logged_in_through_provider()
    consent_id = api.get("/api/me/consents", as_=person).json["items"][0]["consent_id"]
    answer = api.request("POST", f"/api/me/consents/{consent_id}/withdraw", headers={"Cookie": f"__Host-ssp_session={person.session_id}"})
    assert answer.status == 403


PREFILLED_FORM = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "phone": {"type": "string"},
        "household_size": {"type": "integer", "minimum": 1},
        "notes": {"type": "string"},
    },
    "required": ["name"],
}
# Name read-only (verified), phone editable, household size from what the person declared.
PREFILL = {"/name": {"from": "profile.name"}, "/phone": {"from": "profile.phone", "editable": True}, "/household_size": {"from": "profile.household_size"}}


def _apply(api: Api, who: AsRegistrant, answers: dict[str, Any], submit: bool = False) -> str:
    from tests.support.factories import make_form, make_program

    program = make_program(form=make_form(PREFILLED_FORM, prefill=PREFILL), documents=[])
    created = api.post(f"/api/programs/{program.program_id}/applications", {"answers": answers}, as_=who)
    assert created.status == 201, created.json
    application_id = str(created.json["application_id"])
    if submit:
        assert api.post(f"/api/applications/{application_id}/submit", {}, as_=who).status == 200
    return application_id


def _application(api: Api, who: AsRegistrant, application_id: str) -> dict[str, Any]:
    answer = api.get(f"/api/applications/{application_id}", as_=who)
    assert answer.status == 200, answer.json
    return dict(answer.json)


def test_withdrawing_consent_clears_the_providers_values_from_drafts_but_not_from_submitted_applications(api: Api) -> None:
    person = logged_in_through_provider()
    patch_me(api, person, {"household_size": 3})
    untouched = _apply(api, person, {"notes": "for my son"})
    own_phone = _apply(api, person, {"phone": "+254700000001"})
    sent = _apply(api, person, {}, submit=True)
    assert _application(api, person, untouched)["answers"]["phone"] == "+212600334455"
    assert _application(api, person, untouched)["read_only"] == ["/name"]
    consent_id = api.get("/api/me/consents", as_=person).json["items"][0]["consent_id"]

    answer = api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person)

    assert answer.status == 200, answer.json
    assert answer.json["cleared_applications"] == sorted([untouched, own_phone])
    draft = _application(api, person, untouched)
    assert draft["answers"] == {"household_size": 3, "notes": "for my son"}  # what the person declared stays
    assert draft["read_only"] == []
    assert _application(api, person, own_phone)["answers"] == {"household_size": 3, "phone": "+254700000001"}  # typed by the person
    submitted = _application(api, person, sent)
    assert submitted["answers"]["name"] == "Layla Haddad" and submitted["read_only"] == ["/name"]  # sent as it was
    # The person types their own name into the draft now that it is no longer locked.
    typed = api.patch(f"/api/applications/{untouched}", {"answers": {"name": "Layla H."}}, as_=person)
    assert typed.status == 200, typed.json


def test_a_withdrawal_that_fails_half_way_is_finished_by_a_retry(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    person = logged_in_through_provider()
    logged_in_through_provider({**CLAIMS, "phone": "+212600999999"})  # history holds the provider's old phone
    ask_to_change_name(api, person, "Layla B. Haddad")
    first = _apply(api, person, {})
    second = _apply(api, person, {})
    consent_id = api.get("/api/me/consents", as_=person).json["items"][0]["consent_id"]
    from chalicelib.programs import consent as programs_consent

    saved = programs_consent._clear_one
    calls: list[str] = []

    def fail_on_the_second_draft(application: Any, removed: dict[str, Any]) -> bool:
        calls.append(application.application_id)
        if len(calls) == 2:
            raise RuntimeError("the function timed out")
        return saved(application, removed)

    monkeypatch.setattr(programs_consent, "_clear_one", fail_on_the_second_draft)
    assert api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person).status == 500
    assert api.get("/api/me/consents", as_=person).json["items"][0]["status"] == "active"  # so the person may retry

    def fail_after_the_history(request: Any, provider: str) -> None:
        raise RuntimeError("the network went away")

    monkeypatch.setattr(programs_consent, "_clear_one", saved)
    monkeypatch.setattr(consent, "_redact_request", fail_after_the_history)  # the history is redacted, the change requests not yet
    assert api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person).status == 500
    assert api.get("/api/me", as_=person).json["fields"]["name"]["value"] == "Layla Haddad"  # nothing marked yet

    monkeypatch.undo()
    retried = api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person)
    assert retried.status == 200, retried.json
    assert retried.json["removed_fields"] == ["birthdate", "gender", "name", "phone"]
    text = str(api.get("/api/me/history", as_=person).json) + str(api.get("/api/me/change-requests", as_=person).json)
    for value in ("Layla Haddad", "+212600334455", "+212600999999", "1994-02-05"):
        assert value not in text
    for application_id in (first, second):
        assert "name" not in _application(api, person, application_id)["answers"]
    assert api.get("/api/me/consents", as_=person).json["items"][0]["status"] == "withdrawn"
    again = api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person)
    assert (again.status, again.error_code) == (409, "not_active")


def test_a_login_during_the_withdrawal_is_redacted_too(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    person = logged_in_through_provider()
    consent_id = api.get("/api/me/consents", as_=person).json["items"][0]["consent_id"]
    redact = consent._redact_provider_values
    logins: list[str] = []

    def a_login_after_the_redaction(registrant_id: str, provider: str) -> None:
        redact(registrant_id, provider)
        if not logins:  # the provider's values change while the withdrawal is under way
            logins.append("again")
            logged_in_through_provider({**CLAIMS, "phone": "+212600777777"})

    monkeypatch.setattr(consent, "_redact_provider_values", a_login_after_the_redaction)
    answer = api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person)
    assert answer.status == 200, answer.json
    assert "+212600777777" not in str(api.get("/api/me/history", as_=person).json)
    assert api.get("/api/me", as_=person).json["fields"]["phone"]["value"] is None
