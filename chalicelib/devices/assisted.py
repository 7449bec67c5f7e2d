"""Assisted sessions: after a verified capture, an officer acts for one person, for a while.

A session lives in the officer's own partition, so another officer's session id is simply not
found. Everything the officer reads or does through it goes through the programs area's service
functions with the officer as the actor (so applications record ``channel: assisted`` and the
officer), and is written to the person's activity log.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from chalicelib import config
from chalicelib.errors import Forbidden, NotFound
from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor, StaffCaller
from chalicelib.store.base import now
from chalicelib.store.devices import DeviceItem

PREFIX = "assist#"


class AssistedSession(NamedTuple):
    session_id: str
    officer_ref: str
    registrant_id: str
    expires_at: datetime

    @property
    def actor(self) -> Actor:
        return Actor("officer", self.officer_ref)


def new_session(officer_ref: str, registrant_id: str, capture_id: str, agent_id: str) -> DeviceItem:
    """The item of a session about to open (saved by capture intake, with the capture)."""
    return DeviceItem(
        pk=f"officer#{officer_ref}",
        sk=f"{PREFIX}{uuid.uuid4()}",
        kind="assisted_session",
        owner=officer_ref,
        data={"registrant_id": registrant_id, "capture_id": capture_id, "agent_id": agent_id, "status": "open"},
        expires_at=now() + timedelta(seconds=config.get_int("SSP_ASSISTED_SESSION_SECONDS")),
    )


def session_view(item: DeviceItem) -> dict[str, Any]:
    data = item.data or {}
    expires = _aware(item.expires_at)
    open_now = data.get("status") == "open" and expires > now()
    return {
        "session_id": item.sk.removeprefix(PREFIX),
        "registrant_id": data.get("registrant_id"),
        "capture_id": data.get("capture_id"),
        "opened_at": _aware(item.created_at).isoformat(),
        "expires_at": expires.isoformat(),
        "status": "open" if open_now else ("closed" if data.get("status") == "closed" else "expired"),
    }


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime.fromtimestamp(0, UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _item(officer: StaffCaller, session_id: str) -> DeviceItem:
    if not session_id or len(session_id) > 64:
        raise NotFound(code="assisted_session_not_found")
    try:
        return DeviceItem.get(f"officer#{officer.ref}", f"{PREFIX}{session_id}")
    except DeviceItem.DoesNotExist:
        raise NotFound(code="assisted_session_not_found") from None


def describe(officer: StaffCaller, session_id: str) -> dict[str, Any]:
    return session_view(_item(officer, session_id))


def active(officer: StaffCaller, session_id: str) -> AssistedSession:
    """The officer's open session, or why it cannot be used (404 unknown, 403 ended)."""
    item = _item(officer, session_id)
    view = session_view(item)
    if view["status"] != "open":
        raise Forbidden("This assisted session has ended. Verify the person again to continue.", code="assisted_session_ended")
    return AssistedSession(view["session_id"], officer.ref, str(view["registrant_id"]), _aware(item.expires_at))


def list_sessions(officer: StaffCaller) -> list[dict[str, Any]]:
    """The officer's sessions that are still open, newest first. One Query (expired ones are
    filtered out by DynamoDB and removed by its TTL)."""
    results = DeviceItem.query(f"officer#{officer.ref}", DeviceItem.sk.startswith(PREFIX), filter_condition=(DeviceItem.expires_at > now()))
    views = [session_view(item) for item in results]
    return sorted((v for v in views if v["status"] == "open"), key=lambda v: v["opened_at"], reverse=True)


def close(officer: StaffCaller, session_id: str, request_id: str | None = None) -> dict[str, Any]:
    item = _item(officer, session_id)
    data = item.data or {}
    if data.get("status") == "open":
        item.data = {**data, "status": "closed", "closed_at": now().isoformat()}
        item.save()
        record_access(str(data.get("registrant_id")), Actor("officer", officer.ref), "assisted.session_closed", {"assisted_session_id": session_id}, request_id)
    return session_view(item)


def record(session: AssistedSession, action: str, request_id: str | None, **details: str) -> None:
    """Write what the officer read or did for the person to the person's activity log."""
    record_access(session.registrant_id, session.actor, f"assisted.{action}", {"assisted_session_id": session.session_id, **details}, request_id)
