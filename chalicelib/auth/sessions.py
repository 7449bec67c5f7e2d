"""Registrant sessions: created at login, resolved from the cookie, ended at logout.

The browser holds a 256-bit random id in an HttpOnly cookie; the table holds only its
SHA-256, so a leaked table cannot be replayed as cookies. The idle timeout slides forward when a
request finds the session last touched more than ``touch_seconds()`` ago (a few minutes), in the
same conditional update that reads the session: one DynamoDB call, which writes nothing when the
session was touched recently (the condition fails and DynamoDB hands back the item as it is). A
session then ends between ``SSP_SESSION_IDLE_SECONDS`` minus ``touch_seconds()`` and
``SSP_SESSION_IDLE_SECONDS`` after its last request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from botocore.exceptions import ClientError
from pynamodb.attributes import UTCDateTimeAttribute
from pynamodb.exceptions import DeleteError

from chalicelib import config
from chalicelib.identity.callers import ActiveSession
from chalicelib.store.base import now
from chalicelib.store.sessions import SessionItem

SESSION_COOKIE = "ssp_session"
# What the portal puts in its cookies: secrets.token_urlsafe values.
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{1,128}")
TOUCH_SECONDS = 180  # at most this often a session's idle expiry is pushed forward (a write)
_MOMENT = UTCDateTimeAttribute()


class NewSession(NamedTuple):
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


def touch_seconds() -> int:
    """How stale a session's last touch may be before a request pushes its idle expiry forward."""
    return min(TOUCH_SECONDS, config.get_int("SSP_SESSION_IDLE_SECONDS") // 10)


def resolve_session(raw_id: str) -> ActiveSession | None:
    """The live session for a cookie value, its idle expiry pushed forward when last touched more
    than ``touch_seconds()`` ago; None if there is none. One UpdateItem either way."""
    if not raw_id or len(raw_id) > 128:
        return None
    current = now()
    idle_until = current + timedelta(seconds=config.get_int("SSP_SESSION_IDLE_SECONDS"))
    stale = current - timedelta(seconds=touch_seconds())
    connection = SessionItem._get_connection().connection
    try:
        answer = connection.client.update_item(
            TableName=SessionItem.Meta.table_name,
            Key={"key": {"S": _key(raw_id)}},
            UpdateExpression="SET #seen = :now, #expires = :idle",
            ConditionExpression="attribute_exists(#key) AND #kind = :session AND #expires > :at AND (attribute_not_exists(#seen) OR #seen < :stale)",
            ExpressionAttributeNames={"#key": "key", "#kind": "kind", "#seen": "last_seen", "#expires": "expires_at"},
            ExpressionAttributeValues={
                ":now": {"S": _MOMENT.serialize(current)},
                ":idle": {"N": str(int(idle_until.timestamp()))},
                ":session": {"S": "session"},
                ":at": {"N": str(int(current.timestamp()))},
                ":stale": {"S": _MOMENT.serialize(stale)},
            },
            ReturnValues="ALL_NEW",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        raw = answer.get("Attributes")
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        raw = error.response.get("Item")  # touched recently, or not a live session: read what it is
    if not raw:
        return None
    item = SessionItem.from_raw_data(raw)
    if item.kind != "session" or item.expires_at is None or item.expires_at <= current:
        return None
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


def cookie_name(name: str) -> str:
    """The name a portal cookie has on the wire: ``__Host-<name>`` (host-only, ``Path=/``,
    ``Secure``: no other host, not even a sibling subdomain, can set it), or plain ``<name>``
    with ``SSP_COOKIE_SECURE=false``, as browsers and curl refuse a ``__Host-`` cookie without
    ``Secure`` (scripts on a plain-HTTP local stack, docs/login.md)."""
    return f"__Host-{name}" if config.get_bool("SSP_COOKIE_SECURE") else name


def cookie_value(cookie_header: str | None, name: str = SESSION_COOKIE) -> str | None:
    """The value of the portal's cookie ``name`` (the session cookie unless told otherwise) in a
    Cookie header.

    Parsed leniently, taking only the cookie asked for: other applications on the same host or
    parent domain may set cookies that are not RFC 6265 tokens (``theme=dark mode``,
    ``prefs="{"a":1}"``), and ``http.cookies`` drops every cookie of a header when one is
    malformed. Our values are URL-safe base64: anything else under our name is no value.
    """
    if not cookie_header:
        return None
    wanted = cookie_name(name)
    for pair in cookie_header.split(";"):
        key, separator, value = pair.partition("=")
        if separator and key.strip() == wanted:
            value = value.strip()
            if _COOKIE_VALUE.fullmatch(value):
                return value
    return None


def cookie_header(name: str, value: str, max_age: int) -> str:
    """A ``Set-Cookie`` value for the portal's cookie ``name`` (``max_age=0`` clears it).

    Host-only (no ``Domain``, ``Path=/``), HttpOnly, ``SameSite=Lax`` so the provider's
    redirect back to the callback carries it, and ``Secure`` with the ``__Host-`` prefix unless
    ``SSP_COOKIE_SECURE=false`` (see ``cookie_name``).
    """
    secure = "; Secure" if config.get_bool("SSP_COOKIE_SECURE") else ""
    return f"{cookie_name(name)}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"


def set_cookie_header(new: NewSession) -> str:
    return cookie_header(SESSION_COOKIE, new.raw_id, config.get_int("SSP_SESSION_MAX_SECONDS"))


def clear_cookie_header() -> str:
    return cookie_header(SESSION_COOKIE, "", 0)
