"""How a person wants to be told (``contacts#<registrant_id>`` in the registrants table).

Kept beside the person rather than on their record, so that choosing a channel never changes
the profile's version (the person's open "my details" form keeps working).
"""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.models import Model

from chalicelib.store.base import TableMeta, TableName


class Contacts(Model):
    class Meta(TableMeta):
        table_name = TableName("registrants")

    registrant_id = UnicodeAttribute(hash_key=True)  # "contacts#<registrant_id>"
    channels = JSONAttribute(null=True)  # ["sms", "email"], [] for none; absent: the default
    # {"sms"|"email": {"value", "confirmed_at"}}: a contact the person typed, confirmed by a code.
    confirmed = JSONAttribute(default=dict)
    # {"sms"|"email": {"value", "code", "expires_at", "attempts"}}: awaiting its code (minutes).
    pending = JSONAttribute(default=dict)
    updated_at = UnicodeAttribute(null=True)
    version = VersionAttribute()


def contacts_key(registrant_id: str) -> str:
    return f"contacts#{registrant_id}"
