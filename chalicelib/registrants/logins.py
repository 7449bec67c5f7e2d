"""A login's mark on the person's record: found by issuer and subject (or an officer's record
adopted), verified fields refreshed from the ID provider's claims, consent to share noted.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any, NamedTuple

from pynamodb.exceptions import TransactWriteError

from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor
from chalicelib.observability import logger
from chalicelib.registrants.consent import note_login_consent
from chalicelib.registrants.household import remember_from_provider
from chalicelib.registrants.records import (
    ID_PROVIDER,
    changed_details,
    history_entry,
    locale_of,
    write_with_history,
)
from chalicelib.store.base import now
from chalicelib.store.registrants import (
    LoginClaim,
    ProfileChange,
    Registrant,
)
from chalicelib.store.transactions import cancelled_items, transaction

ASSISTED_LOGIN = "assisted"
HOUSEHOLD_CLAIM = "household"  # a profile field name a provider's claim mapping may give: members, not a field


_SLASHED_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})$")


class LoginRecord(NamedTuple):
    registrant_id: str
    name: str | None
    preferred_locale: str | None
    changed_fields: list[str]


def record_login(
    *,
    issuer: str,
    subject: str,
    provider_id: str,
    profile_claims: dict[str, Any],
    individual_id: str | None,
    consented_claims: list[str],
) -> LoginRecord:
    """Find (by issuer + subject) or create the person, refresh their verified fields from the
    claims and record what they consented to share. Two DynamoDB calls (a Query, a TransactWrite);
    a first login that releases an ID number makes one Query more, for a record an officer
    registered (``_adopt_assisted``).

    ``profile_claims`` are already mapped to profile field names (the provider's claim mapping);
    ``None`` values are ignored. A birthdate as ``YYYY/MM/DD`` (eSignet's mock) is stored as
    ``YYYY-MM-DD``.
    """
    released = profile_claims.get(HOUSEHOLD_CLAIM)
    record = _record_login(issuer, subject, provider_id, {k: v for k, v in profile_claims.items() if k != HOUSEHOLD_CLAIM}, individual_id, consented_claims)
    if isinstance(released, list):  # a provider that releases the household's members (claim mapped to "household")
        remember_from_provider(record.registrant_id, provider_id, released)
    return record


def _record_login(
    issuer: str, subject: str, provider_id: str, profile_claims: dict[str, Any], individual_id: str | None, consented_claims: list[str]
) -> LoginRecord:
    login = f"{issuer}#{subject}"
    claims = {field: _normalise_claim(field, value) for field, value in profile_claims.items() if value is not None}
    existing = next(iter(Registrant.by_login.query(login, limit=1)), None)
    if existing is None and individual_id:
        adopted = _adopt_assisted(login, provider_id, claims, individual_id, consented_claims)
        if adopted is not None:
            return adopted
    if existing is None:
        created = _first_login(login, provider_id, claims, individual_id, consented_claims)
        if created is not None:
            return created
        existing = _holder_of(login)
    for attempt in range(3):
        try:
            return _returning_login(existing, provider_id, claims, individual_id, consented_claims)
        except TransactWriteError:
            # The index read was stale or another login won the race: read again and retry.
            if attempt == 2:
                raise
            existing = Registrant.get(existing.registrant_id, consistent_read=True)
    raise AssertionError("unreachable")


def _normalise_claim(field: str, value: Any) -> Any:
    if field == "birthdate" and isinstance(value, str):
        match = _SLASHED_DATE.match(value)
        if match:
            return "-".join(match.groups())
    return value


def _login_claim_key(login: str) -> str:
    return "login#" + hashlib.sha256(login.encode()).hexdigest()


def _first_login(login: str, provider_id: str, claims: dict[str, Any], individual_id: str | None, consented: list[str]) -> LoginRecord | None:
    at = now().isoformat()
    registrant = Registrant(
        registrant_id=str(uuid.uuid4()),
        login=login,
        individual_id=individual_id or None,
        profile={field: _provider_entry(value, provider_id, at) for field, value in claims.items()},
        consents=[],
        last_login={"at": at, "provider": provider_id, "changed": []},
    )
    registrant.preferred_locale = locale_of(registrant.profile)
    note_login_consent(registrant, provider_id, consented, at)
    try:
        with transaction() as writes:
            writes.save(LoginClaim(registrant_id=_login_claim_key(login), holder=registrant.registrant_id), condition=LoginClaim.registrant_id.does_not_exist())
            writes.save(registrant, condition=Registrant.registrant_id.does_not_exist())
    except TransactWriteError:
        return None  # a racing first login created the person: continue as a returning login
    logger.info("registrant_created", extra={"registrant_id": registrant.registrant_id})
    return _login_record(registrant, [])


def _assisted_login(individual_id: str) -> str:
    """The login of a person an officer registered: no issuer is named ``assisted``, so it never
    equals a real ``issuer#subject``."""
    return f"{ASSISTED_LOGIN}#{individual_id}"


def register_assisted(individual_id: str, actor: Actor, request_id: str | None = None) -> str:
    """Create the person an officer assisted after a verified capture proved they hold
    ``individual_id``, when they never logged in. No profile values: nothing was released by an ID
    provider yet. Their first login that releases the same ID number adopts this record
    (see ``record_login``). Two officers racing create one person: the same login guard as a
    first login. Returns the registrant id.

    Someone who logged in after the officer opened the capture transaction already has a
    record: it is used, never a second one beside it."""
    existing = find_by_individual_id(individual_id)
    if existing is not None:
        return existing
    login = _assisted_login(individual_id)
    registrant = Registrant(registrant_id=str(uuid.uuid4()), login=login, individual_id=individual_id, profile={}, consents=[])
    try:
        with transaction() as writes:
            writes.save(LoginClaim(registrant_id=_login_claim_key(login), holder=registrant.registrant_id), condition=LoginClaim.registrant_id.does_not_exist())
            writes.save(registrant, condition=Registrant.registrant_id.does_not_exist())
    except TransactWriteError:
        return _holder_of(login).registrant_id  # another officer registered the person first
    record_access(registrant.registrant_id, actor, "registered_by_officer", {}, request_id)
    logger.info("registrant_created_by_officer", extra={"registrant_id": registrant.registrant_id})
    return registrant.registrant_id


def _adopt_assisted(login: str, provider_id: str, claims: dict[str, Any], individual_id: str, consented: list[str]) -> LoginRecord | None:
    """A first login whose ID provider released the ID number of a person an officer registered
    takes over that record (one Query more, only on a first login). Only a record whose login is
    still the officer's ``assisted#`` one is adopted: a record made by a real login never is.
    None when there is nothing to adopt or this login's guard already exists (a racing login)."""
    assisted_login = _assisted_login(individual_id)
    candidate: Registrant | None = next(iter(Registrant.by_login.query(assisted_login, limit=1)), None)
    for _ in range(3):
        if candidate is None or candidate.login != assisted_login or candidate.individual_id != individual_id:
            return None
        try:
            record = _returning_login(candidate, provider_id, claims, individual_id, consented, adopt_as=login)
        except TransactWriteError as error:
            if 0 in cancelled_items(error):
                return None  # this login's guard exists: continue as a returning login
            try:  # the index read was stale or an officer changed the record: read again
                candidate = Registrant.get(candidate.registrant_id, consistent_read=True)
            except Registrant.DoesNotExist:
                return None
            continue
        logger.info("assisted_registrant_adopted", extra={"registrant_id": record.registrant_id})
        return record
    return None


def _holder_of(login: str) -> Registrant:
    claim = LoginClaim.get(_login_claim_key(login), consistent_read=True)
    return Registrant.get(claim.holder, consistent_read=True)


def _returning_login(
    registrant: Registrant, provider_id: str, claims: dict[str, Any], individual_id: str | None, consented: list[str], adopt_as: str | None = None
) -> LoginRecord:
    at = now().isoformat()
    actor = Actor("system", provider_id)
    profile = dict(registrant.profile or {})
    changes: list[ProfileChange] = []
    for field, value in claims.items():
        current = profile.get(field)
        fresh = _provider_entry(value, provider_id, at)
        if current is None:
            profile[field] = fresh
            changes.append(history_entry(registrant.registrant_id, field, None, fresh, "login_refresh", actor, at))
        elif current.get("source") == ID_PROVIDER:
            if current.get("value") == value:
                profile[field] = {**current, "confirmed_at": at, "provider": provider_id}
            else:
                profile[field] = fresh
                changes.append(history_entry(registrant.registrant_id, field, current, fresh, "login_refresh", actor, at))
        elif not current.get("verified"):
            # The ID provider's verified value replaces what the person or an officer declared.
            profile[field] = fresh
            changes.append(history_entry(registrant.registrant_id, field, current, fresh, "login_refresh", actor, at))
        # else: a value staff verified on review stays until the person asks to change it again.
    changed = [change.field for change in changes]
    registrant.profile = profile
    if individual_id:
        registrant.individual_id = individual_id
    registrant.preferred_locale = locale_of(profile) or registrant.preferred_locale
    registrant.last_login = {"at": at, "provider": provider_id, "changed": changed}
    registrant.updated_at = now()
    note_login_consent(registrant, provider_id, consented, at)
    with transaction() as writes:
        if adopt_as is not None:
            # Written first (position 0): a racing first login of the same person holds it.
            claim = LoginClaim(registrant_id=_login_claim_key(adopt_as), holder=registrant.registrant_id)
            writes.save(claim, condition=LoginClaim.registrant_id.does_not_exist())
            registrant.login = adopt_as
        # The version condition: unchanged since read, so still the officer's record.
        write_with_history(writes, registrant, changes)
        if changes:
            changed_details(writes, registrant.registrant_id, actor.role, changes)
    return _login_record(registrant, changed)


def _provider_entry(value: Any, provider_id: str, at: str) -> dict[str, Any]:
    return {"value": value, "source": ID_PROVIDER, "provider": provider_id, "verified": True, "changed_at": at, "confirmed_at": at}


def _login_record(registrant: Registrant, changed: list[str]) -> LoginRecord:
    name = (registrant.profile or {}).get("name", {}).get("value")
    return LoginRecord(
        registrant_id=registrant.registrant_id,
        name=name if isinstance(name, str) else None,
        preferred_locale=registrant.preferred_locale,
        changed_fields=changed,
    )


def find_by_individual_id(individual_id: str) -> str | None:
    """The registrant an ID number belongs to (the most recently active one if the person logged
    in through several providers, or the record an officer registered); None if nobody with that
    number has logged in or been registered by an officer. One Query."""
    if not individual_id or len(individual_id) > 64:
        return None
    matches = list(Registrant.by_individual_id.query(individual_id, limit=20))
    if not matches:
        return None
    return max(matches, key=lambda r: r.updated_at).registrant_id
