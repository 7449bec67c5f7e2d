"""Webhook endpoints: registered by administrators, each wanting some public event types.

An endpoint is ``active`` (delivered to), ``paused`` (by an administrator, or by the portal after
``SSP_WEBHOOK_PAUSE_HOURS`` of failures without one success: the console says so) or gone. Its
URL passes the SSRF guard (``ssrf``) when registered or changed, and again at each delivery. Its
signing secret is made here, kept in ``secrets`` and shown once.
"""

from __future__ import annotations

import re
import secrets as random
import time
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib import config
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.events.outbox import RETENTION
from chalicelib.identity.callers import Actor
from chalicelib.integrations import payloads, secrets, ssrf
from chalicelib.observability import logger
from chalicelib.store.base import now
from chalicelib.store.subscriptions import ENDPOINTS_PK, IntegrationItem

# The public names of the outbox's events a registry can hear of (payloads builds each body).
EVENT_TYPES = tuple(payloads.TYPES)
MAX_ENDPOINTS = 20
# The delivery log keeps an item as long as the outbox keeps its event: a replay needs both.
LOG_KEPT_FOR = RETENTION
ENDPOINT_ID = re.compile(r"^ep_[0-9a-f]{16}$")
CACHE_SECONDS = 10.0

_cache: dict[str, Any] = {}


def public_type(event_type: str) -> str | None:
    return payloads.public_type(event_type)


def endpoint_json(item: IntegrationItem) -> dict[str, Any]:
    """What an administrator sees of an endpoint (never its secret)."""
    return {
        "id": item.sk,
        "url": item.url,
        "description": item.description or "",
        "event_types": list(item.event_types or []),
        "state": item.state,
        "paused_reason": item.paused_reason,
        "paused_at": item.paused_at.isoformat() if item.paused_at else None,
        "failing_since": item.failing_since.isoformat() if item.failing_since else None,
        "secret_rotated_at": item.secret_rotated_at.isoformat() if item.secret_rotated_at else None,
        "created_at": item.created_at.isoformat() if item.created_at else None,
    }


def register(url: str, event_types: list[str], description: str, actor: Actor) -> dict[str, Any]:
    """A new active endpoint and its first secret (in the answer, once)."""
    _check_url(url)
    if len(list_endpoints()) >= MAX_ENDPOINTS:
        raise Conflict(f"At most {MAX_ENDPOINTS} endpoints can be registered.", code="too_many_endpoints")
    endpoint_id = "ep_" + random.token_hex(8)
    item = IntegrationItem(
        pk=ENDPOINTS_PK,
        sk=endpoint_id,
        url=url,
        description=description,
        event_types=_event_types(event_types),
        state="active",
        created_by=actor.ref,
    )
    secret = secrets.create(endpoint_id)
    item.save(condition=IntegrationItem.pk.does_not_exist())
    forget_cache()
    logger.info("webhook_endpoint_registered", extra={"endpoint_id": endpoint_id, "by": actor.ref})
    return {**endpoint_json(item), "secret": secret}


def update(endpoint_id: str, changes: dict[str, Any], actor: Actor) -> dict[str, Any]:
    item = get(endpoint_id)
    if "url" in changes:
        _check_url(changes["url"])
        item.url = changes["url"]
    if "event_types" in changes:
        item.event_types = _event_types(changes["event_types"])
    if "description" in changes:
        item.description = changes["description"]
    item.save()
    forget_cache()
    logger.info("webhook_endpoint_changed", extra={"endpoint_id": endpoint_id, "by": actor.ref, "fields": sorted(changes)})
    return endpoint_json(item)


def rotate_secret(endpoint_id: str, actor: Actor) -> dict[str, Any]:
    """A new secret; the old one still signs for the overlap. Both in the answer's terms: the new
    one shown once, and until when the old one is used."""
    item = get(endpoint_id)
    rotated = secrets.rotate(endpoint_id)
    item.update(actions=[IntegrationItem.secret_rotated_at.set(now())])
    logger.info("webhook_secret_rotated", extra={"endpoint_id": endpoint_id, "by": actor.ref})
    until = rotated.previous_until.isoformat() if rotated.previous_until else None
    return {**endpoint_json(item), "secret": rotated.current, "previous_secret_valid_until": until}


def remove(endpoint_id: str, actor: Actor) -> None:
    item = get(endpoint_id)
    item.delete()
    secrets.delete(endpoint_id)
    forget_cache()
    logger.info("webhook_endpoint_removed", extra={"endpoint_id": endpoint_id, "by": actor.ref})


def pause(endpoint_id: str, reason: str, at: datetime | None = None) -> IntegrationItem:
    item = get(endpoint_id)
    item.update(
        actions=[IntegrationItem.state.set("paused"), IntegrationItem.paused_reason.set(reason), IntegrationItem.paused_at.set(at or now())],
        condition=IntegrationItem.pk.exists(),
    )
    forget_cache()
    # A pause the portal decided is an error for the operators' alarms; an administrator's is not.
    (logger.info if reason == "by_admin" else logger.error)("webhook_endpoint_paused", extra={"endpoint_id": endpoint_id, "reason": reason})
    return item


def mark_active(endpoint_id: str) -> IntegrationItem:
    item = get(endpoint_id)
    item.update(
        actions=[
            IntegrationItem.state.set("active"),
            IntegrationItem.paused_reason.remove(),
            IntegrationItem.paused_at.remove(),
            IntegrationItem.failing_since.remove(),
        ]
    )
    forget_cache()
    return item


def get(endpoint_id: str) -> IntegrationItem:
    if not ENDPOINT_ID.match(endpoint_id):
        raise NotFound("No such endpoint.", code="endpoint_not_found")
    try:
        return IntegrationItem.get(ENDPOINTS_PK, endpoint_id, consistent_read=True)
    except IntegrationItem.DoesNotExist:
        raise NotFound("No such endpoint.", code="endpoint_not_found") from None


def list_endpoints(*, consistent: bool = True) -> list[IntegrationItem]:
    return list(IntegrationItem.query(ENDPOINTS_PK, consistent_read=consistent))


def endpoints_for(event_type: str) -> list[IntegrationItem]:
    """The active endpoints that want an outbox event of this type (read at most every few
    seconds per function instance: every event of a busy day reads one small partition)."""
    wanted = public_type(event_type)
    if wanted is None:
        return []
    return [item for item in _fresh_endpoints() if wanted in (item.event_types or [])]


def cached(endpoint_id: str) -> IntegrationItem:
    """An endpoint as the fan-out last read it (a few seconds old at most): each try of each
    delivery reads no item of its own. One registered since is read from the table."""
    if not ENDPOINT_ID.match(endpoint_id):
        raise NotFound("No such endpoint.", code="endpoint_not_found")
    _fresh_endpoints()
    found = next((item for item in _cache["endpoints"][1] if item.sk == endpoint_id), None)
    return found if found is not None else get(endpoint_id)


def _fresh_endpoints() -> list[IntegrationItem]:
    cached = _cache.get("endpoints")
    if cached is None or time.monotonic() - cached[0] > CACHE_SECONDS:
        cached = (time.monotonic(), list_endpoints(consistent=False))
        _cache["endpoints"] = cached
    return list(cached[1])


def forget_cache() -> None:
    _cache.clear()


def record_success(item: IntegrationItem) -> None:
    if item.failing_since is not None:
        try:
            item.update(actions=[IntegrationItem.failing_since.remove()], condition=IntegrationItem.failing_since.exists())
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise


def record_failure(item: IntegrationItem, at: datetime) -> bool:
    """Note a failed try; pause the endpoint once it has failed for a day. True when paused now.
    Only the first failure since a success writes (a failing endpoint's tries do not all write
    its one item)."""
    if item.failing_since is None:
        try:
            item.update(actions=[IntegrationItem.failing_since.set(at)], condition=IntegrationItem.failing_since.does_not_exist())
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            item.refresh(consistent_read=True)
    since = item.failing_since or at
    if item.state == "active" and at - since >= timedelta(hours=config.get_int("SSP_WEBHOOK_PAUSE_HOURS")):
        pause(item.sk, "failing_for_a_day", at)
        item.state = "paused"
        return True
    return False


def _check_url(url: str) -> None:
    try:
        ssrf.resolve(url)
    except ssrf.Refused as refused:
        message = _REFUSALS.get(refused.code, "This address cannot receive webhooks.")
        raise ValidationFailed(message, code="url_refused", fields={"/url": refused.code}) from None


def _event_types(wanted: list[str]) -> list[str]:
    unknown = [t for t in wanted if t not in EVENT_TYPES]
    if unknown:
        raise ValidationFailed(fields={f"/event_types/{wanted.index(t)}": "not_allowed_value" for t in unknown})
    return sorted(set(wanted))


_REFUSALS = {
    "https_required": "Webhooks are sent over HTTPS only.",
    "credentials_in_url": "Put no user name or password in the address: deliveries are signed.",
    "portal_itself": "Webhooks cannot be sent to the portal itself.",
    "link_local_address": "This address is link-local or a cloud metadata service.",
    "private_address": "This address is private, loopback or otherwise not public.",
    "unknown_host": "This host name does not resolve.",
    "bad_url": "This is not a URL.",
}
