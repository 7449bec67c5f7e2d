"""Routes of the registrants area: the person's own details (``/me``), the profile form, and the
staff routes that review change requests and view a person (each such read is audited)."""

from __future__ import annotations

from typing import Any

from chalicelib.identity.callers import Actor, RegistrantCaller, StaffCaller
from chalicelib.registrants import change_requests, household, profile
from chalicelib.registrants.schemas import APPROVAL, PROFILE_CHANGES, PROFILE_FORM, REJECTION
from chalicelib.store.pagination import QUERY_PARAMS, page_args
from chalicelib.web import IF_MATCH, PUBLIC, REGISTRANT, ApiBlueprint, if_match_version, json_with_etag, request_ref, staff

bp = ApiBlueprint(__name__, tag="registrants")

REVIEWERS = ("reviewer", "admin")
ADMINS = ("admin",)
READERS = ("reviewer", "admin", "officer")

# --- the person -------------------------------------------------------------------------------


@bp.api("/me", "GET", summary="My profile: each field with its source, verification and pending changes", access=REGISTRANT)
def get_me(who: RegistrantCaller) -> Any:
    view = profile.my_profile(who.registrant_id)
    return json_with_etag(view, view["version"])


@bp.api(
    "/me",
    "PATCH",
    summary="Change my profile (If-Match required); changes to verified fields become change requests",
    access=REGISTRANT,
    body=PROFILE_CHANGES,
    headers=(IF_MATCH,),
    responses={200: "changed", 409: "stale If-Match", 422: "fields that do not fit the profile form"},
)
def patch_me(who: RegistrantCaller, body: dict[str, Any]) -> Any:
    expected = if_match_version(bp.current_request)
    result = profile.update_profile(who.registrant_id, body, expected, Actor.registrant(who))
    return json_with_etag(result, result["profile"]["version"])


@bp.api("/me/household/{member_id}", "DELETE", summary="Forget a member of my household the portal remembers", access=REGISTRANT)
def forget_household_member(who: RegistrantCaller, member_id: str) -> Any:
    return {"household": household.remove_member(who.registrant_id, member_id)}


@bp.api("/me/history", "GET", summary="Every change of my profile with the value it replaced", access=REGISTRANT, query=QUERY_PARAMS)
def get_my_history(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    return profile.my_history(who.registrant_id, *page_args(query))


@bp.api("/me/change-requests", "GET", summary="My requests to change verified fields", access=REGISTRANT, query=QUERY_PARAMS)
def get_my_change_requests(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    return change_requests.my_change_requests(who.registrant_id, *page_args(query))


@bp.api("/me/change-requests/{request_id}/withdraw", "POST", summary="Withdraw one of my pending change requests", access=REGISTRANT)
def withdraw_my_change_request(who: RegistrantCaller, request_id: str) -> Any:
    return change_requests.withdraw_change_request(who.registrant_id, request_id)


@bp.api("/me/activity", "GET", summary="Who among staff and officers read or changed my data", access=REGISTRANT, query=QUERY_PARAMS)
def get_my_activity(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    return profile.my_activity(who.registrant_id, *page_args(query))


@bp.api("/profile-form", "GET", summary="The profile form: the demographic fields a person keeps", access=PUBLIC)
def get_profile_form() -> Any:
    form = profile.current_profile_form()
    return json_with_etag(form, form["version"])


# --- staff ------------------------------------------------------------------------------------


@bp.api(
    "/admin/profile-form",
    "PUT",
    summary="Replace the profile form (If-Match: the version edited, 0 for the default)",
    access=staff(*ADMINS),
    body=PROFILE_FORM,
    headers=(IF_MATCH,),
)
def put_profile_form(who: StaffCaller, body: dict[str, Any]) -> Any:
    expected = if_match_version(bp.current_request)
    form = profile.replace_profile_form(body["schema"], body.get("labels", {}), expected, Actor.staff(who, ADMINS))
    return json_with_etag(form, form["version"])


@bp.api("/admin/change-requests", "GET", summary="Change requests awaiting review, oldest first", access=staff(*REVIEWERS), query=QUERY_PARAMS)
def list_change_requests(who: StaffCaller, query: dict[str, Any]) -> Any:
    return change_requests.pending_change_requests(*page_args(query))


@bp.api("/admin/change-requests/{request_id}", "GET", summary="One change request with its values (audited)", access=staff(*REVIEWERS))
def get_change_request(who: StaffCaller, request_id: str) -> Any:
    return change_requests.view_change_request(request_id, Actor.staff(who, REVIEWERS), request_ref(bp.current_request))


@bp.api("/admin/change-requests/{request_id}/approve", "POST", summary="Approve a change request", access=staff(*REVIEWERS), body=APPROVAL)
def approve_change_request(who: StaffCaller, request_id: str, body: dict[str, Any] | None) -> Any:
    return change_requests.decide_change_request(request_id, True, (body or {}).get("reason"), Actor.staff(who, REVIEWERS), request_ref(bp.current_request))


@bp.api("/admin/change-requests/{request_id}/reject", "POST", summary="Reject a change request with a reason", access=staff(*REVIEWERS), body=REJECTION)
def reject_change_request(who: StaffCaller, request_id: str, body: dict[str, Any]) -> Any:
    return change_requests.decide_change_request(request_id, False, body["reason"], Actor.staff(who, REVIEWERS), request_ref(bp.current_request))


@bp.api("/admin/registrants/{registrant_id}", "GET", summary="A person's profile (audited: the person sees this read)", access=staff(*READERS))
def get_registrant(who: StaffCaller, registrant_id: str) -> Any:
    return profile.staff_view_profile(registrant_id, Actor.staff(who, READERS), request_ref(bp.current_request))
