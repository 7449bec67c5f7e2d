"""The registrant's own data: profile with provenance, login refresh, updates, history, consent.

A profile field is stored as an entry ``{value, source, provider, verified, changed_at,
confirmed_at, by}``: ``source`` is ``id_provider`` (with ``provider``), ``self`` or
``officer``. Fields the ID provider released are verified and refreshed at every login; a
person changes a self-declared field directly, and asks staff to change a verified one
(a change request). Every change keeps the replaced entry in the person's history.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import TransactWriteError

from chalicelib.auth.identity import Actor
from chalicelib.observability import logger
from chalicelib.store.base import now
from chalicelib.store.registrants import LoginClaim, ProfileChange, Registrant
from chalicelib.store.transactions import transaction

ID_PROVIDER = "id_provider"
SELF = "self"
OFFICER = "officer"

_SLASHED_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})$")


@dataclass(frozen=True)
class LoginRecord:
    registrant_id: str
    name: str | None
    preferred_locale: str | None
    changed_fields: list[str]


# --- login ------------------------------------------------------------------------------------


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
    claims and record what they consented to share. Two DynamoDB calls (a Query, a TransactWrite).

    ``profile_claims`` are already mapped to profile field names (the provider's claim mapping);
    ``None`` values are ignored. A birthdate as ``YYYY/MM/DD`` (eSignet's mock) is stored as
    ``YYYY-MM-DD``.
    """
    login = f"{issuer}#{subject}"
    claims = {field: _normalise_claim(field, value) for field, value in profile_claims.items() if value is not None}
    existing = next(iter(Registrant.by_login.query(login, limit=1)), None)
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
    registrant.preferred_locale = _locale_from(claims) or None
    _note_login_consent(registrant, provider_id, consented, at)
    try:
        with transaction() as writes:
            writes.save(LoginClaim(registrant_id=_login_claim_key(login), holder=registrant.registrant_id), condition=LoginClaim.registrant_id.does_not_exist())
            writes.save(registrant, condition=Registrant.registrant_id.does_not_exist())
    except TransactWriteError:
        return None  # a racing first login created the person: continue as a returning login
    logger.info("registrant_created", extra={"registrant_id": registrant.registrant_id})
    return _login_record(registrant, [])


def _holder_of(login: str) -> Registrant:
    claim = LoginClaim.get(_login_claim_key(login), consistent_read=True)
    return Registrant.get(claim.holder, consistent_read=True)


def _returning_login(registrant: Registrant, provider_id: str, claims: dict[str, Any], individual_id: str | None, consented: list[str]) -> LoginRecord:
    at = now().isoformat()
    actor = Actor("system", provider_id)
    profile = dict(registrant.profile or {})
    changes: list[ProfileChange] = []
    for field, value in claims.items():
        current = profile.get(field)
        fresh = _provider_entry(value, provider_id, at)
        if current is None:
            profile[field] = fresh
            changes.append(_history(registrant.registrant_id, field, None, fresh, "login_refresh", actor, at))
        elif current.get("source") == ID_PROVIDER:
            if current.get("value") == value:
                profile[field] = {**current, "confirmed_at": at, "provider": provider_id}
            else:
                profile[field] = fresh
                changes.append(_history(registrant.registrant_id, field, current, fresh, "login_refresh", actor, at))
        elif not current.get("verified"):
            # The ID provider's verified value replaces what the person or an officer declared.
            profile[field] = fresh
            changes.append(_history(registrant.registrant_id, field, current, fresh, "login_refresh", actor, at))
        # else: a value staff verified on review stays until the person asks to change it again.
    changed = [change.field for change in changes]
    registrant.profile = profile
    if individual_id:
        registrant.individual_id = individual_id
    registrant.preferred_locale = _locale_from(claims) or registrant.preferred_locale
    registrant.last_login = {"at": at, "provider": provider_id, "changed": changed}
    registrant.updated_at = now()
    _note_login_consent(registrant, provider_id, consented, at)
    with transaction() as writes:
        writes.save(registrant)
        for change in changes:
            writes.save(change)
    return _login_record(registrant, changed)


def _provider_entry(value: Any, provider_id: str, at: str) -> dict[str, Any]:
    return {"value": value, "source": ID_PROVIDER, "provider": provider_id, "verified": True, "changed_at": at, "confirmed_at": at}


def _locale_from(claims: dict[str, Any]) -> str | None:
    value = claims.get("preferred_language")
    return value if isinstance(value, str) and value else None


def _login_record(registrant: Registrant, changed: list[str]) -> LoginRecord:
    name = (registrant.profile or {}).get("name", {}).get("value")
    return LoginRecord(
        registrant_id=registrant.registrant_id,
        name=name if isinstance(name, str) else None,
        preferred_locale=registrant.preferred_locale,
        changed_fields=changed,
    )


def _note_login_consent(registrant: Registrant, provider_id: str, claims: list[str], at: str) -> None:
    """One record per provider and set of claims: a repeated login with the same consent updates
    ``last_given_at``; a different set of claims replaces the provider's previous record."""
    shared = sorted(set(claims))
    consents = [dict(c) for c in registrant.consents or []]
    for consent in consents:
        if consent.get("kind") == "id_provider" and consent.get("provider") == provider_id and consent.get("status") == "active":
            if consent.get("claims") == shared:
                consent["last_given_at"] = at
                registrant.consents = consents
                return
            consent["status"] = "replaced"
            consent["ended_at"] = at
    consents.append(
        {
            "consent_id": uuid.uuid4().hex,
            "kind": "id_provider",
            "provider": provider_id,
            "claims": shared,
            "given_at": at,
            "last_given_at": at,
            "status": "active",
        }
    )
    registrant.consents = consents


def _history(
    registrant_id: str,
    field: str,
    previous: dict[str, Any] | None,
    current: dict[str, Any] | None,
    reason: str,
    actor: Actor,
    at: str,
    change_request_id: str | None = None,
) -> ProfileChange:
    entry_id = uuid.uuid4().hex
    return ProfileChange(
        registrant_id=f"history#{entry_id}",
        owner=registrant_id,
        sort=f"history#{at}#{entry_id}",
        field=field,
        previous=previous,
        current=current,
        reason=reason,
        actor=actor.as_dict(),
        change_request_id=change_request_id,
        at=at,
    )


# --- what other areas read --------------------------------------------------------------------


def profile_values(registrant_id: str) -> dict[str, dict[str, Any]]:
    """``{field: {"value", "verified", "source"}}`` for prefilling forms; empty for an unknown id.
    One GetItem."""
    try:
        registrant = Registrant.get(registrant_id)
    except Registrant.DoesNotExist:
        return {}
    return {
        field: {"value": entry.get("value"), "verified": bool(entry.get("verified")), "source": entry.get("source")}
        for field, entry in (registrant.profile or {}).items()
    }


def find_by_individual_id(individual_id: str) -> str | None:
    """The registrant an ID number belongs to (the most recently active one if the person logged
    in through several providers); None if nobody with that number has logged in. One Query."""
    if not individual_id or len(individual_id) > 64:
        return None
    matches = list(Registrant.by_individual_id.query(individual_id, limit=20))
    if not matches:
        return None
    return max(matches, key=lambda r: r.updated_at).registrant_id
