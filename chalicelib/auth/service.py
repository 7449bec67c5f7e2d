"""What the auth routes do, in plain values."""

from __future__ import annotations

from typing import Any

from chalicelib.auth.identity import RegistrantCaller
from chalicelib.auth.sessions import end_session


def describe_session(who: RegistrantCaller | None) -> dict[str, Any]:
    if who is None:
        return {"authenticated": False}
    return {
        "authenticated": True,
        "registrant_id": who.registrant_id,
        "name": who.session.data.get("name"),
        "csrf_token": who.session.csrf_token,
        "provider": who.session.data.get("provider"),
    }


def logout(who: RegistrantCaller, everywhere: bool = False) -> dict[str, Any]:
    # Ending every session of a person needs an index of sessions by registrant: the login
    # issue adds it; until then only this session ends, and the answer says so.
    end_session(who.session.key)
    return {"logged_out": True, "everywhere": False}
