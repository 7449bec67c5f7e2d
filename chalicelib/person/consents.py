"""The person's consents in one list: what they agreed to share at login (registrants area) and
the statements they agreed to in applications (programs area); and withdrawing a login consent,
which clears the provider's values from both areas."""

from __future__ import annotations

from typing import Any

from chalicelib.auth.providers import all_providers
from chalicelib.programs.consent import clear_provider_values, consents_given
from chalicelib.registrants import consent


def my_consents(registrant_id: str) -> dict[str, Any]:
    """Consent records, newest first: login consents (each with its claims, provider and when)
    and application consents (each with the program's name, the application's reference and
    when). One GetItem and one Query."""
    records = [*consent.login_consents(registrant_id), *consents_given(registrant_id)]
    return {"items": sorted((_named(r) for r in records), key=lambda c: str(c.get("given_at") or ""), reverse=True)}


def _named(record: dict[str, Any]) -> dict[str, Any]:
    """A login consent with its provider's display name per language (``provider_name``), for the
    page's heading: "National ID", not the configuration's id "esignet"."""
    if not record.get("provider"):
        return record
    names = {p.id: p.name for p in all_providers()}
    return {**record, "provider_name": names.get(str(record["provider"]))}


def withdraw_consent(registrant_id: str, consent_id: str) -> dict[str, Any]:
    """Withdraw consent to keep an ID provider's data (see ``registrants.consent``); the person's
    drafts lose that provider's values too."""
    return consent.withdraw_consent(registrant_id, consent_id, given_in_an_application=_given_in_an_application, clear_drafts=clear_provider_values)


def _given_in_an_application(registrant_id: str, consent_id: str) -> bool:
    """Whether the id is one of the person's application consents (kept on their applications:
    one Query, only when the id is not on their record)."""
    return any(c["consent_id"] == consent_id for c in consents_given(registrant_id))
