"""Request bodies and query parameters of the integrations area's routes."""

from __future__ import annotations

from typing import Any

from chalicelib.integrations.subscriptions import EVENT_TYPES
from chalicelib.store.pagination import QUERY_PARAMS

URL = {"type": "string", "minLength": 8, "maxLength": 2000, "description": "https://... (http://localhost only on the local stack)"}
EVENT_TYPE_LIST = {"type": "array", "items": {"type": "string", "enum": list(EVENT_TYPES)}, "minItems": 1, "maxItems": len(EVENT_TYPES), "uniqueItems": True}
DESCRIPTION = {"type": "string", "maxLength": 200}
NEW_ENDPOINT = {
    "type": "object",
    "properties": {"url": URL, "event_types": EVENT_TYPE_LIST, "description": DESCRIPTION},
    "required": ["url", "event_types"],
    "additionalProperties": False,
}
ENDPOINT_CHANGES = {
    "type": "object",
    "properties": {"url": URL, "event_types": EVENT_TYPE_LIST, "description": DESCRIPTION},
    "minProperties": 1,
    "additionalProperties": False,
}
BOUND = {"type": "string", "minLength": 10, "maxLength": 40, "description": "an ISO 8601 time with its offset, or an event id"}
REPLAY = {
    "type": "object",
    "properties": {"from": BOUND, "to": BOUND},
    "required": ["from", "to"],
    "additionalProperties": False,
}
DELIVERY_STATES = ["queued", "delivered", "retrying", "failed", "paused", "skipped"]
DELIVERIES_QUERY: dict[str, Any] = {**QUERY_PARAMS, "state": {"type": "string", "enum": DELIVERY_STATES}}
