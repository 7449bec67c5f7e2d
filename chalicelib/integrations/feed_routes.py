"""The pull feed's route: ``GET /api/admin/events`` for a machine client with the ``integration`` role."""

from __future__ import annotations

from typing import Any

from chalicelib.identity.callers import StaffCaller
from chalicelib.integrations import feed
from chalicelib.store.base import now
from chalicelib.web import ApiBlueprint, staff

bp = ApiBlueprint(__name__, tag="integrations")

INTEGRATION = "integration"

FEED_QUERY = {
    "after": {"type": "string", "maxLength": 512},
    "limit": {"type": "integer", "minimum": 1, "maximum": feed.MAX_LIMIT},
}


@bp.api(
    "/admin/events",
    "GET",
    summary="The events integrations get, in order, after a cursor (the webhooks' payloads, for systems that poll)",
    access=staff(INTEGRATION),
    query=FEED_QUERY,
    responses={200: "a page of payloads and the cursor to ask from next", 400: "a cursor the feed did not give out", 403: "not the integration role"},
)
def get_events(who: StaffCaller, query: dict[str, Any]) -> Any:
    return feed.read(query.get("after"), int(query.get("limit", feed.DEFAULT_LIMIT)), now=now()).as_json()
