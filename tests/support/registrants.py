"""Small helpers for the registrants area's API tests."""

from __future__ import annotations

from typing import Any

from tests.support.api import Answer, Api, AsRegistrant, AsStaff


def version_of(api: Api, who: AsRegistrant) -> str:
    answer = api.get("/api/me", as_=who)
    assert answer.status == 200, answer.json
    return answer.headers["etag"]


def patch_me(api: Api, who: AsRegistrant, changes: Any, if_match: str | None = None) -> Answer:
    etag = if_match if if_match is not None else version_of(api, who)
    return api.patch("/api/me", changes, as_=who, headers={"If-Match": etag})


def ask_to_change_name(api: Api, who: AsRegistrant, name: str = "Amina N. Okafor") -> str:
    """A change to a verified field: answers the new change request's id."""
    answer = patch_me(api, who, {"name": name})
    assert answer.status == 200, answer.json
    (request,) = answer.json["change_requests"]
    return str(request["request_id"])


def activity(api: Api, who: AsRegistrant) -> list[dict[str, Any]]:
    answer = api.get("/api/me/activity", as_=who)
    assert answer.status == 200, answer.json
    return list(answer.json["items"])


def approve(api: Api, staff: AsStaff, request_id: str, reason: str | None = None) -> Answer:
    return api.post(f"/api/admin/change-requests/{request_id}/approve", {"reason": reason} if reason else {}, as_=staff)
