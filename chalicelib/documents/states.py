"""A document's life: ``pending`` (declared; the browser may upload) → ``scanning`` (only with a
malware scanner) → ``available``; or ``rejected`` with a reason."""

from __future__ import annotations

from datetime import timedelta

PENDING = "pending"
SCANNING = "scanning"
AVAILABLE = "available"
REJECTED = "rejected"
LIVE = frozenset({PENDING, SCANNING, AVAILABLE})  # what counts against the quota

# How long after its presigned POST expires a pending upload may still be completed.
UPLOAD_GRACE = timedelta(minutes=15)
