"""Application policies (once, one_active, repeat, cooldown): the claims they need and whether a person can apply now.

Uniqueness DynamoDB cannot index is kept with guard items in the applications table, written
in the same TransactWrite as the submission with a does-not-exist condition:

- ``once``: ``guard#once#<program>#<registrant>`` from submission until rejected or withdrawn;
- ``one_active``: ``guard#active#<program>#<registrant>`` while the application is active;
- a cooldown: ``guard#cooldown#<program>#<registrant>`` with ``until``, replaceable once lapsed;
- a reference: ``guard#ref#<reference>``, for ever.

An application lists the guards it holds (``Application.guards``) so a later transition can
release them without reading the program.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from chalicelib.programs.states import ACTIVE, ApplicationStatus


class PolicyKind(StrEnum):
    ONCE = "once"
    ONE_ACTIVE = "one_active"
    REPEAT = "repeat"


# The claim each policy takes at submission, and the statuses during which it is held.
CLAIMS: dict[PolicyKind, str | None] = {PolicyKind.ONCE: "once", PolicyKind.ONE_ACTIVE: "active", PolicyKind.REPEAT: None}
HELD_WHILE: dict[str, frozenset[ApplicationStatus]] = {
    "once": ACTIVE | {ApplicationStatus.APPROVED, ApplicationStatus.ENROLLED},
    "active": ACTIVE,
}


def guard_id(claim: str, program_id: str, registrant_id: str) -> str:
    return f"guard#{claim}#{program_id}#{registrant_id}"


def reference_guard_id(reference: str) -> str:
    return f"guard#ref#{reference}"


def claim_of(policy: dict[str, Any]) -> str | None:
    return CLAIMS[PolicyKind(policy.get("kind", PolicyKind.ONE_ACTIVE))]


def cooldown(policy: dict[str, Any]) -> timedelta | None:
    days = int(policy.get("cooldown_days") or 0)
    return timedelta(days=days) if days > 0 else None


def released_by(guards: Iterable[str], target: ApplicationStatus) -> list[str]:
    """The guards an application gives up when it moves to ``target``."""
    released = []
    for guard in guards:
        claim = guard.split("#")[1]
        if claim in HELD_WHILE and target not in HELD_WHILE[claim]:
            released.append(guard)
    return released


class Standing(NamedTuple):
    """Whether a person can apply to a program now, and why not."""

    can_apply: bool
    reason: str | None = None
    draft_application_id: str | None = None
    blocking_application_id: str | None = None
    next_possible_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "can_apply": self.can_apply,
            "reason": self.reason,
            "draft_application_id": self.draft_application_id,
            "blocking_application_id": self.blocking_application_id,
            "next_possible_at": self.next_possible_at.isoformat() if self.next_possible_at else None,
        }


def window_problem(state: str, opens_at: datetime | None, closes_at: datetime | None, at: datetime) -> str | None:
    """Why nobody can apply now (an error code), or None."""
    if state == "archived":
        return "program_archived"
    if state != "open":
        return "program_closed"
    if opens_at is not None and at < opens_at:
        return "program_not_open_yet"
    if closes_at is not None and at >= closes_at:
        return "program_window_closed"
    return None


def standing(program: Any, mine: Iterable[dict[str, Any]], at: datetime) -> Standing:
    """The person's standing for ``program`` given their applications to it (status, submitted_at, id)."""
    mine = list(mine)
    draft = next((a["application_id"] for a in mine if a["status"] == ApplicationStatus.DRAFT), None)
    claim = claim_of(program.policy or {})
    holding = next((a for a in mine if a["status"] in HELD_WHILE[claim]), None) if claim is not None else None
    wait = cooldown(program.policy or {})
    submitted = [a["submitted_at"] for a in mine if a.get("submitted_at") is not None]
    until = max(submitted) + wait if wait is not None and submitted else None
    return _standing(program, draft, holding["application_id"] if holding else None, until, at)


def standing_from_claims(program: Any, holders: dict[str, str], cooldown_until: datetime | None, draft: str | None, at: datetime) -> Standing:
    """The same standing read from the claims themselves, the guard items submission checks:
    ``holders`` maps a claim (``once``, ``active``) to the application holding it, and
    ``cooldown_until`` is when the cooldown claim lapses. One program's page reads these with
    the program instead of querying the person's applications."""
    claim = claim_of(program.policy or {})
    until = cooldown_until if cooldown(program.policy or {}) is not None else None
    return _standing(program, draft, holders.get(claim) if claim is not None else None, until, at)


def _standing(program: Any, draft: str | None, blocking: str | None, cooldown_until: datetime | None, at: datetime) -> Standing:
    problem = window_problem(program.state, program.opens_at, program.closes_at, at)
    if problem:
        return Standing(False, problem, draft)
    if blocking is not None:
        reason = "already_applied" if claim_of(program.policy or {}) == "once" else "application_in_progress"
        return Standing(False, reason, draft, blocking_application_id=blocking)
    if cooldown_until is not None and cooldown_until > at:
        return Standing(False, "cooldown", draft, next_possible_at=cooldown_until)
    return Standing(True, None, draft)
