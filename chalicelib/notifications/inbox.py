"""The person's messages, and the administrators' list of parked ones."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.errors import BadRequest, NotFound
from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor
from chalicelib.notifications import delivery
from chalicelib.store.messages import Message
from chalicelib.store.pagination import decode_cursor, query_page

MESSAGE_ID = re.compile(r"^[0-9T]{21}Z-[0-9a-f]{12}\.(sms|email|inbox)$")


def message_json(message: Message) -> dict[str, Any]:
    return {
        "message_id": f"{message.event_id}.{message.channel}",
        "event_type": message.event_type,
        "application_id": message.application_id,
        "reference": message.reference,
        "channel": message.channel,
        "state": message.state,
        "subject": message.subject,
        "body": message.body,
        "locale": message.locale,
        "sms_segments": int(message.segments) if message.segments is not None else None,
        "attempts": int(message.attempts or 0),
        "created_at": message.created_at.isoformat() if message.created_at else None,
        "sent_at": message.sent_at,
    }


def my_messages(registrant_id: str, limit: int, cursor: str | None, application_id: str | None = None) -> dict[str, Any]:
    """Every message sent to the person, newest first (one Query); those of one application when asked."""
    start = decode_cursor(cursor, ("pk", "sk"))
    pk = f"person#{registrant_id}"
    if start is not None and start["pk"].get("S") != pk:
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    condition = Message.application_id == application_id if application_id else None
    results = Message.query(pk, Message.sk.startswith("msg#"), filter_condition=condition, scan_index_forward=False, limit=limit, last_evaluated_key=start)
    page = query_page(results, limit)
    return page.to_json(message_json(m) for m in page.items)


def parked_messages(limit: int, cursor: str | None) -> dict[str, Any]:
    """Messages every try of which failed, oldest first, without their text (it names the person)."""
    start = decode_cursor(cursor, ("pk", "sk", "parked", "parked_at"))
    page = query_page(Message.by_parked.query("parked", scan_index_forward=True, limit=limit, last_evaluated_key=start), limit)
    return page.to_json(
        {
            **{k: v for k, v in message_json(m).items() if k not in {"subject", "body"}},
            "registrant_id": m.registrant_id,
            "last_error": m.last_error,
            "parked_at": m.parked_at,
        }
        for m in page.items
    )


def resend_parked(registrant_id: str, message_id: str, actor: Actor) -> dict[str, Any]:
    if not MESSAGE_ID.match(message_id):
        raise NotFound()
    event_id, channel = message_id.rsplit(".", 1)
    try:
        message = Message.get(f"person#{registrant_id}", f"msg#{event_id}#{channel}", consistent_read=True)
    except Message.DoesNotExist:
        raise NotFound() from None
    if not message.parked:
        raise NotFound("This message is not parked.", code="not_parked")
    record_access(registrant_id, actor, "message_resend_asked", {"event_id": event_id, "channel": channel})
    return message_json(delivery.resend(message))
