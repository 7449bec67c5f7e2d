"""Staff review: reviewers list, open and decide applications; approving can enrol; admins count.

Reviewers reach applications through the sparse, sharded ``review`` index (``<program>#<shard>``,
status#submitted_at; only submitted applications, only what a list shows), oldest first, never
a Scan: a page reads each of the ``REVIEW_SHARDS`` keys once and merges them. Counts come from the
counter items the transitions keep (``programs.counters``): one BatchGetItem. Every opening and every decision is written to the person's activity log. A
reviewer whose token names programs (``StaffCaller.programs``) reaches only those programs'
applications; any other answers as if it did not exist.
"""

from __future__ import annotations

import base64
import heapq
import json
from typing import Any

from chalicelib.errors import BadRequest, Conflict, NotFound
from chalicelib.identity.audit import access_event, record_access
from chalicelib.identity.callers import Actor, StaffCaller
from chalicelib.programs import counters, service
from chalicelib.programs.references import normalise
from chalicelib.programs.states import REVIEWABLE, ApplicationStatus, transition
from chalicelib.store.applications import Application, review_shards
from chalicelib.store.pagination import Page

S = ApplicationStatus
COUNTED = ("draft", *REVIEWABLE)
_DONE = False  # a shard's position in a cursor once it has nothing more


def program_applications(program_id: str, status: str, limit: int, cursor: str | None) -> Page[dict[str, Any]]:
    """A program's applications in one status, the longest waiting first: one Query per shard of
    the review index (``REVIEW_SHARDS``, whatever the number of applications), merged by
    submission time. The cursor holds where each shard stopped."""
    shards = review_shards(program_id)
    positions = _positions(cursor, shards, status)
    fetched: list[tuple[str, str, int, Application]] = []
    ends: dict[int, bool] = {}
    for number, shard in enumerate(shards):
        if positions[number] is _DONE:
            continue
        results = Application.review.query(
            shard,
            Application.status_submitted.startswith(f"{status}#"),
            scan_index_forward=True,
            limit=limit,
            last_evaluated_key=positions[number] or None,
        )
        items = list(results)
        ends[number] = results.last_evaluated_key is None
        fetched.extend((a.status_submitted, a.application_id, number, a) for a in items)
    taken = heapq.nsmallest(limit, fetched, key=lambda entry: (entry[0], entry[1]))
    for number in ends:
        mine = [entry for entry in fetched if entry[2] == number]
        used = [entry for entry in taken if entry[2] == number]
        if used:
            last = used[-1][3]
            positions[number] = {
                "application_id": {"S": last.application_id},
                "review_shard": {"S": shards[number]},
                "status_submitted": {"S": last.status_submitted},
            }
        if len(used) == len(mine) and ends[number]:
            positions[number] = _DONE
    more = any(position is not _DONE for position in positions)
    next_cursor = _encode(status, positions) if more else None
    return Page(items=[service.summary(entry[3]) for entry in taken], cursor=next_cursor)


def _encode(status: str, positions: list[Any]) -> str:
    raw = json.dumps({"s": status, "p": positions}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _positions(cursor: str | None, shards: list[str], status: str) -> list[Any]:
    """Where each shard stopped: None (its start), False (read out) or its last key; 400 for a
    cursor that is not one this route made for this program and status."""
    if not cursor:
        return [None] * len(shards)
    bad = BadRequest("This page link is not valid.", code="bad_cursor")
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(decoded, dict) or decoded.get("s") != status or not isinstance(decoded.get("p"), list) or len(decoded["p"]) != len(shards):
        raise bad
    positions = decoded["p"]
    for shard, position in zip(shards, positions, strict=True):
        if position is None or position is _DONE:
            continue
        if not isinstance(position, dict) or set(position) != {"application_id", "review_shard", "status_submitted"}:
            raise bad
        values = {name: value.get("S") if isinstance(value, dict) and len(value) == 1 else None for name, value in position.items()}
        if not all(isinstance(value, str) for value in values.values()) or values["review_shard"] != shard:
            raise bad
        if not str(values["status_submitted"]).startswith(f"{status}#"):
            raise bad
    return positions


def counts(program_id: str) -> dict[str, int]:
    """Applications per status (drafts included), from the counters every transition keeps: one
    BatchGetItem, whatever the number of applications."""
    counted = counters.counts(program_id)
    return {status: counted[status] for status in COUNTED}


def open_application(staff: StaffCaller, application_id: str) -> dict[str, Any]:
    """A submitted application in full for a reviewer; the person's activity log records it."""
    application = service.staff_application(staff, application_id)
    record_access(
        subject=application.registrant_id,
        actor=Actor.staff(staff),
        action="application_viewed",
        details={"application_id": application.application_id},
    )
    return {**service.describe(application), "registrant_id": application.registrant_id}


def find_by_reference(staff: StaffCaller, reference: str) -> dict[str, Any]:
    """The application a person reads out on the phone; 404 for a reference with a typo."""
    canonical = normalise(reference)
    if canonical is None:
        raise NotFound("No application has this reference. Check it and try again.", code="unknown_reference")
    for application in Application.by_reference.query(canonical, limit=1):
        if staff.may_see_program(application.program_id):
            return service.summary(application)
    raise NotFound("No application has this reference. Check it and try again.", code="unknown_reference")


def decide(
    staff: StaffCaller,
    application_id: str,
    to: str,
    reason: str | None = None,
    enrol: bool = False,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Move an application along the table: start review, approve (and enrol), reject, request
    information, or enrol an approved one. Two reviewers deciding at once: the first wins and
    the other gets 409 with the current state (the version is the lock)."""
    actor = Actor.staff(staff)
    application = service.staff_application(staff, application_id)
    if expected_version is not None and expected_version != application.version:
        raise Conflict(
            "Someone decided on this application in the meantime.", code="changed_meanwhile", details={"current": service.current_state(application)}
        )
    target = S(to)
    entries = [transition(application.status, target, actor, reason)]
    if target is S.APPROVED and enrol:
        entries.append(transition(S.APPROVED.value, S.ENROLLED, actor))
    logged = access_event(
        subject=application.registrant_id,
        actor=actor,
        action="application_status_changed",
        details={"application_id": application.application_id, "status": entries[-1]["to"]},
    )
    service.apply_transitions(application, entries, also=lambda writes: writes.save(logged))  # the decision and its log entry, together
    return {**service.describe(application), "registrant_id": application.registrant_id}
