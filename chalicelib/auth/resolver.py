"""The one way to read who is calling a route, according to the route's declared access.

``app.py`` hands ``resolve_caller`` to ``chalicelib.web``, which imports no area.
"""

from __future__ import annotations

from chalice.app import Request

from chalicelib.auth.sessions import cookie_value, csrf_matches, resolve_session
from chalicelib.auth.staff import verify_staff_token
from chalicelib.errors import Forbidden, NotAuthenticated
from chalicelib.identity.callers import Caller, RegistrantCaller, StaffCaller
from chalicelib.web import Access

CSRF_HEADER = "x-csrf-token"


def resolve_caller(request: Request, access: Access) -> Caller:
    if access.kind == "staff":
        return _staff(request, access.roles)
    session = resolve_session(cookie_value(request.headers.get("cookie")) or "")
    if session is None:
        if access.kind == "registrant_optional":
            return None
        raise NotAuthenticated()
    if request.method in {"POST", "PUT", "PATCH", "DELETE"} and access.csrf:
        if not csrf_matches(session, request.headers.get(CSRF_HEADER)):
            raise Forbidden("This request is missing its security token. Reload the page and try again.", code="csrf_failed")
    return RegistrantCaller(registrant_id=session.registrant_id, session=session)


def _staff(request: Request, roles: tuple[str, ...]) -> StaffCaller:
    header = request.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Sign in as staff to continue.", code="missing_token", headers={"WWW-Authenticate": "Bearer"})
    caller = verify_staff_token(token.strip())
    if roles and not caller.roles.intersection(roles):
        raise Forbidden("Your role does not allow this.", code="wrong_role")
    return caller
