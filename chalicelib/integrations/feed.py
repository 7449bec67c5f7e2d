"""The pull feed: the same payloads as the webhooks, in order, paged with an opaque cursor, for
systems that cannot receive webhooks (``GET /api/admin/events?after=``, the ``integration`` role).

A page reads the outbox in event order after the cursor's event (``store.events.read_feed``, the
one way to read the sharded feed index) and keeps the events integrations get
(``payloads.build``). It stops short of the last few seconds (``SETTLE``): an event id is drawn
before its transaction commits and the feed index is eventually consistent, so a newer event
could otherwise appear behind a position already handed out. The cursor is the last event read
(public or not), so a consumer polling with the last ``next_cursor`` never sees an event twice
nor misses one.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from chalicelib.errors import BadRequest
from chalicelib.events.outbox import RETENTION
from chalicelib.integrations import payloads
from chalicelib.store.events import read_feed

SETTLE = timedelta(seconds=5)
MAX_READS = 5  # per page: internal events are skipped, so a page may read the outbox more than once
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
EVENT_ID = re.compile(r"^(\d{8})T\d{12}Z-[0-9a-f]{12}$")


class FeedPage(NamedTuple):
    items: list[dict[str, Any]]
    after: str | None  # the last event read
    more: bool

    def as_json(self) -> dict[str, Any]:
        return {"items": self.items, "next_cursor": encode(self.after), "has_more": self.more}


def read(cursor: str | None, limit: int, *, now: datetime) -> FeedPage:
    """The payloads after ``cursor`` (None: from the oldest event kept), at most ``limit``."""
    after = decode(cursor) if cursor else None
    bound = (now - SETTLE).strftime("%Y%m%dT%H%M%S%f") + "Z"  # event ids start with their UTC time
    items: list[dict[str, Any]] = []
    for _ in range(MAX_READS):
        wanted = limit - len(items)
        page = read_feed(after, wanted, today=now, oldest=now - RETENTION)
        settled = [event for event in page.events if event.event_id < bound]
        for event in settled:
            after = event.event_id
            body = payloads.build(event, now=now)
            if body is not None:
                items.append({"id": event.event_id, **body})
        if len(settled) < len(page.events) or len(page.events) < wanted:
            return FeedPage(items, after, more=False)  # read up to now (less the settling seconds)
        if len(items) >= limit:
            break
    return FeedPage(items, after, more=True)


def encode(after: str | None) -> str:
    raw = json.dumps({"v": 1, "after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> str | None:
    """The event id of a cursor this feed handed out; anything else is 400 ``bad_cursor``."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise _bad_cursor() from None
    if not isinstance(decoded, dict) or decoded.get("v") != 1 or set(decoded) != {"v", "after"}:
        raise _bad_cursor()
    after = decoded["after"]
    if after is None:
        return None
    match = EVENT_ID.match(after) if isinstance(after, str) else None
    if match is None:
        raise _bad_cursor()
    try:
        datetime.strptime(match.group(1), "%Y%m%d")
    except ValueError:
        raise _bad_cursor() from None
    return str(after)


def _bad_cursor() -> BadRequest:
    return BadRequest("This cursor is not one the feed gave out.", code="bad_cursor", fields={"/after": "bad_cursor"})
