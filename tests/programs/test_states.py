"""The state machine table: who may move an application where."""

from __future__ import annotations

import pytest

from chalicelib.errors import Conflict, Forbidden, ValidationFailed
from chalicelib.identity.callers import Actor
from chalicelib.programs.states import TRANSITIONS, ApplicationStatus, program_transition, transition

S = ApplicationStatus
PERSON = Actor("registrant", "r-1")
REVIEWER = Actor("reviewer", "staff-1")


def test_the_table_is_the_one_the_issue_describes() -> None:
    assert {(t.source.value, t.target.value) for t in TRANSITIONS} == {
        ("draft", "submitted"),
        ("submitted", "under_review"),
        ("under_review", "approved"),
        ("under_review", "rejected"),
        ("under_review", "info_requested"),
        ("info_requested", "submitted"),
        ("approved", "enrolled"),
        ("draft", "withdrawn"),
        ("submitted", "withdrawn"),
    }


@pytest.mark.parametrize("source", [s for s in S])
@pytest.mark.parametrize("target", [s for s in S])
def test_every_move_outside_the_table_is_a_conflict(source: ApplicationStatus, target: ApplicationStatus) -> None:
    allowed = {(t.source, t.target): t for t in TRANSITIONS}
    rule = allowed.get((source, target))
    actor = REVIEWER if rule is None or "reviewer" in rule.by else PERSON
    if rule is None:
        with pytest.raises(Conflict) as raised:
            transition(source.value, target, actor, "because")
        assert raised.value.details == {"current": {"status": source.value}}
    else:
        entry = transition(source.value, target, actor, "because")
        assert (entry["from"], entry["to"], entry["by"]) == (source.value, target.value, actor.as_dict())


def test_a_person_cannot_decide_and_a_reviewer_cannot_submit() -> None:
    with pytest.raises(Forbidden):
        transition("under_review", S.APPROVED, PERSON, "I approve myself")
    with pytest.raises(Forbidden):
        transition("draft", S.SUBMITTED, REVIEWER)


def test_decisions_need_a_reason_the_person_sees() -> None:
    with pytest.raises(ValidationFailed):
        transition("under_review", S.REJECTED, REVIEWER, " ")
    assert transition("under_review", S.REJECTED, REVIEWER, " Income too high. ")["reason"] == "Income too high."


def test_program_lifecycle() -> None:
    assert program_transition("draft", "open").value == "open"
    assert program_transition("closed", "open").value == "open"
    for state, action in (("open", "archive"), ("archived", "open"), ("draft", "close")):
        with pytest.raises(Conflict):
            program_transition(state, action)
