"""Checking an application's status without logging in: its reference and the date of birth.

For someone who cannot get a login code now. The answer is the status and what to do next,
nothing else. A wrong reference and a wrong date answer alike, in wording and in time (the same
reads either way, and never faster than ``SSP_STATUS_MIN_SECONDS``). Tries are counted per
reference and per client address for an hour (counter items with a TTL); every check of a real
reference goes to that person's activity log.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta
from typing import Any

from chalicelib import config
from chalicelib.errors import NotFound, Throttled
from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor
from chalicelib.observability import logger
from chalicelib.programs.references import normalise
from chalicelib.store.applications import Application
from chalicelib.store.base import now
from chalicelib.store.messages import Counter
from chalicelib.store.registrants import Registrant

WINDOW = timedelta(hours=1)
STATUS_PAGE = Actor("public", "status_page")
NO_MATCH = "We could not find an application with this reference and date of birth. Check both and try again."
NEXT_STEPS = {
    "submitted": "wait_for_review",
    "under_review": "wait_for_review",
    "info_requested": "log_in_to_answer",
    "approved": "wait_for_enrolment",
    "rejected": "log_in_to_read_decision",
    "enrolled": "nothing_to_do",
    "withdrawn": "apply_again_if_needed",
}
NOBODY = "00000000-0000-0000-0000-000000000000"


def check_status(reference: str, date_of_birth: str, client: str) -> dict[str, Any]:
    started = time.monotonic()
    try:
        return _check(reference, date_of_birth, client)
    finally:
        rest = float(config.get("SSP_STATUS_MIN_SECONDS")) - (time.monotonic() - started)
        if rest > 0:
            time.sleep(rest)


def _check(reference: str, date_of_birth: str, client: str) -> dict[str, Any]:
    canonical = normalise(reference)
    over = _counted("reference", canonical or reference.upper(), config.get_int("SSP_STATUS_LOOKUPS_PER_REFERENCE"))
    over |= _counted("client", client, config.get_int("SSP_STATUS_LOOKUPS_PER_CLIENT"))
    application = next(iter(Application.by_reference.query(canonical, limit=1)), None) if canonical else None
    registrant = _person(application.registrant_id if application is not None else NOBODY)  # the same read either way
    if over:
        logger.warning("status_check_throttled", extra={"known_reference": application is not None})
        if application is not None:
            record_access(application.registrant_id, STATUS_PAGE, "status_check_throttled", {"application_id": application.application_id})
        raise Throttled("Too many tries. Please wait an hour and try again.", code="too_many_attempts", headers={"Retry-After": "3600"})
    birthdate = str(((registrant.profile or {}).get("birthdate") or {}).get("value") or "") if registrant is not None else ""
    matched = application is not None and registrant is not None and hmac.compare_digest(birthdate.encode(), date_of_birth.strip().encode())
    if application is not None:
        action = "status_checked" if matched else "status_check_failed"
        record_access(application.registrant_id, STATUS_PAGE, action, {"application_id": application.application_id})
    logger.info("status_checked", extra={"matched": matched})
    if not matched or application is None or application.submitted_at is None:
        raise NotFound(NO_MATCH, code="no_match")
    return {"reference": application.reference, "status": application.status, "next_step": NEXT_STEPS.get(application.status, "log_in")}


def _person(registrant_id: str) -> Registrant | None:
    try:
        return Registrant.get(registrant_id)
    except Registrant.DoesNotExist:
        return None


def _counted(kind: str, key: str, limit: int) -> bool:
    """Count one try against ``key`` in this hour; True once over ``limit``. The key is hashed:
    the table keeps no reference or address."""
    at = now()
    window = at.strftime("%Y-%m-%dT%H")
    digest = hashlib.sha256(f"{kind}\n{key}".encode()).hexdigest()[:32]
    counter = Counter(pk=f"limit#{kind}#{digest}", sk=window)
    counter.update(actions=[Counter.tries.add(1), Counter.expires_at.set(at + WINDOW + WINDOW)])
    return int(counter.tries or 0) > limit
