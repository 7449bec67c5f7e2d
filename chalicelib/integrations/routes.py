"""Routes of the integrations area: administrators' webhook endpoints, their logs and replays."""

from __future__ import annotations

from typing import Any

from chalicelib.identity.callers import Actor, StaffCaller
from chalicelib.integrations import replay, subscriptions
from chalicelib.integrations.schemas import DELIVERIES_QUERY, ENDPOINT_CHANGES, NEW_ENDPOINT, REPLAY
from chalicelib.store.pagination import page_args
from chalicelib.web import ApiBlueprint, json_response, staff

bp = ApiBlueprint(__name__, tag="integrations")

ADMINS = ("admin",)
BASE = "/admin/integrations/endpoints"


@bp.api("/admin/integrations/event-types", "GET", summary="The event types an endpoint can subscribe to", access=staff(*ADMINS))
def get_event_types(who: StaffCaller) -> Any:
    return {"event_types": list(subscriptions.EVENT_TYPES)}


@bp.api(BASE, "GET", summary="Every webhook endpoint, with its state (paused ones say why)", access=staff(*ADMINS))
def get_endpoints(who: StaffCaller) -> Any:
    return {"items": [subscriptions.endpoint_json(item) for item in subscriptions.list_endpoints()]}


@bp.api(
    BASE,
    "POST",
    summary="Register a webhook endpoint; its signing secret is in the answer, once",
    access=staff(*ADMINS),
    body=NEW_ENDPOINT,
    responses={201: "registered", 409: "too many endpoints", 422: "an address that cannot receive webhooks (SSRF guard), or an unknown event type"},
)
def post_endpoint(who: StaffCaller, body: dict[str, Any]) -> Any:
    made = subscriptions.register(body["url"].strip(), body["event_types"], body.get("description", ""), Actor.staff(who, ADMINS))
    return json_response(made, status=201)


@bp.api(BASE + "/{endpoint_id}", "GET", summary="One webhook endpoint", access=staff(*ADMINS))
def get_endpoint(who: StaffCaller, endpoint_id: str) -> Any:
    return subscriptions.endpoint_json(subscriptions.get(endpoint_id))


@bp.api(BASE + "/{endpoint_id}", "PATCH", summary="Change an endpoint's address, event types or description", access=staff(*ADMINS), body=ENDPOINT_CHANGES)
def patch_endpoint(who: StaffCaller, endpoint_id: str, body: dict[str, Any]) -> Any:
    changes = {**body, "url": body["url"].strip()} if "url" in body else body
    return subscriptions.update(endpoint_id, changes, Actor.staff(who, ADMINS))


@bp.api(BASE + "/{endpoint_id}", "DELETE", summary="Remove an endpoint and its secret", access=staff(*ADMINS), responses={204: "removed"})
def delete_endpoint(who: StaffCaller, endpoint_id: str) -> Any:
    subscriptions.remove(endpoint_id, Actor.staff(who, ADMINS))
    return json_response(None, status=204)


@bp.api(
    BASE + "/{endpoint_id}/secret/rotate",
    "POST",
    summary="A new signing secret (in the answer, once); the old one also signs until previous_secret_valid_until",
    access=staff(*ADMINS),
)
def rotate_secret(who: StaffCaller, endpoint_id: str) -> Any:
    return subscriptions.rotate_secret(endpoint_id, Actor.staff(who, ADMINS))


@bp.api(BASE + "/{endpoint_id}/pause", "POST", summary="Stop delivering to an endpoint; events are held until it is resumed", access=staff(*ADMINS))
def pause_endpoint(who: StaffCaller, endpoint_id: str) -> Any:
    return subscriptions.endpoint_json(subscriptions.pause(endpoint_id, "by_admin"))


@bp.api(BASE + "/{endpoint_id}/resume", "POST", summary="Deliver to a paused endpoint again, starting with what was held", access=staff(*ADMINS))
def resume_endpoint(who: StaffCaller, endpoint_id: str) -> Any:
    return replay.resume(endpoint_id, Actor.staff(who, ADMINS))


@bp.api(
    BASE + "/{endpoint_id}/deliveries",
    "GET",
    summary="An endpoint's delivery log, newest first: state, attempts, last status and error (never the payload)",
    access=staff(*ADMINS),
    query=DELIVERIES_QUERY,
)
def get_deliveries(who: StaffCaller, endpoint_id: str, query: dict[str, Any]) -> Any:
    return replay.deliveries(endpoint_id, *page_args(query), state=query.get("state"))


@bp.api(
    BASE + "/{endpoint_id}/replay",
    "POST",
    summary="Deliver again every event of a range, each with its original webhook-id",
    access=staff(*ADMINS),
    body=REPLAY,
    responses={202: "queued", 409: "the endpoint is paused", 422: "a range that is malformed or older than 35 days"},
)
def post_replay(who: StaffCaller, endpoint_id: str, body: dict[str, Any]) -> Any:
    return json_response(replay.replay(endpoint_id, body["from"], body["to"], Actor.staff(who, ADMINS)), status=202)
