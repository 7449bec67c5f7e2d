"""Routes of the auth area: identity providers, login and its callback, the session, logout."""

from __future__ import annotations

from typing import Any

from chalice import Response

from chalicelib.auth import service
from chalicelib.auth.login import LOGIN_COOKIE, clear_login_cookie_header, ends_browser_login, login_cookie_header, retry_url
from chalicelib.auth.login_page import choose_locale, error_page, wants_html
from chalicelib.auth.sessions import clear_cookie_header, cookie_value, set_cookie_header
from chalicelib.errors import PortalError
from chalicelib.identity.callers import RegistrantCaller
from chalicelib.web import REGISTRANT, REGISTRANT_OPTIONAL, ApiBlueprint, json_response

bp = ApiBlueprint(__name__, tag="auth")

LOGOUT_BODY = {
    "type": ["object", "null"],
    "properties": {"everywhere": {"type": "boolean"}},
    "additionalProperties": False,
}

LOGIN_QUERY = {
    "method": {"type": "string", "maxLength": 64, "description": "A login method id from GET /api/auth/providers."},
    "return_to": {"type": "string", "maxLength": 512, "description": "Relative path to land on after login (allow-listed)."},
    "locale": {"type": "string", "maxLength": 16, "description": "The portal's language, passed to the provider as ui_locales."},
}


@bp.api("/auth/providers", "GET", summary="The identity providers a registrant can log in with, and their login methods")
def list_providers() -> Any:
    return service.list_providers()


@bp.api("/auth/staff", "GET", summary="How the staff console signs staff in: the staff issuer and the console's client id")
def staff_sign_in() -> Any:
    return service.staff_sign_in()


@bp.api(
    "/auth/login/{provider}",
    "GET",
    summary="Start logging in: redirects the browser to the identity provider",
    query=LOGIN_QUERY,
    responses={
        302: "Redirect to the provider's authorization endpoint",
        400: "Unknown login method, or a return_to that would leave the portal",
        404: "Unknown provider",
        502: "The identity provider did not answer",
    },
)
def login(provider: str, query: dict[str, Any] | None = None) -> Any:
    query = query or {}
    try:
        started = service.start_login(provider, query.get("method"), query.get("return_to"), query.get("locale"))
    except PortalError as error:
        return _browser_error(error)
    return Response(body="", status_code=302, headers={"Location": started.redirect_url, "Set-Cookie": login_cookie_header(started.browser_binding)})


@bp.api(
    "/auth/callback",
    "GET",
    summary="Where the identity provider sends the browser back (code, state, iss; or error)",
    responses={
        302: "Logged in: redirect to the checked return_to with the session cookie",
        400: "The login cannot finish: state missing, unknown, used or expired; wrong issuer; cancelled at or refused by the provider",
        401: "What the provider answered does not verify (ID token or userinfo)",
        502: "The identity provider did not answer",
    },
)
def callback() -> Any:
    # Query parameters are not declared: providers add their own (session_state, ...).
    request = bp.current_request
    params = {k: v for k, v in (request.query_params or {}).items() if isinstance(v, str)}
    binding = cookie_value(request.headers.get("cookie"), LOGIN_COOKIE)
    try:
        done = service.complete_login(params, binding)
    except PortalError as error:
        return _browser_error(error, clear_login_cookie=ends_browser_login(error))
    return Response(
        body="",
        status_code=302,
        headers={"Location": done.return_to, "Set-Cookie": [set_cookie_header(done.session), clear_login_cookie_header()]},
    )


def _browser_error(error: PortalError, clear_login_cookie: bool = False) -> Any:
    """A person navigating gets a page saying what happened; other clients get the JSON error.

    The login cookie is cleared only when the failure ended this browser's own login: a
    hostile link (a planted callback, a bad ``return_to``) must not cancel a login in progress.
    """
    request = bp.current_request
    if not wants_html(request.headers.get("accept")):
        raise error
    locale = choose_locale(request.headers.get("accept-language"))
    return error_page(error, retry_url(error), locale, {"Set-Cookie": clear_login_cookie_header()} if clear_login_cookie else None)


@bp.api("/session", "GET", summary="Who is logged in, and the CSRF token for state-changing calls", access=REGISTRANT_OPTIONAL)
def get_session(who: RegistrantCaller | None) -> Any:
    return service.describe_session(who)


@bp.api("/auth/logout", "POST", summary="End this session (or every session of this person)", access=REGISTRANT, body=LOGOUT_BODY)
def logout(who: RegistrantCaller, body: dict[str, Any] | None) -> Any:
    result = service.logout(who, everywhere=bool((body or {}).get("everywhere")))
    return json_response(result, headers={"Set-Cookie": clear_cookie_header()})
