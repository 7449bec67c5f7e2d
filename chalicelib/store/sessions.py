"""The sessions table: login transactions and registrant sessions, each with an expiry (TTL)."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.store.base import TableMeta, TableName, TimestampedModel


class SessionItem(TimestampedModel):
    """``key`` is ``login#<state>`` for a login transaction or ``session#<sha256 of the id>``.

    A session's raw id is only ever in the person's cookie; the table holds its hash.
    Unlike other tables these items carry no ``version``: a login transaction is only ever
    consumed (a conditional delete) and a session only touched (an idempotent conditional
    update that also reads it, so resolving a session is one DynamoDB call).
    """

    class Meta(TableMeta):
        table_name = TableName("sessions")

    key = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # login | session
    registrant_id = UnicodeAttribute(null=True)
    data = JSONAttribute(default=dict)
    last_seen = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute()
