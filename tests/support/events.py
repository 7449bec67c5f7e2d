"""The events table's stream as Lambda hands it to the portal's functions, for tests."""

from __future__ import annotations

from typing import Any

from chalicelib import config
from chalicelib.store.events import OutboxEvent


def stream_record(n: int, event: OutboxEvent) -> dict[str, Any]:
    """The outbox event as Lambda hands it to a function from the events table's stream (an insert)."""
    return {
        "eventID": event.event_id,
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "awsRegion": config.region(),
        "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/ssp-dev-events/stream/1",
        "dynamodb": {
            "ApproximateCreationDateTime": 1_700_000_000,
            "Keys": {"stream": {"S": event.stream}, "event_id": {"S": event.event_id}},
            "NewImage": event.serialize(),
            "SequenceNumber": str(n),
            "SizeBytes": 100,
            "StreamViewType": "NEW_IMAGE",
        },
    }
