"""The messages table: what was sent to whom, program templates, and short-lived counters.

Single-table layout (``pk``/``sk``):

- ``person#<registrant_id>`` / ``msg#<event_id>#<channel>``: one message of one event on one
  channel (``sms``, ``email``, or ``inbox`` when the person has no usable channel). Its key is
  the idempotency key: a stream record delivered twice finds it and sends nothing more.
- ``templates#<program_id>`` / ``templates``: a program's own wording per event and language.
- ``limit#<what>#<key hash>`` / ``<window start>``: a rate-limit counter, gone with its TTL.

Parked messages (every try failed) carry ``parked`` and appear in the sparse ``parked`` index
for the administrators' list.
"""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.store.base import TableMeta, TableName, TimestampedModel


class ParkedMessages(GlobalSecondaryIndex["Message"]):
    class Meta:
        index_name = "parked"
        projection = AllProjection()

    parked = UnicodeAttribute(hash_key=True)  # "parked" while parked, removed once resent
    parked_at = UnicodeAttribute(range_key=True)


class Message(TimestampedModel):
    class Meta(TableMeta):
        table_name = TableName("messages")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    registrant_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    application_id = UnicodeAttribute(null=True)
    reference = UnicodeAttribute(null=True)
    channel = UnicodeAttribute()  # sms | email | inbox
    locale = UnicodeAttribute()
    subject = UnicodeAttribute(null=True)
    body = UnicodeAttribute()
    segments = NumberAttribute(null=True)  # SMS parts the text takes
    state = UnicodeAttribute()  # sending | sent | parked | inbox
    attempts = NumberAttribute(default=0)
    last_error = UnicodeAttribute(null=True)  # a provider's error code, never its message
    provider_id = UnicodeAttribute(null=True)
    sent_at = UnicodeAttribute(null=True)
    parked = UnicodeAttribute(null=True)
    parked_at = UnicodeAttribute(null=True)
    by_parked = ParkedMessages()
    expires_at = TTLAttribute(null=True)
    version = VersionAttribute()


class ProgramTemplates(Model):
    class Meta(TableMeta):
        table_name = TableName("messages")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    templates = JSONAttribute(default=dict)  # {event type: {locale: {sms, subject, email}}}
    updated_at = UnicodeAttribute(null=True)
    updated_by = JSONAttribute(null=True)
    version = VersionAttribute()


class Counter(Model):
    class Meta(TableMeta):
        table_name = TableName("messages")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    tries = NumberAttribute(default=0)
    expires_at = TTLAttribute(null=True)
