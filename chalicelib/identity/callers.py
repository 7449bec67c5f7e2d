"""The callers routes are handed (a registrant's session or a staff token) and the ``Actor`` that
histories and the activity log record."""

from __future__ import annotations

from typing import Any, NamedTuple


class ActiveSession(NamedTuple):
    """A registrant's session as a request sees it (``chalicelib.auth.sessions`` keeps it)."""

    key: str
    registrant_id: str
    csrf_token: str
    data: dict[str, Any]


class RegistrantCaller(NamedTuple):
    registrant_id: str
    session: ActiveSession


class StaffCaller(NamedTuple):
    ref: str  # opaque reference shown to registrants instead of a name
    subject: str
    roles: frozenset[str]
    # The programs a reviewer is limited to (SSP_STAFF_PROGRAMS_CLAIM); None: the token has no such claim.
    programs: frozenset[str] | None = None

    def may_see_program(self, program_id: str | None) -> bool:
        """Admins see every program; a reviewer whose token names programs sees only those."""
        return "admin" in self.roles or self.programs is None or program_id in self.programs


Caller = RegistrantCaller | StaffCaller | None


class Actor(NamedTuple):
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
    def staff(cls, caller: StaffCaller, allowed: tuple[str, ...] = ("reviewer", "admin")) -> Actor:
        """The role a staff member acts in, as the person reads it in their activity log: the
        first of ``allowed`` (the route's roles, most specific first) that the caller holds."""
        role = next((r for r in allowed if r in caller.roles), allowed[0])
        return cls(role, caller.ref)

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "ref": self.ref}
