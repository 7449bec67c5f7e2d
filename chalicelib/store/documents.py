"""The documents table: uploaded files' records; the bytes live in S3.

The same table holds one ``DocumentQuota`` per person (``document_id`` = ``quota#<registrant_id>``):
what that person's documents hold, reserved in the same TransactWrite that creates a document.
It has no ``registrant_id`` attribute, so it never appears in ``by_registrant``.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.store.base import TableMeta, TableName, TimestampedModel


class DocumentsByRegistrant(GlobalSecondaryIndex["Document"]):
    class Meta:
        index_name = "by_registrant"
        projection = AllProjection()

    registrant_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class Document(TimestampedModel):
    class Meta(TableMeta):
        table_name = TableName("documents")

    document_id = UnicodeAttribute(hash_key=True)
    registrant_id = UnicodeAttribute()
    by_registrant = DocumentsByRegistrant()
    application_id = UnicodeAttribute(null=True)
    program_id = UnicodeAttribute(null=True)
    kind = UnicodeAttribute()
    s3_key = UnicodeAttribute()  # where the verified bytes live; never presigned for upload
    upload_key = UnicodeAttribute(null=True)  # where the browser uploads; removed after verification
    upload_deadline = UTCDateTimeAttribute(null=True)  # when the presigned POST stops being valid
    file_name = UnicodeAttribute()
    declared_type = UnicodeAttribute()
    declared_size = NumberAttribute()
    verified_type = UnicodeAttribute(null=True)
    size = NumberAttribute(null=True)
    sha256 = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="pending")  # pending | scanning | available | rejected | replaced
    reason = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)  # set while pending; removed when available
    copied_from = UnicodeAttribute(null=True)  # the document this one copies (reused for another application)
    replaced_by = UnicodeAttribute(null=True)  # replaced: the newer document of its kind that took its place
    replaced_at = UTCDateTimeAttribute(null=True)  # replaced: when the person removed it from the application
    write_token = UnicodeAttribute(null=True)  # a fresh value per save: a retried save recognises its own
    version = VersionAttribute()


class DocumentQuota(Model):
    """How many documents, and how many bytes, a person's live documents hold.

    A counter, exempt from ``VersionAttribute`` on purpose: every change is an atomic ``ADD``
    (with, when reserving, a condition on the counts themselves), so two declarations at once
    both count, where a version condition would make one of them fail for no reason. Each change
    also adds 1 to ``revision`` and sets ``updated_at`` (``created_at`` the first time): the one
    read-modify-write, the recount, conditions its overwrite on the ``revision`` it read, so a
    declaration made while it counted is never lost (``documents.service._quota_changes`` and ``_recount``).
    """

    class Meta(TableMeta):
        table_name = TableName("documents")

    document_id = UnicodeAttribute(hash_key=True)  # quota#<registrant_id>
    documents = NumberAttribute(default=0)
    total_bytes = NumberAttribute(default=0)
    revision = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
