"""Races, with real threads against moto: the application policy and the reviewers' optimistic
lock hold when requests arrive together.

DynamoDB serialises the writes that touch an item; moto does not (its TransactWriteItems checks
conditions, then writes, and restores a snapshot of the whole table on cancellation, with no
lock). ``serialised_writes`` gives moto the isolation DynamoDB has, so what is tested is our
guard items and conditions, not moto's threading.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from moto.dynamodb.models import DynamoDBBackend

from chalicelib.errors import PortalError
from chalicelib.identity.callers import Actor, StaffCaller
from chalicelib.programs import review, service
from tests.support.api import AsRegistrant
from tests.support.programs import Portal, simple_program

WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")


@pytest.fixture
def serialised_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    lock = threading.RLock()
    for name in WRITES:
        original = getattr(DynamoDBBackend, name)

        def locked(self: Any, *args: Any, _original: Callable[..., Any] = original, **kwargs: Any) -> Any:
            with lock:
                return _original(self, *args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, locked)
    yield


def _together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same moment; each one's result or PortalError."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except PortalError as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _submit(who: AsRegistrant, application_id: str, key: str | None = None) -> Callable[[], Any]:
    return lambda: service.submit_application(who.registrant_id, application_id, Actor("registrant", who.registrant_id), idempotency_key=key)


@pytest.mark.parametrize(("kind", "code"), [("once", "already_applied"), ("one_active", "already_applied")])
def test_two_submissions_racing_for_a_single_application_program_yield_exactly_one(
    serialised_writes: None, portal: Portal, registrant: AsRegistrant, kind: str, code: str
) -> None:
    for _round in range(3):
        program_id = simple_program(policy={"kind": kind})
        first = portal.draft(registrant, program_id, {"name": "Amina"})["application_id"]
        second = portal.draft(registrant, program_id, {"name": "Amina"})["application_id"]
        results = _together(_submit(registrant, first), _submit(registrant, second))
        won = [r for r in results if isinstance(r, dict)]
        lost = [r for r in results if isinstance(r, PortalError)]
        assert len(won) == 1 and len(lost) == 1, results
        assert lost[0].status == 409 and lost[0].code == code
        mine = service.list_applications(registrant.registrant_id, 100, None).items
        assert sorted(a["status"] for a in mine if a["program_id"] == program_id) == ["draft", "submitted"]


def test_the_same_draft_submitted_twice_at_once_is_submitted_once(serialised_writes: None, portal: Portal, registrant: AsRegistrant) -> None:
    program_id = simple_program(policy={"kind": "repeat"})
    application_id = portal.draft(registrant, program_id, {"name": "Amina"})["application_id"]
    results = _together(_submit(registrant, application_id), _submit(registrant, application_id))
    won = [r for r in results if isinstance(r, dict)]
    assert len(won) == 1, results
    lost = next(r for r in results if isinstance(r, PortalError))
    assert lost.code == "already_submitted"
    history = service.get_application(registrant.registrant_id, application_id)["timeline"]
    assert [h["to"] for h in history] == ["draft", "submitted"]


def test_a_retried_submission_racing_the_first_returns_the_same_result(serialised_writes: None, portal: Portal, registrant: AsRegistrant) -> None:
    program_id = simple_program(policy={"kind": "once"})
    application_id = portal.draft(registrant, program_id, {"name": "Amina"})["application_id"]
    results = _together(_submit(registrant, application_id, "retry-key-1"), _submit(registrant, application_id, "retry-key-1"))
    assert all(isinstance(r, dict) for r in results), results
    assert results[0]["reference"] == results[1]["reference"]


def test_two_reviewers_deciding_at_once_one_wins_and_the_other_sees_the_current_state(
    serialised_writes: None, portal: Portal, registrant: AsRegistrant
) -> None:
    program_id = simple_program()
    application_id = portal.submitted(registrant, program_id, {"name": "Amina"})["application_id"]
    first, second = (StaffCaller(ref=f"staff-{n}", subject=f"reviewer-{n}", roles=frozenset({"reviewer"})) for n in (1, 2))
    review.decide(first, application_id, "under_review")
    results = _together(
        lambda: review.decide(first, application_id, "approved", reason="Eligible."),
        lambda: review.decide(second, application_id, "rejected", reason="Not eligible."),
    )
    won = [r for r in results if isinstance(r, dict)]
    lost = [r for r in results if isinstance(r, PortalError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].status == 409
    assert lost[0].details["current"]["status"] == won[0]["status"]
    final = service.get_application(registrant.registrant_id, application_id)
    assert final["status"] == won[0]["status"] and len(final["timeline"]) == 4
