"""The programs table: what a ministry offers, its window, form mapping and policy."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.store.base import TableMeta, TableName, TimestampedModel


class StateIndex(GlobalSecondaryIndex["Program"]):
    class Meta:
        index_name = "state"
        projection = AllProjection()

    state = UnicodeAttribute(hash_key=True)
    program_id = UnicodeAttribute(range_key=True)


class Program(TimestampedModel):
    class Meta(TableMeta):
        table_name = TableName("programs")

    program_id = UnicodeAttribute(hash_key=True)
    state = UnicodeAttribute(default="draft")  # draft | open | closed | archived
    by_state = StateIndex()
    name = JSONAttribute(default=dict)  # {locale: text}
    description = JSONAttribute(default=dict)
    eligibility = JSONAttribute(default=dict)
    benefit = JSONAttribute(default=dict)  # what a person gets (an amount or a service), {locale: text}
    decision_days = NumberAttribute(null=True)  # how many days a decision usually takes
    opens_at = UTCDateTimeAttribute(null=True)
    closes_at = UTCDateTimeAttribute(null=True)
    form_id = UnicodeAttribute(null=True)
    form_version = NumberAttribute(null=True)
    policy = JSONAttribute(default=dict)  # {"kind": once|one_active|repeat, "cooldown_days": n}
    # Statements a person agrees to when applying: [{id, text: {locale: text}, required}].
    consents = JSONAttribute(null=True)
    documents = JSONAttribute(default=list)  # required document kinds with types and limits
    # The mapped form is not copied here: every applicant reads this item, and the form was most of
    # it. A published version never changes: ``forms.service.published_form`` keeps it per process.
    version = VersionAttribute()
