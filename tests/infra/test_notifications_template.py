"""The template's part for messages to people: the outbox's stream feeds the deployed function,
what Lambda gives up on lands in an encrypted dead-letter queue, and the sender identities are
parameters (issue 17)."""

from __future__ import annotations

import json

from tests.infra.conftest import Packaged


def test_the_stream_function_reads_the_events_tables_stream_and_parks_failures_in_the_queue(packaged: Packaged) -> None:
    function = packaged.properties("DeliverEvents")
    (source,) = function["Events"].values()
    assert source["Type"] == "DynamoDB"
    assert source["Properties"]["Stream"] == {"Fn::GetAtt": ["EventsTable", "StreamArn"]}
    assert source["Properties"]["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": ["NotificationsDeadLetterQueue", "Arn"]}
    assert packaged.properties("EventsTable")["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    assert packaged.properties("NotificationsDeadLetterQueue")["KmsMasterKeyId"] == {"Ref": "DataKey"}
    variables = function["Environment"]["Variables"]
    assert variables["SSP_EMAIL_SENDER"] == {"Ref": "EmailSender"} and variables["SSP_SMS_SENDER_ID"] == {"Ref": "SmsSenderId"}
    assert variables["SSP_NOTIFY_DLQ_URL"] == {"Ref": "NotificationsDeadLetterQueue"}


def test_the_role_may_publish_sms_send_email_and_read_only_the_events_stream(packaged: Packaged) -> None:
    policy = json.loads(packaged.names.policy_file.read_text())
    granted = {(action, str(s["Resource"])) for s in policy["Statement"] for action in s["Action"]}
    prefix = packaged.names.prefix
    assert ("sns:Publish", "*") in granted and ("ses:SendEmail", "*") in granted
    assert ("dynamodb:GetRecords", f"arn:aws:dynamodb:*:*:table/{prefix}-events/stream/*") in granted
    assert ("sqs:SendMessage", f"arn:aws:sqs:*:*:{prefix}-notifications-dlq") in granted
