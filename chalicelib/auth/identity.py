"""The one way to read who is calling a route, according to the route's declared access."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalice.app import Request

from chalicelib.auth.sessions import ActiveSession, cookie_value, csrf_matches, resolve_session
from chalicelib.auth.staff import StaffCaller, verify_staff_token
from chalicelib.errors import Forbidden, NotAuthenticated

if TYPE_CHECKING:
    from chalicelib.web import Access

CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class RegistrantCaller:
    registrant_id: str
    session: ActiveSession


Caller = RegistrantCaller | StaffCaller | None


@dataclass(frozen=True)
class Actor:
    """Who performed an action, as histories and the activity log record it.

    ``role`` is ``registrant``, ``officer``, ``reviewer``, ``admin`` or ``system``; ``ref`` is the
    registrant's id for a registrant and the opaque staff reference otherwise, never a name.
    """

    role: str
    ref: str

    @classmethod
    def registrant(cls, caller: RegistrantCaller) -> Actor:
        return cls("registrant", caller.registrant_id)

    @classmethod
    def staff(cls, caller: StaffCaller, role: str) -> Actor:
        return cls(role, caller.ref)

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "ref": self.ref}


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
