"""Standard Webhooks headers for one delivery, with the maintained ``standardwebhooks`` library.

``webhook-id`` is the outbox event's id: the same on every try and on a replay, so a receiver
drops what it has already applied. ``webhook-timestamp`` is when this try was signed (a receiver
refuses one too old, which stops a captured delivery being replayed later by someone else).
``webhook-signature`` holds one ``v1,<base64 HMAC-SHA256>`` per valid secret, space-separated:
two during a rotation's overlap.
"""

from __future__ import annotations

from datetime import datetime
from math import floor

from standardwebhooks.webhooks import Webhook


def headers(event_id: str, body: str, secrets: list[str], at: datetime) -> dict[str, str]:
    signatures = " ".join(Webhook(secret).sign(event_id, at, body) for secret in secrets)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(floor(at.timestamp())),
        "webhook-signature": signatures,
    }
