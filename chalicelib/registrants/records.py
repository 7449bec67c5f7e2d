"""A registrant's record as every part of this area writes it: where a value came from, the
history entry each change leaves, and the reads they share.

A profile field is stored as an entry ``{value, source, provider, verified, changed_at,
confirmed_at, by}``: ``source`` is ``id_provider`` (with ``provider``), ``self`` or
``officer``. Every change keeps the replaced entry in the person's history.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.errors import BadRequest, NotFound
from chalicelib.events.outbox import EventType, add_event
from chalicelib.identity.callers import Actor
from chalicelib.store.pagination import Page, decode_cursor, query_page
from chalicelib.store.registrants import ProfileChange, Registrant

ID_PROVIDER = "id_provider"
SELF = "self"
OFFICER = "officer"


UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_registrant_id(value: str) -> bool:
    """Registrant ids are UUIDs; anything else (e.g. a record key of this table) is nobody."""
    return bool(UUID.match(value))


def history_entry(
    registrant_id: str,
    field: str,
    previous: dict[str, Any] | None,
    current: dict[str, Any] | None,
    reason: str,
    actor: Actor,
    at: str,
    change_request_id: str | None = None,
) -> ProfileChange:
    entry_id = uuid.uuid4().hex
    return ProfileChange(
        registrant_id=f"history#{entry_id}",
        owner=registrant_id,
        sort=f"history#{at}#{entry_id}",
        field=field,
        previous=previous,
        current=current,
        reason=reason,
        actor=actor.as_dict(),
        change_request_id=change_request_id,
        at=at,
    )


def locale_of(profile: dict[str, Any] | None) -> str | None:
    """The language the portal uses for the person where no request names one (``preferred_locale``:
    their submissions and export, the session a login starts): their profile's ``preferred_language``,
    whoever set it (the ID provider, the person, an officer, staff approving a change). Every
    write of the profile keeps it in step."""
    value = ((profile or {}).get("preferred_language") or {}).get("value")
    return value if isinstance(value, str) and value else None


def own_records(model: Any, registrant_id: str, prefix: str, limit: int, cursor: str | None) -> Page[Any]:
    start = decode_cursor(cursor, ("owner", "sort", "registrant_id"))
    if start is not None and (start["owner"].get("S") != registrant_id or not start["sort"].get("S", "").startswith(prefix)):
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    results = model.by_owner.query(registrant_id, model.sort.startswith(prefix), scan_index_forward=False, limit=limit, last_evaluated_key=start)
    return query_page(results, limit)


def registrant_or_404(registrant_id: str) -> Registrant:
    try:
        return Registrant.get(registrant_id, consistent_read=True)
    except Registrant.DoesNotExist:
        raise NotFound() from None


def changed_details(writes: TransactWrite, registrant_id: str, actor_role: str, changes: list[ProfileChange]) -> None:
    """Tell integrations, in the change's own transaction, which fields changed and why (names and
    reason codes only: a registry reads the values when the event is delivered)."""
    data = {"fields": sorted({c.field for c in changes}), "reasons": sorted({c.reason for c in changes})}
    add_event(writes, EventType.REGISTRANT_DETAILS_CHANGED, registrant_id=registrant_id, actor_role=actor_role, data=data)


def write_with_history(writes: TransactWrite, registrant: Registrant, changes: list[ProfileChange]) -> None:
    """The person's record, under its version, and the history entries of what changed in it: in
    one transaction, so no change is ever kept without its entry (or the reverse)."""
    writes.save(registrant)
    for change in changes:
        writes.save(change)
