"""A document's life: ``pending`` (declared; the browser may upload) → ``scanning`` (only with a
malware scanner) → ``available``; or ``rejected`` with a reason. An available document that was
sent with an application and then replaced by a newer one of its kind (answering a request for
information) becomes ``replaced`` when the person removes it: no longer one of the application's
current documents, its record and bytes kept as what was sent."""

from __future__ import annotations

from datetime import timedelta

PENDING = "pending"
SCANNING = "scanning"
AVAILABLE = "available"
REJECTED = "rejected"
REPLACED = "replaced"
LIVE = frozenset({PENDING, SCANNING, AVAILABLE, REPLACED})  # what counts against the quota (its bytes are kept)

# How long after its presigned POST expires a pending upload may still be completed.
UPLOAD_GRACE = timedelta(minutes=15)
