"""Adding a domain event to a TransactWrite, so that it commits with its change or not at all.

An event names what happened (``type``, a stable dotted name with a ``schema_version``), who it
is about (the registrant, and the application with its program and reference) and who acted
(a role, never a name). ``data`` carries codes a consumer needs (a refusal reason, a profile
field's name), never answers, documents, free text or contact details: a message is built from
the ids when it is sent.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.store.base import now
from chalicelib.store.events import OutboxEvent, feed_key

SCHEMA_VERSION = 1
# Consumers have read an event within seconds; a pull feed keeps a month to catch up from.
RETENTION = timedelta(days=35)


class EventType(StrEnum):
    APPLICATION_SUBMITTED = "application.submitted"
    APPLICATION_REVIEW_STARTED = "application.review_started"
    APPLICATION_INFO_REQUESTED = "application.information_requested"
    APPLICATION_INFO_RECEIVED = "application.information_received"
    APPLICATION_APPROVED = "application.approved"
    APPLICATION_REJECTED = "application.rejected"
    APPLICATION_ENROLLED = "application.enrolled"
    APPLICATION_WITHDRAWN = "application.withdrawn"
    CHANGE_REQUEST_DECIDED = "change_request.decided"
    DOCUMENT_REFUSED = "document.refused"
    ASSISTED_SESSION_OPENED = "assisted_session.opened"
    CONTACT_CONFIRMATION_REQUESTED = "contact.confirmation_requested"
    # For integrations (a registry keeps the person's details): no message is sent for these.
    REGISTRANT_DETAILS_CHANGED = "registrant.details_changed"
    CONSENT_WITHDRAWN = "consent.withdrawn"
    HOUSEHOLD_CHANGED = "household.changed"


# The event an application's move to a status writes (a move to draft writes none).
STATUS_EVENTS = {
    "submitted": EventType.APPLICATION_SUBMITTED,
    "under_review": EventType.APPLICATION_REVIEW_STARTED,
    "info_requested": EventType.APPLICATION_INFO_REQUESTED,
    "approved": EventType.APPLICATION_APPROVED,
    "rejected": EventType.APPLICATION_REJECTED,
    "enrolled": EventType.APPLICATION_ENROLLED,
    "withdrawn": EventType.APPLICATION_WITHDRAWN,
}

# Events only the portal itself consumes (they lead to a message to the person alone): an
# integration's feed leaves them out.
INTERNAL = frozenset({EventType.CONTACT_CONFIRMATION_REQUESTED})


def new_event_id(at: datetime, position: int = 0) -> str:
    """Sortable by time; ``position`` keeps the order of several events of one transaction."""
    return f"{at.strftime('%Y%m%dT%H%M%S%f')}Z-{position:02d}{secrets.token_hex(5)}"


def add_event(
    writes: TransactWrite,
    kind: EventType,
    *,
    registrant_id: str,
    actor_role: str,
    application_id: str | None = None,
    program_id: str | None = None,
    reference: str | None = None,
    sequence: int | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    position: int = 0,
) -> OutboxEvent:
    """Put one event in ``writes``; it commits with the rest of the transaction or not at all."""
    moment = at or now()
    event_id = new_event_id(moment, position)
    event = OutboxEvent(
        # An application's status events form its ordered stream; everything else is the person's.
        stream=f"application#{application_id}" if application_id and sequence is not None else f"registrant#{registrant_id}",
        event_id=event_id,
        type=kind.value,
        schema_version=SCHEMA_VERSION,
        occurred_at=moment,
        registrant_id=registrant_id,
        application_id=application_id,
        program_id=program_id,
        reference=reference,
        sequence=sequence,
        actor_role=actor_role,
        data=data or {},
        feed_day=feed_key(moment, event_id),  # sharded: read it through store.events.read_feed
        expires_at=moment + RETENTION,
    )
    # No condition: an id drawn twice is out of reach, and a condition here would be one more
    # reason for the change's own transaction to be cancelled.
    writes.save(event)
    return event


def event_json(event: OutboxEvent) -> dict[str, Any]:
    """An event as consumers read it (the stream's new image, the pull feed)."""
    return {
        "id": event.event_id,
        "type": event.type,
        "schema_version": int(event.schema_version or SCHEMA_VERSION),
        "occurred_at": event.occurred_at.isoformat(),
        "registrant_id": event.registrant_id,
        "application_id": event.application_id,
        "program_id": event.program_id,
        "reference": event.reference,
        "sequence": int(event.sequence) if event.sequence is not None else None,
        "actor_role": event.actor_role,
        "data": event.data or {},
    }
