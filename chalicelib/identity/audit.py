"""The one way to write and read audit events: who read or changed a person's data.

Staff and officer reads and changes are recorded here in the same request that performs them;
the person sees them at ``GET /api/me/activity``. A person's own reads are not recorded.
"""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib.identity.callers import Actor
from chalicelib.store.audit import AuditEvent
from chalicelib.store.base import now
from chalicelib.store.pagination import Page, decode_cursor, query_page


def record_access(subject: str, actor: Actor, action: str, details: dict[str, Any] | None = None, request_id: str | None = None) -> None:
    """Append one event about registrant ``subject``. ``details`` holds opaque ids only."""
    access_event(subject, actor, action, details, request_id).save()


def access_event(subject: str, actor: Actor, action: str, details: dict[str, Any] | None = None, request_id: str | None = None) -> AuditEvent:
    """The event ``record_access`` appends, for a caller that writes it in the transaction of the
    change it records (so a change is never without its entry in the person's activity log)."""
    return AuditEvent(
        subject=subject,
        at_event=f"{now().isoformat()}#{uuid.uuid4().hex[:12]}",
        action=action,
        actor_role=actor.role,
        actor_ref=actor.ref,
        details=details or {},
        request_id=request_id,
    )


def activity_of(subject: str, limit: int, cursor: str | None) -> Page[AuditEvent]:
    """The person's events, newest first: one Query."""
    start = decode_cursor(cursor, ("subject", "at#event"))
    results = AuditEvent.query(subject, scan_index_forward=False, limit=limit, last_evaluated_key=start)
    return query_page(results, limit)
