"""The integrations table: the ministry's webhook endpoints and the delivery log of each.

Single-table layout (``pk``/``sk``):

- ``endpoints`` / ``<endpoint_id>``: one endpoint an administrator registered (its URL, the
  public event types it wants, its state). A handful per portal: one partition, read with one
  Query by the fan-out (and kept a few seconds in the function's memory).
- ``endpoint#<endpoint_id>#<shard>`` / ``<event_id>``: the delivery of one event to that endpoint: state,
  attempts, the last HTTP status and an error *code*. Never the payload, nor anything about the
  person: the log is shown to administrators, and the payload is built again at each try.
  Event ids sort by time, so the log reads in event order and a replay names a range of them.

The secret that signs an endpoint's deliveries is not here: it is in Secrets Manager (SSM
Parameter Store on the local stack), ``chalicelib.integrations.secrets``.
"""

from __future__ import annotations

import hashlib

from pynamodb.attributes import ListAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.store.base import TableMeta, TableName, TimestampedModel

ENDPOINTS_PK = "endpoints"
# An endpoint's log is spread over this many partitions (by event id): on an opening day every
# submission writes a delivery item and updates it once or twice, which one partition per endpoint
# could not take (DESIGN.md section 14). The log is read from all of them and merged.
LOG_SHARDS = 8


def deliveries_pk(endpoint_id: str, event_id: str) -> str:
    shard = int.from_bytes(hashlib.sha256(event_id.encode()).digest()[:4], "big") % LOG_SHARDS
    return f"endpoint#{endpoint_id}#{shard}"


def deliveries_pks(endpoint_id: str) -> list[str]:
    return [f"endpoint#{endpoint_id}#{shard}" for shard in range(LOG_SHARDS)]


class IntegrationItem(TimestampedModel):
    """An endpoint (``pk = endpoints``) or one delivery to it (``pk = endpoint#<id>``)."""

    class Meta(TableMeta):
        table_name = TableName("integrations")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    # An endpoint
    url = UnicodeAttribute(null=True)
    description = UnicodeAttribute(null=True)
    event_types: ListAttribute[str] = ListAttribute(null=True)  # public names (application.enrolled, ...)
    state = UnicodeAttribute(null=True)  # endpoint: active | paused | disabled; delivery: queued | delivered | retrying | failed | paused
    paused_reason = UnicodeAttribute(null=True)  # failing_for_a_day | by_admin
    paused_at = UTCDateTimeAttribute(null=True)
    failing_since = UTCDateTimeAttribute(null=True)  # the first failure since the last success
    secret_rotated_at = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute(null=True)  # a staff reference, never a name
    # A delivery
    event_id = UnicodeAttribute(null=True)
    event_type = UnicodeAttribute(null=True)
    stream = UnicodeAttribute(null=True)  # the event's stream: its position in the FIFO group
    attempts = NumberAttribute(null=True)
    first_attempt_at = UTCDateTimeAttribute(null=True)
    last_attempt_at = UTCDateTimeAttribute(null=True)
    next_attempt_at = UTCDateTimeAttribute(null=True)
    delivered_at = UTCDateTimeAttribute(null=True)
    last_status = NumberAttribute(null=True)  # the receiver's HTTP status, when it answered
    last_error = UnicodeAttribute(null=True)  # a code: http_500, timeout, redirect, refused_address, ...
    replays = NumberAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    # No VersionAttribute: deliveries of many groups update their endpoint's health at once, with
    # atomic update actions and explicit conditions, where a version check would only make them
    # retry one another.
