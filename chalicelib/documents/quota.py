"""Each person's document quota: a count and a byte total kept by atomic ADDs in the same
transaction as the document they change, recounted (one Query) when it says no, since pending
uploads that expire by TTL leave it counting too high."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from chalicelib import config
from chalicelib.documents.states import LIVE, PENDING, REJECTED, UPLOAD_GRACE
from chalicelib.errors import Conflict
from chalicelib.store.base import now
from chalicelib.store.documents import Document, DocumentQuota
from chalicelib.store.transactions import cancelled_items, transaction


class QuotaExceeded(Conflict):
    code = "quota_exceeded"
    message = "You have reached the number or total size of documents you can keep. Delete one you no longer need."


def quota_item(registrant_id: str) -> DocumentQuota:
    return DocumentQuota(document_id=f"quota#{registrant_id}")


def _quota_changes(documents: int, size: int) -> list[Any]:
    """The update actions of every change of a person's quota: atomic ADDs of the counts, one more
    ``revision`` (what the recount conditions on), and the item's timestamps."""
    moment = now()
    return [
        DocumentQuota.documents.add(documents),
        DocumentQuota.total_bytes.add(size),
        DocumentQuota.revision.add(1),
        DocumentQuota.updated_at.set(moment),
        DocumentQuota.created_at.set(DocumentQuota.created_at | moment),
    ]


def release(document: Document) -> list[Any]:
    return _quota_changes(-1, -int(document.declared_size))


def create_within_quota(document: Document, also: Callable[[TransactWrite], None]) -> None:
    """Create the document and reserve its place in the person's quota, atomically; ``also``
    adds the caller's own writes to the same transaction, after those two (a copy available at
    once is noted on its application's side).

    The quota item can drift upwards when pending records expire by TTL; when it says no, the
    person's documents are recounted once (a Query) and the reservation retried.
    """
    max_count = config.get_int("SSP_DOCUMENT_QUOTA_COUNT")
    max_bytes = config.get_int("SSP_DOCUMENT_QUOTA_BYTES")
    size = int(document.declared_size)
    limits = {"max_documents": max_count, "max_bytes": max_bytes}
    if size > max_bytes or max_count < 1:
        raise QuotaExceeded(details=limits)
    quota = DocumentQuota
    for attempt in (1, 2):
        try:
            with transaction() as writes:
                writes.save(document)
                writes.update(
                    quota_item(document.registrant_id),
                    actions=_quota_changes(1, size),
                    condition=quota.documents.does_not_exist() | ((quota.documents < max_count) & (quota.total_bytes <= max_bytes - size)),
                )
                also(writes)
            return
        except TransactWriteError as error:
            if 1 not in cancelled_items(error):  # items in the order sent: the document, the quota
                raise
            if attempt == 2 or not _recount(document.registrant_id, max_count, max_bytes - size):
                raise QuotaExceeded(details=limits) from None


def _recount(registrant_id: str, below_count: int, at_most_bytes: int) -> bool:
    """Recount the person's live documents into the quota item; whether one more fits.

    The overwrite is conditioned on the quota's ``revision`` read before counting: a document
    declared or deleted meanwhile changed it, and the count is taken again (then, on a second
    race, left to the next refusal: the item still holds what the ADDs made it)."""
    for _ in range(2):
        key = f"quota#{registrant_id}"
        try:
            before: DocumentQuota | None = DocumentQuota.get(key, consistent_read=True)
        except DocumentQuota.DoesNotExist:
            before = None
        count, total = count_live(registrant_id)
        moment = now()
        fresh = DocumentQuota(
            document_id=key,
            documents=count,
            total_bytes=total,
            revision=int(before.revision or 0) + 1 if before else 1,
            created_at=(before.created_at if before else None) or moment,
            updated_at=moment,
        )
        unchanged: Condition
        if before is None:
            unchanged = DocumentQuota.document_id.does_not_exist()
        elif before.revision:
            unchanged = DocumentQuota.revision == before.revision
        else:  # an item from before revisions were kept, untouched since
            unchanged = DocumentQuota.revision.does_not_exist()
        try:
            fresh.save(condition=unchanged)
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            continue
        return count < below_count and total <= at_most_bytes
    return False


def count_live(registrant_id: str) -> tuple[int, int]:
    """How many live documents the person holds and their bytes; pending uploads whose window has
    passed are marked rejected on the way, as they can never be completed."""
    moment = now()
    live = []
    for document in Document.by_registrant.query(registrant_id):
        if document.status == PENDING and document.upload_deadline and document.upload_deadline + UPLOAD_GRACE < moment:
            # Its upload window has passed: it can never be completed, so it stops counting.
            document.update(actions=[Document.status.set(REJECTED), Document.reason.set("upload_expired")], condition=Document.status == PENDING)
        elif document.status in LIVE:
            live.append(document)
    return len(live), sum(int(d.declared_size) for d in live)
