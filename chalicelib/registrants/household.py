"""The household the portal remembers for a person: members they listed in an application's
repeating group (or an officer listed with them, or an ID provider released), each with its
provenance, shown in their details and export and prefilled into the next program that asks.

Kept in one item beside the person (``household#<id>``, ``store.registrants.HouseholdOf``). The
programs area reads it in the TransactGetItems of a submission and writes it in the submission's
TransactWrite (``read_household``, ``remember``), so remembering costs no DynamoDB call more.
Members' data follow the person's rules: never logged (counts only), an ID provider's members
go when the person withdraws consent for that provider.

Every change of it (members added or changed by a submission or a login, removed by the person
or with a withdrawn consent) writes a ``household.changed`` outbox event in the change's own
transaction (member ids and a reason code only), so a registry that holds the person hears of it
(``integrations.payloads``; docs/integration-payloads.md).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from pynamodb.transactions import TransactGet, TransactWrite

from chalicelib.errors import NotFound
from chalicelib.events.outbox import EventType, add_event
from chalicelib.identity.callers import Actor
from chalicelib.observability import logger
from chalicelib.registrants.records import ID_PROVIDER, OFFICER, SELF
from chalicelib.store.base import now
from chalicelib.store.registrants import HouseholdOf, household_key
from chalicelib.store.transactions import found_or_none, transaction

MAX_MEMBERS = 60
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_VALUE_LENGTH = 200
# Why the household changed (``household.changed``'s ``reasons``), the codes details changes use.
SELF_UPDATE, OFFICER_UPDATE, LOGIN_REFRESH, CONSENT_WITHDRAWN = "self_update", "officer_update", "login_refresh", "consent_withdrawn"
REGISTRANT, SYSTEM = "registrant", "system"  # the roles of who changed it


def household_of(registrant_id: str) -> list[dict[str, Any]]:
    """The members remembered for the person, oldest first (one GetItem)."""
    try:
        return list(HouseholdOf.get(household_key(registrant_id), consistent_read=True).members or [])
    except HouseholdOf.DoesNotExist:
        return []


def members_of(item: HouseholdOf | None) -> list[dict[str, Any]]:
    return list(item.members or []) if item is not None else []


def read_household(reads: TransactGet, registrant_id: str) -> Callable[[], list[dict[str, Any]]]:
    """Add the person's household to the caller's TransactGetItems; call the function returned,
    once read, for its members."""
    found = reads.get(HouseholdOf, household_key(registrant_id))
    return lambda: members_of(found_or_none(found))


def remember(writes: TransactWrite, registrant_id: str, current: list[dict[str, Any]], listed: list[dict[str, Any]], actor: Actor) -> int:
    """Add to the caller's transaction the household with the members just ``listed`` (their
    fields, e.g. ``{"name", "birth_date", "relationship"}``) merged in: a member already known (same
    name and date of birth) takes the new values, a new one is added. Nobody is removed: a member
    not asked about this time still belongs to the household. Returns how many are new."""
    source = OFFICER if actor.role == "officer" else SELF
    merged, added = merge(current, listed, source, None, {"role": actor.role, "ref": actor.ref})
    if merged == current:
        return 0
    writes.save(HouseholdOf(registrant_id=household_key(registrant_id), members=merged, updated_at=now().isoformat()))
    changed_household(writes, registrant_id, actor.role, current, merged, OFFICER_UPDATE if source == OFFICER else SELF_UPDATE)
    return added


def remember_from_provider(registrant_id: str, provider: str, listed: list[dict[str, Any]]) -> None:
    """Members an ID provider released at login (a claim mapped to ``household``), verified."""
    current = household_of(registrant_id)
    merged, added = merge(current, [m for m in listed if isinstance(m, dict)], ID_PROVIDER, provider, None)
    if merged != current:
        _replace(registrant_id, current, merged, SYSTEM, LOGIN_REFRESH)
        logger.info("household_from_provider", extra={"registrant_id": registrant_id, "added": added})


def forget_provider_members(registrant_id: str, provider: str) -> int:
    """Consent withdrawn: the members that came from this provider (and nobody confirmed or
    changed since) go. Doing it twice changes nothing more. Returns how many went."""
    current = household_of(registrant_id)
    kept = [m for m in current if not (m.get("source") == ID_PROVIDER and m.get("provider") == provider)]
    if len(kept) != len(current):
        _replace(registrant_id, current, kept, REGISTRANT, CONSENT_WITHDRAWN)
    return len(current) - len(kept)


def remove_member(registrant_id: str, member_id: str) -> list[dict[str, Any]]:
    """The person removes a member from what the portal remembers (404 for an unknown id)."""
    current = household_of(registrant_id)
    kept = [m for m in current if m.get("member_id") != member_id]
    if len(kept) == len(current):
        raise NotFound("We could not find this member of your household.")
    _replace(registrant_id, current, kept, REGISTRANT, SELF_UPDATE)
    return kept


def changed_household(
    writes: TransactWrite, registrant_id: str, actor_role: str, before: list[dict[str, Any]], after: list[dict[str, Any]], reason: str
) -> None:
    """Tell integrations, in the change's own transaction, which members were added, changed or
    removed and why (member ids and a reason code only: a registry reads the household as it is
    when the event is delivered). Nothing when no member changed."""
    was = {str(m.get("member_id")): m for m in before}
    kept = {str(m.get("member_id")): m for m in after}
    added = sorted(k for k in kept if k not in was)
    changed = sorted(k for k in kept if k in was and kept[k] != was[k])
    removed = sorted(k for k in was if k not in kept)
    if added or changed or removed:
        data = {"added": added, "changed": changed, "removed": removed, "reasons": [reason]}
        add_event(writes, EventType.HOUSEHOLD_CHANGED, registrant_id=registrant_id, actor_role=actor_role, data=data)


def _replace(registrant_id: str, current: list[dict[str, Any]], members: list[dict[str, Any]], actor_role: str, reason: str) -> None:
    """Keep ``members`` as the household, with its event, in one transaction."""
    with transaction() as writes:
        writes.save(HouseholdOf(registrant_id=household_key(registrant_id), members=members, updated_at=now().isoformat()))
        changed_household(writes, registrant_id, actor_role, current, members, reason)


def merge(
    current: list[dict[str, Any]], listed: list[dict[str, Any]], source: str, provider: str | None, by: dict[str, str] | None
) -> tuple[list[dict[str, Any]], int]:
    """(the household with ``listed`` merged in, how many members are new)."""
    merged = [dict(m) for m in current]
    added = 0
    at = now().isoformat()
    for fields in listed:
        clean = _clean(fields)
        if not clean.get("name"):
            continue
        known = next((m for m in merged if _same_person(m.get("fields") or {}, clean)), None)
        if known is not None:
            updated = {**(known.get("fields") or {}), **clean}
            if updated != known.get("fields"):
                known.update(fields=updated, source=source, provider=provider, by=by, recorded_at=at)
            continue
        if len(merged) >= MAX_MEMBERS:
            break
        merged.append({"member_id": "m" + secrets.token_hex(6), "fields": clean, "source": source, "provider": provider, "by": by, "recorded_at": at})
        added += 1
    return merged, added


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    """Only plain values under plain names, bounded: a claim or an answer cannot bloat the item."""
    return {
        name: value[:MAX_VALUE_LENGTH] if isinstance(value, str) else value
        for name, value in fields.items()
        if isinstance(name, str) and FIELD_NAME.match(name) and isinstance(value, str | int | float | bool) and value != ""
    }


def _same_person(known: dict[str, Any], fields: dict[str, Any]) -> bool:
    name = str(fields.get("name", "")).strip().casefold()
    if name != str(known.get("name", "")).strip().casefold():
        return False
    return fields.get("birth_date") in {None, known.get("birth_date")} or known.get("birth_date") is None
