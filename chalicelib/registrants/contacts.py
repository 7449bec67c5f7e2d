"""How the person wants to be told: SMS, email, both or none, and the contacts to use.

A phone or email address the ID provider released as verified is used as it is. One the person
types is used only once they confirm it with the one-time code sent to it: starting a
confirmation writes a ``contact.confirmation_requested`` event in the same transaction, and the
notifications area sends the code (never on the person's request path). Without a choice of
their own, the person is told on what their ID provider verified: SMS to the phone, email to the
address.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import Any, NamedTuple

from chalicelib.errors import Conflict, Throttled, ValidationFailed
from chalicelib.events.outbox import EventType, add_event
from chalicelib.registrants.records import ID_PROVIDER
from chalicelib.store.base import now
from chalicelib.store.contacts import Contacts, contacts_key
from chalicelib.store.registrants import Registrant
from chalicelib.store.transactions import found_or_none, reading, transaction

CHANNELS = ("sms", "email")
PROFILE_FIELD = {"sms": "phone", "email": "email"}
CODE_LIFETIME = timedelta(minutes=10)
MAX_CODE_TRIES = 5


class Reachable(NamedTuple):
    """Where each chosen channel reaches the person (only channels with a usable contact)."""

    channels: dict[str, str]
    locale: str | None
    first_name: str | None


def read_person(registrant_id: str) -> tuple[Registrant | None, Contacts | None]:
    """The person and their contact choices in one TransactGetItems."""
    with reading() as reads:
        person = reads.get(Registrant, registrant_id)
        contacts = reads.get(Contacts, contacts_key(registrant_id))
    return found_or_none(person), found_or_none(contacts)


def reachable(registrant: Registrant, contacts: Contacts | None) -> Reachable:
    """The channels to use for a message now: chosen, with a verified or confirmed contact."""
    usable = {channel: address for channel in CHANNELS if (address := _usable_address(registrant, contacts, channel))}
    chosen = _chosen(registrant, contacts)
    return Reachable({c: usable[c] for c in chosen if c in usable}, registrant.preferred_locale, first_name(registrant))


def first_name(registrant: Registrant) -> str | None:
    """The given name, else the first word of the name: the only personal data a message holds."""
    profile = registrant.profile or {}
    for field in ("given_name", "name"):
        value = (profile.get(field) or {}).get("value")
        if isinstance(value, str) and value.strip():
            return value.strip().split()[0][:40]
    return None


def settings_of(registrant_id: str) -> dict[str, Any]:
    registrant, contacts = read_person(registrant_id)
    if registrant is None:
        return {"channels": [], "default": True, "contacts": {}}
    return describe(registrant, contacts)


def describe(registrant: Registrant, contacts: Contacts | None) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for channel in CHANNELS:
        verified = _verified_from_provider(registrant, channel)
        confirmed = ((contacts.confirmed if contacts else None) or {}).get(channel)
        pending = ((contacts.pending if contacts else None) or {}).get(channel)
        shown[channel] = {
            "value": (confirmed or {}).get("value") or verified,
            "source": "confirmed" if confirmed else (ID_PROVIDER if verified else None),
            "pending": (pending or {}).get("value"),
        }
    return {
        "channels": _chosen(registrant, contacts),
        "default": contacts is None or contacts.channels is None,
        "contacts": shown,
        "version": int(contacts.version or 0) if contacts else 0,
    }


def choose_channels(registrant_id: str, channels: list[str]) -> dict[str, Any]:
    """Keep the person's choice. A channel without a usable contact is refused (422): the person
    confirms a phone or an address first."""
    registrant, contacts = read_person(registrant_id)
    if registrant is None:
        raise ValidationFailed(fields={"/channels": "not_allowed_value"})
    chosen = list(dict.fromkeys(channels))
    unusable = {f"/channels/{i}": "no_confirmed_contact" for i, c in enumerate(chosen) if not _usable_address(registrant, contacts, c)}
    if unusable:
        raise ValidationFailed("Confirm a phone number or an email address before choosing it.", fields=unusable)
    item = contacts or Contacts(registrant_id=contacts_key(registrant_id))
    item.channels = chosen
    item.updated_at = now().isoformat()
    item.save()
    return describe(registrant, item)


def start_confirmation(registrant_id: str, channel: str, value: str) -> dict[str, Any]:
    """Keep ``value`` as pending and have a one-time code sent to it (an event, in the same write)."""
    registrant, contacts = read_person(registrant_id)
    if registrant is None:
        raise ValidationFailed(fields={"/value": "not_allowed_value"})
    item = contacts or Contacts(registrant_id=contacts_key(registrant_id))
    pending = dict(item.pending or {})
    previous = pending.get(channel) or {}
    if previous.get("sent", 0) >= MAX_CODE_TRIES and previous.get("expires_at", "") > now().isoformat():
        raise Throttled("Too many codes asked for. Please wait a few minutes.", code="too_many_codes")
    at = now()
    pending[channel] = {
        "value": value,
        "code": f"{secrets.randbelow(1_000_000):06d}",
        "expires_at": (at + CODE_LIFETIME).isoformat(),
        "tries": 0,
        "sent": int(previous.get("sent", 0)) + 1 if previous.get("value") == value else 1,
    }
    item.pending = pending
    item.updated_at = at.isoformat()
    with transaction() as writes:
        writes.save(item)
        add_event(writes, EventType.CONTACT_CONFIRMATION_REQUESTED, registrant_id=registrant_id, actor_role="registrant", data={"channel": channel}, at=at)
    return describe(registrant, item)


def confirm(registrant_id: str, channel: str, code: str) -> dict[str, Any]:
    """The code sent to the pending contact makes it confirmed (and chosen). A wrong code counts
    towards the tries; an expired or used-up code asks for a new one (409)."""
    registrant, contacts = read_person(registrant_id)
    pending = dict((contacts.pending if contacts else None) or {})
    waiting = pending.get(channel)
    if registrant is None or contacts is None or not waiting:
        raise Conflict("Ask for a new code first.", code="no_code_pending")
    if waiting["expires_at"] <= now().isoformat() or int(waiting.get("tries", 0)) >= MAX_CODE_TRIES:
        raise Conflict("This code has expired. Ask for a new one.", code="code_expired")
    if not hmac.compare_digest(str(waiting["code"]), code):
        pending[channel] = {**waiting, "tries": int(waiting.get("tries", 0)) + 1}
        contacts.pending = pending
        contacts.save()
        raise ValidationFailed("This code is not the one we sent.", fields={"/code": "wrong_code"})
    pending.pop(channel)
    contacts.pending = pending
    contacts.confirmed = {**(contacts.confirmed or {}), channel: {"value": waiting["value"], "confirmed_at": now().isoformat()}}
    chosen = _chosen(registrant, contacts)
    contacts.channels = chosen if channel in chosen else [*chosen, channel]
    contacts.updated_at = now().isoformat()
    contacts.save()
    return describe(registrant, contacts)


def pending_contact(contacts: Contacts | None, channel: str) -> tuple[str, str] | None:
    """The address awaiting confirmation on ``channel`` and its code, while the code is valid."""
    waiting = ((contacts.pending if contacts else None) or {}).get(channel)
    if not waiting or waiting["expires_at"] <= now().isoformat():
        return None
    return str(waiting["value"]), str(waiting["code"])


def _verified_from_provider(registrant: Registrant, channel: str) -> str | None:
    entry = (registrant.profile or {}).get(PROFILE_FIELD[channel]) or {}
    if entry.get("source") == ID_PROVIDER and entry.get("verified") and isinstance(entry.get("value"), str):
        return str(entry["value"])
    return None


def _usable_address(registrant: Registrant, contacts: Contacts | None, channel: str) -> str | None:
    confirmed = ((contacts.confirmed if contacts else None) or {}).get(channel)
    if confirmed:
        return str(confirmed["value"])
    return _verified_from_provider(registrant, channel)


def _chosen(registrant: Registrant, contacts: Contacts | None) -> list[str]:
    if contacts is not None and contacts.channels is not None:
        return [c for c in contacts.channels if c in CHANNELS]
    return [channel for channel in CHANNELS if _verified_from_provider(registrant, channel)]
