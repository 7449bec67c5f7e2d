"""The registrants table: one item per person, found by login (issuer + subject).

The same table holds the records that belong to a person but grow without bound or must be
listed across people, each under a key prefix so that they never collide with a person's id:
``history#<id>`` (a previous value of a profile field), ``change-request#<id>`` (a change to a
verified field awaiting staff review), ``login#<hash>`` (the guard that keeps one person per
issuer + subject) and ``settings#profile-form`` (the administrator's profile form). The
indexes that serve those records are sparse: only items carrying the key attribute appear.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection
from pynamodb.models import Model

from chalicelib.store.base import TableMeta, TableName, TimestampedModel


class LoginIndex(GlobalSecondaryIndex["Registrant"]):
    class Meta:
        index_name = "login"
        projection = AllProjection()

    login = UnicodeAttribute(hash_key=True)


class IndividualIdIndex(GlobalSecondaryIndex["Registrant"]):
    """Sparse: only people whose ID provider released their ID number (an officer names a
    person by it)."""

    class Meta:
        index_name = "individual_id"
        projection = IncludeProjection(["updated_at"])

    individual_id = UnicodeAttribute(hash_key=True)


class RecordsByOwner(GlobalSecondaryIndex[Any]):
    """Sparse: a person's history entries and change requests, ``sort`` = ``<kind>#<ISO time>#<id>``."""

    class Meta:
        index_name = "by_owner"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    sort = UnicodeAttribute(range_key=True)


class ReviewQueue(GlobalSecondaryIndex[Any]):
    """Sparse: change requests awaiting review (``queue`` = ``pending``), oldest first."""

    class Meta:
        index_name = "review_queue"
        projection = AllProjection()

    queue = UnicodeAttribute(hash_key=True)
    queued_at = UnicodeAttribute(range_key=True)


class Registrant(TimestampedModel):
    """A person. ``profile`` maps field name to {value, source, provider, verified, changed_at}."""

    class Meta(TableMeta):
        table_name = TableName("registrants")

    registrant_id = UnicodeAttribute(hash_key=True)
    login = UnicodeAttribute()  # "<issuer>#<subject>": eSignet's sub is pairwise per client
    by_login = LoginIndex()
    individual_id = UnicodeAttribute(null=True)
    by_individual_id = IndividualIdIndex()
    preferred_locale = UnicodeAttribute(null=True)
    profile = JSONAttribute(default=dict)
    consents = JSONAttribute(default=list)
    pending_changes = JSONAttribute(default=dict)  # {field: {request_id, value, requested_at}}
    last_login = JSONAttribute(null=True)  # {at, provider, changed: [field]}
    version = VersionAttribute()
    # Declared here so that the table (and the infra template) gets them; queried through the
    # record models below.
    _records_by_owner = RecordsByOwner()
    _review_queue = ReviewQueue()


class ProfileChange(TimestampedModel):
    """One change of one profile field, with the value it replaced (``history#<id>``).

    Written once, in the transaction of the change it records; the only later change is the
    redaction of an ID provider's values when the person withdraws consent. That redaction is an
    update under ``version`` (a redaction racing another re-reads and redoes it), and sets
    ``updated_at``; ``at`` (= ``created_at``) is when the change happened."""

    class Meta(TableMeta):
        table_name = TableName("registrants")

    registrant_id = UnicodeAttribute(hash_key=True)
    owner = UnicodeAttribute()
    sort = UnicodeAttribute()
    by_owner = RecordsByOwner()
    field = UnicodeAttribute()
    previous = JSONAttribute(null=True)  # the replaced entry {value, source, provider, verified, changed_at}
    current = JSONAttribute(null=True)  # the entry that replaced it; None when the field was removed
    reason = UnicodeAttribute()  # login_refresh | self_update | officer_update | change_request_approved | consent_withdrawn
    actor = JSONAttribute(default=dict)  # {role, ref}
    change_request_id = UnicodeAttribute(null=True)
    at = UnicodeAttribute()
    version = VersionAttribute()


class ChangeRequest(Model):
    """A person's change to a verified field, pending until staff approve or reject it."""

    class Meta(TableMeta):
        table_name = TableName("registrants")

    registrant_id = UnicodeAttribute(hash_key=True)  # "change-request#<id>"
    owner = UnicodeAttribute()
    sort = UnicodeAttribute()
    by_owner = RecordsByOwner()
    queue = UnicodeAttribute(null=True)  # "pending" while awaiting review, removed once decided
    queued_at = UnicodeAttribute(null=True)
    review_queue = ReviewQueue()
    field = UnicodeAttribute()
    value = JSONAttribute(null=True)
    current = JSONAttribute(null=True)  # the verified entry it would replace, as it was when asked
    status = UnicodeAttribute(default="pending")  # pending | approved | rejected | withdrawn | superseded
    reason = UnicodeAttribute(null=True)
    requested_at = UnicodeAttribute()
    requested_by = JSONAttribute(default=dict)
    decided_at = UnicodeAttribute(null=True)
    decided_by = JSONAttribute(null=True)
    version = VersionAttribute()


class LoginClaim(Model):
    """Guard item (``login#<sha256 of issuer#subject>``): written with the person's first item in
    one transaction, so two racing first logins cannot create two people."""

    class Meta(TableMeta):
        table_name = TableName("registrants")

    registrant_id = UnicodeAttribute(hash_key=True)
    holder = UnicodeAttribute()


class ProfileFormSetting(Model):
    """The administrator's profile form (``settings#profile-form``); absent means the default."""

    class Meta(TableMeta):
        table_name = TableName("registrants")

    registrant_id = UnicodeAttribute(hash_key=True)
    schema = JSONAttribute(default=dict)
    labels = JSONAttribute(default=dict)  # {field: {locale: label}}
    updated_at = UnicodeAttribute(null=True)
    updated_by = JSONAttribute(null=True)
    version = VersionAttribute()


class HouseholdOf(Model):
    """The members of a person's household the portal remembers (``household#<id>``): each
    ``{member_id, fields: {name, birth_date, ...}, source, provider, by, recorded_at}``, kept
    from the repeating groups of the person's submissions and an ID provider's claims."""

    class Meta(TableMeta):
        table_name = TableName("registrants")

    registrant_id = UnicodeAttribute(hash_key=True)
    members = JSONAttribute(default=list)
    updated_at = UnicodeAttribute(null=True)


PROFILE_FORM_KEY = "settings#profile-form"


def household_key(registrant_id: str) -> str:
    return f"household#{registrant_id}"


def get_with_household(registrant_id: str) -> tuple[Registrant | None, HouseholdOf | None]:
    """A person and the household the portal remembers for them, in one BatchGetItem."""
    key = household_key(registrant_id)
    found = _get_items(registrant_id, key)
    person, household = found.get(registrant_id), found.get(key)
    return (Registrant.from_raw_data(person) if person else None, HouseholdOf.from_raw_data(household) if household else None)


def change_request_key(request_id: str) -> str:
    return f"change-request#{request_id}"


def get_with_profile_form(registrant_id: str) -> tuple[Registrant | None, ProfileFormSetting | None]:
    """A person and the profile form in one strongly consistent BatchGetItem (both live here)."""
    found = _get_items(registrant_id, PROFILE_FORM_KEY)
    person, form = found.get(registrant_id), found.get(PROFILE_FORM_KEY)
    return (Registrant.from_raw_data(person) if person else None, ProfileFormSetting.from_raw_data(form) if form else None)


def get_with_profile_form_and_household(registrant_id: str) -> tuple[Registrant | None, ProfileFormSetting | None, HouseholdOf | None]:
    """A person, the profile form and the person's household in one BatchGetItem."""
    key = household_key(registrant_id)
    found = _get_items(registrant_id, PROFILE_FORM_KEY, key)
    person, form, household = found.get(registrant_id), found.get(PROFILE_FORM_KEY), found.get(key)
    return (
        Registrant.from_raw_data(person) if person else None,
        ProfileFormSetting.from_raw_data(form) if form else None,
        HouseholdOf.from_raw_data(household) if household else None,
    )


def get_with_change_request(registrant_id: str, request_id: str) -> tuple[Registrant | None, ChangeRequest | None]:
    """A person and one change request (whoever it belongs to) in one BatchGetItem."""
    key = change_request_key(request_id)
    found = _get_items(registrant_id, key)
    person, request = found.get(registrant_id), found.get(key)
    return (Registrant.from_raw_data(person) if person else None, ChangeRequest.from_raw_data(request) if request else None)


def _get_items(*keys: str) -> dict[str, dict[str, Any]]:
    table = Registrant.Meta.table_name
    found: dict[str, dict[str, Any]] = {}
    wanted = list(dict.fromkeys(keys))
    for _ in range(5):
        # pynamodb's low-level batch_get_item takes keys already in DynamoDB's attribute form.
        key_maps: list[Any] = [{"registrant_id": {"S": key}} for key in wanted]
        answer = Registrant._get_connection().batch_get_item(key_maps, consistent_read=True)
        for item in answer.get("Responses", {}).get(table, []):
            found[item["registrant_id"]["S"]] = item
        wanted = [key["registrant_id"]["S"] for key in answer.get("UnprocessedKeys", {}).get(table, {}).get("Keys", [])]
        if not wanted:
            break
    return found
