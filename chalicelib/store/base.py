"""What every table model shares: a lazily resolved table name and timestamps."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import UTCDateTimeAttribute
from pynamodb.models import Model

from chalicelib import config


def now() -> datetime:
    return datetime.now(UTC)


def shard_of(text: str, shards: int) -> int:
    """A stable shard number in ``range(shards)`` for an id (the same in every process)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") % shards


class TableName:
    """``Meta.table_name`` resolved from config at each use, never at import.

    Chalice's test client sets stage variables only while a handler runs, and pynamodb reads
    ``Meta.table_name`` when it opens a connection (and reopens one when the name changes).
    """

    def __init__(self, table: str) -> None:
        self.table = table

    def __get__(self, instance: Any, owner: Any) -> str:
        return config.table_name(self.table)


class TableMeta:
    """Base for models' ``Meta``: the region is resolved lazily as well.

    ``host`` stays unset: botocore honours ``AWS_ENDPOINT_URL`` itself, so the same code reaches
    DynamoDB, moto's server or moto's in-process mock.
    """

    class _Setting:
        """A connection setting read from config when pynamodb opens a connection."""

        def __init__(self, read: Callable[[], Any]) -> None:
            self.read = read

        def __get__(self, instance: Any, owner: Any) -> Any:
            return self.read()

    region = _Setting(config.region)
    billing_mode = "PAY_PER_REQUEST"
    # pynamodb's defaults (15 s connect, 30 s read, 3 retries) let one stalled call outlive the
    # Lambda's 29 s, which API Gateway then answers with a 504 outside our error shape.
    connect_timeout_seconds = _Setting(config.aws_connect_timeout)
    read_timeout_seconds = _Setting(config.aws_read_timeout)
    max_retry_attempts = _Setting(config.aws_max_retry_attempts)


class TimestampedModel(Model):
    """A model with ``created_at``/``updated_at`` kept by ``save``."""

    created_at = UTCDateTimeAttribute(default_for_new=now)
    updated_at = UTCDateTimeAttribute(default=now)

    def save(self, *args: Any, **kwargs: Any) -> Any:
        self.updated_at = now()
        return super().save(*args, **kwargs)
