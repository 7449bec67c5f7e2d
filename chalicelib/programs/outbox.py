"""The events an application's status changes write into their own transaction (``chalicelib.events``)."""

from __future__ import annotations

from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.events.outbox import STATUS_EVENTS, EventType, add_event
from chalicelib.store.applications import Application


def add_status_events(writes: TransactWrite, application: Application, entries: list[dict[str, Any]]) -> None:
    """One event per history entry about to be written with ``application`` (a resubmission after
    a request for information is ``information_received``). ``sequence`` is the version the
    application is given by this write, so a consumer can apply an application's events in order."""
    sequence = int(application.version or 0) + 1
    # The language the person last submitted in, for messages when their profile names none.
    locale = next((e["locale"] for e in reversed(application.history or []) if e.get("locale")), None)
    for position, entry in enumerate(entries):
        kind = STATUS_EVENTS.get(entry["to"])
        if kind is None or entry.get("from") == "draft" and kind is EventType.APPLICATION_WITHDRAWN:
            continue  # a draft given up was never sent: nobody is told
        if kind is EventType.APPLICATION_SUBMITTED and entry.get("from") == "info_requested":
            kind = EventType.APPLICATION_INFO_RECEIVED
        add_event(
            writes,
            kind,
            registrant_id=application.registrant_id,
            actor_role=str((entry.get("by") or {}).get("role") or "system"),
            application_id=application.application_id,
            program_id=application.program_id,
            reference=application.reference,
            sequence=sequence,
            position=position,
            data={"locale": locale} if locale else None,
        )
