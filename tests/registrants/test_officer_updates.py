"""A field officer changing a person's details for them (the devices area's assisted session calls
``profile.update_profile`` with the officer as the actor): ``source: officer`` for what nobody
verified, a change request in the officer's name for what is verified, and the person sees it."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.identity.callers import Actor
from chalicelib.registrants import profile
from tests.support.api import Api, AsRegistrant
from tests.support.factories import as_staff
from tests.support.registrants import activity, approve, patch_me, version_of

OFFICER = Actor("officer", "staff-officer-7")


def officer_changes(registrant: AsRegistrant, changes: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    version = profile.my_profile(registrant.registrant_id)["version"]
    return profile.update_profile(registrant.registrant_id, changes, version, OFFICER, **kwargs)


def test_an_officers_change_to_an_unverified_field_is_written_with_source_officer(api: Api, registrant: AsRegistrant) -> None:
    assert patch_me(api, registrant, {"phone": "+254700111222"}).status == 200  # the person's own value first

    result = officer_changes(registrant, {"phone": "+254700999888", "household_size": 6}, request_id="req-1", audit_details={"assisted_session_id": "as-1"})

    assert sorted(result["applied"]) == ["household_size", "phone"]
    fields = api.get("/api/me", as_=registrant).json["fields"]
    for name, value in (("phone", "+254700999888"), ("household_size", 6)):
        assert (fields[name]["value"], fields[name]["source"], fields[name]["verified"]) == (value, "officer", False)
    history = api.get("/api/me/history", as_=registrant).json["items"]
    phone = next(h for h in history if h["field"] == "phone" and h["reason"] == "officer_update")
    assert phone["by"] == {"role": "officer", "ref": "staff-officer-7"}
    assert (phone["previous"]["value"], phone["previous"]["source"]) == ("+254700111222", "self")
    assert phone["current"]["by"] == {"role": "officer", "ref": "staff-officer-7"}

    (event,) = activity(api, registrant)
    assert event["action"] == "profile_changed"
    assert event["by"] == {"role": "officer", "ref": "staff-officer-7"}
    assert event["details"] == {"assisted_session_id": "as-1", "fields": ["household_size", "phone"]}
    from chalicelib.identity.audit import activity_of

    assert activity_of(registrant.registrant_id, 1, None).items[0].request_id == "req-1"


def test_an_officers_change_to_a_verified_field_waits_for_review_in_the_officers_name(api: Api, registrant: AsRegistrant) -> None:
    result = officer_changes(registrant, {"name": "Amina N. Okafor"})

    assert result["applied"] == []
    (request,) = result["change_requests"]
    assert request["requested_by"] == {"role": "officer", "ref": "staff-officer-7"}
    me = api.get("/api/me", as_=registrant).json["fields"]["name"]
    assert (me["value"], me["source"]) == ("Amina Okafor", "id_provider")  # not written over
    assert me["pending_change"]["value"] == "Amina N. Okafor"
    assert [r["requested_by"]["role"] for r in api.get("/api/me/change-requests", as_=registrant).json["items"]] == ["officer"]

    assert approve(api, as_staff("reviewer"), request["request_id"]).status == 200
    name = api.get("/api/me", as_=registrant).json["fields"]["name"]
    assert (name["value"], name["source"], name["verified"]) == ("Amina N. Okafor", "officer", True)
    assert name["verified_by"]["role"] == "reviewer"


def test_a_person_changing_their_own_details_is_not_in_their_activity_but_an_officer_is(api: Api, registrant: AsRegistrant) -> None:
    assert patch_me(api, registrant, {"household_size": 3}).status == 200
    assert activity(api, registrant) == []
    officer_changes(registrant, {"household_size": 4})
    assert [e["by"]["role"] for e in activity(api, registrant)] == ["officer"]


def test_only_the_person_or_an_officer_changes_a_profile(registrant: AsRegistrant, other_registrant: AsRegistrant) -> None:
    version = profile.my_profile(registrant.registrant_id)["version"]
    with pytest.raises(Forbidden):
        profile.update_profile(registrant.registrant_id, {"household_size": 2}, version, Actor("reviewer", "staff-r"))
    with pytest.raises(NotFound):
        profile.update_profile(registrant.registrant_id, {"household_size": 2}, version, Actor("registrant", other_registrant.registrant_id))
    with pytest.raises(NotFound):
        profile.update_profile("history#abc", {"household_size": 2}, 1, OFFICER)
    assert profile.my_profile(registrant.registrant_id)["fields"]["household_size"]["value"] is None


def test_an_officers_stale_or_invalid_change_is_refused_like_the_persons(api: Api, registrant: AsRegistrant) -> None:
    stale = int(version_of(api, registrant).strip('"'))
    assert patch_me(api, registrant, {"household_size": 3}).status == 200
    with pytest.raises(Conflict) as conflict:
        profile.update_profile(registrant.registrant_id, {"household_size": 4}, stale, OFFICER)
    assert conflict.value.code == "stale_version"
    with pytest.raises(ValidationFailed) as invalid:
        officer_changes(registrant, {"phone": "0700 111 222", "shoe_size": 42})
    assert invalid.value.fields == {"/phone": "wrong_format", "/shoe_size": "unknown_field"}
    assert activity(api, registrant) == []
