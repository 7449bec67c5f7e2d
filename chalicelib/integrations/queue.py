"""The webhook deliveries' SQS FIFO queue: one message per event and endpoint, in order per group.

A message's group is ``<endpoint id>:<event stream>`` (``application#<id>`` or ``registrant#<id>``):
SQS hands a group's next message only once the one before is deleted, so a receiver gets each
application's events in order, and a failing application holds back only its own. A message
carries ids only (endpoint, event, stream): the payload is built at each try from the tables,
so no personal data rests in the queue. A retry is the same message made invisible for the
backoff (``ChangeMessageVisibility``), which keeps its place at the head of its group.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import boto3

from chalicelib import config

MAX_VISIBILITY = 43200  # SQS's limit: 12 hours


def enabled() -> bool:
    return bool(config.get("SSP_WEBHOOK_QUEUE_URL"))


def send(endpoint_id: str, event_id: str, stream: str, *, replay: str = "") -> None:
    """Queue one delivery. The deduplication id makes a stream batch handed twice within five
    minutes queue it once; a replay has its own, so it is queued again."""
    body = {"endpoint_id": endpoint_id, "event_id": event_id, "stream": stream}
    if replay:
        body["replay"] = replay
    dedup = hashlib.sha256(f"{endpoint_id}:{event_id}:{replay}".encode()).hexdigest()
    _client().send_message(
        QueueUrl=config.get("SSP_WEBHOOK_QUEUE_URL"),
        MessageBody=json.dumps(body, separators=(",", ":")),
        MessageGroupId=group_id(endpoint_id, stream),
        MessageDeduplicationId=dedup,
    )


def group_id(endpoint_id: str, stream: str) -> str:
    group = f"{endpoint_id}:{stream}"
    return group if len(group) <= 128 else f"{endpoint_id}:{hashlib.sha256(stream.encode()).hexdigest()}"


def retry_later(receipt_handle: str, seconds: int) -> None:
    _client().change_message_visibility(
        QueueUrl=config.get("SSP_WEBHOOK_QUEUE_URL"), ReceiptHandle=receipt_handle, VisibilityTimeout=max(0, min(seconds, MAX_VISIBILITY))
    )


def _client() -> Any:
    return boto3.client("sqs", region_name=config.region())
