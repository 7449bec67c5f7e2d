"""record_login: find or create the person by issuer + subject, refresh verified fields, record consent."""

from __future__ import annotations

from typing import Any

from chalicelib.registrants import change_requests, logins
from chalicelib.registrants import profile as profiles
from chalicelib.store.registrants import ProfileChange, Registrant
from tests.support.calls import record_aws_calls

CLAIMS = {"name": "Amina Okafor", "birthdate": "1987/04/12", "phone": "+254700111222", "preferred_language": "en"}


def login(
    subject: str = "sub-1", claims: dict[str, Any] | None = None, consented: list[str] | None = None, individual_id: str | None = "8267411571"
) -> logins.LoginRecord:
    return logins.record_login(
        issuer="https://idp.test",
        subject=subject,
        provider_id="esignet",
        profile_claims=claims if claims is not None else CLAIMS,
        individual_id=individual_id,
        consented_claims=consented if consented is not None else ["name", "birthdate", "phone_number"],
    )


def history_of(registrant_id: str) -> list[ProfileChange]:
    return list(ProfileChange.by_owner.query(registrant_id, ProfileChange.sort.startswith("history#")))


def test_first_login_creates_a_person_with_verified_fields_and_a_consent_record(aws: None) -> None:
    with record_aws_calls() as calls:
        record = login()
    calls.assert_dynamodb_at_most(3)  # a first login with an ID number also looks for an officer's record
    assert record.name == "Amina Okafor"
    assert record.preferred_locale == "en"
    assert record.changed_fields == []
    person = Registrant.get(record.registrant_id)
    assert person.profile["birthdate"]["value"] == "1987-04-12"
    assert person.profile["name"]["source"] == "id_provider"
    assert person.profile["name"]["provider"] == "esignet"
    assert person.profile["name"]["verified"] is True
    assert [c["claims"] for c in person.consents] == [["birthdate", "name", "phone_number"]]


def test_second_login_finds_the_same_person_and_reports_what_changed(aws: None) -> None:
    first = login()
    with record_aws_calls() as calls:
        again = login(claims={**CLAIMS, "phone": "+254700999888"})
    calls.assert_dynamodb_at_most(2)
    assert again.registrant_id == first.registrant_id
    assert again.changed_fields == ["phone"]
    changes = history_of(first.registrant_id)
    assert [(c.field, c.previous["value"], c.current["value"]) for c in changes] == [("phone", "+254700111222", "+254700999888")]


def test_unchanged_login_keeps_one_consent_record_and_writes_no_history(aws: None) -> None:
    first = login()
    login()
    person = Registrant.get(first.registrant_id)
    assert len(person.consents) == 1
    assert person.consents[0]["last_given_at"] >= person.consents[0]["given_at"]
    assert history_of(first.registrant_id) == []


def test_a_different_set_of_claims_replaces_the_previous_consent(aws: None) -> None:
    first = login()
    login(consented=["name"])
    statuses = [(c["claims"], c["status"]) for c in Registrant.get(first.registrant_id).consents]
    assert statuses == [(["birthdate", "name", "phone_number"], "replaced"), (["name"], "active")]


def test_different_subjects_are_different_people(aws: None) -> None:
    assert login("sub-1").registrant_id != login("sub-2").registrant_id


def test_find_by_individual_id_names_the_person_and_nobody_else(aws: None) -> None:
    record = login()
    login("sub-2", individual_id="5403819246")
    assert logins.find_by_individual_id("8267411571") == record.registrant_id
    assert logins.find_by_individual_id("0000000000") is None
    assert logins.find_by_individual_id("") is None


def test_profile_values_give_value_verification_and_source(aws: None) -> None:
    record = login()
    values = profiles.profile_values(record.registrant_id)
    assert values["name"] == {"value": "Amina Okafor", "verified": True, "source": "id_provider"}
    assert profiles.profile_values("nobody") == {}


def test_two_racing_first_logins_make_one_person(aws: None) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        records = list(pool.map(lambda _: login("racing-subject"), range(4)))
    assert len({r.registrant_id for r in records}) == 1
    assert list(Registrant.by_login.query("https://idp.test#racing-subject")) != []
    assert len(list(Registrant.by_login.query("https://idp.test#racing-subject"))) == 1


def test_the_provider_replaces_a_self_declared_value_but_not_one_staff_verified(aws: None) -> None:
    from chalicelib.identity.callers import Actor

    record = login(claims={"name": "Amina Okafor"})
    person = Registrant.get(record.registrant_id)
    profiles.update_profile(record.registrant_id, {"phone": "+254700000001"}, person.version, Actor("registrant", record.registrant_id))
    person = Registrant.get(record.registrant_id)
    person.profile = {**person.profile, "gender": {"value": "Female", "source": "self", "verified": True, "verified_by": {"role": "reviewer", "ref": "s"}}}
    person.save()

    again = login(claims={"name": "Amina Okafor", "phone": "+254700111222", "gender": "Male"})
    assert again.changed_fields == ["phone"]
    profile = Registrant.get(record.registrant_id).profile
    assert (profile["phone"]["value"], profile["phone"]["source"]) == ("+254700111222", "id_provider")
    assert (profile["gender"]["value"], profile["gender"]["source"]) == ("Female", "self")


def test_the_language_the_portal_uses_follows_the_preferred_language_whoever_set_it(aws: None) -> None:
    from chalicelib.identity.callers import Actor

    record = login(claims={"name": "Amina Okafor"})  # the provider releases no language
    assert record.preferred_locale is None

    def change(language: str) -> dict[str, Any]:
        version = Registrant.get(record.registrant_id).version
        return profiles.update_profile(record.registrant_id, {"preferred_language": language}, version, Actor("registrant", record.registrant_id))

    change("fr")
    assert Registrant.get(record.registrant_id).preferred_locale == "fr"
    assert login(claims={"name": "Amina Okafor"}).preferred_locale == "fr"  # a login starts the session in it

    # Released and verified by the provider, the person asks staff to change it; approved, it stays over logins.
    assert login(claims={"name": "Amina Okafor", "preferred_language": "en"}).preferred_locale == "en"
    (request,) = change("ar")["change_requests"]
    assert Registrant.get(record.registrant_id).preferred_locale == "en"  # only asked for
    change_requests.decide_change_request(request["request_id"], True, None, Actor("reviewer", "staff-1"))
    assert Registrant.get(record.registrant_id).preferred_locale == "ar"
    assert login(claims={"name": "Amina Okafor", "preferred_language": "en"}).preferred_locale == "ar"
