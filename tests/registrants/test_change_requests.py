"""Staff review of changes to verified fields: list, open (audited), approve, reject with reason."""

from __future__ import annotations

from tests.support.api import Api, AsRegistrant
from tests.support.factories import as_staff
from tests.support.registrants import activity, approve, ask_to_change_name


def test_reviewers_see_pending_requests_without_values_in_the_queue(api: Api, registrant: AsRegistrant) -> None:
    request_id = ask_to_change_name(api, registrant)
    answer = api.get("/api/admin/change-requests", as_=as_staff("reviewer"))
    assert answer.status == 200
    (item,) = answer.json["items"]
    assert item["request_id"] == request_id
    assert item["registrant_id"] == registrant.registrant_id
    assert item["field"] == "name"
    assert "value" not in item and "current" not in item
    # Listing the queue reveals no one's data, so it is not logged as a read.
    assert activity(api, registrant) == []


def test_opening_a_request_shows_both_values_and_is_logged_for_the_person(api: Api, registrant: AsRegistrant) -> None:
    request_id = ask_to_change_name(api, registrant)
    answer = api.get(f"/api/admin/change-requests/{request_id}", as_=as_staff("reviewer", subject="rev-9"))
    assert answer.status == 200
    assert answer.json["value"] == "Amina N. Okafor"
    assert answer.json["current"]["value"] == "Amina Okafor"
    (event,) = activity(api, registrant)
    assert event["action"] == "change_request_viewed"
    assert event["by"]["role"] == "reviewer"
    assert event["by"]["ref"].startswith("staff-")
    assert "rev-9" not in str(event)


def test_approving_makes_the_value_the_persons_verified_by_review_and_keeps_the_old_one(api: Api, registrant: AsRegistrant) -> None:
    request_id = ask_to_change_name(api, registrant)
    answer = approve(api, as_staff("reviewer"), request_id, "Marriage certificate seen")
    assert answer.status == 200, answer.json
    assert answer.json["status"] == "approved"

    name = api.get("/api/me", as_=registrant).json["fields"]["name"]
    assert (name["value"], name["source"], name["verified"], name["pending_change"]) == ("Amina N. Okafor", "self", True, None)
    assert name["verified_by"]["role"] == "reviewer"
    latest = api.get("/api/me/history", as_=registrant).json["items"][0]
    assert (latest["field"], latest["previous"]["value"], latest["reason"]) == ("name", "Amina Okafor", "change_request_approved")
    mine = api.get("/api/me/change-requests", as_=registrant).json["items"][0]
    assert (mine["status"], mine["reason"]) == ("approved", "Marriage certificate seen")
    assert [e["action"] for e in activity(api, registrant)] == ["change_request_approved"]
    assert api.get("/api/admin/change-requests", as_=as_staff("reviewer")).json["items"] == []


def test_rejecting_needs_a_reason_and_the_person_sees_it(api: Api, registrant: AsRegistrant) -> None:
    request_id = ask_to_change_name(api, registrant)
    reviewer = as_staff("reviewer")
    assert api.post(f"/api/admin/change-requests/{request_id}/reject", {}, as_=reviewer).status == 422
    assert api.post(f"/api/admin/change-requests/{request_id}/reject", {"reason": ""}, as_=reviewer).status == 422
    answer = api.post(f"/api/admin/change-requests/{request_id}/reject", {"reason": "The name does not match your ID"}, as_=reviewer)
    assert answer.status == 200
    me = api.get("/api/me", as_=registrant).json["fields"]["name"]
    assert (me["value"], me["pending_change"]) == ("Amina Okafor", None)
    mine = api.get("/api/me/change-requests", as_=registrant).json["items"][0]
    assert (mine["status"], mine["reason"]) == ("rejected", "The name does not match your ID")


def test_a_request_is_decided_once(api: Api, registrant: AsRegistrant) -> None:
    request_id = ask_to_change_name(api, registrant)
    assert approve(api, as_staff("reviewer"), request_id).status == 200
    again = api.post(f"/api/admin/change-requests/{request_id}/reject", {"reason": "late"}, as_=as_staff("admin"))
    assert again.status == 409
    assert again.json["error"]["status"] == "approved"


def test_unknown_request_ids_are_404(api: Api, registrant: AsRegistrant) -> None:
    reviewer = as_staff("reviewer")
    for request_id in ("0" * 32, "not-an-id", "..%2F..%2Fsettings"):
        assert api.get(f"/api/admin/change-requests/{request_id}", as_=reviewer).status == 404
        assert approve(api, reviewer, request_id).status == 404


def test_officers_and_people_cannot_review_change_requests(api: Api, registrant: AsRegistrant) -> None:
    request_id = ask_to_change_name(api, registrant)
    assert api.get("/api/admin/change-requests", as_=as_staff("officer")).status == 403
    assert approve(api, as_staff("officer"), request_id).status == 403
    assert api.get("/api/admin/change-requests", as_=registrant).status == 401
    assert api.get("/api/admin/change-requests").status == 401


def test_a_person_can_withdraw_their_own_pending_request(api: Api, registrant: AsRegistrant) -> None:
    request_id = ask_to_change_name(api, registrant)
    answer = api.post(f"/api/me/change-requests/{request_id}/withdraw", as_=registrant)
    assert answer.status == 200
    assert answer.json["status"] == "withdrawn"
    assert api.get("/api/me", as_=registrant).json["fields"]["name"]["pending_change"] is None
    assert api.post(f"/api/me/change-requests/{request_id}/withdraw", as_=registrant).status == 409
    assert approve(api, as_staff("reviewer"), request_id).status == 409


def test_another_persons_change_request_id_is_404_to_me(api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant) -> None:
    request_id = ask_to_change_name(api, registrant)
    answer = api.post(f"/api/me/change-requests/{request_id}/withdraw", as_=other_registrant)
    assert answer.status == 404
    assert answer.error_code == "not_found"
    missing = api.post(f"/api/me/change-requests/{'0' * 32}/withdraw", as_=other_registrant)
    assert (missing.status, missing.json["error"]["message"]) == (404, answer.json["error"]["message"])
    assert api.get("/api/me/change-requests", as_=other_registrant).json["items"] == []
    assert api.get("/api/me", as_=registrant).json["fields"]["name"]["pending_change"]["request_id"] == request_id


def test_staff_viewing_a_profile_is_logged_for_that_person_only(api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant) -> None:
    answer = api.get(f"/api/admin/registrants/{registrant.registrant_id}", as_=as_staff("officer"))
    assert answer.status == 200
    assert answer.json["fields"]["name"]["value"] == "Amina Okafor"
    assert [(e["action"], e["by"]["role"]) for e in activity(api, registrant)] == [("profile_viewed", "officer")]
    assert activity(api, other_registrant) == []
    assert api.get("/api/admin/registrants/settings%23profile-form", as_=as_staff("admin")).status == 404
    assert api.get("/api/admin/registrants/00000000-0000-0000-0000-000000000000", as_=as_staff("admin")).status == 404
