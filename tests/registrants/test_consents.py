"""Consent records from login and applications; withdrawing consent removes the ID provider's data."""

from __future__ import annotations

from chalicelib.auth.sessions import create_session
from chalicelib.registrants import service
from tests.registrants.helpers import approve, ask_to_change_name, patch_me
from tests.support.api import Api, AsRegistrant
from tests.support.factories import as_staff

CLAIMS = {"name": "Layla Haddad", "birthdate": "1994/02/05", "phone": "+212600334455", "gender": "Female"}


def logged_in_through_provider(claims: dict[str, str] | None = None) -> AsRegistrant:
    record = service.record_login(
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
    answer.calls.assert_dynamodb_at_most(2)
    (consent,) = answer.json["items"]
    assert consent["kind"] == "id_provider"
    assert consent["provider"] == "esignet"
    assert consent["claims"] == ["birthdate", "gender", "individual_id", "name", "phone_number"]
    assert consent["given_at"] and consent["status"] == "active"


def test_consent_given_in_an_application_is_listed(api: Api) -> None:
    person = logged_in_through_provider()
    service.record_consent(person.registrant_id, purpose="share_with_program", reference={"application_id": "app-1"}, statement={"en": "I agree"})
    kinds = [(c["kind"], c.get("purpose")) for c in api.get("/api/me/consents", as_=person).json["items"]]
    assert sorted(kinds, key=str) == sorted([("id_provider", None), ("application", "share_with_program")], key=str)


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
    assert service.find_by_individual_id("3927160485") is None
    # The pending request still names what the person asked for; staff can still decide it.
    assert approve(api, as_staff("reviewer"), request_id).status == 200


def test_consent_is_withdrawn_once(api: Api) -> None:
    person = logged_in_through_provider()
    consent_id = api.get("/api/me/consents", as_=person).json["items"][0]["consent_id"]
    assert api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person).status == 200
    again = api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person)
    assert (again.status, again.error_code) == (409, "not_active")


def test_an_application_consent_cannot_be_withdrawn_here(api: Api) -> None:
    person = logged_in_through_provider()
    consent_id = service.record_consent(person.registrant_id, purpose="share_with_program", reference={"application_id": "a"})
    answer = api.post(f"/api/me/consents/{consent_id}/withdraw", as_=person)
    assert (answer.status, answer.error_code) == (409, "not_withdrawable")


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
