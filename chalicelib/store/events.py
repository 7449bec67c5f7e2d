"""The events table: the transactional outbox of domain events, read through its DynamoDB stream.

An event is written in the same TransactWrite as the change it tells of (``chalicelib.events``),
so there is never one without the other. Consumers (notifications, integrations) read the
table's stream (``NEW_IMAGE``); the feed index lets a pull consumer page through every event in
order (``read_feed``).
"""

from __future__ import annotations

import heapq
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.store.base import TableMeta, TableName, shard_of

# The feed index's partitions per day: every event of the portal is written to one of them (picked
# from its id), so the opening day's ~1,700 events a second take about a fifth of a partition's
# limit each. A feed page reads them all and merges them in id order (``read_feed``), whichever
# count wrote them: raising it later loses nothing.
FEED_SHARDS = 8


class EventFeed(GlobalSecondaryIndex["OutboxEvent"]):
    """Every event of one UTC day, spread over ``FEED_SHARDS`` keys (``feed_day`` =
    ``YYYY-MM-DD#<n>``, ``feed_key``), each in ``event_id`` order."""

    class Meta:
        index_name = "feed"
        projection = AllProjection()

    feed_day = UnicodeAttribute(hash_key=True)
    event_id = UnicodeAttribute(range_key=True)


class OutboxEvent(Model):
    """One domain event. Append-only: never updated, hence no version.

    ``stream`` groups the events of one subject in order: ``application#<id>`` (its status
    changes) or ``registrant#<id>`` (everything else about the person). ``event_id`` sorts by time (``<UTC time to the microsecond>-<n><random>``);
    ``sequence`` is the application's version after the change, a gap-free order per
    application for consumers that must apply events in order. ``data`` holds what a consumer
    needs beyond the ids (a reason code, a field name), never answers, documents or free text.
    """

    class Meta(TableMeta):
        table_name = TableName("events")
        stream_view_type = "NEW_IMAGE"

    stream = UnicodeAttribute(hash_key=True)
    event_id = UnicodeAttribute(range_key=True)
    type = UnicodeAttribute()
    schema_version = NumberAttribute(default=1)
    occurred_at = UTCDateTimeAttribute()
    registrant_id = UnicodeAttribute()
    application_id = UnicodeAttribute(null=True)
    program_id = UnicodeAttribute(null=True)
    reference = UnicodeAttribute(null=True)
    sequence = NumberAttribute(null=True)
    actor_role = UnicodeAttribute()
    data = JSONAttribute(default=dict)
    feed_day = UnicodeAttribute()
    feed = EventFeed()
    expires_at = TTLAttribute(null=True)


def feed_key(at: datetime, event_id: str) -> str:
    """The ``feed_day`` an event written at ``at`` with id ``event_id`` goes under."""
    return f"{at.strftime('%Y-%m-%d')}#{shard_of(event_id, FEED_SHARDS)}"


class FeedPage(NamedTuple):
    events: list[OutboxEvent]
    after: str | None  # the last event id handed out: the next page starts after it


# Helper 18b (pull feed, GET /api/admin/events?after=): call read_feed, never OutboxEvent.feed.query: the feed keys are sharded.
def read_feed(after: str | None, limit: int, *, today: datetime, oldest: datetime) -> FeedPage:
    """Events in ``event_id`` order (time order), after the event id ``after`` (or from the
    ``oldest`` day kept), at most ``limit`` of them. The one way to read the feed: the pull feed of
    the integrations (issue 18) calls this, not the index, as the index is sharded.

    Reads each of the ``FEED_SHARDS`` keys of a day (one Query each, ``limit`` items at most) and
    merges them, moving to the next day until ``limit`` events are found or ``today`` is read: a
    page costs ``FEED_SHARDS`` Queries per day it spans. An ``after`` id names its own day
    (``new_event_id``: ``YYYYMMDDT...``), so the cursor is just the last id handed out."""
    day = _day_of(after) if after else oldest
    day = max(day, oldest).replace(hour=0, minute=0, second=0, microsecond=0)
    found: list[OutboxEvent] = []
    while day.date() <= today.date() and len(found) < limit:
        streams = []
        for shard in range(FEED_SHARDS):
            condition = OutboxEvent.event_id > after if after else None
            key = f"{day.strftime('%Y-%m-%d')}#{shard}"
            streams.append(list(OutboxEvent.feed.query(key, condition, limit=limit - len(found))))
        merged = list(heapq.merge(*streams, key=lambda event: event.event_id))
        found.extend(merged[: limit - len(found)])
        day += timedelta(days=1)
    return FeedPage(events=found, after=found[-1].event_id if found else after)


def _day_of(event_id: str) -> datetime:
    try:
        return datetime.strptime(event_id[:8], "%Y%m%d").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError("not an event id") from None
