"""Consent to keep an ID provider's data: noted at each login, withdrawn by the person (the
provider's values leave the profile, the history and change requests).

What the person agreed to in applications belongs to the programs area; ``chalicelib.person``
shows both and hands this module the programs' part of a withdrawal.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from pynamodb.exceptions import TransactWriteError, UpdateError

from chalicelib.errors import Conflict, NotFound
from chalicelib.events.outbox import EventType, add_event
from chalicelib.identity.callers import Actor
from chalicelib.observability import logger
from chalicelib.registrants.household import forget_provider_members
from chalicelib.registrants.records import (
    ID_PROVIDER,
    history_entry,
    registrant_or_404,
    write_with_history,
)
from chalicelib.store.base import now
from chalicelib.store.registrants import (
    ChangeRequest,
    ProfileChange,
    Registrant,
)
from chalicelib.store.transactions import transaction


def note_login_consent(registrant: Registrant, provider_id: str, claims: list[str], at: str) -> None:
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


def login_consents(registrant_id: str) -> list[dict[str, Any]]:
    """What the person agreed to share at login (which claims, which provider, when), kept on
    their record. One GetItem; 404 for nobody."""
    return list(registrant_or_404(registrant_id).consents or [])


def withdraw_consent(
    registrant_id: str,
    consent_id: str,
    *,
    given_in_an_application: Callable[[str, str], bool],
    clear_drafts: Callable[[str, dict[str, Any]], Iterable[str]],
) -> dict[str, Any]:
    """Withdraw consent for the portal to keep an ID provider's data: that provider's values are
    removed from the profile (the ID number too), cleared from the person's draft applications
    (``clear_drafts``: the programs area's part, handed in by ``chalicelib.person``), and redacted from the history and from change requests. Submitted
    applications keep what was sent. The withdrawal is recorded in the consent and the history.

    Retry-safe: everything that can be done twice (drafts, redaction) is done first, and the
    consent is marked withdrawn last, in one transaction with the profile. A failure part-way
    leaves the consent active, so the person's retry does it all again and finishes; a retry
    after success is 409 ``not_active``. A change to the person's record meanwhile (a login)
    cancels the marking, which is then done again from a fresh read.
    """
    cleared: set[str] = set()
    for attempt in range(3):
        registrant = registrant_or_404(registrant_id)
        consents = [dict(c) for c in registrant.consents or []]
        consent = _withdrawable(registrant_id, consents, consent_id, given_in_an_application)
        provider = str(consent.get("provider"))
        profile = dict(registrant.profile or {})
        removed = sorted(name for name, entry in profile.items() if _from_provider(entry, provider))
        cleared.update(clear_drafts(registrant_id, {name: profile[name].get("value") for name in removed}))
        _redact_provider_values(registrant_id, provider)
        forget_provider_members(registrant_id, provider)  # the household members it released go too
        try:
            _mark_withdrawn(registrant, consents, consent, removed)
        except TransactWriteError:
            if attempt == 2:
                raise
            continue
        logger.info("consent_withdrawn", extra={"registrant_id": registrant_id, "fields": len(removed), "applications": len(cleared)})
        return {"consent": consent, "removed_fields": removed, "cleared_applications": sorted(cleared)}
    raise AssertionError("unreachable")


def _withdrawable(registrant_id: str, consents: list[dict[str, Any]], consent_id: str, given_in_an_application: Callable[[str, str], bool]) -> dict[str, Any]:
    consent = next((c for c in consents if c.get("consent_id") == consent_id), None)
    if consent is None and given_in_an_application(registrant_id, consent_id):
        consent = {"kind": "application"}
    if consent is None:
        raise NotFound()
    if consent.get("kind") != "id_provider":
        raise Conflict("This consent was given for an application; ask the program to withdraw it.", code="not_withdrawable")
    if consent.get("status") != "active":
        raise Conflict("This consent is no longer active.", code="not_active", details={"status": consent.get("status")})
    return consent


def _mark_withdrawn(registrant: Registrant, consents: list[dict[str, Any]], consent: dict[str, Any], removed: list[str]) -> None:
    """The provider's values leave the profile and the consent is marked withdrawn, with one
    history entry per field (its value already redacted), in one transaction under the version."""
    at = now().isoformat()
    actor = Actor("registrant", registrant.registrant_id)
    profile = dict(registrant.profile or {})
    changes = [history_entry(registrant.registrant_id, name, _redacted(profile.pop(name)), None, "consent_withdrawn", actor, at) for name in removed]
    consent.update(status="withdrawn", withdrawn_at=at, removed_fields=removed)
    registrant.consents = consents
    registrant.profile = profile
    if "preferred_language" in removed:  # it was the provider's claim: its copy goes too
        registrant.preferred_locale = None
    registrant.individual_id = None
    registrant.updated_at = now()
    with transaction() as writes:
        write_with_history(writes, registrant, changes)
        # Integrations hear of it (a registry may have to act); the removed fields by name only.
        data = {"consent_id": consent.get("consent_id"), "provider": consent.get("provider"), "removed_fields": removed}
        add_event(writes, EventType.CONSENT_WITHDRAWN, registrant_id=registrant.registrant_id, actor_role="registrant", data=data)


def _redacted(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {**{k: v for k, v in entry.items() if k != "value"}, "value": None, "redacted": True}


def _from_provider(entry: dict[str, Any] | None, provider: str) -> bool:
    return entry is not None and entry.get("source") == ID_PROVIDER and entry.get("provider") == provider and not entry.get("redacted")


def _redact_provider_values(registrant_id: str, provider: str) -> None:
    """Past values from the provider, kept in history and in change requests, are blanked. Doing
    it twice changes nothing more."""
    for change in ProfileChange.by_owner.query(registrant_id, ProfileChange.sort.startswith("history#")):
        _redact_change(change, provider)
    for request in ChangeRequest.by_owner.query(registrant_id, ChangeRequest.sort.startswith("change#")):
        _redact_request(request, provider)


def _redact_change(change: ProfileChange, provider: str) -> None:
    """One history entry, under its version: a redaction racing this one is read again."""
    for attempt in range(3):
        actions = [
            attribute.set(_redacted(entry))
            for attribute, entry in ((ProfileChange.previous, change.previous), (ProfileChange.current, change.current))
            if _from_provider(entry, provider)
        ]
        if not actions:
            return
        try:
            change.update(actions=[*actions, ProfileChange.updated_at.set(now())])
            return
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException" or attempt == 2:
                raise
            change.refresh(consistent_read=True)


def _redact_request(request: ChangeRequest, provider: str) -> None:
    """The verified value a change request would replace, as it was when asked."""
    if _from_provider(request.current, provider):
        request.update(actions=[ChangeRequest.current.set(_redacted(request.current))], add_version_condition=False)
