"""Staff review: reviewers list, open and decide applications; approving can enrol; admins count.

Reviewers reach applications through the ``by_program`` index (program, status#submitted_at),
never a Scan. Every opening and every decision is written to the person's activity log. A
reviewer whose token names programs (``StaffCaller.programs``) reaches only those programs'
applications; any other answers as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from chalicelib.errors import BadRequest, Conflict, NotFound
from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor, StaffCaller
from chalicelib.programs import service
from chalicelib.programs.references import normalise
from chalicelib.programs.states import REVIEWABLE, ApplicationStatus, transition
from chalicelib.store.applications import Application
from chalicelib.store.pagination import Page, decode_cursor, query_page

S = ApplicationStatus
COUNTED = ("draft", *REVIEWABLE)


def program_applications(program_id: str, status: str, limit: int, cursor: str | None) -> Page[dict[str, Any]]:
    """A program's applications in one status, most recently submitted first (one Query)."""
    start = decode_cursor(cursor, ("application_id", "program_id", "status_submitted"))
    if start is not None and (start["program_id"].get("S") != program_id or not start["status_submitted"].get("S", "").startswith(f"{status}#")):
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    results = Application.by_program.query(
        program_id,
        Application.status_submitted.startswith(f"{status}#"),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=start,
    )
    page = query_page(results, limit)
    return Page(items=[service.summary(a) for a in page.items], cursor=page.cursor)


def counts(program_id: str) -> dict[str, int]:
    """Applications per status (drafts included): one counting Query per status, no items read out."""
    return {status: Application.by_program.count(program_id, Application.status_submitted.startswith(f"{status}#")) for status in COUNTED}


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
    service.apply_transitions(application, entries)
    record_access(
        subject=application.registrant_id,
        actor=actor,
        action="application_status_changed",
        details={"application_id": application.application_id, "status": application.status},
    )
    return {**service.describe(application), "registrant_id": application.registrant_id}
