"""The template's part for webhooks to the ministry's systems: the outbox's stream feeds the
fan-out, a KMS-encrypted FIFO queue feeds the delivery function with batch item failures, and
the API can queue replays (issue 18)."""

from __future__ import annotations

from tests.infra.conftest import Packaged


def test_the_fan_out_reads_the_events_stream_and_queues_to_the_fifo_queue(packaged: Packaged) -> None:
    function = packaged.properties("FanOutWebhooks")
    (source,) = function["Events"].values()
    assert source["Type"] == "DynamoDB"
    assert source["Properties"]["Stream"] == {"Fn::GetAtt": ["EventsTable", "StreamArn"]}
    assert source["Properties"]["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": ["WebhooksFanOutDeadLetterQueue", "Arn"]}
    assert function["Environment"]["Variables"]["SSP_WEBHOOK_QUEUE_URL"] == {"Ref": "WebhooksQueue"}
    assert packaged.properties("APIHandler")["Environment"]["Variables"]["SSP_WEBHOOK_QUEUE_URL"] == {"Ref": "WebhooksQueue"}


def test_deliveries_come_one_at_a_time_from_an_encrypted_fifo_queue_that_keeps_them_past_three_days(packaged: Packaged) -> None:
    function = packaged.properties("DeliverWebhooks")
    (source,) = function["Events"].values()
    assert source["Type"] == "SQS"
    assert source["Properties"]["Queue"] == {"Fn::GetAtt": ["WebhooksQueue", "Arn"]}
    assert source["Properties"]["BatchSize"] == 1
    assert source["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue = packaged.properties("WebhooksQueue")
    assert queue["FifoQueue"] is True and queue["KmsMasterKeyId"] == {"Ref": "DataKey"}
    assert queue["MessageRetentionPeriod"] > 72 * 3600
    assert queue["VisibilityTimeout"] >= function["Timeout"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["WebhooksDeadLetterQueue", "Arn"]}
    assert packaged.properties("WebhooksDeadLetterQueue")["FifoQueue"] is True
