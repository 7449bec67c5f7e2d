"""Routes of the devices area: edge agents, capture transactions, capture intake
(``/api/devices/...``) and what an officer does in an assisted session (``/api/assisted/...``)."""

from __future__ import annotations

from typing import Any

from chalicelib.devices import assisted, on_behalf, service
from chalicelib.devices.schemas import AGENT, AGENT_QUERY, ANSWERS, CAPTURE, DOCUMENT, NEW_APPLICATION, TRANSACTION
from chalicelib.identity.callers import StaffCaller
from chalicelib.programs.schemas import SUBMISSION  # the registrant's submit body: version, consents, locale
from chalicelib.registrants.schemas import PROFILE_CHANGES  # the body of PATCH /api/me
from chalicelib.store.pagination import DEFAULT_LIMIT, QUERY_PARAMS
from chalicelib.web import IDEMPOTENCY_KEY, IF_MATCH, ApiBlueprint, idempotency_key, if_match_version, json_response, json_with_etag, request_ref, staff

bp = ApiBlueprint(__name__, tag="devices")

OFFICERS = staff("officer")
ADMINS = staff("admin")
AGENT_READERS = staff("admin", "officer")


# --- agents ---------------------------------------------------------------------------------


@bp.api("/devices/agents", "POST", summary="Enrol an edge agent (its public key) for the calling officer", access=OFFICERS, body=AGENT)
def register_agent(who: StaffCaller, body: dict[str, Any]) -> Any:
    return json_response(service.register_agent(who, body["name"], body["public_key"]), status=201)


@bp.api("/devices/agents", "GET", summary="List edge agents (admins: all or one officer's; officers: their own)", access=AGENT_READERS, query=AGENT_QUERY)
def list_agents(who: StaffCaller, query: dict[str, Any]) -> Any:
    page = service.list_agents(who, query.get("officer"), int(query.get("limit", DEFAULT_LIMIT)), query.get("cursor"))
    return page.to_json(service.agent_view(a) for a in page.items)


@bp.api("/devices/agents/{agent_id}", "GET", summary="One edge agent and its status", access=AGENT_READERS)
def get_agent(who: StaffCaller, agent_id: str) -> Any:
    return service.agent_view(service.get_agent(who, agent_id))


@bp.api("/devices/agents/{agent_id}/revoke", "POST", summary="Revoke an edge agent: its envelopes are refused from now on", access=ADMINS)
def revoke_agent(who: StaffCaller, agent_id: str) -> Any:
    return service.agent_view(service.revoke_agent(who, agent_id))


# --- transactions and captures --------------------------------------------------------------


@bp.api("/devices/transactions", "POST", summary="Open a short-lived capture transaction for a person and an agent", access=OFFICERS, body=TRANSACTION)
def open_transaction(who: StaffCaller, body: dict[str, Any]) -> Any:
    opened = service.open_transaction(who, body["agent_id"], body["registrant"], body.get("modality", "finger"), request_ref(bp.current_request))
    return json_response(opened, status=201)


@bp.api(
    "/devices/captures",
    "POST",
    summary="Relay a signed capture envelope; a verified capture opens an assisted session",
    access=OFFICERS,
    body=CAPTURE,
    responses={200: "The same envelope was accepted before: its first answer", 201: "Verified: an assisted session is open"},
)
def relay_capture(who: StaffCaller, body: dict[str, Any]) -> Any:
    result = service.accept_capture(who, body["envelope"], request_ref(bp.current_request))
    return json_response(result.body, status=200 if result.duplicate else 201)


# --- assisted sessions ----------------------------------------------------------------------


@bp.api("/assisted/sessions", "GET", summary="The calling officer's open assisted sessions", access=OFFICERS)
def list_sessions(who: StaffCaller) -> Any:
    return {"items": assisted.list_sessions(who)}


@bp.api("/assisted/sessions/{session_id}", "GET", summary="One assisted session", access=OFFICERS)
def get_session(who: StaffCaller, session_id: str) -> Any:
    return assisted.describe(who, session_id)


@bp.api("/assisted/sessions/{session_id}/close", "POST", summary="End an assisted session before it expires", access=OFFICERS)
def close_session(who: StaffCaller, session_id: str) -> Any:
    return assisted.close(who, session_id, request_ref(bp.current_request))


@bp.api("/assisted/sessions/{session_id}/applications", "GET", summary="The person's applications, read by the officer", access=OFFICERS, query=QUERY_PARAMS)
def list_applications(who: StaffCaller, session_id: str, query: dict[str, Any]) -> Any:
    session = assisted.active(who, session_id)
    return on_behalf.list_applications(session, request_ref(bp.current_request), int(query.get("limit", DEFAULT_LIMIT)), query.get("cursor"))


@bp.api("/assisted/sessions/{session_id}/enrolments", "GET", summary="The programs the person is enrolled in", access=OFFICERS, query=QUERY_PARAMS)
def list_enrolments(who: StaffCaller, session_id: str, query: dict[str, Any]) -> Any:
    session = assisted.active(who, session_id)
    return on_behalf.list_enrolments(session, request_ref(bp.current_request), int(query.get("limit", DEFAULT_LIMIT)), query.get("cursor"))


@bp.api(
    "/assisted/sessions/{session_id}/applications",
    "POST",
    summary="Start an application for the person",
    access=OFFICERS,
    body=NEW_APPLICATION,
    headers=(IDEMPOTENCY_KEY,),
)
def create_application(who: StaffCaller, session_id: str, body: dict[str, Any]) -> Any:
    created = on_behalf.create_application(assisted.active(who, session_id), body["program_id"], body.get("answers"), idempotency_key(bp.current_request))
    return json_response(created, status=201)


@bp.api("/assisted/sessions/{session_id}/applications/{application_id}", "GET", summary="One of the person's applications", access=OFFICERS)
def get_application(who: StaffCaller, session_id: str, application_id: str) -> Any:
    return on_behalf.get_application(assisted.active(who, session_id), application_id, request_ref(bp.current_request))


@bp.api(
    "/assisted/sessions/{session_id}/applications/{application_id}", "PATCH", summary="Save answers to the person's application", access=OFFICERS, body=ANSWERS
)
def save_answers(who: StaffCaller, session_id: str, application_id: str, body: dict[str, Any]) -> Any:
    return on_behalf.save_answers(assisted.active(who, session_id), application_id, body["answers"], body.get("version"))


@bp.api(
    "/assisted/sessions/{session_id}/applications/{application_id}/submit",
    "POST",
    summary="Submit the person's application, with the consent statements they agreed to (Idempotency-Key: a retry returns the first result)",
    access=OFFICERS,
    body=SUBMISSION,
    headers=(IDEMPOTENCY_KEY,),
)
def submit_application(who: StaffCaller, session_id: str, application_id: str, body: dict[str, Any] | None) -> Any:
    body = body or {}
    return on_behalf.submit_application(
        assisted.active(who, session_id),
        application_id,
        idempotency_key(bp.current_request),
        body.get("version"),
        consents=body.get("consents"),
        locale=body.get("locale"),
    )


@bp.api(
    "/assisted/sessions/{session_id}/documents",
    "POST",
    summary="Declare a document for one of the person's applications and get its presigned upload",
    access=OFFICERS,
    body=DOCUMENT,
    responses={201: "The pending document and its upload form"},
)
def declare_document(who: StaffCaller, session_id: str, body: dict[str, Any]) -> Any:
    return json_response(on_behalf.declare_document(assisted.active(who, session_id), body, request_ref(bp.current_request)), status=201)


@bp.api("/assisted/sessions/{session_id}/documents/{document_id}/complete", "POST", summary="Check an uploaded document of the person", access=OFFICERS)
def complete_document(who: StaffCaller, session_id: str, document_id: str) -> Any:
    return on_behalf.complete_document(assisted.active(who, session_id), document_id, request_ref(bp.current_request))


@bp.api(
    "/assisted/sessions/{session_id}/applications/{application_id}/documents",
    "GET",
    summary="The documents of one of the person's applications",
    access=OFFICERS,
)
def list_documents(who: StaffCaller, session_id: str, application_id: str) -> Any:
    return on_behalf.list_documents(assisted.active(who, session_id), application_id, request_ref(bp.current_request))


@bp.api("/assisted/sessions/{session_id}/profile", "GET", summary="The person's details, read by the officer (ETag: the version)", access=OFFICERS)
def get_profile(who: StaffCaller, session_id: str) -> Any:
    profile = on_behalf.read_profile(assisted.active(who, session_id), request_ref(bp.current_request))
    return json_with_etag(profile, profile["version"])


@bp.api(
    "/assisted/sessions/{session_id}/profile",
    "PATCH",
    summary="Change the person's details for them (If-Match required); changes to verified fields become change requests",
    access=OFFICERS,
    body=PROFILE_CHANGES,
    headers=(IF_MATCH,),
    responses={200: "changed", 409: "stale If-Match", 422: "fields that do not fit the profile form"},
)
def patch_profile(who: StaffCaller, session_id: str, body: dict[str, Any]) -> Any:
    expected = if_match_version(bp.current_request)
    result = on_behalf.update_profile(assisted.active(who, session_id), body, expected, request_ref(bp.current_request))
    return json_with_etag(result, result["profile"]["version"])
