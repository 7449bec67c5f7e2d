"""The application state machine and the program lifecycle, as data, and the one function that applies each."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple

from chalicelib.errors import Conflict, Forbidden, ValidationFailed
from chalicelib.identity.callers import Actor
from chalicelib.store.base import now


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INFO_REQUESTED = "info_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"


S = ApplicationStatus

# Who may move an application: the person (or an officer acting for them), or a reviewer.
APPLICANT = frozenset({"registrant", "officer"})
REVIEWER = frozenset({"reviewer"})


class Transition(NamedTuple):
    source: ApplicationStatus
    target: ApplicationStatus
    by: frozenset[str]
    reason_required: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.SUBMITTED, APPLICANT),
    Transition(S.DRAFT, S.WITHDRAWN, APPLICANT),
    Transition(S.SUBMITTED, S.WITHDRAWN, APPLICANT),
    Transition(S.SUBMITTED, S.UNDER_REVIEW, REVIEWER),
    Transition(S.UNDER_REVIEW, S.APPROVED, REVIEWER, reason_required=True),
    Transition(S.UNDER_REVIEW, S.REJECTED, REVIEWER, reason_required=True),
    Transition(S.UNDER_REVIEW, S.INFO_REQUESTED, REVIEWER, reason_required=True),
    Transition(S.INFO_REQUESTED, S.SUBMITTED, APPLICANT),
    Transition(S.APPROVED, S.ENROLLED, REVIEWER),
)
_TRANSITIONS = {(t.source, t.target): t for t in TRANSITIONS}

# Where a submission starts from: an application in one of these is not the result of a submit.
SUBMITTABLE = frozenset(t.source for t in TRANSITIONS if t.target is S.SUBMITTED)
# The person may change answers and attach documents only while the application is theirs to edit.
EDITABLE = frozenset({S.DRAFT, S.INFO_REQUESTED})
# Open, undecided applications: what "one active application at a time" counts.
ACTIVE = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED})
# Everything a reviewer can list; drafts are the person's own until submitted.
REVIEWABLE = tuple(s for s in ApplicationStatus if s is not S.DRAFT)

MAX_REASON_LENGTH = 2000


def transition(current: str, target: ApplicationStatus, actor: Actor, reason: str | None = None) -> dict[str, Any]:
    """Check ``current -> target`` against the table for this actor; the history entry to append.

    A move the table does not have is a 409 carrying the current status, so the caller can
    show what the application is now.
    """
    rule = _TRANSITIONS.get((ApplicationStatus(current), target))
    if rule is None:
        raise Conflict(
            f"An application that is {current.replace('_', ' ')} cannot become {target.value.replace('_', ' ')}.",
            code="transition_not_allowed",
            details={"current": {"status": current}},
        )
    if actor.role not in rule.by:
        raise Forbidden("Your role does not allow this change.", code="wrong_role")
    text = (reason or "").strip()
    if rule.reason_required and not text:
        raise ValidationFailed("Give a reason the person will see.", fields={"/reason": "required"})
    return {"from": current, "to": target.value, "at": now().isoformat(), "by": actor.as_dict(), "reason": text or None}


def created_entry(actor: Actor) -> dict[str, Any]:
    return {"from": None, "to": S.DRAFT.value, "at": now().isoformat(), "by": actor.as_dict(), "reason": None}


# --- programs ---------------------------------------------------------------------------------


class ProgramState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


P = ProgramState

PROGRAM_TRANSITIONS: dict[str, frozenset[ProgramState]] = {
    # action: the states it may start from; the target state is the action's own.
    "open": frozenset({P.DRAFT, P.CLOSED}),
    "close": frozenset({P.OPEN}),
    "archive": frozenset({P.DRAFT, P.CLOSED}),
}
PROGRAM_ACTION_TARGET = {"open": P.OPEN, "close": P.CLOSED, "archive": P.ARCHIVED}


def program_transition(current: str, action: str) -> ProgramState:
    """The state ``action`` leads to from ``current``; 409 if the lifecycle does not allow it."""
    if ProgramState(current) not in PROGRAM_TRANSITIONS[action]:
        raise Conflict(
            f"A program that is {current} cannot be {'opened' if action == 'open' else action + 'd'}.",
            code="transition_not_allowed",
            details={"current": {"state": current}},
        )
    return PROGRAM_ACTION_TARGET[action]
