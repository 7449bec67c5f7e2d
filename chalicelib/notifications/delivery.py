"""From an outbox event to the person's channels: once per event and channel, retried, parked.

The stream handler (``app.py``, ``@app.on_dynamodb_record``; the local stack's launcher calls
the same function) hands each new event here. For each channel the person chose and can be
reached on, the message item is claimed first under its key (``msg#<event id>#<channel>``): a
stream batch delivered again finds it and sends nothing more. A provider's error is retried with
a doubling wait; after the last try the message is parked (listed for administrators, and sent
to the dead-letter queue in AWS) and can be resent. A person with no usable channel still gets
the message in their inbox. Every message goes to the person's activity log.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from pynamodb.exceptions import PutError

from chalicelib import config
from chalicelib.events.outbox import EventType
from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor
from chalicelib.notifications import providers, templates
from chalicelib.observability import logger
from chalicelib.registrants import contacts as person_contacts
from chalicelib.store.base import now
from chalicelib.store.contacts import Contacts, contacts_key
from chalicelib.store.events import OutboxEvent
from chalicelib.store.messages import Message, ProgramTemplates
from chalicelib.store.programs import Program
from chalicelib.store.registrants import Registrant
from chalicelib.store.transactions import found_or_none, reading

SYSTEM = Actor("system", "notifications")
KEPT_FOR = timedelta(days=400)
DONE = frozenset({"sent", "inbox"})


def handle_stream_images(images: Iterable[dict[str, Any]]) -> int:
    """Deliver each outbox event of a stream batch (its ``NewImage``s, in order); messages made."""
    made = 0
    for image in images:
        if image:
            made += len(deliver(OutboxEvent.from_raw_data(image)))
    return made


def deliver(event: OutboxEvent) -> list[Message]:
    if event.type not in templates.TEMPLATED or _told_on_the_page(event):
        return []
    registrant, contacts, program, overrides = _read_for(event)
    if registrant is None:
        return []
    reach = person_contacts.reachable(registrant, contacts)
    targets = dict(reach.channels)
    wanted = reach.locale or (event.data or {}).get("locale")  # the profile's language, else the one they applied in
    locale = wanted if wanted in templates.LOCALES else "en"
    values = {
        "first_name": reach.first_name or "",
        "reference": event.reference or "",
        "program": _program_name(program, locale),
        "link": templates.link_to(event.reference),
    }
    if event.type == EventType.CONTACT_CONFIRMATION_REQUESTED:
        channel = str((event.data or {}).get("channel"))
        waiting = person_contacts.pending_contact(contacts, channel)
        if waiting is None:
            return []  # confirmed or replaced since: the code it asked for is no longer wanted
        targets = {channel: waiting[0]}
        values["code"] = waiting[1]
    enabled = {c: a for c, a in targets.items() if (providers.sms_enabled() if c == "sms" else providers.email_enabled())}
    wording = templates.template_for(event.type, locale, overrides)
    if not enabled:
        return [_claim_and_send(event, "inbox", None, locale, wording, values)]
    return [_claim_and_send(event, channel, address, locale, wording, values) for channel, address in enabled.items()]


def _told_on_the_page(event: OutboxEvent) -> bool:
    """A document refused while the person waits on the page is told there; one refused later
    (by the malware scan) is worth a message."""
    return event.type == EventType.DOCUMENT_REFUSED and (event.data or {}).get("reason") != "malware_found"


def resend(message: Message) -> Message:
    """An administrator's retry of a parked message, to the person's current contact."""
    registrant, contacts = person_contacts.read_person(message.registrant_id)
    if registrant is None:
        return message
    address = person_contacts.reachable(registrant, contacts).channels.get(message.channel)
    message.parked = None
    message.parked_at = None
    message.attempts = 0
    message.state = "sending"
    if address is None:
        message.state, message.last_error = "inbox", "no_contact"
        message.save()
        return message
    return _send(message, address)


def _read_for(event: OutboxEvent) -> tuple[Registrant | None, Contacts | None, Program | None, dict[str, Any] | None]:
    """The person, their contact choices, the program and its templates: one TransactGetItems."""
    with reading() as reads:
        person = reads.get(Registrant, event.registrant_id)
        contacts = reads.get(Contacts, contacts_key(event.registrant_id))
        program = reads.get(Program, event.program_id) if event.program_id else None
        wording = reads.get(ProgramTemplates, f"templates#{event.program_id}", "templates") if event.program_id else None
    kept = found_or_none(wording) if wording is not None else None
    return found_or_none(person), found_or_none(contacts), found_or_none(program) if program is not None else None, kept.templates if kept else None


def _program_name(program: Program | None, locale: str | None) -> str:
    names = (program.name if program is not None else None) or {}
    return str(names.get(locale or "en") or names.get("en") or next(iter(names.values()), ""))


def _claim_and_send(event: OutboxEvent, channel: str, address: str | None, locale: str, wording: dict[str, str], values: dict[str, str]) -> Message:
    sms = templates.render(wording["sms"], values)
    confirmation = event.type == EventType.CONTACT_CONFIRMATION_REQUESTED
    message = Message(
        pk=f"person#{event.registrant_id}",
        sk=f"msg#{event.event_id}#{channel}",
        registrant_id=event.registrant_id,
        event_id=event.event_id,
        event_type=event.type,
        application_id=event.application_id,
        reference=event.reference,
        channel=channel,
        locale=locale,
        subject=templates.render(wording["subject"], values),
        body=sms if channel in {"sms", "inbox"} else templates.render(wording["email"], values),
        segments=templates.sms_segments(sms)[1] if channel == "sms" else None,
        state="inbox" if channel == "inbox" else "sending",
        attempts=0,
        expires_at=now() + KEPT_FOR,
    )
    try:
        message.save(condition=Message.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        existing = Message.get(message.pk, message.sk, consistent_read=True)
        if existing.state in DONE or existing.parked:
            logger.info("message_already_handled", extra={"event_id": event.event_id, "channel": channel})
            return existing
        message = existing  # a batch retried mid-send: carry on from the tries made
    if channel == "inbox" or address is None:
        _record(message, "message_in_inbox")
        return message
    sent = _send(message, address)
    if confirmation and sent.state == "sent":
        sent.body = "•" * 6  # the inbox shows that a code was sent, never the code
        sent.subject = None
        sent.save()
    return sent


def _send(message: Message, address: str) -> Message:
    tries = max(1, config.get_int("SSP_NOTIFY_MAX_ATTEMPTS"))
    wait = float(config.get("SSP_NOTIFY_BACKOFF_SECONDS"))
    while int(message.attempts or 0) < tries:
        message.attempts = int(message.attempts or 0) + 1
        try:
            if message.channel == "sms":
                message.provider_id = providers.sms_sender().send_sms(address, message.body)
            else:
                message.provider_id = providers.email_sender().send_email(address, message.subject or "", message.body)
        except providers.ProviderError as error:
            message.last_error = error.code
            logger.warning(
                "message_send_failed",
                extra={"event_id": message.event_id, "channel": message.channel, "attempt": message.attempts, "error": error.code},
            )
            if message.attempts < tries:
                time.sleep(wait * 2 ** (message.attempts - 1))
            continue
        message.state, message.sent_at = "sent", now().isoformat()
        message.save()
        logger.info("message_sent", extra={"event_id": message.event_id, "channel": message.channel, "attempts": message.attempts})
        _record(message, "message_sent")
        return message
    message.state, message.parked, message.parked_at = "parked", "parked", now().isoformat()
    message.save()
    providers.park_in_queue({"pk": message.pk, "sk": message.sk, "event_id": message.event_id, "channel": message.channel})
    logger.error("message_parked", extra={"event_id": message.event_id, "channel": message.channel, "error": message.last_error})
    _record(message, "message_parked")
    return message


def _record(message: Message, action: str) -> None:
    details = {"event_id": message.event_id, "channel": message.channel, "state": message.state, "event_type": message.event_type}
    if message.application_id:
        details["application_id"] = message.application_id
    record_access(message.registrant_id, SYSTEM, action, details)
