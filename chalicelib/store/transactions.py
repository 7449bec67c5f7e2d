"""Running a TransactWrite and reading why one was cancelled; running a TransactGet and reading
what it found."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, PynamoDBException, TransactGetError, TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactGet, TransactWrite

from chalicelib import config
from chalicelib.errors import ServiceBusy

if TYPE_CHECKING:
    from pynamodb.models import _ModelFuture

M = TypeVar("M", bound=Model)


@contextmanager
def transaction() -> Iterator[TransactWrite]:
    """All writes added inside the block commit together or not at all.

    A cancelled transaction raises ``TransactWriteError``, which routes answer as 409; a
    service that must tell the person *which* rule failed reads ``cancelled_items``.
    """
    with TransactWrite(connection=_connection(*_connection_key())) as writes:
        yield writes


# Cancellation reasons that say another request (or DynamoDB's throttling) got in the way: the
# request itself was fine and goes through when tried again.
OTHER_WRITERS = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"})


def cancelled_by_others(error: TransactWriteError | TransactGetError) -> bool:
    """Whether only other writers or throttling cancelled the transaction (no condition failed)."""
    codes = {reason.code for reason in error.cancellation_reasons or [] if reason is not None}
    return bool(codes) and codes <= OTHER_WRITERS


def aws_code(error: PynamoDBException) -> str | None:
    """The AWS error code a pynamodb error carries; None for a timeout or a lost connection (which
    pynamodb's own ``cause_response_code`` cannot read)."""
    response = getattr(error.cause, "response", None)
    return str(response.get("Error", {}).get("Code")) if isinstance(response, dict) else None


def was_cancelled(error: TransactWriteError | TransactGetError) -> bool:
    """Whether DynamoDB cancelled the transaction (reasons per item), rather than throttling the
    whole call, failing with a 5xx or timing out (then nothing says which items, if any, were
    written: the SDK's retries reuse the transaction's token, so a retry never applies it twice)."""
    return aws_code(error) == "TransactionCanceledException"


def cancelled_items(error: TransactWriteError) -> list[int]:
    """Positions (in the order written) of the items whose condition failed."""
    reasons = error.cancellation_reasons or []
    return [i for i, reason in enumerate(reasons) if reason is not None and reason.code == "ConditionalCheckFailed"]


@contextmanager
def reading() -> Iterator[TransactGet]:
    """Every ``reads.get`` inside the block is read in one TransactGetItems when the block ends;
    read each result with ``found_or_none`` after it.

    A read cancelled because a write transaction held one of its items (or by throttling) is
    ``ServiceBusy`` (503, try again): reads check no condition, so no cancellation is a conflict
    the person caused."""
    try:
        with TransactGet(connection=_connection(*_connection_key())) as reads:
            yield reads
    except TransactGetError as error:
        if was_cancelled(error):
            raise ServiceBusy() from error
        raise


def _connection_key() -> tuple[str, str | None, float, float, int]:
    return config.region(), config.endpoint_url(), config.aws_connect_timeout(), config.aws_read_timeout(), config.aws_max_retry_attempts()


@functools.lru_cache(maxsize=8)
def _connection(region: str, endpoint: str | None, connect_timeout: float, read_timeout: float, retries: int) -> Connection:
    """pynamodb needs an explicit connection for transactions; with no host, botocore honours
    AWS_ENDPOINT_URL (``endpoint`` only keys the cache). One per region, endpoint and timeouts: a
    new one per transaction built a botocore client each time, most of a request's CPU."""
    return Connection(region=region, connect_timeout_seconds=connect_timeout, read_timeout_seconds=read_timeout, max_retry_attempts=retries)


def found_or_none(future: _ModelFuture[M]) -> M | None:
    """The item a TransactGet read, or None when there is no such item."""
    try:
        return future.get()
    except DoesNotExist:
        return None
