"""What the auth routes do, in plain values: providers, login, the session, logout."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib import config
from chalicelib.auth import login
from chalicelib.auth.login import CompletedLogin, LoginStart
from chalicelib.auth.login_errors import UnknownProvider
from chalicelib.auth.oidc import end_session_url
from chalicelib.auth.providers import all_providers, provider
from chalicelib.auth.sessions import end_all_sessions, end_session
from chalicelib.identity.callers import RegistrantCaller


def list_providers() -> dict[str, Any]:
    return {"providers": [p.public_view() for p in all_providers()]}


def staff_sign_in() -> dict[str, Any]:
    """What the staff console needs to sign staff in at the staff issuer (code flow with PKCE)."""
    issuer, client_id = config.get("SSP_STAFF_ISSUER"), config.get("SSP_STAFF_CLIENT_ID")
    if not issuer or not client_id:
        return {"configured": False}
    return {
        "configured": True,
        "issuer": issuer,
        "discovery_url": issuer.rstrip("/") + "/.well-known/openid-configuration",
        "client_id": client_id,
        "audience": config.get("SSP_STAFF_AUDIENCE"),
        "scope": "openid",
    }


def start_login(provider_id: str, method: str | None, return_to: str | None, locale: str | None) -> LoginStart:
    return login.start_login(provider_id, method, return_to, locale)


def complete_login(params: Mapping[str, str], browser_binding: str | None) -> CompletedLogin:
    return login.complete_login(params, browser_binding)


def describe_session(who: RegistrantCaller | None) -> dict[str, Any]:
    if who is None:
        return {"authenticated": False}
    return {
        "authenticated": True,
        "registrant_id": who.registrant_id,
        "name": who.session.data.get("name"),
        "locale": who.session.data.get("locale"),
        "csrf_token": who.session.csrf_token,
        "provider": who.session.data.get("provider"),
    }


def logout(who: RegistrantCaller, everywhere: bool = False) -> dict[str, Any]:
    """End this session, or every session of the person; offer the provider's logout too."""
    if everywhere:
        end_all_sessions(who.registrant_id)
    else:
        end_session(who.session.key)
    result: dict[str, Any] = {"logged_out": True, "everywhere": everywhere}
    url = _provider_logout_url(who)
    if url:
        result["end_session_url"] = url
    return result


def _provider_logout_url(who: RegistrantCaller) -> str | None:
    provider_id = who.session.data.get("provider")
    if not isinstance(provider_id, str):
        return None
    try:
        chosen = provider(provider_id)
    except UnknownProvider:
        return None
    return end_session_url(chosen, login.post_logout_redirect_uri())
