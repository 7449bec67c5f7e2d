"""Sending the outbox: each pending envelope until the portal gives a definitive answer.

A success (2xx) or the portal's own refusal (a 4xx in its error shape, with a code: it checked
and decided) ends an envelope's journey, and the envelope is erased. Anything else leaves it
pending, to be tried again after a backoff: no answer (network down, timeout), 5xx, 408, 429, a
4xx that is not the portal's (a proxy's 407, a gateway's page), an expired sign-in (401, and
the officer signs in again), or another officer's sign-in (403 ``agent_not_yours``). Nothing is given up on a word that did not come from the portal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from edge_agent.cloud import Cloud, CloudAnswer, CloudUnreachable
from edge_agent.outbox import Entry, Outbox


@dataclass(frozen=True)
class Delivery:
    capture_id: str
    state: str  # delivered | rejected | pending
    answer: dict[str, Any] | None
    error: str | None = None


def send_one(outbox: Outbox, cloud: Cloud, entry: Entry) -> Delivery:
    try:
        answer = cloud.relay(entry.envelope)
    except CloudUnreachable as problem:
        outbox.failed_attempt(entry.capture_id, f"portal unreachable: {problem}")
        return Delivery(entry.capture_id, "pending", None, str(problem))
    except CloudAnswer as refused:
        if refused.status == 401:
            outbox.failed_attempt(entry.capture_id, "sign-in expired: run `login` with a fresh token")
            return Delivery(entry.capture_id, "pending", None, "sign-in expired")
        if refused.code == "agent_not_yours":
            # Sent with another officer's sign-in (a PC several officers use): it says nothing of
            # the capture, which waits for its own officer.
            outbox.failed_attempt(entry.capture_id, "signed in as another officer: waiting for the officer who captured it")
            return Delivery(entry.capture_id, "pending", None, "another officer's sign-in")
        outbox.answered(entry.capture_id, "rejected", refused.body)
        return Delivery(entry.capture_id, "rejected", refused.body)
    outbox.answered(entry.capture_id, "delivered", answer)
    return Delivery(entry.capture_id, "delivered", answer)


def flush(
    outbox: Outbox,
    cloud: Cloud,
    wait: float = 0.0,
    until_answered: str | None = None,
    on_delivery: Callable[[Delivery], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    """Send what is due, retrying with backoff for up to ``wait`` seconds, until the outbox is
    empty (or, with ``until_answered``, until that one capture has its answer)."""
    deadline = time.monotonic() + wait
    deliveries: list[Delivery] = []
    while True:
        for entry in outbox.due():
            delivery = send_one(outbox, cloud, entry)
            deliveries.append(delivery)
            if on_delivery:
                on_delivery(delivery)
        if until_answered is not None:
            target = outbox.get(until_answered)
            if target is None or target.state != "pending":
                return deliveries
        next_due = outbox.next_due()
        if next_due is None:
            return deliveries
        pause = max(0.0, next_due - time.time())
        remaining = deadline - time.monotonic()
        if remaining <= 0 or pause > remaining:
            return deliveries
        sleep(min(pause, remaining) + 0.01)
