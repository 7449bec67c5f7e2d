"""GET and PATCH /api/me: fields with provenance, direct changes, change requests, bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.support.api import Api, AsRegistrant
from tests.support.registrants import patch_me, version_of


def test_my_profile_shows_each_field_with_source_verification_and_when_it_changed(api: Api, registrant: AsRegistrant) -> None:
    answer = api.get("/api/me", as_=registrant)
    assert answer.status == 200
    answer.calls.assert_dynamodb_at_most(2)
    fields = answer.json["fields"]
    assert fields["name"]["value"] == "Amina Okafor"
    assert fields["name"]["source"] == "id_provider"
    assert fields["name"]["provider"] == "dev"
    assert fields["name"]["verified"] is True
    assert fields["name"]["changed_at"]
    # Every field of the profile form is listed, even the ones with no value yet.
    assert fields["household_size"] == {**fields["household_size"], "value": None, "verified": False, "in_form": True}
    assert answer.json["order"][:3] == ["name", "gender", "birthdate"]
    assert answer.headers["etag"] == f'"{answer.json["version"]}"'


def test_logged_out_visitor_gets_401_from_my_profile(api: Api) -> None:
    answer = api.get("/api/me")
    assert answer.status == 401
    assert answer.error_code == "not_authenticated"


def test_a_self_declared_field_changes_at_once_and_keeps_the_previous_value_in_history(api: Api, registrant: AsRegistrant) -> None:
    first = patch_me(api, registrant, {"household_size": 4, "phone": "+254700111222"})
    assert first.status == 200, first.json
    assert sorted(first.json["applied"]) == ["household_size", "phone"]
    second = patch_me(api, registrant, {"household_size": 5})
    assert second.status == 200
    second.calls.assert_dynamodb_at_most(3)
    field = second.json["profile"]["fields"]["household_size"]
    assert (field["value"], field["source"], field["verified"]) == (5, "self", False)

    history = api.get("/api/me/history", as_=registrant).json["items"]
    latest = history[0]
    assert latest["field"] == "household_size"
    assert latest["previous"]["value"] == 4
    assert latest["current"]["value"] == 5
    assert latest["reason"] == "self_update"
    assert latest["by"] == {"role": "registrant", "ref": registrant.registrant_id}


def test_a_change_to_a_verified_field_is_not_written_over_but_waits_for_review(api: Api, registrant: AsRegistrant) -> None:
    answer = patch_me(api, registrant, {"name": "Amina N. Okafor"})
    assert answer.status == 200
    assert answer.json["applied"] == []
    assert [r["field"] for r in answer.json["change_requests"]] == ["name"]

    me = api.get("/api/me", as_=registrant).json
    assert me["fields"]["name"]["value"] == "Amina Okafor"
    assert me["fields"]["name"]["pending_change"]["value"] == "Amina N. Okafor"
    mine = api.get("/api/me/change-requests", as_=registrant).json["items"]
    assert [(r["field"], r["status"], r["value"]) for r in mine] == [("name", "pending", "Amina N. Okafor")]


def test_asking_again_for_the_same_field_supersedes_the_earlier_request(api: Api, registrant: AsRegistrant) -> None:
    patch_me(api, registrant, {"name": "Amina N. Okafor"})
    patch_me(api, registrant, {"name": "Amina Nkechi Okafor"})
    mine = api.get("/api/me/change-requests", as_=registrant).json["items"]
    assert [(r["value"], r["status"]) for r in mine] == [("Amina Nkechi Okafor", "pending"), ("Amina N. Okafor", "superseded")]
    pending = api.get("/api/admin/change-requests", as_=_reviewer()).json["items"]
    assert [r["request_id"] for r in pending] == [mine[0]["request_id"]]


def _reviewer():  # type: ignore[no-untyped-def]
    from tests.support.factories import as_staff

    return as_staff("reviewer")


def test_sending_the_current_value_changes_nothing(api: Api, registrant: AsRegistrant) -> None:
    before = version_of(api, registrant)
    answer = patch_me(api, registrant, {"name": "Amina Okafor"})
    assert answer.status == 200
    assert answer.json["applied"] == [] and answer.json["change_requests"] == []
    assert answer.headers["etag"] == before


def test_a_stale_if_match_is_a_conflict(api: Api, registrant: AsRegistrant) -> None:
    stale = version_of(api, registrant)
    assert patch_me(api, registrant, {"household_size": 2}, if_match=stale).status == 200
    answer = patch_me(api, registrant, {"household_size": 3}, if_match=stale)
    assert answer.status == 409
    assert answer.error_code == "stale_version"
    assert api.get("/api/me", as_=registrant).json["fields"]["household_size"]["value"] == 2


def test_a_change_without_if_match_is_refused(api: Api, registrant: AsRegistrant) -> None:
    answer = api.patch("/api/me", {"household_size": 2}, as_=registrant)
    assert answer.status == 400
    assert answer.error_code == "if_match_required"


def test_a_change_without_the_csrf_token_is_refused(api: Api, registrant: AsRegistrant) -> None:
    etag = version_of(api, registrant)
    answer = api.patch("/api/me", {"household_size": 2}, headers={"Cookie": f"__Host-ssp_session={registrant.session_id}", "If-Match": etag})
    assert answer.status == 403
    assert answer.error_code == "csrf_failed"


TOMORROW = (date.today() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("changes", "pointer", "code"),
    [
        ({"favourite_colour": "blue"}, "/favourite_colour", "unknown_field"),
        ({"household_size": "four"}, "/household_size", "wrong_type"),
        ({"household_size": 0}, "/household_size", "too_small"),
        ({"phone": 254700111222}, "/phone", "wrong_type"),
        ({"birthdate": TOMORROW}, "/birthdate", "in_future"),
        ({"birthdate": "12/04/1987"}, "/birthdate", "wrong_format"),
        ({"email": "amina.example.org"}, "/email", "wrong_format"),
        ({"email": "amina@localhost"}, "/email", "wrong_format"),
        ({"phone": "0700 111 222"}, "/phone", "wrong_format"),
        ({"gender": "Unknown"}, "/gender", "not_allowed_value"),
        ({"address": {"country": "Kenya"}}, "/address/country", "wrong_format"),
        ({"address": {"planet": "Earth"}}, "/address/planet", "unknown_field"),
        ({"name": ""}, "/name", "too_short"),
        ({}, "/", "nothing_to_change"),
    ],
)
def test_bad_changes_get_field_errors(api: Api, registrant: AsRegistrant, changes: dict[str, object], pointer: str, code: str) -> None:
    answer = patch_me(api, registrant, changes)
    assert answer.status == 422, answer.json
    assert answer.json["error"]["fields"][pointer] == code


@pytest.mark.parametrize("body", [[{"name": "x"}], "name", 5, None])
def test_a_body_that_is_not_an_object_is_refused(api: Api, registrant: AsRegistrant, body: object) -> None:
    etag = version_of(api, registrant)
    answer = api.request(
        "PATCH", "/api/me", raw_body=__import__("json").dumps(body).encode(), as_=registrant, headers={"If-Match": etag, "Content-Type": "application/json"}
    )
    assert answer.status == 422


def test_a_body_that_is_not_json_is_refused(api: Api, registrant: AsRegistrant) -> None:
    etag = version_of(api, registrant)
    answer = api.request("PATCH", "/api/me", raw_body=b"{name", as_=registrant, headers={"If-Match": etag, "Content-Type": "application/json"})
    assert answer.status == 400
    assert answer.error_code == "malformed_json"


def test_one_bad_field_changes_nothing(api: Api, registrant: AsRegistrant) -> None:
    answer = patch_me(api, registrant, {"household_size": 3, "email": "nope"})
    assert answer.status == 422
    assert api.get("/api/me", as_=registrant).json["fields"]["household_size"]["value"] is None


def test_my_profile_shows_what_the_last_login_changed(api: Api) -> None:
    from chalicelib.auth.sessions import create_session
    from chalicelib.registrants.logins import record_login

    def login(phone: str) -> str:
        return record_login(
            issuer="https://idp.test",
            subject="s-1",
            provider_id="esignet",
            profile_claims={"name": "Tomasi Vaka", "phone": phone},
            individual_id=None,
            consented_claims=["name", "phone_number"],
        ).registrant_id

    login("+67677001122")
    registrant_id = login("+67677009999")
    session = create_session(registrant_id, {})
    me = api.get("/api/me", as_=AsRegistrant(registrant_id, session.raw_id, session.csrf_token)).json
    assert me["last_login"]["changed"] == ["phone"]
    assert me["fields"]["phone"]["changed_at_last_login"] is True
    assert me["fields"]["name"]["changed_at_last_login"] is False


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("+212 600-33-44-55", "+212600334455"), ("+254 (0)700 111 222", "+2540700111222"), ("+٢١٢ ٦٠٠ ٣٣٤ ٤٥٥", "+212600334455")],
)
def test_a_phone_number_with_spaces_dashes_brackets_or_arabic_digits_is_accepted_and_kept_plain(
    api: Api, registrant: AsRegistrant, typed: str, stored: str
) -> None:
    answer = patch_me(api, registrant, {"phone": typed})
    assert answer.status == 200, answer.json
    assert answer.json["profile"]["fields"]["phone"]["value"] == stored


def test_a_date_of_birth_typed_with_persian_digits_is_a_date(api: Api, registrant: AsRegistrant) -> None:
    answer = patch_me(api, registrant, {"household_size": 3, "address": {"postal_code": "۱۲۳۴۵"}, "birthdate": "۱۹۸۸-۰۵-۱۳"})
    assert answer.status == 200, answer.json
    fields = answer.json["profile"]["fields"]
    assert fields["address"]["value"] == {"postal_code": "۱۲۳۴۵"}  # free text is kept as typed
    # The ID provider verified the date of birth: the change waits for review, in ASCII digits.
    assert [(r["field"], r["value"]) for r in answer.json["change_requests"]] == [("birthdate", "1988-05-13")]
