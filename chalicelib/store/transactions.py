"""Running a TransactWrite, and reading why one was cancelled."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib import config


@contextmanager
def transaction() -> Iterator[TransactWrite]:
    """All writes added inside the block commit together or not at all.

    A cancelled transaction raises ``TransactWriteError``, which routes answer as 409; a
    service that must tell the person *which* rule failed reads ``cancelled_items``.
    """
    # pynamodb needs an explicit connection here; with no host, botocore honours AWS_ENDPOINT_URL.
    with TransactWrite(connection=Connection(region=config.region())) as writes:
        yield writes


def cancelled_items(error: TransactWriteError) -> list[int]:
    """Positions (in the order written) of the items whose condition failed."""
    reasons = error.cancellation_reasons or []
    return [i for i, reason in enumerate(reasons) if reason is not None and reason.code == "ConditionalCheckFailed"]
