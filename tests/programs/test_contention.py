"""Submitting while other requests hold the same items: DynamoDB cancels a transaction that meets
another one on an item (TransactionConflict), or throttles it. Neither is the person's doing: the
submission is tried again, and if the items stay busy the answer is 503 service_busy with
Retry-After, never 'the program closed' or 'already submitted'."""

from __future__ import annotations

from typing import Any

import pytest
from pynamodb.exceptions import CancellationReason, TransactWriteError, VerboseClientError

from chalicelib.programs import service
from tests.support.api import AsRegistrant
from tests.support.programs import Portal


def _cancelled(*codes: str | None) -> TransactWriteError:
    reasons = [CancellationReason(code=code) if code else None for code in codes]
    response = {"Error": {"Code": "TransactionCanceledException", "Message": "cancelled"}, "ResponseMetadata": {"HTTPStatusCode": 400}}
    return TransactWriteError("cancelled", cause=VerboseClientError(response, "TransactWriteItems", cancellation_reasons=reasons))


def _busy_then_real(monkeypatch: pytest.MonkeyPatch, times: int, *codes: str | None) -> list[int]:
    real = service._write_submission
    calls: list[int] = []

    def contended(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise _cancelled(*codes)
        real(*args, **kwargs)

    monkeypatch.setattr(service, "_write_submission", contended)
    monkeypatch.setattr(service.time, "sleep", lambda seconds: None)
    return calls


@pytest.mark.parametrize("codes", [("TransactionConflict", None, None), (None, None, "ThrottlingError")])
def test_a_submission_meeting_another_writer_goes_through_when_tried_again(
    portal: Portal, registrant: AsRegistrant, program: str, monkeypatch: pytest.MonkeyPatch, codes: tuple[str | None, ...]
) -> None:
    draft = portal.draft(registrant, program, {"name": "Amina"})
    calls = _busy_then_real(monkeypatch, 1, *codes)
    answer = portal.submit(registrant, draft["application_id"])
    assert answer.status == 200, answer.json
    assert answer.json["status"] == "submitted" and len(calls) == 2


def test_a_submission_whose_items_stay_busy_is_service_busy_not_program_closed(
    portal: Portal, registrant: AsRegistrant, program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = portal.draft(registrant, program, {"name": "Amina"})
    _busy_then_real(monkeypatch, 99, "TransactionConflict", None, None)
    answer = portal.submit(registrant, draft["application_id"])
    assert (answer.status, answer.error_code) == (503, "service_busy")
    assert answer.headers["retry-after"].isdigit()
    monkeypatch.undo()
    again = portal.submit(registrant, draft["application_id"])
    assert again.status == 200 and again.json["status"] == "submitted"  # nothing was half-written


def test_a_program_that_really_closed_is_still_said_so(portal: Portal, registrant: AsRegistrant, program: str, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = portal.draft(registrant, program, {"name": "Amina"})
    _busy_then_real(monkeypatch, 99, "ConditionalCheckFailed", None, "TransactionConflict")
    answer = portal.submit(registrant, draft["application_id"])
    assert (answer.status, answer.error_code) == (409, "program_closed")
