"""Fill the ``kinds#<application>`` items for documents made available before those items existed.

Submit reads an application's available document kinds from that item alone (``programs.service``).
Documents made available before it was kept are known only to the documents table; this adds each
one to its application's item, with the same write the documents area makes today
(``record_available_document``: an ADD to a set, so a second run changes nothing but the item's
revision). It scans the documents table once: an operator's command, never a request path.

    AWS_PROFILE=... SSP_TABLE_PREFIX=ssp-prod python -m infra.migrations.attached_documents
"""

from __future__ import annotations

from chalicelib.documents.states import AVAILABLE
from chalicelib.programs.service import record_available_document
from chalicelib.store.documents import Document
from chalicelib.store.transactions import transaction


def backfill() -> int:
    """Record every available document attached to an application; how many were recorded."""
    recorded = 0
    for document in Document.scan(filter_condition=(Document.status == AVAILABLE) & Document.application_id.exists()):
        with transaction() as writes:
            record_available_document(writes, str(document.application_id), document.kind, document.document_id)
        recorded += 1
    return recorded


def main() -> None:
    print(f"{backfill()} available documents recorded beside their applications")


if __name__ == "__main__":
    main()
