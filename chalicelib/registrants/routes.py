"""Routes of the registrants area: the person's own data (``/me``), the profile form, and the
staff routes that review change requests and view a person (each such read is audited)."""

from __future__ import annotations

from typing import Any

from chalicelib.auth.identity import Actor, RegistrantCaller
from chalicelib.auth.staff import StaffCaller
from chalicelib.registrants import service
from chalicelib.store.pagination import DEFAULT_LIMIT, QUERY_PARAMS
from chalicelib.web import IF_MATCH, PUBLIC, REGISTRANT, ApiBlueprint, if_match_version, json_with_etag, request_ref, staff

bp = ApiBlueprint(__name__, tag="registrants")

REVIEWERS = ("reviewer", "admin")
ADMINS = ("admin",)
READERS = ("reviewer", "admin", "officer")

PROFILE_CHANGES = {
    "type": "object",
    "description": "Profile fields to change, validated against the profile form (GET /api/profile-form).",
    "maxProperties": 40,
}
REASON = {"type": "string", "minLength": 1, "maxLength": 1000}
APPROVAL = {"type": ["object", "null"], "properties": {"reason": REASON}, "additionalProperties": False}
REJECTION = {"type": "object", "properties": {"reason": REASON}, "required": ["reason"], "additionalProperties": False}
PROFILE_FORM = {
    "type": "object",
    "properties": {
        "schema": {
            "type": "object",
            "description": "JSON Schema of the profile fields (a checked subset: see docs/registrants.md).",
            "required": ["type", "properties"],
            "properties": {"type": {"const": "object"}, "properties": {"type": "object", "minProperties": 1}},
        },
        "labels": {"type": "object", "description": "{field: {locale: label}}"},
    },
    "required": ["schema"],
    "additionalProperties": False,
}
LOCALE: dict[str, Any] = {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"}
EXPORT_QUERY: dict[str, dict[str, Any]] = {"format": {"type": "string", "enum": ["json", "html"]}, "locale": LOCALE}
SUBMISSIONS_QUERY: dict[str, dict[str, Any]] = {**QUERY_PARAMS, "locale": LOCALE}


def _page(query: dict[str, Any]) -> tuple[int, str | None]:
    return int(query.get("limit", DEFAULT_LIMIT)), query.get("cursor")


def _acting(who: StaffCaller, allowed: tuple[str, ...]) -> Actor:
    """The role a staff member acts in: the first of the route's roles they hold."""
    role = next(r for r in allowed if r in who.roles)
    return Actor.staff(who, role)


# --- the person -------------------------------------------------------------------------------


@bp.api("/me", "GET", summary="My profile: each field with its source, verification and pending changes", access=REGISTRANT)
def get_me(who: RegistrantCaller) -> Any:
    view = service.my_profile(who.registrant_id)
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
    result = service.update_profile(who.registrant_id, body, expected, Actor.registrant(who))
    return json_with_etag(result, result["profile"]["version"])


@bp.api("/me/history", "GET", summary="Every change of my profile with the value it replaced", access=REGISTRANT, query=QUERY_PARAMS)
def get_my_history(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    return service.my_history(who.registrant_id, *_page(query))


@bp.api("/me/change-requests", "GET", summary="My requests to change verified fields", access=REGISTRANT, query=QUERY_PARAMS)
def get_my_change_requests(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    return service.my_change_requests(who.registrant_id, *_page(query))


@bp.api("/me/change-requests/{request_id}/withdraw", "POST", summary="Withdraw one of my pending change requests", access=REGISTRANT)
def withdraw_my_change_request(who: RegistrantCaller, request_id: str) -> Any:
    return service.withdraw_change_request(who.registrant_id, request_id)


@bp.api("/me/consents", "GET", summary="What I consented to share, with whom and when", access=REGISTRANT)
def get_my_consents(who: RegistrantCaller) -> Any:
    return service.my_consents(who.registrant_id)


@bp.api(
    "/me/consents/{consent_id}/withdraw",
    "POST",
    summary="Withdraw consent to keep an ID provider's data (removes the stored copies)",
    access=REGISTRANT,
)
def withdraw_my_consent(who: RegistrantCaller, consent_id: str) -> Any:
    return service.withdraw_consent(who.registrant_id, consent_id)


@bp.api("/me/activity", "GET", summary="Who among staff and officers read or changed my data", access=REGISTRANT, query=QUERY_PARAMS)
def get_my_activity(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    return service.my_activity(who.registrant_id, *_page(query))


@bp.api("/me/submissions", "GET", summary="Every answer I gave in every application, with the form's labels", access=REGISTRANT, query=SUBMISSIONS_QUERY)
def get_my_submissions(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    from chalicelib.registrants import submissions

    # Without ?locale, the person's preferred_locale as it is now (read from their record), not the
    # session's copy from login: a language the person chose since then applies at once.
    return submissions.submissions_of(who.registrant_id, *_page(query), locale=query.get("locale"))


@bp.api(
    "/me/export",
    "GET",
    summary="All my data as one JSON document, or as a readable page (format=html)",
    access=REGISTRANT,
    query=EXPORT_QUERY,
    content_types=("application/json", "text/html"),
)
def export_me(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    from chalicelib.registrants import export

    document = export.export_of(who.registrant_id, query.get("locale"))
    if query.get("format") == "html":
        return export.html_response(document)
    return export.json_response(document)


@bp.api("/profile-form", "GET", summary="The profile form: the demographic fields a person keeps", access=PUBLIC)
def get_profile_form() -> Any:
    form = service.current_profile_form()
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
    form = service.replace_profile_form(body["schema"], body.get("labels", {}), expected, _acting(who, ADMINS))
    return json_with_etag(form, form["version"])


@bp.api("/admin/change-requests", "GET", summary="Change requests awaiting review, oldest first", access=staff(*REVIEWERS), query=QUERY_PARAMS)
def list_change_requests(who: StaffCaller, query: dict[str, Any]) -> Any:
    return service.pending_change_requests(*_page(query))


@bp.api("/admin/change-requests/{request_id}", "GET", summary="One change request with its values (audited)", access=staff(*REVIEWERS))
def get_change_request(who: StaffCaller, request_id: str) -> Any:
    return service.view_change_request(request_id, _acting(who, REVIEWERS), request_ref(bp.current_request))


@bp.api("/admin/change-requests/{request_id}/approve", "POST", summary="Approve a change request", access=staff(*REVIEWERS), body=APPROVAL)
def approve_change_request(who: StaffCaller, request_id: str, body: dict[str, Any] | None) -> Any:
    return service.decide_change_request(request_id, True, (body or {}).get("reason"), _acting(who, REVIEWERS), request_ref(bp.current_request))


@bp.api("/admin/change-requests/{request_id}/reject", "POST", summary="Reject a change request with a reason", access=staff(*REVIEWERS), body=REJECTION)
def reject_change_request(who: StaffCaller, request_id: str, body: dict[str, Any]) -> Any:
    return service.decide_change_request(request_id, False, body["reason"], _acting(who, REVIEWERS), request_ref(bp.current_request))


@bp.api("/admin/registrants/{registrant_id}", "GET", summary="A person's profile (audited: the person sees this read)", access=staff(*READERS))
def get_registrant(who: StaffCaller, registrant_id: str) -> Any:
    return service.staff_view_profile(registrant_id, _acting(who, READERS), request_ref(bp.current_request))
