"""Change requests: a person (or an officer for them) asks to change a verified field, staff
approve or reject, the person may withdraw a pending one.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from chalicelib.errors import BadRequest, Conflict, NotFound
from chalicelib.events.outbox import EventType, add_event
from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor
from chalicelib.registrants.records import (
    OFFICER,
    SELF,
    history_entry,
    locale_of,
    own_records,
    registrant_or_404,
    write_with_history,
)
from chalicelib.store.base import now
from chalicelib.store.pagination import decode_cursor, query_page
from chalicelib.store.registrants import (
    ChangeRequest,
    change_request_key,
    get_with_change_request,
)
from chalicelib.store.transactions import transaction

REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


def new_change_request(registrant_id: str, name: str, value: Any, current: dict[str, Any], actor: Actor, at: str) -> ChangeRequest:
    request_id = uuid.uuid4().hex
    return ChangeRequest(
        registrant_id=change_request_key(request_id),
        owner=registrant_id,
        sort=f"change#{at}#{request_id}",
        queue="pending",
        queued_at=f"{at}#{request_id}",
        field=name,
        value=value,
        current=current,
        status="pending",
        requested_at=at,
        requested_by=actor.as_dict(),
    )


def unread_request(request_id: str) -> ChangeRequest:
    """A change request to update without reading it first; its status condition is the lock.
    A known version makes pynamodb add ``version + 1`` rather than set it to 1."""
    request = ChangeRequest(registrant_id=change_request_key(request_id))
    request.version = 0
    return request


def closing(model: type[ChangeRequest], status: str, at: str, reason: str | None = None, actor: Actor | None = None) -> list[Any]:
    actions = [model.status.set(status), model.queue.remove(), model.queued_at.remove(), model.decided_at.set(at)]
    if reason is not None:
        actions.append(model.reason.set(reason))
    if actor is not None:
        actions.append(model.decided_by.set(actor.as_dict()))
    return actions


def request_json(request: ChangeRequest, *, with_values: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "request_id": request.registrant_id.split("#", 1)[1],
        "field": request.field,
        "status": request.status,
        "requested_at": request.requested_at,
        "requested_by": request.requested_by,
        "decided_at": request.decided_at,
        "decided_by": request.decided_by,
        "reason": request.reason,
    }
    if with_values:
        body["value"] = request.value
        body["current"] = request.current
    return body


def my_change_requests(registrant_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """The person's change requests, newest first, whatever their status. One Query."""
    page = own_records(ChangeRequest, registrant_id, "change#", limit, cursor)
    return page.to_json(request_json(request) for request in page.items)


def withdraw_change_request(registrant_id: str, request_id: str) -> dict[str, Any]:
    """The person takes back their own pending request. 404 for anyone else's."""
    if not REQUEST_ID.match(request_id):
        raise NotFound()
    registrant, request = get_with_change_request(registrant_id, request_id)
    if registrant is None or request is None or request.owner != registrant_id:
        raise NotFound()
    if request.status != "pending":
        raise Conflict("This request has already been decided.", code="not_pending", details={"status": request.status})
    at = now().isoformat()
    pending = dict(registrant.pending_changes or {})
    if (pending.get(request.field) or {}).get("request_id") == request_id:
        pending.pop(request.field)
    registrant.pending_changes = pending
    registrant.updated_at = now()
    with transaction() as writes:
        writes.save(registrant)
        writes.update(request, actions=closing(ChangeRequest, "withdrawn", at), condition=ChangeRequest.status == "pending")
    request.status, request.decided_at = "withdrawn", at
    return request_json(request)


def pending_change_requests(limit: int, cursor: str | None) -> dict[str, Any]:
    """The review queue, oldest first, without the values (opening one is an audited read)."""
    start = decode_cursor(cursor, ("queue", "queued_at", "registrant_id"))
    if start is not None and start["queue"].get("S") != "pending":
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    results = ChangeRequest.review_queue.query("pending", scan_index_forward=True, limit=limit, last_evaluated_key=start)
    page = query_page(results, limit)
    return page.to_json({**request_json(request, with_values=False), "registrant_id": request.owner} for request in page.items)


def _load_request(request_id: str) -> ChangeRequest:
    if not REQUEST_ID.match(request_id):
        raise NotFound()
    try:
        return ChangeRequest.get(change_request_key(request_id), consistent_read=True)
    except ChangeRequest.DoesNotExist:
        raise NotFound() from None


def view_change_request(request_id: str, actor: Actor, request_ref: str | None = None) -> dict[str, Any]:
    request = _load_request(request_id)
    record_access(request.owner, actor, "change_request_viewed", {"change_request_id": request_id}, request_ref)
    return {**request_json(request), "registrant_id": request.owner}


def decide_change_request(request_id: str, approve: bool, reason: str | None, actor: Actor, request_ref: str | None = None) -> dict[str, Any]:
    """Approve (the value becomes the field's, verified by review) or reject (with a reason the
    person sees). 409 when already decided; the person sees the decision in their activity."""
    request = _load_request(request_id)
    if request.status != "pending":
        raise Conflict("This request has already been decided.", code="not_pending", details={"status": request.status})
    registrant = registrant_or_404(request.owner)
    at = now().isoformat()
    pending = dict(registrant.pending_changes or {})
    if (pending.get(request.field) or {}).get("request_id") == request_id:
        pending.pop(request.field)
    registrant.pending_changes = pending
    registrant.updated_at = now()
    change = None
    if approve:
        profile = dict(registrant.profile or {})
        requested_by = request.requested_by or {}
        entry = {
            "value": request.value,
            "source": OFFICER if requested_by.get("role") == "officer" else SELF,
            "verified": True,
            "changed_at": at,
            "by": requested_by,
            "verified_by": actor.as_dict(),
            "change_request": request_id,
        }
        change = history_entry(registrant.registrant_id, request.field, profile.get(request.field), entry, "change_request_approved", actor, at, request_id)
        profile[request.field] = entry
        registrant.profile = profile
        registrant.preferred_locale = locale_of(profile) or registrant.preferred_locale
    status = "approved" if approve else "rejected"
    with transaction() as writes:
        write_with_history(writes, registrant, [change] if change is not None else [])
        writes.update(request, actions=closing(ChangeRequest, status, at, reason, actor), condition=ChangeRequest.status == "pending")
        data = {"change_request_id": request_id, "decision": status, "field": request.field}
        add_event(writes, EventType.CHANGE_REQUEST_DECIDED, registrant_id=request.owner, actor_role=actor.role, data=data)
    record_access(request.owner, actor, f"change_request_{status}", {"change_request_id": request_id}, request_ref)
    request.status, request.decided_at, request.reason, request.decided_by = status, at, reason, actor.as_dict()
    return {**request_json(request), "registrant_id": request.owner}
