"""The devices table: edge agents and their keys, capture transactions, verified captures."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, TTLAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.store.base import TableMeta, TableName, TimestampedModel


class DeviceItem(TimestampedModel):
    """Single-table layout: ``pk``/``sk`` say what an item is (e.g. ``agent#<id>``/``agent``,
    ``txn#<id>``/``txn``, ``capture#<id>``/``capture``); ``expires_at`` ends the short-lived ones."""

    class Meta(TableMeta):
        table_name = TableName("devices")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    owner = UnicodeAttribute(null=True)
    data = JSONAttribute(default=dict)
    expires_at = TTLAttribute(null=True)
    version = VersionAttribute()
