"""The audit table: who read or changed a registrant's data, shown to that registrant."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.store.base import TableMeta, TableName


class AuditEvent(Model):
    """Append-only, hence no version. ``at_event`` is ``<ISO time>#<event id>`` so a person's
    events sort by time in one Query."""

    class Meta(TableMeta):
        table_name = TableName("audit")

    subject = UnicodeAttribute(hash_key=True)  # the registrant_id the event is about
    at_event = UnicodeAttribute(range_key=True, attr_name="at#event")
    action = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    actor_ref = UnicodeAttribute()  # opaque staff reference, never a name
    details = JSONAttribute(default=dict)
    request_id = UnicodeAttribute(null=True)
