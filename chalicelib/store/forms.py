"""The forms table: versions of a form; a published version never changes."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute

from chalicelib.store.base import TableMeta, TableName, TimestampedModel


class FormVersion(TimestampedModel):
    """One version of a form. The range key is named ``version`` (DESIGN.md), so the optimistic
    lock of a draft version is ``revision``."""

    class Meta(TableMeta):
        table_name = TableName("forms")

    form_id = UnicodeAttribute(hash_key=True)
    version = NumberAttribute(range_key=True)
    title = JSONAttribute(default=dict)
    schema = JSONAttribute(default=dict)
    ui_schema = JSONAttribute(default=dict)
    prefill = JSONAttribute(default=dict)  # {"/json/pointer": "profile.field"}
    status = UnicodeAttribute(default="draft")  # draft | published
    published_at = UTCDateTimeAttribute(null=True)
    revision = VersionAttribute()
