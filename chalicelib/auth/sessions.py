"""Registrant sessions: created at login, resolved from the cookie, ended at logout.

The browser holds a 256-bit random id in an HttpOnly cookie; the table holds only its
SHA-256, so a leaked table cannot be replayed as cookies. Idle timeout slides with each
request inside the same conditional update that reads the session: one DynamoDB call.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any

from pynamodb.exceptions import DeleteError, UpdateError

from chalicelib import config
from chalicelib.identity.callers import ActiveSession
from chalicelib.store.base import now
from chalicelib.store.sessions import SessionItem

COOKIE_NAME = "__Host-ssp_session"


@dataclass(frozen=True)
class NewSession:
    raw_id: str
    csrf_token: str
    expires_at: datetime


def _key(raw_id: str) -> str:
    return "session#" + hashlib.sha256(raw_id.encode()).hexdigest()


def create_session(registrant_id: str, data: dict[str, Any] | None = None) -> NewSession:
    """Start a session for a registrant who has just proven who they are."""
    raw_id = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    started = now()
    absolute = started + timedelta(seconds=config.get_int("SSP_SESSION_MAX_SECONDS"))
    idle = started + timedelta(seconds=config.get_int("SSP_SESSION_IDLE_SECONDS"))
    item = SessionItem(
        key=_key(raw_id),
        kind="session",
        registrant_id=registrant_id,
        data={**(data or {}), "csrf": csrf_token, "absolute_expiry": absolute.timestamp()},
        last_seen=started,
        expires_at=min(idle, absolute),
    )
    item.save(condition=SessionItem.key.does_not_exist())
    return NewSession(raw_id=raw_id, csrf_token=csrf_token, expires_at=absolute)


def resolve_session(raw_id: str) -> ActiveSession | None:
    """The live session for a cookie value, its idle expiry pushed forward; None if there is none."""
    if not raw_id or len(raw_id) > 128:
        return None
    current = now()
    item = SessionItem(key=_key(raw_id))
    idle_until = current + timedelta(seconds=config.get_int("SSP_SESSION_IDLE_SECONDS"))
    try:
        item.update(
            actions=[SessionItem.last_seen.set(current), SessionItem.expires_at.set(idle_until)],
            condition=(SessionItem.key.exists() & (SessionItem.kind == "session") & (SessionItem.expires_at > current)),
        )
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return None
        raise
    absolute = float(item.data.get("absolute_expiry", 0))
    if current.timestamp() >= absolute or item.registrant_id is None:
        return None
    return ActiveSession(key=item.key, registrant_id=item.registrant_id, csrf_token=str(item.data["csrf"]), data=item.data)


def end_session(key: str) -> None:
    try:
        SessionItem(key=key).delete(condition=SessionItem.key.exists())
    except DeleteError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def end_all_sessions(registrant_id: str) -> int:
    """End every session of a person, on every device ("log out everywhere"). Returns how many."""
    keys = [item.key for item in SessionItem.by_registrant.query(registrant_id)]
    with SessionItem.batch_write() as batch:
        for key in keys:
            batch.delete(SessionItem(key=key))
    return len(keys)


def csrf_matches(session: ActiveSession, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(session.csrf_token.encode(), (presented or "").encode())


def cookie_value(cookie_header: str | None, name: str = COOKIE_NAME) -> str | None:
    """The value of cookie ``name`` (the session cookie unless told otherwise) in a Cookie header."""
    if not cookie_header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:  # noqa: BLE001 - a malformed Cookie header just means no session
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def set_cookie_header(new: NewSession) -> str:
    secure = "; Secure" if config.get_bool("SSP_COOKIE_SECURE") else ""
    max_age = config.get_int("SSP_SESSION_MAX_SECONDS")
    return f"{COOKIE_NAME}={new.raw_id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"


def clear_cookie_header() -> str:
    secure = "; Secure" if config.get_bool("SSP_COOKIE_SECURE") else ""
    return f"{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"
