"""A second registrant never reaches the first one's data through any /me route."""

from __future__ import annotations

from tests.support.api import Api, AsRegistrant
from tests.support.factories import as_staff
from tests.support.registrants import ask_to_change_name, patch_me


def test_nothing_of_the_first_person_shows_through_the_second_persons_routes(api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant) -> None:
    assert patch_me(api, registrant, {"household_size": 7, "email": "amina.okafor@example.org"}).status == 200
    request_id = ask_to_change_name(api, registrant)
    api.get(f"/api/admin/registrants/{registrant.registrant_id}", as_=as_staff("reviewer"))

    seen = ""
    for path in ("/api/me", "/api/me/history", "/api/me/change-requests", "/api/me/consents", "/api/me/activity"):
        answer = api.get(path, as_=other_registrant)
        assert answer.status == 200, path
        seen += answer.body.decode()
    for secret in (registrant.registrant_id, request_id, "amina.okafor@example.org", "Amina", '"household_size": 7'):
        assert secret not in seen

    assert api.post(f"/api/me/change-requests/{request_id}/withdraw", as_=other_registrant).status == 404
    history_of_first = api.get("/api/me/history?limit=1", as_=registrant).json
    assert history_of_first["next_cursor"]
    stolen = api.get(f"/api/me/history?cursor={history_of_first['next_cursor']}", as_=other_registrant)
    assert (stolen.status, stolen.error_code) == (400, "bad_cursor")
