"""A snapshot rewrites only the tables that changed, restores every table whole, survives a
writer stopped half-way, and still reads the former one-file format."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import moto
import pytest
from moto import mock_aws
from moto.backends import get_backend

from infra.local import moto_fixes, snapshot
from infra.local.emulator import tables_changed

REGION = "eu-west-1"


@pytest.fixture
def aws() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("dynamodb", region_name=REGION)


def _table(client: Any, name: str) -> None:
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def _files(path: Path) -> dict[str, str]:
    """Table name → the file holding it, as the folder shows them."""
    return {file.name.split(".")[0].rsplit("-", 1)[-1]: file.name for file in snapshot.tables_folder(path).iterdir()}


def _restored(path: Path) -> dict[str, list[str]]:
    """Each table's keys after restoring ``path`` into an empty moto."""
    with mock_aws():
        snapshot.restore(path)
        client = boto3.client("dynamodb", region_name=REGION)
        return {name: sorted(item["k"]["S"] for item in client.scan(TableName=name)["Items"]) for name in client.list_tables()["TableNames"]}


def test_only_a_changed_table_is_written_again_and_every_table_comes_back(aws: Any, tmp_path: Path) -> None:
    path = tmp_path / snapshot.SNAPSHOT
    for name in ("people", "letters"):
        _table(aws, name)
        aws.put_item(TableName=name, Item={"k": {"S": f"{name}-1"}})
    snapshot.save(path)
    first = _files(path)

    aws.put_item(TableName="people", Item={"k": {"S": "people-2"}})
    written = path.with_name(path.name + ".next")
    snapshot.save(path, {"people"}, written)
    snapshot.place(written, path)

    second = _files(path)
    assert second["letters"] == first["letters"]  # not pickled again
    assert second["people"] != first["people"]  # and the replaced file is gone
    assert _restored(path) == {"letters": ["letters-1"], "people": ["people-1", "people-2"]}


def test_unknown_changes_write_every_table(aws: Any, tmp_path: Path) -> None:
    path = tmp_path / snapshot.SNAPSHOT
    _table(aws, "people")
    snapshot.save(path)
    before = _files(path)
    snapshot.save(path, None)
    snapshot.tidy(path)
    assert _files(path)["people"] != before["people"]


def test_a_writer_stopped_before_its_main_file_landed_leaves_the_last_snapshot_whole(aws: Any, tmp_path: Path) -> None:
    path = tmp_path / snapshot.SNAPSHOT
    _table(aws, "people")
    aws.put_item(TableName="people", Item={"k": {"S": "saved"}})
    snapshot.save(path)
    aws.put_item(TableName="people", Item={"k": {"S": "unsaved"}})
    snapshot.save(path, {"people"}, path.with_name(path.name + ".unfinished"))  # never placed: the writer was killed

    snapshot.tidy(path)  # as the next start does
    assert len(list(snapshot.tables_folder(path).iterdir())) == 1
    assert _restored(path) == {"people": ["saved"]}


def test_a_snapshot_of_the_former_one_file_format_is_restored(aws: Any, tmp_path: Path) -> None:
    path = tmp_path / snapshot.SNAPSHOT
    _table(aws, "people")
    aws.put_item(TableName="people", Item={"k": {"S": "from-before"}})
    dynamodb = get_backend("dynamodb")
    state = {"format": 1, "moto": moto.__version__, "written_at": 1.0, "backends": {"dynamodb": {a: dict(r) for a, r in dynamodb.items()}}}
    path.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))

    assert _restored(path) == {"people": ["from-before"]}


@pytest.mark.parametrize(
    ("target", "body", "tables"),
    [
        ("DynamoDB_20120810.PutItem", {"TableName": "people", "Item": {}}, {"people"}),
        ("DynamoDB_20120810.BatchWriteItem", {"RequestItems": {"people": [], "letters": []}}, {"people", "letters"}),
        (
            "DynamoDB_20120810.TransactWriteItems",
            {"TransactItems": [{"Put": {"TableName": "people"}}, {"ConditionCheck": {"TableName": "programs"}}]},
            {"people", "programs"},
        ),
        ("DynamoDB_20120810.TagResource", {"ResourceArn": "arn:aws:dynamodb:eu-west-1:123456789012:table/people"}, {"people"}),
        ("DynamoDB_20120810.UpdateItem", {"TableName": "arn:aws:dynamodb:eu-west-1:123456789012:table/people", "Key": {}}, {"people"}),
    ],
)
def test_a_change_names_its_tables(target: str, body: dict[str, Any], tables: set[str]) -> None:
    assert tables_changed(target, json.dumps(body).encode()) == tables


def test_a_change_whose_tables_cannot_be_told_rewrites_them_all_and_another_service_none() -> None:
    assert tables_changed("DynamoDB_20120810.ExecuteStatement", b'{"Statement": "UPDATE people SET a = 1"}') is None
    assert tables_changed("DynamoDB_20120810.PutItem", b"not json") is None
    assert tables_changed("", b"<xml/>") == frozenset()


def test_an_unreadable_snapshot_is_put_aside_with_its_tables(aws: Any, tmp_path: Path) -> None:
    path = tmp_path / snapshot.SNAPSHOT
    _table(aws, "people")
    snapshot.save(path)
    path.write_bytes(path.read_bytes()[:40])  # damaged

    snapshot.tidy(path)  # names nothing it can read: removes nothing
    assert len(list(snapshot.tables_folder(path).iterdir())) == 1
    with pytest.raises(snapshot.UnreadableSnapshot):
        snapshot.restore(path)
    aside = snapshot.put_aside(path, "unreadable-1")
    assert aside.exists() and not path.exists()
    assert len(list(tmp_path.glob(f"{snapshot.TABLES}.unreadable-1/*"))) == 1


def test_the_webhooks_queue_and_secrets_are_kept(aws: Any, tmp_path: Path) -> None:
    """SQS keeps a lock per queue and SSM its parameters and tags in dicts pickle cannot write as
    moto makes them: the snapshot writes both, and they come back."""
    moto_fixes.picklable_ssm_tags()  # as the emulator does (its other fixes are not for a test process)
    path = tmp_path / snapshot.SNAPSHOT
    sqs = boto3.client("sqs", region_name=REGION)
    queue = sqs.create_queue(QueueName="deliveries.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="event-1", MessageGroupId="endpoint-application", MessageDeduplicationId="event-1")
    ssm = boto3.client("ssm", region_name=REGION)
    ssm.put_parameter(Name="/ssp/webhooks/endpoint-1", Value="whsec_x", Type="SecureString")
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/ssp/webhooks/endpoint-1", Tags=[{"Key": "endpoint", "Value": "1"}])
    snapshot.save(path)

    with mock_aws():
        snapshot.restore(path)
        sqs = boto3.client("sqs", region_name=REGION)
        assert [m["Body"] for m in sqs.receive_message(QueueUrl=queue)["Messages"]] == ["event-1"]
        ssm = boto3.client("ssm", region_name=REGION)
        assert ssm.get_parameter(Name="/ssp/webhooks/endpoint-1", WithDecryption=True)["Parameter"]["Value"] == "whsec_x"
        ssm.put_parameter(Name="/ssp/webhooks/endpoint-2", Value="whsec_y", Type="SecureString")  # still works as a dict of versions
