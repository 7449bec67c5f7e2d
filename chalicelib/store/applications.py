"""The applications table, and the guard items that keep what DynamoDB cannot index unique."""

from __future__ import annotations

from pynamodb.attributes import (
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection
from pynamodb.models import Model

from chalicelib.store.base import TableMeta, TableName, TimestampedModel, shard_of

# The review index's partitions per program: a submission writes one of them (picked from the
# application id), a reviewer's page reads them all at once. At the opening-day peak (833
# submissions a second) each takes a quarter of the writes, about 21% of a partition's limit.
REVIEW_SHARDS = 4
# The counter items per program: every transition's transaction adds to one of them (picked from
# the application id), so two applicants rarely meet on one; a count reads all of them in one
# BatchGetItem (at most 100 keys).
COUNTER_SHARDS = 64
# What a reviewer's list shows (``programs.service.summary``): the review index holds only these.
REVIEW_ATTRIBUTES = ["registrant_id", "program_id", "status", "reference", "channel", "submitted_at", "updated_at", "version", "member_count"]


class ByRegistrant(GlobalSecondaryIndex["Application"]):
    class Meta:
        index_name = "by_registrant"
        projection = AllProjection()

    registrant_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class ReviewIndex(GlobalSecondaryIndex["Application"]):
    """What reviewers list: sparse (only submitted applications carry ``review_shard``),
    write-sharded (``<program_id>#<nn>``, ``REVIEW_SHARDS`` of them) and narrowly projected
    (``REVIEW_ATTRIBUTES``), so a draft's saves never write it and a submission writes a few
    hundred bytes to one of several partitions. Read by scatter-gather (``programs.review``)."""

    class Meta:
        index_name = "review"
        projection = IncludeProjection(REVIEW_ATTRIBUTES)

    review_shard = UnicodeAttribute(hash_key=True)
    status_submitted = UnicodeAttribute(range_key=True)  # "<status>#<submitted_at ISO>"


class ByReference(GlobalSecondaryIndex["Application"]):
    class Meta:
        index_name = "reference"
        projection = AllProjection()

    reference = UnicodeAttribute(hash_key=True)


class ByEnrolment(GlobalSecondaryIndex["Application"]):
    """Sparse: only enrolled applications carry ``enrolled_registrant_id``."""

    class Meta:
        index_name = "enrolments"
        projection = AllProjection()

    enrolled_registrant_id = UnicodeAttribute(hash_key=True)
    enrolled_at = UTCDateTimeAttribute(range_key=True)


class Application(TimestampedModel):
    class Meta(TableMeta):
        table_name = TableName("applications")

    application_id = UnicodeAttribute(hash_key=True)
    registrant_id = UnicodeAttribute()
    program_id = UnicodeAttribute()
    by_registrant = ByRegistrant()
    status_submitted = UnicodeAttribute()
    review_shard = UnicodeAttribute(null=True)  # set once submitted: ``review_shard_of``
    review = ReviewIndex()
    member_count = JSONAttribute(null=True)  # {group: members listed}, for the review list (no answers)
    write_token = UnicodeAttribute(null=True)  # a fresh value per write: a retried write recognises its own
    reference = UnicodeAttribute(null=True)
    by_reference = ByReference()
    form_id = UnicodeAttribute(null=True)
    form_version = NumberAttribute(null=True)
    status = UnicodeAttribute(default="draft")
    answers = JSONAttribute(default=dict)
    history = JSONAttribute(default=list)  # [{from, to, at, by: {role, ref}, reason}]
    documents = JSONAttribute(default=list)
    channel = UnicodeAttribute(default="self")  # self | assisted
    assisted_by = UnicodeAttribute(null=True)
    submitted_at = UTCDateTimeAttribute(null=True)
    program_name = JSONAttribute(default=dict)  # {locale: text} when the application was created
    prefilled = JSONAttribute(default=dict)  # {pointer: value} verified profile values, read-only
    guards = JSONAttribute(default=list)  # ids of the guard items this application holds
    submit_key = UnicodeAttribute(null=True)  # Idempotency-Key of the last submit
    # The program's consent statements the person agreed to, each written with the submission that
    # agreed to it: [{id, version, locale, text, required, agreed_at, by: {role, ref}}]. Absent
    # until one is agreed to, so a Query can leave out the applications without any.
    consents = JSONAttribute(null=True)
    # The form's repeating groups as forms.groups.outline keeps them (summary field, item label,
    # document questions), so that members and their documents are named without the form.
    groups = JSONAttribute(null=True)
    enrolled_registrant_id = UnicodeAttribute(null=True)
    enrolled_at = UTCDateTimeAttribute(null=True)
    by_enrolment = ByEnrolment()
    version = VersionAttribute()


class ApplicationGuard(Model):
    """A uniqueness claim stored beside applications (``application_id`` = ``guard#<what>``).

    Written in the same TransactWrite as the application with a does-not-exist condition, so a
    second claim of the same reference, or a second active application where the program's
    policy allows one, cancels the whole transaction. Guards have no ``registrant_id`` and so
    never appear in the indexes.
    """

    class Meta(TableMeta):
        table_name = TableName("applications")

    application_id = UnicodeAttribute(hash_key=True)
    owner = UnicodeAttribute()  # the application holding the claim
    until = UTCDateTimeAttribute(null=True)  # a cooldown claim lapses at this time


class AttachedDocuments(Model):
    """The available documents attached to an application (``application_id`` = ``kinds#<id>``).

    Kept beside the application rather than on it, so a document upload never bumps the
    application's version (the person's next save with the version they hold still goes
    through), and read in the same TransactGetItems as the application at submit. ``entries``
    holds ``<kind>#<document_id>`` strings: two documents of one kind are two entries, so
    deleting one leaves the kind available. ``revision`` grows with each change; a submission
    checks it in its transaction, so a document deleted meanwhile cancels the submission.
    """

    class Meta(TableMeta):
        table_name = TableName("applications")

    application_id = UnicodeAttribute(hash_key=True)
    entries = UnicodeSetAttribute(null=True)
    revision = NumberAttribute(default=0)


class DraftsOf(Model):
    """A person's drafts for one program (``application_id`` = ``drafts#<program_id>#<registrant_id>``).

    A program's page reads it with the program and the person's claims in one TransactGetItems,
    to offer the draft the person can go back to. ``entries`` holds
    ``<created_at>#<application_id>`` for each draft, so the oldest sorts first. Every write that
    makes or ends a draft adds or removes its entry in its own TransactWrite, with no condition
    (``programs.drafts``), so it can never be what cancels that transaction.
    """

    class Meta(TableMeta):
        table_name = TableName("applications")

    application_id = UnicodeAttribute(hash_key=True)
    entries = UnicodeSetAttribute(null=True)


def review_shard_of(program_id: str, application_id: str) -> str:
    return f"{program_id}#{shard_of(application_id, REVIEW_SHARDS):02d}"


def review_shards(program_id: str) -> list[str]:
    return [f"{program_id}#{n:02d}" for n in range(REVIEW_SHARDS)]


class ApplicationCounter(Model):
    """How many of a program's applications are in each status, one of ``COUNTER_SHARDS`` items
    per program (``application_id`` = ``counts#<program_id>#<nn>``).

    Every transition adds 1 to the status it leads to and takes 1 from the one it leaves, in the
    transition's own TransactWrite (``programs.counters``), on the shard its application id picks:
    a count is the sum of the shards, read in one BatchGetItem, whatever the number of
    applications. No ``registrant_id``: never in an index. Unconditional ``ADD``s, so it never
    cancels the transaction it is in.
    """

    class Meta(TableMeta):
        table_name = TableName("applications")

    application_id = UnicodeAttribute(hash_key=True)
    draft = NumberAttribute(default=0)
    submitted = NumberAttribute(default=0)
    under_review = NumberAttribute(default=0)
    info_requested = NumberAttribute(default=0)
    approved = NumberAttribute(default=0)
    rejected = NumberAttribute(default=0)
    enrolled = NumberAttribute(default=0)
    withdrawn = NumberAttribute(default=0)


def counter_id(program_id: str, application_id: str) -> str:
    return f"counts#{program_id}#{shard_of(application_id, COUNTER_SHARDS):02d}"


def counter_ids(program_id: str) -> list[str]:
    return [f"counts#{program_id}#{n:02d}" for n in range(COUNTER_SHARDS)]
