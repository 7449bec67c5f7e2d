"""The sessions table: login transactions and registrant sessions, each with an expiry (TTL)."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection

from chalicelib.store.base import TableMeta, TableName, TimestampedModel


class ByRegistrantIndex(GlobalSecondaryIndex["SessionItem"]):
    """A person's sessions on every device (sparse: login transactions have no registrant)."""

    class Meta:
        index_name = "by_registrant"
        projection = KeysOnlyProjection()

    registrant_id = UnicodeAttribute(hash_key=True)


class SessionItem(TimestampedModel):
    """``key`` is ``login#<sha256 of the state>`` for a login transaction or ``session#<sha256 of the id>``.

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
    by_registrant = ByRegistrantIndex()
    data = JSONAttribute(default=dict)
    last_seen = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute()
