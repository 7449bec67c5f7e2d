"""The devices table: edge agents and their keys, capture transactions, verified captures."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, TTLAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.store.base import TableMeta, TableName, TimestampedModel


class DeviceItem(TimestampedModel):
    """Single-table layout: ``pk``/``sk`` say what an item is; ``expires_at`` ends the short-lived ones.

    - ``agents`` / ``<agent_id>``: an edge agent, its public key and status (one partition, so
      an admin lists every agent with one Query; ``owner`` is the officer's staff reference).
    - ``officer#<ref>`` / ``txn#<id>``: a capture transaction, bound to its officer by the key.
    - ``officer#<ref>`` / ``capture#<id>``: the outcome of a relayed capture (never biometric
      data), which makes a resent envelope answer the same once more.
    - ``officer#<ref>`` / ``assist#<id>``: an assisted session opened by a verified capture.
    """

    class Meta(TableMeta):
        table_name = TableName("devices")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    owner = UnicodeAttribute(null=True)
    data = JSONAttribute(default=dict)
    expires_at = TTLAttribute(null=True)
    version = VersionAttribute()
