"""The malware-scanning hook: who decides that a verified document is clean.

With no scanner configured (``SSP_MALWARE_SCANNER`` empty), verification alone decides and a
document becomes ``available`` at completion. With ``guardduty``, a verified document stays
``scanning`` until GuardDuty Malware Protection for S3 tags its object with
``GuardDutyMalwareScanStatus``; the verdict is read when the document is next looked at (and
can be pushed by an EventBridge rule through ``service.record_scan_verdict``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from chalicelib import config
from chalicelib.documents.storage import tags


class Verdict(StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"


class Scanner(Protocol):
    def verdict(self, key: str) -> Verdict | None:
        """The scan result of the object at ``key``; None while there is none yet."""
        ...


class GuardDutyTags:
    """Reads the tag GuardDuty Malware Protection for S3 writes on each scanned object."""

    TAG = "GuardDutyMalwareScanStatus"

    def verdict(self, key: str) -> Verdict | None:
        status = tags(key).get(self.TAG)
        if status == "NO_THREATS_FOUND":
            return Verdict.CLEAN
        if status == "THREATS_FOUND":
            return Verdict.INFECTED
        # No tag yet, or UNSUPPORTED / ACCESS_DENIED / FAILED: stays scanning for staff to look at.
        return None


SCANNERS: dict[str, type[Scanner]] = {"guardduty": GuardDutyTags}


def configured_scanner() -> Scanner | None:
    name = config.get("SSP_MALWARE_SCANNER").strip().lower()
    if not name:
        return None
    return SCANNERS[name]()
