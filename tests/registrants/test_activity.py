"""GET /api/me/activity: who among staff read or changed my data, never anyone else's log."""

from __future__ import annotations

from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor
from tests.support.api import Api, AsRegistrant
from tests.support.factories import as_staff
from tests.support.registrants import activity


def test_my_activity_costs_at_most_two_calls_and_shows_role_and_opaque_reference(api: Api, registrant: AsRegistrant) -> None:
    api.get(f"/api/admin/registrants/{registrant.registrant_id}", as_=as_staff("reviewer", subject="reviewer-alice"))
    answer = api.get("/api/me/activity", as_=registrant)
    assert answer.status == 200
    answer.calls.assert_dynamodb_at_most(2)
    (event,) = answer.json["items"]
    assert event["action"] == "profile_viewed"
    assert event["by"]["role"] == "reviewer"
    assert "alice" not in str(event)
    assert event["at"]


def test_my_own_reads_are_not_in_my_activity(api: Api, registrant: AsRegistrant) -> None:
    for path in ("/api/me", "/api/me/history", "/api/me/consents", "/api/me/change-requests"):
        assert api.get(path, as_=registrant).status == 200
    assert activity(api, registrant) == []


def test_activity_pages_newest_first_and_a_page_link_cannot_reach_another_persons_log(
    api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant
) -> None:
    for n in range(5):
        record_access(registrant.registrant_id, Actor("reviewer", "staff-x"), "application_opened", {"application_id": f"app-{n}"})
    record_access(other_registrant.registrant_id, Actor("reviewer", "staff-x"), "application_opened", {"application_id": "theirs"})
    first = api.get("/api/me/activity?limit=3", as_=registrant).json
    second = api.get(f"/api/me/activity?limit=3&cursor={first['next_cursor']}", as_=registrant).json
    seen = [e["details"]["application_id"] for e in first["items"] + second["items"]]
    assert seen == ["app-4", "app-3", "app-2", "app-1", "app-0"]
    assert second["next_cursor"] is None

    stolen = api.get(f"/api/me/activity?limit=3&cursor={first['next_cursor']}", as_=other_registrant)
    assert (stolen.status, stolen.error_code) == (400, "bad_cursor")
    assert [e["details"]["application_id"] for e in activity(api, other_registrant)] == ["theirs"]


def test_bad_paging_parameters_are_400(api: Api, registrant: AsRegistrant) -> None:
    for query in ("limit=0", "limit=101", "limit=abc", "cursor=%%%", "cursor=eyJ4IjoxfQ", "colour=red"):
        answer = api.get(f"/api/me/activity?{query}", as_=registrant)
        assert answer.status == 400, query


def test_activity_needs_a_session(api: Api) -> None:
    assert api.get("/api/me/activity").status == 401
