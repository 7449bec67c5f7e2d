"""The data layer: tables as designed, conflicts as 409, the one pagination cursor."""

from __future__ import annotations

import boto3
import pytest

from chalicelib import config
from chalicelib.errors import BadRequest, Conflict, ServiceBusy
from chalicelib.store.applications import ApplicationGuard
from chalicelib.store.base import now
from chalicelib.store.pagination import decode_cursor, encode_cursor
from chalicelib.store.programs import Program
from chalicelib.store.tables import TABLE_MODELS
from chalicelib.store.transactions import cancelled_items, transaction
from chalicelib.web import map_store_error


def test_every_table_is_named_from_config_and_expiring_items_have_ttl(aws: None) -> None:
    client = boto3.client("dynamodb", region_name=config.region())
    names = set(client.list_tables()["TableNames"])
    assert {m.Meta.table_name for m in TABLE_MODELS} <= names
    assert all(name.startswith(config.get("SSP_TABLE_PREFIX") + "-") for name in names)
    for table in ("sessions", "devices", "documents"):
        ttl = client.describe_time_to_live(TableName=config.table_name(table))["TimeToLiveDescription"]
        assert ttl["TimeToLiveStatus"] == "ENABLED" and ttl["AttributeName"] == "expires_at"


def test_a_stale_version_is_a_conflict_not_a_server_error(aws: None) -> None:
    Program(program_id="p1", name={"en": "One"}).save()
    first, second = Program.get("p1"), Program.get("p1")
    first.name = {"en": "First"}
    first.save()
    second.name = {"en": "Second"}
    with pytest.raises(Exception) as raised:
        second.save()
    assert isinstance(map_store_error(raised.value), Conflict)
    assert Program.get("p1").name == {"en": "First"}


def test_a_cancelled_transaction_says_which_item_failed_and_is_a_conflict(aws: None) -> None:
    ApplicationGuard(application_id="guard#ref#ABC", owner="a1").save()
    with pytest.raises(Exception) as raised, transaction() as writes:
        writes.save(ApplicationGuard(application_id="guard#ref#NEW", owner="a2"), condition=ApplicationGuard.application_id.does_not_exist())
        writes.save(ApplicationGuard(application_id="guard#ref#ABC", owner="a2"), condition=ApplicationGuard.application_id.does_not_exist())
    assert cancelled_items(raised.value) == [1]  # type: ignore[arg-type]
    assert isinstance(map_store_error(raised.value), Conflict)
    assert ApplicationGuard.get("guard#ref#ABC").owner == "a1"
    assert ApplicationGuard.count("guard#ref#NEW") == 0


def test_timestamps_are_kept(aws: None) -> None:
    before = now()
    Program(program_id="p2").save()
    program = Program.get("p2")
    assert program.created_at >= before and program.updated_at >= program.created_at


def test_a_cursor_round_trips_and_a_forged_one_is_a_400() -> None:
    key = {"registrant_id": {"S": "r1"}, "created_at": {"S": "2026-01-01T00:00:00"}}
    assert decode_cursor(encode_cursor(key), key.keys()) == key
    for forged in ("not-base64!", encode_cursor({"registrant_id": {"S": "r1"}}), encode_cursor({"registrant_id": {"L": []}, "created_at": {"S": "x"}})):
        with pytest.raises(BadRequest):
            decode_cursor(forged, key.keys())


def test_an_unreachable_dynamodb_is_service_busy_with_retry_after_and_changes_nothing(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    Program(program_id="p1", name={"en": "One"}).save()
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setattr(Program.Meta, "max_retry_attempts", 0, raising=False)
    Program._connection = None
    try:
        with pytest.raises(Exception) as raised:
            Program.get("p1")
    finally:
        Program._connection = None
    busy = map_store_error(raised.value)
    assert isinstance(busy, ServiceBusy)
    assert busy.status == 503 and busy.headers["Retry-After"].isdigit()
    assert busy.body()["error"]["code"] == "service_busy"


@pytest.mark.parametrize("code", ["ThrottlingException", "ProvisionedThroughputExceededException", "InternalServerError"])
def test_throttling_and_service_faults_are_service_busy_not_a_conflict_or_500(code: str) -> None:
    from botocore.exceptions import ClientError
    from pynamodb.exceptions import PutError

    status = 500 if code == "InternalServerError" else 400
    fault = ClientError({"Error": {"Code": code, "Message": "x"}, "ResponseMetadata": {"HTTPStatusCode": status}}, "PutItem")
    assert isinstance(map_store_error(PutError("put failed", cause=fault)), ServiceBusy)
    assert isinstance(map_store_error(fault), ServiceBusy)


def _cancelled(*codes: str | None) -> Exception:
    from pynamodb.exceptions import CancellationReason, TransactWriteError, VerboseClientError

    reasons = [CancellationReason(code=code) if code else None for code in codes]
    response = {"Error": {"Code": "TransactionCanceledException", "Message": "cancelled"}, "ResponseMetadata": {"HTTPStatusCode": 400}}
    cause = VerboseClientError(response, "TransactWriteItems", cancellation_reasons=reasons)
    return TransactWriteError("Failed to write transaction items", cause=cause)


@pytest.mark.parametrize(
    "codes",
    [("TransactionConflict", None), (None, "ThrottlingError"), ("TransactionConflict", "ProvisionedThroughputExceeded")],
)
def test_a_transaction_cancelled_by_another_writer_or_throttling_is_service_busy_not_the_persons_conflict(codes: tuple[str | None, ...]) -> None:
    busy = map_store_error(_cancelled(*codes))
    assert isinstance(busy, ServiceBusy) and busy.headers["Retry-After"].isdigit()


def test_a_transaction_whose_own_condition_failed_is_still_a_conflict_whatever_else_happened() -> None:
    assert isinstance(map_store_error(_cancelled("ConditionalCheckFailed", None)), Conflict)
    assert isinstance(map_store_error(_cancelled("ConditionalCheckFailed", "TransactionConflict")), Conflict)


def test_a_plain_write_meeting_another_requests_transaction_is_service_busy() -> None:
    from botocore.exceptions import ClientError
    from pynamodb.exceptions import UpdateError

    response = {"Error": {"Code": "TransactionConflictException", "Message": "x"}, "ResponseMetadata": {"HTTPStatusCode": 400}}
    assert isinstance(map_store_error(UpdateError("update failed", cause=ClientError(response, "UpdateItem"))), ServiceBusy)
