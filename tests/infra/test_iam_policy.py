"""The policy files grant exactly the AWS permissions the code uses: none missing, none unused.

``make test`` runs the whole suite with ``-p tests.infra.recorder`` (recording every AWS call the
deployed code makes, and every URL it presigns), then runs this file again with
``SSP_IAM_CHECK_CALLS`` pointing at the recording. When it fails, read the report;
``python -m tests.infra.iam suggest`` prints the least-privilege policy for what was recorded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from infra.package import stage_names, stages
from tests.infra import recorder
from tests.infra.conftest import Packaged
from tests.infra.iam import Need, check, load_recording, merged_policy, minimal_policy, needs_for, stage_needs, stage_view

# --- which permissions a call needs -----------------------------------------------------------


def test_a_transaction_needs_each_items_own_action_on_its_table() -> None:
    params = {
        "TransactItems": [
            {"ConditionCheck": {"TableName": "t-programs", "Key": {}}},
            {"Put": {"TableName": "t-applications", "Item": {}}},
            {"Update": {"TableName": "t-applications", "Key": {}}},
            {"Delete": {"TableName": "t-sessions", "Key": {}}},
        ]
    }
    assert needs_for("dynamodb", "TransactWriteItems", params) == {
        ("dynamodb:ConditionCheckItem", "arn:aws:dynamodb:*:*:table/t-programs"),
        ("dynamodb:PutItem", "arn:aws:dynamodb:*:*:table/t-applications"),
        ("dynamodb:UpdateItem", "arn:aws:dynamodb:*:*:table/t-applications"),
        ("dynamodb:DeleteItem", "arn:aws:dynamodb:*:*:table/t-sessions"),
    }


def test_a_query_on_an_index_needs_the_index() -> None:
    assert needs_for("dynamodb", "Query", {"TableName": "t-registrants", "IndexName": "login"}) == {
        ("dynamodb:Query", "arn:aws:dynamodb:*:*:table/t-registrants/index/login")
    }


def test_s3_reads_and_copies_need_get_put_and_the_bucket_key() -> None:
    assert needs_for("s3", "HeadObject", {"Bucket": "b", "Key": "uploads/r/d"}) == {("s3:GetObject", "arn:aws:s3:::b/uploads/r/d")}
    copy = needs_for("s3", "CopyObject", {"Bucket": "b", "Key": "documents/r/d", "CopySource": {"Bucket": "b", "Key": "uploads/r/d"}})
    assert copy == {
        ("s3:GetObject", "arn:aws:s3:::b/uploads/r/d"),
        ("kms:Decrypt", "kms-key-of:b"),
        ("s3:PutObject", "arn:aws:s3:::b/documents/r/d"),
        ("kms:GenerateDataKey", "kms-key-of:b"),
        ("s3:GetObjectTagging", "arn:aws:s3:::b/uploads/r/d"),
    }
    assert ("kms:GenerateDataKey", "kms-key-of:b") in needs_for("s3", "PostObject", {"Bucket": "b", "Key": "uploads/r/d"})


def test_a_queue_call_needs_its_action_on_the_queue_named_by_its_url_and_sending_or_receiving_its_key() -> None:
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/t-webhooks.fifo"
    queue = "arn:aws:sqs:*:*:t-webhooks.fifo"
    assert needs_for("sqs", "SendMessage", {"QueueUrl": url, "MessageBody": "{}"}) == {
        ("sqs:SendMessage", queue),
        ("kms:GenerateDataKey", "kms-key-of-queue:t-webhooks.fifo"),
        ("kms:Decrypt", "kms-key-of-queue:t-webhooks.fifo"),
    }
    assert needs_for("sqs", "SendMessageBatch", {"QueueUrl": url, "Entries": []}) == needs_for("sqs", "SendMessage", {"QueueUrl": url})
    assert needs_for("sqs", "ReceiveMessage", {"QueueUrl": url}) == {("sqs:ReceiveMessage", queue), ("kms:Decrypt", "kms-key-of-queue:t-webhooks.fifo")}
    # a retry's backoff touches no message body: no key
    assert needs_for("sqs", "ChangeMessageVisibility", {"QueueUrl": "http://127.0.0.1:18001/000000000000/t-webhooks.fifo", "ReceiptHandle": "r"}) == {
        ("sqs:ChangeMessageVisibility", queue)
    }


def test_a_secret_is_needed_by_the_name_a_create_gives_and_the_id_the_others_take() -> None:
    secret = "arn:aws:secretsmanager:*:*:secret:t/webhooks/ep_1"
    assert needs_for("secretsmanager", "CreateSecret", {"Name": "t/webhooks/ep_1", "SecretString": "x"}) == {("secretsmanager:CreateSecret", secret)}
    for operation in ("GetSecretValue", "PutSecretValue", "DeleteSecret"):
        assert needs_for("secretsmanager", operation, {"SecretId": "t/webhooks/ep_1"}) == {(f"secretsmanager:{operation}", secret)}
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:t/webhooks/ep_1"
    assert needs_for("secretsmanager", "GetSecretValue", {"SecretId": arn}) == {("secretsmanager:GetSecretValue", secret)}


def test_the_tested_queues_and_secrets_are_the_stages_and_the_stacks_queues_take_its_key_through_sqs_only() -> None:
    view = replace(stage_view("prod"), functions=())  # only what was recorded, not what Lambda adds
    tested = view.tested_prefix
    sent = needs_for("sqs", "SendMessage", {"QueueUrl": f"http://127.0.0.1:5000/000000000000/{tested}-webhooks.fifo"})
    created = needs_for("secretsmanager", "CreateSecret", {"Name": f"{tested}/webhooks/ep_1"})
    through_sqs = (("kms:ResourceAliases", view.key_alias), ("kms:ViaService", "sqs.*.amazonaws.com"))
    logs = stage_needs(set(), view)
    assert stage_needs(sent | created, view) - logs == {
        Need("sqs:SendMessage", f"arn:aws:sqs:*:*:{view.prefix}-webhooks.fifo"),
        Need("kms:GenerateDataKey", "arn:aws:kms:*:*:key/*", through_sqs),
        Need("kms:Decrypt", "arn:aws:kms:*:*:key/*", through_sqs),
        Need("secretsmanager:CreateSecret", f"arn:aws:secretsmanager:*:*:secret:{view.prefix}/webhooks/ep_1"),
    }
    elsewhere = needs_for("sqs", "SendMessage", {"QueueUrl": "http://127.0.0.1:5000/000000000000/someone-elses"})
    assert stage_needs(elsewhere, view) - logs == {Need("sqs:SendMessage", "arn:aws:sqs:*:*:someone-elses")}, "not the stack's key"
    by_sid = {statement["Sid"]: statement for statement in minimal_policy(stage_needs(sent, view), view.prefix)["Statement"]}
    assert by_sid["DataKeyForQueues"]["Condition"] == {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": view.key_alias},
        "StringLike": {"kms:ViaService": "sqs.*.amazonaws.com"},
    }
    assert by_sid["WebhooksQueue"]["Resource"] == f"arn:aws:sqs:*:*:{view.prefix}-webhooks.fifo"


def test_the_local_stacks_webhook_secrets_in_ssm_are_not_the_roles() -> None:
    view = stage_view("prod")
    parameter = needs_for("ssm", "PutParameter", {"Name": f"/{view.tested_prefix}/webhooks/ep_1"})
    assert stage_needs(parameter, view) == stage_needs(set(), view)
    signing_key = needs_for("ssm", "GetParameter", {"Name": f"/{view.tested_prefix}/esignet-key"})
    assert Need("ssm:GetParameter", f"arn:aws:ssm:*:*:parameter/{view.prefix}/esignet-key") in stage_needs(signing_key, view)


def test_no_function_of_the_stack_keeps_webhook_secrets_in_ssm(packaged: Packaged) -> None:
    """So the needs dropped just above are the local stack's alone: AWS uses Secrets Manager."""
    from infra.package import chalice_config

    config = chalice_config()
    for settings in [config.get("environment_variables", {}), *(stage.get("environment_variables", {}) for stage in config["stages"].values())]:
        assert "SSP_WEBHOOK_SECRETS" not in settings
    for name, function in packaged.of_type("AWS::Serverless::Function").items():
        assert "SSP_WEBHOOK_SECRETS" not in function["Properties"].get("Environment", {}).get("Variables", {}), name


def test_lambda_reads_each_stream_and_queue_and_sends_failures_to_each_destination_the_template_gives(packaged: Packaged) -> None:
    """What Lambda calls with a function's role is read from the template: checked here against
    the packaged template, where Chalice has said which event source is which."""
    view = stage_view(packaged.names.stage)
    functions = dict(view.functions)
    queues = {name: r["Properties"]["QueueName"]["Fn::Sub"].replace("${NamePrefix}", view.prefix) for name, r in packaged.of_type("AWS::SQS::Queue").items()}
    through_sqs = (("kms:ResourceAliases", view.key_alias), ("kms:ViaService", "sqs.*.amazonaws.com"))
    expected: dict[str, set[Need]] = {}
    for name, function in packaged.of_type("AWS::Serverless::Function").items():
        needs = expected.setdefault(name, set())
        for source in function["Properties"].get("Events", {}).values():
            properties = source["Properties"]
            if source["Type"] == "SQS":
                queue = f"arn:aws:sqs:*:*:{queues[properties['Queue']['Fn::GetAtt'][0]]}"
                needs |= {Need(f"sqs:{action}", queue) for action in ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes")}
                needs.add(Need("kms:Decrypt", "arn:aws:kms:*:*:key/*", through_sqs))
            if source["Type"] == "DynamoDB":
                stream = f"arn:aws:dynamodb:*:*:table/{view.prefix}-events/stream/*"
                assert properties["Stream"] == {"Fn::GetAtt": ["EventsTable", "StreamArn"]}
                needs |= {Need(f"dynamodb:{action}", stream) for action in ("DescribeStream", "GetRecords", "GetShardIterator", "ListStreams")}
                failure = properties["DestinationConfig"]["OnFailure"]
                assert failure["Type"] == "SQS"
                needs.add(Need("sqs:SendMessage", f"arn:aws:sqs:*:*:{queues[failure['Destination']['Fn::GetAtt'][0]]}"))
                needs |= {Need(action, "arn:aws:kms:*:*:key/*", through_sqs) for action in ("kms:GenerateDataKey", "kms:Decrypt")}
    assert functions == expected
    assert Need("sqs:ReceiveMessage", f"arn:aws:sqs:*:*:{view.prefix}-webhooks.fifo") in functions["DeliverWebhooks"]
    assert Need("sqs:SendMessage", f"arn:aws:sqs:*:*:{view.prefix}-webhooks-fan-out-dlq") in functions["FanOutWebhooks"]
    assert Need("sqs:SendMessage", f"arn:aws:sqs:*:*:{view.prefix}-notifications-dlq") in functions["DeliverEvents"]
    assert not functions["APIHandler"]


def test_merging_adds_what_a_policy_lacks_and_takes_nothing_away() -> None:
    table = "arn:aws:dynamodb:*:*:table/p-forms"
    policy = {"Version": "2012-10-17", "Statement": [{"Sid": "FormsTable", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": table}]}
    assert merged_policy(policy, {Need("dynamodb:GetItem", table)}) == policy
    secret = "arn:aws:secretsmanager:*:*:secret:p/webhooks/ep_1"
    merged = merged_policy(policy, {Need("secretsmanager:CreateSecret", secret), Need("sqs:SendMessage", "arn:aws:sqs:*:*:p-webhooks.fifo")}, "p")
    assert merged["Statement"][0] == policy["Statement"][0], "a partial recording cannot tell that GetItem went unused"
    widened = {**policy["Statement"][0], "Action": ["dynamodb:GetItem", "dynamodb:PutItem"]}
    assert merged_policy(policy, {Need("dynamodb:PutItem", table)})["Statement"] == [widened], "added to the statement on that table"
    assert merged["Statement"][1:] == [
        {"Sid": "Secrets", "Effect": "Allow", "Action": ["secretsmanager:CreateSecret"], "Resource": "arn:aws:secretsmanager:*:*:secret:p/webhooks/*"},
        {"Sid": "WebhooksQueue", "Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": "arn:aws:sqs:*:*:p-webhooks.fifo"},
    ]


def test_a_policy_missing_a_permission_or_granting_an_unused_one_fails() -> None:
    needs = {Need("dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/p-forms"), Need("dynamodb:Query", "arn:aws:dynamodb:*:*:table/p-forms/index/x")}
    exact = minimal_policy(needs)
    assert check(exact, needs).ok
    too_little = {"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*:*:table/p-forms"}]}
    assert [n.action for n in check(too_little, needs).missing] == ["dynamodb:Query"]
    too_much = {
        "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:*:*:table/p-forms"},
            {"Sid": "B", "Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:*:*:table/p-forms/index/*"},
        ]
    }
    verdict = check(too_much, needs)
    assert not verdict.missing
    assert verdict.unused == ["statement A: dynamodb:PutItem on arn:aws:dynamodb:*:*:table/p-forms"]
    wildcard = {"Statement": [{"Sid": "All", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}
    assert not check(wildcard, needs).missing and check(wildcard, needs).ok, "a wildcard is used when anything matches it"


def test_kms_use_is_granted_only_through_s3_with_the_stacks_key_alias() -> None:
    view = replace(stage_view("prod"), functions=())
    needs = stage_needs({("kms:Decrypt", f"kms-key-of:{view.tested_documents_bucket}")}, view)
    (kms,) = [n for n in needs if n.action == "kms:Decrypt"]
    statement = {
        "Sid": "DataKey",
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": "arn:aws:kms:*:*:key/*",
        "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": view.key_alias}, "StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}},
    }
    assert not check({"Statement": [statement]}, {kms}).missing
    other_alias = {**statement, "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/someone-else"}}}
    assert check({"Statement": [other_alias]}, {kms}).missing


def _table_key_needs(needs: set[Need]) -> dict[str, set[tuple[str, tuple[tuple[str, str], ...]]]]:
    return {n.action: {(n.resource, n.context)} for n in needs if n.action.startswith("kms:")}


def test_table_reads_and_writes_need_the_stacks_key_through_dynamodb() -> None:
    """Every table is encrypted with the stack's customer managed key (infra/tables.yaml): DynamoDB
    uses it with the caller's permissions, which moto does not check."""
    view = replace(stage_view("prod"), functions=())
    table = f"arn:aws:dynamodb:*:*:table/{view.tested_prefix}-registrants"
    through_dynamodb = (("kms:ResourceAliases", view.key_alias), ("kms:ViaService", "dynamodb.*.amazonaws.com"))
    key = ("arn:aws:kms:*:*:key/*", through_dynamodb)
    for read in ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem"):
        assert _table_key_needs(stage_needs({(read, table)}, view)) == {"kms:Decrypt": {key}}, read
    assert _table_key_needs(stage_needs({("dynamodb:Query", table + "/index/login")}, view)) == {"kms:Decrypt": {key}}
    for write in ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"):
        assert _table_key_needs(stage_needs({(write, table)}, view)) == {
            action: {key} for action in ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*")
        }, write
    assert not _table_key_needs(stage_needs({("dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/someone-elses")}, view)), "only the stack's tables"


@pytest.mark.parametrize("stage", stages())
def test_the_policy_files_let_the_role_use_the_tables_key_through_dynamodb_only(stage: str) -> None:
    view = replace(stage_view(stage), functions=())
    table = f"arn:aws:dynamodb:*:*:table/{view.tested_prefix}-sessions"
    needs = {n for n in stage_needs({("dynamodb:GetItem", table), ("dynamodb:PutItem", table)}, view) if n.action.startswith("kms:")}
    policy = json.loads(stage_names(stage).policy_file.read_text())
    verdict = check(policy, needs)
    assert not verdict.missing, verdict.report()
    through_s3 = {Need(n.action, n.resource, (("kms:ResourceAliases", view.key_alias), ("kms:ViaService", "s3.*.amazonaws.com"))) for n in needs}
    assert {n.action for n in check(policy, through_s3).missing} >= {"kms:Encrypt", "kms:DescribeKey"}, "the tables' key use stays scoped to DynamoDB"


# --- the recorder -------------------------------------------------------------------------------


@pytest.fixture
def recording() -> Iterator[None]:
    was_installed = recorder.record in recorder.calls.observers
    recorder.install()
    try:
        yield
    finally:
        if not was_installed:
            recorder.uninstall()


def test_the_recorder_keeps_the_portals_calls_and_presigns_but_not_the_tests_or_local_setup(recording: None) -> None:
    from chalicelib import config
    from chalicelib.auth.sessions import create_session
    from chalicelib.documents import storage
    from chalicelib.store.sessions import SessionItem
    from chalicelib.store.tables import create_missing_tables

    with mock_aws():
        before = recorder.recorded()
        create_missing_tables()  # local-only: the template creates tables in AWS
        s3 = boto3.client("s3", region_name=config.region())
        s3.create_bucket(Bucket=config.documents_bucket(), CreateBucketConfiguration={"LocationConstraint": config.region()})
        s3.put_object(Bucket=config.documents_bucket(), Key="uploads/test/browser", Body=b"x")  # a browser's upload
        assert recorder.recorded() == before
        session = create_session("registrant-1", {"name": "A"})
        assert SessionItem.count() == 1 and session.raw_id  # the test's own read is not recorded
        assert ("dynamodb:PutItem", f"arn:aws:dynamodb:*:*:table/{config.table_name('sessions')}") in recorder.recorded()
        assert not any(action == "dynamodb:Scan" for action, _ in recorder.recorded() - before)
        storage._client.cache_clear()  # clients built before recording started carry botocore's own presign
        storage.presign_upload(storage.upload_key("r-1", "d-1"), "application/pdf", 10, 60)
        assert ("s3:PutObject", f"arn:aws:s3:::{config.documents_bucket()}/uploads/r-1/d-1") in recorder.recorded()


# --- the policy files against the whole suite's recording ---------------------------------------


def _recording() -> set[tuple[str, str]]:
    directory = os.environ.get("SSP_IAM_CHECK_CALLS")
    if not directory:
        pytest.skip("runs after the whole suite recorded its AWS calls: `make test` (SSP_IAM_CHECK_CALLS unset)")
    recorded = load_recording(Path(directory))
    assert recorded, f"nothing was recorded in {directory}: was the suite run with -p tests.infra.recorder?"
    return recorded


@pytest.mark.parametrize("stage", stages())
def test_the_stage_policy_grants_exactly_what_the_code_calls(stage: str) -> None:
    recorded = _recording()
    policy = json.loads(stage_names(stage).policy_file.read_text())
    verdict = check(policy, stage_needs(recorded, stage_view(stage)))
    assert verdict.ok, (
        f".chalice/{stage_names(stage).policy_file.name} does not match the AWS calls the code makes:\n{verdict.report()}\n"
        "`python -m tests.infra.iam suggest` prints the least-privilege policy for them."
    )
