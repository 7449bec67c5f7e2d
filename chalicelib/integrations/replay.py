"""What administrators do with an endpoint's deliveries: read the log, replay a range, resume.

A replay queues the events of a time (or event id) range again for one endpoint, each with its
original id as ``webhook-id``: a receiver that has them drops them, one that lost them applies
them. The outbox keeps events 35 days, so that is as far back as a replay reaches. Resuming a
paused endpoint queues what was held while it was paused, in event order.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import re
import secrets as random
from datetime import date, datetime
from typing import Any

from chalicelib.errors import BadRequest, Conflict, ValidationFailed
from chalicelib.events.outbox import RETENTION
from chalicelib.identity.callers import Actor
from chalicelib.integrations import queue, subscriptions
from chalicelib.observability import logger
from chalicelib.store.base import now
from chalicelib.store.events import read_feed
from chalicelib.store.subscriptions import IntegrationItem, deliveries_pk, deliveries_pks

EVENT_ID = re.compile(r"^[0-9]{8}T[0-9]{12}Z-[0-9a-f]{12}$")
REPLAY_AT_MOST = 500
FEED_PAGE = 100
RESUME_AT_MOST = 1000


def delivery_json(item: IntegrationItem) -> dict[str, Any]:
    """One line of the log: no payload, nothing about the person."""

    def at(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "event_id": item.sk,
        "event_type": item.event_type,
        "state": item.state,
        "attempts": int(item.attempts or 0),
        "last_status": int(item.last_status) if item.last_status is not None else None,
        "last_error": item.last_error,
        "first_attempt_at": at(item.first_attempt_at),
        "last_attempt_at": at(item.last_attempt_at),
        "next_attempt_at": at(item.next_attempt_at),
        "delivered_at": at(item.delivered_at),
        "replays": int(item.replays or 0),
    }


def deliveries(endpoint_id: str, limit: int, cursor: str | None, state: str | None = None) -> dict[str, Any]:
    """The endpoint's log, newest event first: one Query per shard of its log, merged. The cursor
    is the last event id handed out."""
    subscriptions.get(endpoint_id)
    before = _decode_cursor(cursor)
    condition = IntegrationItem.state == state if state else None
    shards = [
        IntegrationItem.query(pk, IntegrationItem.sk < before if before else None, filter_condition=condition, scan_index_forward=False, limit=limit)
        for pk in deliveries_pks(endpoint_id)
    ]
    merged = list(heapq.merge(*shards, key=lambda item: item.sk, reverse=True))
    page = merged[:limit]
    following = _encode_cursor(page[-1].sk) if len(merged) > limit else None
    return {"items": [delivery_json(item) for item in page], "next_cursor": following}


def replay(endpoint_id: str, start: str, end: str, actor: Actor) -> dict[str, Any]:
    """Queue again every wanted event from ``start`` to ``end`` (both included; times or event
    ids), at most ``REPLAY_AT_MOST``; ``next_from`` continues where this one stopped."""
    endpoint = subscriptions.get(endpoint_id)
    if endpoint.state != "active":
        raise Conflict("Resume the endpoint before replaying to it.", code="endpoint_paused")
    low, high = _bound(start, "/from", last=False), _bound(end, "/to", last=True)
    if low > high:
        raise ValidationFailed("The range ends before it starts.", fields={"/to": "before_from"})
    moment = now()
    if _day(low) < (moment - RETENTION).date():
        raise ValidationFailed("A replay reaches back 35 days at most.", fields={"/from": "too_far_back"})
    token = "replay-" + random.token_hex(6)
    wanted = set(endpoint.event_types or [])
    queued: list[str] = []
    after: str | None = low[:-1]  # read_feed starts after an id: just before the range's first
    while True:
        page = read_feed(after, FEED_PAGE, today=moment, oldest=moment - RETENTION)
        for event in page.events:
            if event.event_id > high:
                return _replayed(endpoint_id, actor, queued, None)
            if event.event_id < low or subscriptions.public_type(event.type) not in wanted:
                continue
            if len(queued) == REPLAY_AT_MOST:
                return _replayed(endpoint_id, actor, queued, event.event_id)
            _queue_again(endpoint_id, event.event_id, event.stream, subscriptions.public_type(event.type), token)
            queued.append(event.event_id)
        if len(page.events) < FEED_PAGE:
            break
        after = page.after
    return _replayed(endpoint_id, actor, queued, None)


def resume(endpoint_id: str, actor: Actor) -> dict[str, Any]:
    """Make a paused endpoint active and queue, in event order, what was held meanwhile."""
    subscriptions.get(endpoint_id)
    item = subscriptions.mark_active(endpoint_id)
    token = "resume-" + random.token_hex(6)
    shards = [IntegrationItem.query(pk, filter_condition=IntegrationItem.state == "paused", limit=RESUME_AT_MOST) for pk in deliveries_pks(endpoint_id)]
    held = list(heapq.merge(*shards, key=lambda item: item.sk))[:RESUME_AT_MOST]
    count = 0
    for delivery in held:
        _queue_again(endpoint_id, delivery.sk, str(delivery.stream), delivery.event_type, token)
        count += 1
    logger.info("webhook_endpoint_resumed", extra={"endpoint_id": endpoint_id, "by": actor.ref, "queued": count})
    return {**subscriptions.endpoint_json(subscriptions.get(item.sk)), "queued": count}


def _queue_again(endpoint_id: str, event_id: str, stream: str, public: str | None, token: str) -> None:
    item = IntegrationItem(pk=deliveries_pk(endpoint_id, event_id), sk=event_id)
    item.update(
        actions=[
            IntegrationItem.event_id.set(event_id),
            IntegrationItem.event_type.set(public or ""),
            IntegrationItem.stream.set(stream),
            IntegrationItem.state.set("queued"),
            IntegrationItem.replays.add(1),
            IntegrationItem.first_attempt_at.remove(),
            IntegrationItem.next_attempt_at.remove(),
            IntegrationItem.expires_at.set(now() + subscriptions.LOG_KEPT_FOR),
        ]
    )
    if queue.enabled():
        queue.send(endpoint_id, event_id, stream, replay=token)


def _replayed(endpoint_id: str, actor: Actor, queued: list[str], next_from: str | None) -> dict[str, Any]:
    logger.info("webhook_replay_queued", extra={"endpoint_id": endpoint_id, "by": actor.ref, "queued": len(queued)})
    return {"queued": len(queued), "first_event_id": queued[0] if queued else None, "last_event_id": queued[-1] if queued else None, "next_from": next_from}


def _bound(value: str, field: str, *, last: bool) -> str:
    """An event id as is; a time as the ids it starts (``from``) or ends (``to``)."""
    if EVENT_ID.match(value):
        return value
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed("Give a time (ISO 8601) or an event id.", fields={field: "wrong_format"}) from None
    if at.tzinfo is None:
        raise ValidationFailed("Give the time with its offset (Z for UTC).", fields={field: "wrong_format"})
    prefix = at.astimezone(now().tzinfo).strftime("%Y%m%dT%H%M%S%f") + "Z"
    return prefix + "~" if last else prefix


def _encode_cursor(event_id: str) -> str:
    return base64.urlsafe_b64encode(event_id.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        event_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, ValueError):
        raise BadRequest("This page link is not valid.", code="bad_cursor") from None
    if not EVENT_ID.match(event_id):
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    return event_id


def _day(bound: str) -> date:
    return date(int(bound[0:4]), int(bound[4:6]), int(bound[6:8]))
