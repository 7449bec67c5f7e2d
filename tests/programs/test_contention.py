"""Submitting while other requests hold the same items: DynamoDB cancels a transaction that meets
another one on an item (TransactionConflict), or throttles it. Neither is the person's doing: the
submission is tried again, and if the items stay busy the answer is 503 service_busy with
Retry-After, never 'the program closed' or 'already submitted'."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import botocore.client
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from pynamodb.exceptions import CancellationReason, TransactWriteError, VerboseClientError

from chalicelib.programs import service
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.programs import Portal, simple_program


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


def test_a_program_that_really_closed_is_still_said_so(api: Api, portal: Portal, registrant: AsRegistrant, admin: AsStaff, program: str) -> None:
    # No transaction checks the program item any more: the window is checked from the program as
    # the process read it (this process forgets its copy when an administrator changes it).
    draft = portal.draft(registrant, program, {"name": "Amina"})
    assert api.post(f"/api/admin/programs/{program}/close", as_=admin).status == 200
    answer = portal.submit(registrant, draft["application_id"])
    assert (answer.status, answer.error_code) == (409, "program_closed")


# --- each AWS error shape, fed to the request path at the wire (botocore), finds 503 or the true 409 ---

# The submit transaction of a program with a required document, the `once` policy and a cooldown,
# in the order pynamodb sends it: condition checks, puts, updates.
SUBMIT_ITEMS = ("documents", "reference", "claim", "cooldown", "application", "event", "drafts", "counter")
# What a failed condition on each item means to the person (items without a condition cannot fail one).
TRUE_CONFLICT = {
    "documents": "documents_changed",
    "reference": "reference_unavailable",
    "claim": "already_applied",
    "cooldown": "cooldown",
    "application": "changed_meanwhile",
}


@pytest.fixture
def strict(admin: AsStaff) -> str:
    rule = {"kind": "id_card", "label": {"en": "Identity card"}, "required": True}
    return simple_program(policy={"kind": "once", "cooldown_days": 30}, documents=[rule])


def _ready(portal: Portal, registrant: AsRegistrant, program_id: str) -> str:
    draft = portal.draft(registrant, program_id, {"name": "Amina"})
    portal.attach(registrant, draft["application_id"], "id_card")
    return str(draft["application_id"])


class Wire:
    """Replaces botocore's call for the operations named: each raises what ``fault`` makes, ``times`` times."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = botocore.client.BaseClient._make_api_call
        self.monkeypatch = monkeypatch
        self.seen: list[dict[str, Any]] = []
        monkeypatch.setattr(service.time, "sleep", lambda seconds: None)

    def fail(self, operation: str, fault: Callable[[dict[str, Any]], Exception], times: int = 99) -> None:
        real, seen, left = self.real, self.seen, [times]

        def call(client: Any, name: str, params: dict[str, Any]) -> Any:
            if name == operation and client.meta.service_model.service_name == "dynamodb" and left[0] > 0:
                left[0] -= 1
                seen.append(params)
                raise fault(params)
            return real(client, name, params)

        self.monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", call)

    def restore(self) -> None:
        self.monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", self.real)


def _cancel_at(position: int, code: str) -> Callable[[dict[str, Any]], Exception]:
    def fault(params: dict[str, Any]) -> Exception:
        reasons = [{"Code": "None"} for _ in params["TransactItems"]]
        reasons[position] = {"Code": code, "Message": code}
        response = {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": reasons,
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        return ClientError(response, "TransactWriteItems")

    return fault


def _client_error(code: str, status: int) -> Callable[[dict[str, Any]], Exception]:
    return lambda params: ClientError({"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "Any")


def _timeout(params: dict[str, Any]) -> Exception:
    return ReadTimeoutError(endpoint_url="https://dynamodb.example")


def test_the_submit_transaction_holds_the_items_named_here_in_this_order(
    portal: Portal, registrant: AsRegistrant, strict: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    application_id = _ready(portal, registrant, strict)
    wire = Wire(monkeypatch)
    wire.fail("TransactWriteItems", _cancel_at(0, "TransactionConflict"), times=1)
    assert portal.submit(registrant, application_id).status == 200  # tried again
    items = wire.seen[0]["TransactItems"]
    kinds = [next(iter(item)) for item in items]
    keys = [str(next(iter(item.values()))["Key" if "Key" in next(iter(item.values())) else "Item"].get("application_id", {}).get("S", "")) for item in items]
    assert len(items) == len(SUBMIT_ITEMS), (kinds, keys)
    assert kinds[0] == "ConditionCheck" and keys[0].startswith("kinds#")
    assert keys[4] == application_id and keys[7].startswith("counts#")
    assert not any(key == strict for key in keys)  # no program item in any applicant's transaction


@pytest.mark.parametrize("item", SUBMIT_ITEMS)
@pytest.mark.parametrize("code", ["TransactionConflict", "ThrottlingError"])
def test_another_writer_or_throttling_on_any_item_of_the_submission_is_503_never_409(
    portal: Portal, registrant: AsRegistrant, strict: str, monkeypatch: pytest.MonkeyPatch, item: str, code: str
) -> None:
    application_id = _ready(portal, registrant, strict)
    wire = Wire(monkeypatch)
    wire.fail("TransactWriteItems", _cancel_at(SUBMIT_ITEMS.index(item), code))
    answer = portal.submit(registrant, application_id)
    assert (answer.status, answer.error_code) == (503, "service_busy"), answer.json
    assert answer.headers["retry-after"].isdigit() and len(wire.seen) == service.BUSY_ATTEMPTS
    wire.restore()
    assert portal.submit(registrant, application_id).status == 200  # nothing was half-written


@pytest.mark.parametrize("item", sorted(TRUE_CONFLICT))
def test_a_failed_condition_on_an_item_of_the_submission_is_the_conflict_it_means(
    portal: Portal, registrant: AsRegistrant, strict: str, monkeypatch: pytest.MonkeyPatch, item: str
) -> None:
    application_id = _ready(portal, registrant, strict)
    Wire(monkeypatch).fail("TransactWriteItems", _cancel_at(SUBMIT_ITEMS.index(item), "ConditionalCheckFailed"))
    answer = portal.submit(registrant, application_id)
    assert (answer.status, answer.error_code) == (409, TRUE_CONFLICT[item]), answer.json


@pytest.mark.parametrize(
    ("operation", "fault"),
    [
        ("TransactGetItems", _client_error("ThrottlingException", 400)),
        ("TransactGetItems", _client_error("InternalServerError", 500)),
        ("TransactGetItems", _timeout),
        ("TransactWriteItems", _client_error("ProvisionedThroughputExceededException", 400)),
        ("TransactWriteItems", _client_error("InternalServerError", 500)),
        ("TransactWriteItems", _timeout),
        ("UpdateItem", _client_error("ThrottlingException", 400)),  # the session lookup
        ("UpdateItem", _timeout),
    ],
    ids=["read-throttled", "read-5xx", "read-timeout", "write-throttled", "write-5xx", "write-timeout", "session-throttled", "session-timeout"],
)
def test_throttling_timeouts_and_5xx_on_the_submission_path_are_503(
    portal: Portal, registrant: AsRegistrant, strict: str, monkeypatch: pytest.MonkeyPatch, operation: str, fault: Callable[[dict[str, Any]], Exception]
) -> None:
    application_id = _ready(portal, registrant, strict)
    Wire(monkeypatch).fail(operation, fault)
    answer = portal.submit(registrant, application_id)
    assert (answer.status, answer.error_code) == (503, "service_busy"), answer.json


def test_a_read_meeting_a_write_transaction_is_503_not_a_bare_409(
    portal: Portal, registrant: AsRegistrant, strict: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    application_id = _ready(portal, registrant, strict)

    def cancelled_read(params: dict[str, Any]) -> Exception:
        reasons = [{"Code": "TransactionConflict"} for _ in params["TransactItems"]]
        return ClientError(
            {"Error": {"Code": "TransactionCanceledException", "Message": "x"}, "CancellationReasons": reasons, "ResponseMetadata": {"HTTPStatusCode": 400}},
            "TransactGetItems",
        )

    Wire(monkeypatch).fail("TransactGetItems", cancelled_read)
    answer = portal.submit(registrant, application_id)
    assert (answer.status, answer.error_code) == (503, "service_busy"), answer.json


def test_a_decision_meeting_another_writer_is_retried_then_503_not_changed_meanwhile(
    portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    application_id = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    wire = Wire(monkeypatch)
    wire.fail("TransactWriteItems", _cancel_at(0, "TransactionConflict"), times=1)
    assert portal.decide(reviewer, application_id, "under_review").status == 200  # tried again
    wire.fail("TransactWriteItems", _cancel_at(0, "TransactionConflict"))
    answer = portal.decide(reviewer, application_id, "approved")
    assert (answer.status, answer.error_code) == (503, "service_busy"), answer.json
