"""The one way to paginate: a limit and an opaque cursor over a DynamoDB Query.

The cursor is DynamoDB's ``LastEvaluatedKey`` as base64url JSON. Every paginated query is
keyed on the caller's own partition, so a hand-made cursor can only move within the caller's
own items; a malformed one is a 400, never a DynamoDB error.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any, Generic, NamedTuple, TypeVar

from chalicelib.errors import BadRequest

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

QUERY_PARAMS = {
    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    "cursor": {"type": "string", "maxLength": 2048},
}


def page_args(query: dict[str, Any]) -> tuple[int, str | None]:
    """The ``limit`` and ``cursor`` of a route's QUERY_PARAMS, as a service function takes them."""
    return int(query.get("limit", DEFAULT_LIMIT)), query.get("cursor")


class Page(NamedTuple, Generic[T]):
    items: list[T]
    cursor: str | None

    def to_json(self, items: Iterable[Any]) -> dict[str, Any]:
        return {"items": list(items), "next_cursor": self.cursor}


def encode_cursor(last_evaluated_key: dict[str, Any] | None) -> str | None:
    if not last_evaluated_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(last_evaluated_key, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str | None, key_names: Iterable[str]) -> dict[str, Any] | None:
    """The ``exclusive_start_key`` for a query whose keys are ``key_names``; 400 if it is not one."""
    if not cursor:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("This page link is not valid.", code="bad_cursor") from None
    names = set(key_names)
    if not isinstance(decoded, dict) or set(decoded) != names or not all(_is_key_value(v) for v in decoded.values()):
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    return decoded


def _is_key_value(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in {"S", "N"} and isinstance(next(iter(value.values())), str)


def query_page(query_results: Any, limit: int) -> Page[Any]:
    """Drain a pynamodb result iterator limited to ``limit`` items into a ``Page``."""
    items = list(query_results)
    return Page(items=items[:limit], cursor=encode_cursor(query_results.last_evaluated_key) if len(items) >= limit else None)
