"""The events table: the transactional outbox of domain events, read through its DynamoDB stream.

An event is written in the same TransactWrite as the change it tells of (``chalicelib.events``),
so there is never one without the other. Consumers (notifications, integrations) read the
table's stream (``NEW_IMAGE``); the feed index lets a pull consumer page through every event of a
day in order.
"""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.store.base import TableMeta, TableName


class EventFeed(GlobalSecondaryIndex["OutboxEvent"]):
    """Every event of one UTC day (``feed_day`` = ``YYYY-MM-DD``), in ``event_id`` order."""

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
