"""From an outbox event to each endpoint that wants it: fanned out, then delivered, signed, retried.

1. ``fan_out`` (the events stream's function ``app.fan_out_webhooks``) writes one delivery item
   per matching active endpoint (``queued``; ``paused`` for a paused endpoint, held until it is
   resumed) and queues its message. The item is claimed with a does-not-exist condition: a stream
   batch handed twice queues nothing twice.
2. ``deliver`` (the queue's function ``app.deliver_webhooks``) reads the event, builds its payload
   (``payloads.build``), checks the URL again (SSRF), signs with every valid secret and posts it.
   A 2xx is ``delivered``. Anything else is ``retrying`` after a wait doubling from
   ``SSP_WEBHOOK_BACKOFF_SECONDS`` up to ``SSP_WEBHOOK_MAX_BACKOFF_SECONDS`` (30 s, 1, 2, 4 ... 256
   min, then every 6 h), until ``SSP_WEBHOOK_RETRY_HOURS`` (72) after the first try: ``failed``.
   An endpoint failing ``SSP_WEBHOOK_PAUSE_HOURS`` (24) without one success is paused, and its
   deliveries held (``paused``) until an administrator resumes it.

The log keeps the state, attempts, last HTTP status and an error code: never the payload. Logs
name the endpoint and the event id only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from pynamodb.exceptions import PutError
from pynamodb.expressions.update import Action

from chalicelib import config
from chalicelib.errors import NotFound
from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor
from chalicelib.integrations import payloads, queue, secrets, signing, ssrf, subscriptions, transport
from chalicelib.observability import logger
from chalicelib.store.base import now
from chalicelib.store.events import OutboxEvent
from chalicelib.store.subscriptions import IntegrationItem, deliveries_pk

KEPT_FOR = subscriptions.LOG_KEPT_FOR


SYSTEM = Actor("system", "integrations")


class Outcome(NamedTuple):
    state: str  # delivered | retrying | failed | paused | skipped | gone
    retry_in: int | None = None  # seconds until the next try, when retrying


def fan_out(images: Iterable[dict[str, Any]]) -> int:
    """Queue a delivery of each new outbox event to each endpoint that wants it; how many."""
    queued = 0
    for image in images:
        if not image:
            continue
        event = OutboxEvent.from_raw_data(image)
        for endpoint in subscriptions.endpoints_for(event.type):
            queued += enqueue(endpoint, event)
    return queued


def enqueue(endpoint: IntegrationItem, event: OutboxEvent) -> int:
    held = endpoint.state != "active"
    item = IntegrationItem(
        pk=deliveries_pk(endpoint.sk, event.event_id),
        sk=event.event_id,
        event_id=event.event_id,
        event_type=subscriptions.public_type(event.type),
        stream=event.stream,
        state="paused" if held else "queued",
        attempts=0,
        expires_at=now() + KEPT_FOR,
    )
    try:
        item.save(condition=IntegrationItem.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        item = IntegrationItem.get(item.pk, item.sk, consistent_read=True)
        # Claimed by a batch that died before queueing: queue it (SQS drops a duplicate within 5 min).
        if item.state != "queued" or int(item.attempts or 0) > 0:
            return 0
    if held or not queue.enabled():
        return 0
    queue.send(endpoint.sk, event.event_id, event.stream)
    return 1


def deliver(message: dict[str, Any], at: datetime | None = None) -> Outcome:
    """One try of one queued delivery."""
    moment = at or now()
    endpoint_id, event_id, stream = str(message["endpoint_id"]), str(message["event_id"]), str(message["stream"])
    try:
        endpoint = subscriptions.cached(endpoint_id)
    except NotFound:
        return Outcome("gone")
    item = _delivery_item(endpoint_id, event_id, stream)
    if item.state == "delivered" and not message.get("replay"):
        return Outcome("delivered")  # a message handed twice
    if endpoint.state != "active":
        return _finish(item, "paused")
    try:
        event = OutboxEvent.get(stream, event_id)
    except OutboxEvent.DoesNotExist:
        return _finish(item, "failed", error="event_expired")
    body = payloads.build(event, now=moment)
    if body is None:
        return _finish(item, "skipped")
    answer = _post(endpoint, event_id, json.dumps(body, separators=(",", ":"), ensure_ascii=False), moment)
    outcome = _record_try(endpoint, item, answer, moment)
    if outcome.state == "delivered" and not message.get("replay"):
        _tell_the_person(event, endpoint_id)
    return outcome


def _tell_the_person(event: OutboxEvent, endpoint_id: str) -> None:
    """The person's activity log says their data reached a ministry's system: which application,
    and which endpoint (an opaque id; the payload itself is never kept)."""
    details = {"endpoint_id": endpoint_id, **({"application_id": event.application_id} if event.application_id else {})}
    record_access(subject=event.registrant_id, actor=SYSTEM, action="sent_to_registry", details=details)


def _post(endpoint: IntegrationItem, event_id: str, text: str, at: datetime) -> transport.Answer:
    try:
        target = ssrf.resolve(str(endpoint.url))
    except ssrf.Refused as refused:
        return transport.Answer(None, f"refused_{refused.code}")
    valid = secrets.read(endpoint.sk).valid(at)
    headers = signing.headers(event_id, text, valid, at)
    return transport.post(target, text.encode(), headers, float(config.get("SSP_WEBHOOK_TIMEOUT_SECONDS")))


def _record_try(endpoint: IntegrationItem, item: IntegrationItem, answer: transport.Answer, at: datetime) -> Outcome:
    attempts = int(item.attempts or 0) + 1
    first = item.first_attempt_at or at
    base: list[Action] = [
        IntegrationItem.attempts.set(attempts),
        IntegrationItem.first_attempt_at.set(first),
        IntegrationItem.last_attempt_at.set(at),
    ]
    base.append(IntegrationItem.last_status.set(answer.status) if answer.status is not None else IntegrationItem.last_status.remove())
    if answer.error is None:
        item.update(actions=[*base, IntegrationItem.state.set("delivered"), IntegrationItem.delivered_at.set(at), IntegrationItem.last_error.remove()])
        subscriptions.record_success(endpoint)
        logger.info("webhook_delivered", extra={"endpoint_id": endpoint.sk, "event_id": item.sk, "attempts": attempts, "status": answer.status})
        return Outcome("delivered")
    logger.warning("webhook_failed", extra={"endpoint_id": endpoint.sk, "event_id": item.sk, "attempt": attempts, "error": answer.error})
    paused_now = subscriptions.record_failure(endpoint, at)
    if paused_now or endpoint.state != "active":
        item.update(actions=[*base, IntegrationItem.state.set("paused"), IntegrationItem.last_error.set(answer.error)])
        return Outcome("paused")
    if at - first >= timedelta(hours=config.get_int("SSP_WEBHOOK_RETRY_HOURS")):
        item.update(actions=[*base, IntegrationItem.state.set("failed"), IntegrationItem.last_error.set(answer.error)])
        logger.error("webhook_given_up", extra={"endpoint_id": endpoint.sk, "event_id": item.sk, "attempts": attempts})
        return Outcome("failed")
    wait = backoff(attempts)
    item.update(
        actions=[
            *base,
            IntegrationItem.state.set("retrying"),
            IntegrationItem.last_error.set(answer.error),
            IntegrationItem.next_attempt_at.set(at + timedelta(seconds=wait)),
        ]
    )
    return Outcome("retrying", wait)


def backoff(attempts: int) -> int:
    """Seconds before the try after ``attempts`` failed ones: doubling, capped."""
    base = float(config.get("SSP_WEBHOOK_BACKOFF_SECONDS"))
    cap = min(config.get_int("SSP_WEBHOOK_MAX_BACKOFF_SECONDS"), queue.MAX_VISIBILITY)
    return int(min(cap, base * 2 ** max(0, attempts - 1)))


def _delivery_item(endpoint_id: str, event_id: str, stream: str) -> IntegrationItem:
    try:
        return IntegrationItem.get(deliveries_pk(endpoint_id, event_id), event_id, consistent_read=True)
    except IntegrationItem.DoesNotExist:
        # Its log entry expired (or was never written): deliver all the same, and log it anew.
        item = IntegrationItem(pk=deliveries_pk(endpoint_id, event_id), sk=event_id, event_id=event_id, stream=stream, state="queued", attempts=0)
        item.expires_at = now() + KEPT_FOR
        item.save()
        return item


def _finish(item: IntegrationItem, state: str, *, error: str | None = None) -> Outcome:
    actions: list[Action] = [IntegrationItem.state.set(state)]
    if error:
        actions.append(IntegrationItem.last_error.set(error))
    item.update(actions=actions)
    return Outcome(state)


def handle_queue_records(records: list[dict[str, Any]]) -> dict[str, Any]:
    """A batch from the queue (Lambda's ``Records``), in order. A try that failed is made
    invisible for its backoff and reported as a batch item failure, with every record after it
    (a FIFO batch stops at its first failure); the rest are deleted by Lambda."""
    failures: list[dict[str, str]] = []
    for record in records:
        if failures:
            failures.append({"itemIdentifier": record["messageId"]})
            queue.retry_later(record["receiptHandle"], 0)
            continue
        outcome = deliver(json.loads(record["body"]))
        if outcome.retry_in is not None:
            queue.retry_later(record["receiptHandle"], outcome.retry_in)
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
