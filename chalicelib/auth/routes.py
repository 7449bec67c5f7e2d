"""Routes of the auth area: the current session and logout."""

from __future__ import annotations

from typing import Any

from chalicelib.auth import service
from chalicelib.auth.identity import RegistrantCaller
from chalicelib.auth.sessions import clear_cookie_header
from chalicelib.web import REGISTRANT, REGISTRANT_OPTIONAL, ApiBlueprint, json_response

bp = ApiBlueprint(__name__, tag="auth")

LOGOUT_BODY = {
    "type": ["object", "null"],
    "properties": {"everywhere": {"type": "boolean"}},
    "additionalProperties": False,
}


@bp.api("/session", "GET", summary="Who is logged in, and the CSRF token for state-changing calls", access=REGISTRANT_OPTIONAL)
def get_session(who: RegistrantCaller | None) -> Any:
    return service.describe_session(who)


@bp.api("/auth/logout", "POST", summary="End this session (or every session of this person)", access=REGISTRANT, body=LOGOUT_BODY)
def logout(who: RegistrantCaller, body: dict[str, Any] | None) -> Any:
    result = service.logout(who, everywhere=bool((body or {}).get("everywhere")))
    return json_response(result, headers={"Set-Cookie": clear_cookie_header()})
