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
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

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


@dataclass(frozen=True)
class Standing:
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
    problem = window_problem(program.state, program.opens_at, program.closes_at, at)
    if problem:
        return Standing(False, problem, draft)
    claim = claim_of(program.policy or {})
    if claim is not None:
        holding = next((a for a in mine if a["status"] in HELD_WHILE[claim]), None)
        if holding is not None:
            reason = "already_applied" if claim == "once" else "application_in_progress"
            return Standing(False, reason, draft, blocking_application_id=holding["application_id"])
    wait = cooldown(program.policy or {})
    submitted = [a["submitted_at"] for a in mine if a.get("submitted_at") is not None]
    if wait is not None and submitted and max(submitted) + wait > at:
        return Standing(False, "cooldown", draft, next_possible_at=max(submitted) + wait)
    return Standing(True, None, draft)
