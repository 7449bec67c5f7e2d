"""The emulator process on its own: a recording written by the former persistence is moved into
a snapshot once, and a transaction that fails changes nothing, under the emulator's patches."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from infra.local.emulator import changes_nothing
from infra.local.stack import REPO, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


@contextmanager
def emulator(data_dir: Path) -> Iterator[tuple[Any, subprocess.Popen[str]]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local.emulator", "--port", str(port), "--data-dir", str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_ssp/status", timeout=2) as answer:  # noqa: S310 - loopback
                if b'"ready": true' in answer.read():
                    break
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "the emulator did not start"
        time.sleep(0.1)
    client = boto3.client("dynamodb", endpoint_url=url, region_name="eu-west-1", aws_access_key_id="local", aws_secret_access_key="local")
    try:
        yield client, process
    finally:
        process.terminate()
        process.wait(timeout=10)


RECORD = textwrap.dedent(
    """
    import os, sys
    os.environ.update(MOTO_ENABLE_RECORDING="True", MOTO_RECORDER_FILEPATH=sys.argv[1])
    import boto3
    from moto.moto_api import recorder
    from moto.server import ThreadedMotoServer
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[2]), verbose=False)
    server.start()
    recorder.start_recording()
    c = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{sys.argv[2]}", region_name="eu-west-1", aws_access_key_id="l", aws_secret_access_key="l")
    c.create_table(TableName="t", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    c.put_item(TableName="t", Item={"k": {"S": "recorded"}})
    c.get_item(TableName="t", Key={"k": {"S": "recorded"}})
    server.stop()
    """
)


def test_a_recording_from_the_former_persistence_is_migrated_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    subprocess.run([sys.executable, "-c", RECORD, str(data / "aws-recording.jsonl"), str(free_port())], cwd=REPO, check=True, timeout=60)
    with emulator(data) as (client, _):
        assert client.get_item(TableName="t", Key={"k": {"S": "recorded"}})["Item"] == {"k": {"S": "recorded"}}
    assert (data / "aws-recording.jsonl.migrated").exists() and not (data / "aws-recording.jsonl").exists()
    with emulator(data) as (client, process):  # from the snapshot now
        assert "Item" in client.get_item(TableName="t", Key={"k": {"S": "recorded"}})
    assert "restored the AWS data" in (process.stdout.read() if process.stdout else "")


def test_a_cancelled_transaction_changes_nothing_and_a_committed_one_everything(tmp_path: Path) -> None:
    with emulator(tmp_path / "data") as (client, _):
        client.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.put_item(TableName="t", Item={"k": {"S": "a"}, "n": {"N": "1"}})
        update = {"Update": {"TableName": "t", "Key": {"k": {"S": "a"}}, "UpdateExpression": "SET n = :two", "ExpressionAttributeValues": {":two": {"N": "2"}}}}
        refused = {"Put": {"TableName": "t", "Item": {"k": {"S": "c"}}, "ConditionExpression": "attribute_exists(k)"}}
        with pytest.raises(ClientError, match="TransactionCanceledException"):
            client.transact_write_items(TransactItems=[update, {"Put": {"TableName": "t", "Item": {"k": {"S": "b"}}}}, refused])
        assert client.get_item(TableName="t", Key={"k": {"S": "a"}})["Item"]["n"] == {"N": "1"}
        assert "Item" not in client.get_item(TableName="t", Key={"k": {"S": "b"}})
        client.transact_write_items(TransactItems=[update])
        assert client.get_item(TableName="t", Key={"k": {"S": "a"}})["Item"]["n"] == {"N": "2"}


@pytest.mark.parametrize(
    "target",
    [
        "DynamoDB_20120810.GetItem",
        "DynamoDB_20120810.Query",
        "DynamoDB_20120810.TransactGetItems",
        "DynamoDBStreams_20120810.GetRecords",
        "DynamoDBStreams_20120810.GetShardIterator",
    ],
)
def test_reads_and_stream_polls_are_not_changes_so_an_idle_stack_writes_no_snapshot(target: str) -> None:
    assert changes_nothing("POST", target)


@pytest.mark.parametrize("target", ["DynamoDB_20120810.PutItem", "DynamoDB_20120810.TransactWriteItems", "DynamoDB_20120810.UpdateItem"])
def test_writes_are_changes(target: str) -> None:
    assert not changes_nothing("POST", target)


def test_a_snapshot_writes_again_only_the_tables_that_changed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    tables = data / "aws-snapshot.tables"

    def files_after_a_snapshot() -> dict[str, str]:
        deadline = time.monotonic() + 30
        while not (data / "aws-snapshot.pickle").exists() or len(list(tables.glob("*.pickle"))) < 2:
            assert time.monotonic() < deadline, "no snapshot was written"
            time.sleep(0.2)
        return {file.name.split(".")[0].rsplit("-", 1)[-1]: file.name for file in tables.glob("*.pickle")}

    with emulator(data) as (client, _):
        for name in ("people", "letters"):
            client.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        first = files_after_a_snapshot()
        client.put_item(TableName="people", Item={"k": {"S": "new"}})
        deadline = time.monotonic() + 30
        while files_after_a_snapshot()["people"] == first["people"]:
            assert time.monotonic() < deadline, "the changed table was not written again"
            time.sleep(0.2)
        assert files_after_a_snapshot()["letters"] == first["letters"]
