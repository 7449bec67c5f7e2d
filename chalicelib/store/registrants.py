"""The registrants table: one item per person, found by login (issuer + subject)."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.store.base import TableMeta, TableName, TimestampedModel


class LoginIndex(GlobalSecondaryIndex["Registrant"]):
    class Meta:
        index_name = "login"
        projection = AllProjection()

    login = UnicodeAttribute(hash_key=True)


class Registrant(TimestampedModel):
    """A person. ``profile`` maps field name to {value, source, provider, verified, changed_at}."""

    class Meta(TableMeta):
        table_name = TableName("registrants")

    registrant_id = UnicodeAttribute(hash_key=True)
    login = UnicodeAttribute()  # "<issuer>#<subject>": eSignet's sub is pairwise per client
    by_login = LoginIndex()
    individual_id = UnicodeAttribute(null=True)
    preferred_locale = UnicodeAttribute(null=True)
    profile = JSONAttribute(default=dict)
    consents = JSONAttribute(default=list)
    version = VersionAttribute()
