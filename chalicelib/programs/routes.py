"""Routes of the programs area: programs on offer, a person's applications and enrolments, and
the staff routes that run programs and review applications. Thin: parse, call, shape."""

from __future__ import annotations

from typing import Any

from chalicelib.identity.callers import Actor, RegistrantCaller, StaffCaller
from chalicelib.programs import catalogue, review, service
from chalicelib.programs.schemas import (
    ANSWERS,
    DECISION,
    FORM_MAPPING,
    NEW_APPLICATION,
    NEW_PROGRAM,
    PROGRAM_CHANGES,
    STATE_QUERY,
    STATUS_QUERY,
    SUBMISSION,
    WITHDRAWAL,
)
from chalicelib.store.pagination import DEFAULT_LIMIT, QUERY_PARAMS
from chalicelib.web import IDEMPOTENCY_KEY, REGISTRANT, REGISTRANT_OPTIONAL, ApiBlueprint, idempotency_key, json_response, staff

bp = ApiBlueprint(__name__, tag="programs")

ADMIN = staff("admin")
REVIEWER = staff("reviewer")
ADMIN_OR_REVIEWER = staff("admin", "reviewer")


# --- what a person sees and does -----------------------------------------------------------------


@bp.api(
    "/programs", "GET", summary="Open programs; for a logged-in person, whether they can apply now and why not", access=REGISTRANT_OPTIONAL, query=QUERY_PARAMS
)
def list_programs(who: RegistrantCaller | None, query: dict[str, Any]) -> Any:
    page = catalogue.open_programs(who.registrant_id if who else None, query.get("limit", DEFAULT_LIMIT), query.get("cursor"))
    return page.to_json(page.items)


@bp.api("/programs/{program_id}", "GET", summary="A program with its form, and the person's prefilled answers", access=REGISTRANT_OPTIONAL)
def get_program(program_id: str, who: RegistrantCaller | None) -> Any:
    return catalogue.program_for_person(program_id, who.registrant_id if who else None)


@bp.api(
    "/programs/{program_id}/applications",
    "POST",
    summary="Start a draft application (Idempotency-Key: a retry returns the same draft)",
    access=REGISTRANT,
    body=NEW_APPLICATION,
    headers=(IDEMPOTENCY_KEY,),
    responses={201: "Created"},
)
def create_application(program_id: str, who: RegistrantCaller, body: dict[str, Any] | None) -> Any:
    created = service.create_application(
        who.registrant_id, program_id, Actor.registrant(who), answers=(body or {}).get("answers"), idempotency_key=idempotency_key(bp.current_request)
    )
    return json_response(created, status=201)


@bp.api("/applications", "GET", summary="The person's applications, newest first", access=REGISTRANT, query=QUERY_PARAMS)
def list_applications(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    page = service.list_applications(who.registrant_id, query.get("limit", DEFAULT_LIMIT), query.get("cursor"))
    return page.to_json(page.items)


@bp.api("/applications/{application_id}", "GET", summary="One of the person's applications with its timeline", access=REGISTRANT)
def get_application(application_id: str, who: RegistrantCaller) -> Any:
    return service.get_application(who.registrant_id, application_id)


@bp.api("/applications/{application_id}", "PATCH", summary="Save answers (JSON Merge Patch; partial answers are fine)", access=REGISTRANT, body=ANSWERS)
def save_answers(application_id: str, who: RegistrantCaller, body: dict[str, Any]) -> Any:
    return service.save_answers(who.registrant_id, application_id, body["answers"], Actor.registrant(who), expected_version=body.get("version"))


@bp.api(
    "/applications/{application_id}/submit",
    "POST",
    summary="Submit, or resubmit after a request for information, agreeing to the program's consents (Idempotency-Key: a retry returns the first result)",
    access=REGISTRANT,
    body=SUBMISSION,
    headers=(IDEMPOTENCY_KEY,),
)
def submit_application(application_id: str, who: RegistrantCaller, body: dict[str, Any] | None) -> Any:
    return service.submit_application(
        who.registrant_id,
        application_id,
        Actor.registrant(who),
        idempotency_key=idempotency_key(bp.current_request),
        expected_version=(body or {}).get("version"),
        consents=(body or {}).get("consents"),
        locale=(body or {}).get("locale") or who.session.data.get("locale"),
    )


@bp.api("/applications/{application_id}/withdraw", "POST", summary="Withdraw a draft or a submitted application", access=REGISTRANT, body=WITHDRAWAL)
def withdraw_application(application_id: str, who: RegistrantCaller, body: dict[str, Any] | None) -> Any:
    return service.withdraw_application(who.registrant_id, application_id, Actor.registrant(who), reason=(body or {}).get("reason"))


@bp.api("/enrolments", "GET", summary="The programs the person is enrolled in", access=REGISTRANT, query=QUERY_PARAMS)
def list_enrolments(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    page = service.list_enrolments(who.registrant_id, query.get("limit", DEFAULT_LIMIT), query.get("cursor"))
    return page.to_json(page.items)


# --- administrators ------------------------------------------------------------------------------


@bp.api("/admin/programs", "POST", summary="Create a program (as a draft)", access=ADMIN, body=NEW_PROGRAM, responses={201: "Created"})
def admin_create_program(who: StaffCaller, body: dict[str, Any]) -> Any:
    fields = {k: v for k, v in body.items() if k != "program_id"}
    return json_response(catalogue.create_program(fields, program_id=body.get("program_id")), status=201)


@bp.api("/admin/programs", "GET", summary="Programs in one state (default: open)", access=ADMIN_OR_REVIEWER, query=STATE_QUERY)
def admin_list_programs(who: StaffCaller, query: dict[str, Any]) -> Any:
    page = catalogue.admin_list(query.get("state", "open"), query.get("limit", DEFAULT_LIMIT), query.get("cursor"), staff=who)
    return page.to_json(page.items)


@bp.api("/admin/programs/{program_id}", "GET", summary="A program, any state", access=ADMIN_OR_REVIEWER)
def admin_get_program(program_id: str, who: StaffCaller) -> Any:
    return catalogue.staff_view(who, program_id)


@bp.api("/admin/programs/{program_id}", "PATCH", summary="Edit a program's details, window, policy or documents", access=ADMIN, body=PROGRAM_CHANGES)
def admin_update_program(program_id: str, who: StaffCaller, body: dict[str, Any]) -> Any:
    changes = {k: v for k, v in body.items() if k != "version"}
    return catalogue.update_program(program_id, changes, expected_version=body.get("version"))


@bp.api("/admin/programs/{program_id}/form", "PUT", summary="Map (or remap) a published form version", access=ADMIN, body=FORM_MAPPING)
def admin_map_form(program_id: str, who: StaffCaller, body: dict[str, Any]) -> Any:
    return catalogue.map_form(program_id, body["form_id"], body["version"])


@bp.api(
    "/admin/programs/{program_id}/open",
    "POST",
    summary="Open a program for applications (409 program_incomplete, with what is missing by pointer, until it has all a person needs)",
    access=ADMIN,
)
def admin_open_program(program_id: str, who: StaffCaller) -> Any:
    return catalogue.open_program(program_id)


@bp.api("/admin/programs/{program_id}/close", "POST", summary="Stop taking applications", access=ADMIN)
def admin_close_program(program_id: str, who: StaffCaller) -> Any:
    return catalogue.change_state(program_id, "close")


@bp.api("/admin/programs/{program_id}/archive", "POST", summary="Archive a draft or closed program", access=ADMIN)
def admin_archive_program(program_id: str, who: StaffCaller) -> Any:
    return catalogue.change_state(program_id, "archive")


@bp.api("/admin/programs/{program_id}/counts", "GET", summary="How many applications the program has in each status", access=ADMIN_OR_REVIEWER)
def admin_program_counts(program_id: str, who: StaffCaller) -> Any:
    catalogue.staff_view(who, program_id)  # 404 for an unknown program, or one outside a reviewer's programs
    return {"program_id": program_id, "counts": review.counts(program_id)}


# --- reviewers -----------------------------------------------------------------------------------


@bp.api(
    "/admin/programs/{program_id}/applications",
    "GET",
    summary="A program's applications in one status (default: submitted), longest waiting first",
    access=REVIEWER,
    query=STATUS_QUERY,
)
def review_list(program_id: str, who: StaffCaller, query: dict[str, Any]) -> Any:
    catalogue.check_staff_scope(who, program_id)
    page = review.program_applications(program_id, query.get("status", "submitted"), query.get("limit", DEFAULT_LIMIT), query.get("cursor"))
    return page.to_json(page.items)


@bp.api("/admin/references/{reference}", "GET", summary="Find an application by the reference the person reads out", access=REVIEWER)
def review_find(reference: str, who: StaffCaller) -> Any:
    return review.find_by_reference(who, reference)


@bp.api("/admin/applications/{application_id}", "GET", summary="Open a submitted application (recorded in the person's activity log)", access=REVIEWER)
def review_open(application_id: str, who: StaffCaller) -> Any:
    return review.open_application(who, application_id)


@bp.api(
    "/admin/applications/{application_id}/decision",
    "POST",
    summary="Start review, approve (optionally enrol), reject, request information, or enrol; with a reason the person sees",
    access=REVIEWER,
    body=DECISION,
)
def review_decide(application_id: str, who: StaffCaller, body: dict[str, Any]) -> Any:
    return review.decide(who, application_id, body["to"], reason=body.get("reason"), enrol=bool(body.get("enrol")), expected_version=body.get("version"))
