"""Applications from the person's side (create, save, submit, withdraw, read), and what other areas ask of programs.

Every function that creates or changes an application takes the ``registrant_id`` it belongs
to and the ``Actor`` doing it: the person themself, or a field officer acting for them (the
application's channel is then ``assisted`` and its history names the officer).

An application id is ``<program_id>_<random>`` (at most 63 characters of ``[a-z0-9_-]``): knowing the program from the id lets a request
read the application and its program in one TransactGetItems, which keeps save and submit
within the three DynamoDB calls a registrant route may make (docs/programs.md, "Cost").
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, overload

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactGet, TransactWrite

from chalicelib.errors import BadRequest, Conflict, NotFound, ServiceBusy, ValidationFailed
from chalicelib.forms import answers as form_answers
from chalicelib.forms import groups as form_groups
from chalicelib.forms.service import published_form
from chalicelib.identity.audit import access_event, record_access
from chalicelib.identity.callers import Actor, StaffCaller
from chalicelib.observability import logger
from chalicelib.programs import cache as program_cache
from chalicelib.programs import consent, policy
from chalicelib.programs.counters import count_move
from chalicelib.programs.drafts import forget_draft, record_draft
from chalicelib.programs.outbox import add_status_events
from chalicelib.programs.references import new_reference
from chalicelib.programs.states import EDITABLE, SUBMITTABLE, ApplicationStatus, created_entry, transition
from chalicelib.registrants import household
from chalicelib.registrants.profile import prefill_values
from chalicelib.store.applications import Application, ApplicationGuard, AttachedDocuments, review_shard_of
from chalicelib.store.base import now
from chalicelib.store.pagination import Page, decode_cursor, query_page
from chalicelib.store.programs import Program
from chalicelib.store.transactions import OTHER_WRITERS, aws_code, cancelled_by_others, cancelled_items, found_or_none, reading, transaction, was_cancelled

BUSY_ATTEMPTS = 3  # a transaction cancelled only by other writers (or throttling) is tried this often

S = ApplicationStatus
PROGRAM_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,35}$")
APPLICATION_ID = re.compile(r"^([a-z0-9][a-z0-9-]{1,35})_([a-z2-7]{26})$")
STAFF_ROLES = frozenset({"reviewer", "admin"})

WINDOW_MESSAGES = {
    "program_closed": "This program is not taking applications.",
    "program_archived": "This program has ended.",
    "program_not_open_yet": "Applications for this program have not opened yet.",
    "program_window_closed": "The application period for this program has ended.",
}


# --- the person's applications ------------------------------------------------------------------


def create_application(
    registrant_id: str,
    program_id: str,
    actor: Actor,
    answers: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """Start a draft against the program's current form, prefilled from the person's profile.

    With an ``idempotency_key`` the id is derived from it, so a retried request finds the draft
    the first one made and returns it.
    """
    _check_actor(registrant_id, actor)
    program = _open_program(program_id)
    form = mapped_form(program)
    if form is None:
        raise Conflict(WINDOW_MESSAGES["program_closed"], code="program_closed")
    _refuse(form_answers.shape_problems(answers or {}))
    application_id = _new_application_id(program_id, registrant_id, idempotency_key)
    profile, members = prefill_values(registrant_id, form_answers.uses_household(form)) if form.get("prefill") else ({}, [])
    start, locked = form_answers.prefill(form, profile, members)
    merged = form_answers.merge(start, answers or {})
    problems = form_answers.read_only_problems(locked, merged) | form_answers.check_answers(form, merged, complete=False)
    _refuse(problems | _document_problems(form, merged, None), form=form)  # a new application has no document yet
    created = now()
    application = Application(
        application_id=application_id,
        registrant_id=registrant_id,
        program_id=program_id,
        program_name=program.name,
        form_id=form["form_id"],
        form_version=int(form["version"]),
        status=S.DRAFT.value,
        status_submitted=f"draft#{created.isoformat()}",
        answers=merged,
        prefilled=locked,
        groups=form_groups.outline(form),
        history=[created_entry(actor)],
        channel="assisted" if actor.role == "officer" else "self",
        assisted_by=actor.ref if actor.role == "officer" else None,
        created_at=created,
        write_token=_token(),
    )

    def write() -> None:
        with transaction() as writes:
            writes.save(application)  # a new version attribute: the put fails if the id exists
            record_draft(writes, application)
            count_move(writes, program_id, application_id, None, S.DRAFT.value)
            _log_for_person(writes, application, actor, "application_created")

    try:
        _busy_retried(write)
    except TransactWriteError as error:
        if not was_cancelled(error) or cancelled_items(error) != [0]:
            raise
        existing = _fresh(application_id)
        if existing is None or existing.registrant_id != registrant_id:
            raise
        if idempotency_key is None and existing.write_token != application.write_token:
            raise  # another draft drew this id: out of reach (a random 130-bit id)
        return describe(existing)  # a retry of this very creation (same key, or our own write already applied)
    logger.info("application_created", extra={"application_id": application_id, "channel": application.channel})
    return describe(application)


def save_answers(
    registrant_id: str,
    application_id: str,
    answers: dict[str, Any],
    actor: Actor,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Merge ``answers`` (JSON Merge Patch: ``null`` clears a question) into a draft or an
    application returned for information. Missing answers are fine until submission."""
    _check_actor(registrant_id, actor)
    application, program, attached = _own_with_program(registrant_id, application_id, with_documents=True)
    if application.status not in EDITABLE:
        raise Conflict("This application can no longer be changed.", code="application_not_editable", details=_current(application))
    if _already_saved(application, answers, expected_version):
        return describe(application)  # this very save, tried again after its answer was lost
    _check_version(application, expected_version)
    _refuse(form_answers.shape_problems(answers))
    form = _form_of(application, program)
    merged = form_answers.merge(application.answers or {}, answers)
    problems = form_answers.read_only_problems(application.prefilled or {}, merged) | form_answers.check_answers(form, merged, complete=False)
    _refuse(problems | _document_problems(form, merged, attached), form=form)
    application.answers = merged
    if application.review_shard:
        application.member_count = _member_count(application)  # answering a request for information
    _save_or_conflict(application)
    _record_for_person(application, actor, "application_answers_saved")
    return describe(application)


def submit_application(
    registrant_id: str,
    application_id: str,
    actor: Actor,
    idempotency_key: str | None = None,
    expected_version: int | None = None,
    consents: dict[str, bool] | None = None,
    locale: str | None = None,
) -> dict[str, Any]:
    """Check the answers in full against the recorded form version, the required documents, the
    program's consent statements and its policy, then submit: a draft gets its reference; an
    application returned for information goes back to the reviewers. Claims (reference, policy,
    cooldown) are guard items written in the same transaction, so two racing submissions yield
    exactly one.

    ``consents`` maps the program's statement ids to whether the person agrees; each required
    statement must be agreed to (now, or at an earlier submission of this application). Those
    agreed to now are named in the submission's history entry and written on the application in
    the same transaction (``consent.agreements``: the text in ``locale``, the language the page
    showed, and ``actor`` as the one who collected the agreement)."""
    _check_actor(registrant_id, actor)
    application, program, attached, remembered = _own_for_submit(registrant_id, application_id)
    if _submitted_with(application, idempotency_key):
        return describe(application)  # a retry of a submission that went through
    if application.submitted_at is not None and application.status != S.INFO_REQUESTED:
        raise Conflict("This application has been submitted already.", code="already_submitted", details=_current(application))
    _check_version(application, expected_version)
    first = application.status == S.DRAFT
    if first:
        _check_window(program)  # from the program as this process read it at most cache.TTL_SECONDS ago: no shared item in the transaction
    form = _form_of(application, program)
    answers = form_answers.without_hidden(form, application.answers or {})
    problems = form_answers.read_only_problems(application.prefilled or {}, answers) | form_answers.check_answers(form, answers, complete=True)
    problems |= _document_problems(form, answers, attached)
    missing = _missing_documents(program, attached)
    agreed, consent_problems = consent.agreements(application, program, consents or {}, actor, locale, now())
    _refuse(problems, {f"/documents/{kind}": "required_document_missing" for kind in missing} | consent_problems, form=form)
    entry = transition(application.status, S.SUBMITTED, actor)
    if locale:
        entry["locale"] = locale  # the language the person used: messages about this application speak it
    if agreed:
        entry["consents"] = [record["id"] for record in agreed]
        application.consents = [*(application.consents or []), *agreed]
    application.answers = answers
    application.status = S.SUBMITTED.value
    application.history = [*(application.history or []), entry]
    application.submit_key = idempotency_key
    if actor.role == "officer":
        application.channel, application.assisted_by = "assisted", actor.ref
    held = list(application.guards or [])
    listed = form_answers.household_answers(form, answers)

    def remember(writes: TransactWrite) -> None:
        if listed:  # the members go into what the portal remembers of the household, in the same transaction
            household.remember(writes, registrant_id, remembered, listed, actor)
        _log_for_person(writes, application, actor, "application_submitted")

    busy = False
    for attempt in range(BUSY_ATTEMPTS):
        application.guards = list(held)
        try:
            _write_submission(application, program, first, attached, _names_documents(form, answers), remember)
            break
        except TransactWriteError as error:
            if not was_cancelled(error):
                raise  # throttled, 5xx or timed out as a whole: 503 (a retry with the same Idempotency-Key finds what went through)
            busy = cancelled_by_others(error)
            if busy:  # another request's transaction (or throttling) got in the way: not the person's doing
                _pause(attempt)
                continue
            failed = _failed_parts(error, program, first, _names_documents(form, answers))
            if failed == {"reference"}:
                continue  # another application drew the same reference: draw again
            if "application" in failed:  # this very application changed meanwhile, whatever else failed with it
                current = _own(registrant_id, application_id)
                if _submitted_with(current, idempotency_key) or current.write_token == application.write_token:
                    return describe(current)  # a concurrent retry of this very submission won, or our own write had gone through
                if S(current.status) in SUBMITTABLE:  # still to be sent: the person's other tab saved it meanwhile
                    raise Conflict("Someone changed this application in the meantime.", code="changed_meanwhile", details=_current(current)) from None
                raise Conflict("This application has been submitted already.", code="already_submitted", details=_current(current)) from None
            raise _lost_claim(failed) from None
    else:
        if busy:
            raise ServiceBusy()
        raise Conflict("Please try again.", code="reference_unavailable")
    logger.info("application_submitted", extra={"application_id": application_id, "channel": application.channel, "consents": len(agreed)})
    return describe(application)


def _submitted_with(application: Application, idempotency_key: str | None) -> bool:
    """Whether the application is the result of a submit that carried this key. The key of the
    first submission stays on the application; once information is requested it may be sent
    again with the resubmission (a client reusing its key), which must then go through."""
    return bool(idempotency_key) and application.submit_key == idempotency_key and S(application.status) not in SUBMITTABLE


def withdraw_application(registrant_id: str, application_id: str, actor: Actor, reason: str | None = None) -> dict[str, Any]:
    """The person takes back a draft or a submitted application; the claims it held are released."""
    _check_actor(registrant_id, actor)
    application = _own(registrant_id, application_id)
    entry = transition(application.status, S.WITHDRAWN, actor, reason)
    apply_transitions(application, [entry], also=lambda writes: _log_for_person(writes, application, actor, "application_withdrawn"))
    return describe(application)


def list_applications(registrant_id: str, limit: int, cursor: str | None) -> Page[dict[str, Any]]:
    """The person's applications, newest first: one Query of ``by_registrant``."""
    start = decode_cursor(cursor, ("application_id", "registrant_id", "created_at"))
    if start is not None and start["registrant_id"].get("S") != registrant_id:
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    page = query_page(Application.by_registrant.query(registrant_id, scan_index_forward=False, limit=limit, last_evaluated_key=start), limit)
    return Page(items=[describe(a) for a in page.items], cursor=page.cursor)


def get_application(registrant_id: str, application_id: str) -> dict[str, Any]:
    return describe(_own(registrant_id, application_id))


def list_enrolments(registrant_id: str, limit: int, cursor: str | None) -> Page[dict[str, Any]]:
    """The programs the person is enrolled in, newest first: one Query of the sparse ``enrolments`` index."""
    start = decode_cursor(cursor, ("application_id", "enrolled_registrant_id", "enrolled_at"))
    if start is not None and start["enrolled_registrant_id"].get("S") != registrant_id:
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    results = Application.by_enrolment.query(registrant_id, scan_index_forward=False, limit=limit, last_evaluated_key=start)
    page = query_page(results, limit)
    return Page(items=[_enrolment(a) for a in page.items], cursor=page.cursor)


# --- what other areas ask -----------------------------------------------------------------------


def applications_of(registrant_id: str, limit: int, cursor: str | None) -> Page[dict[str, Any]]:
    """Everything the person applied for, newest first (for "everything I submitted")."""
    return list_applications(registrant_id, limit, cursor)


def document_rules(program_id: str) -> list[dict[str, Any]]:
    """The document kinds a program asks for or accepts, with their types and size limits."""
    program = _program(program_id)
    return [dict(rule) for rule in program.documents or []]


def application_with_program(registrant_id: str, application_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The person's application (as ``get_application`` gives it) and what its screens need of
    its program: document rules and consent statements. One TransactGetItems; 404 for anyone else's."""
    application, program = _own_with_program(registrant_id, application_id)
    return describe(application), {"documents": [dict(rule) for rule in program.documents or []], "consents": consent.statements_of(program)}


def application_for_document(registrant_id: str, application_id: str) -> dict[str, Any]:
    """The person's own application as the documents area needs it; 404 for anyone else's.

    Documents are frozen once it is submitted, except while information is requested.
    """
    application = _own(registrant_id, application_id)
    return {
        "application_id": application.application_id,
        "program_id": application.program_id,
        "status": application.status,
        "editable": application.status in EDITABLE,
        # When it was last sent: a document added since (answering a request for information)
        # may still be replaced until the next submission.
        "submitted_at": max((e["at"] for e in application.history or [] if e.get("to") == S.SUBMITTED.value), default=None),
        "answers": application.answers or {},  # a document an answer names is still part of it
    }


def read_for_document(reads: TransactGet, registrant_id: str, application_id: str) -> Callable[[], dict[str, Any] | None]:
    """Add the person's application and its program to the caller's TransactGetItems (the
    documents area reads its document in the same call, so reusing a document costs one read).

    Call the function returned once the read is done: ``{application_id, program_id, status,
    editable, document_rules}`` (``document_rules`` as ``document_rules`` gives them), or None
    when the application does not exist or is not the person's.
    """
    own = _read_own(reads, registrant_id, application_id)

    def result() -> dict[str, Any] | None:
        found = own()
        if found is None:
            return None
        application, program = found
        return {
            "application_id": application.application_id,
            "program_id": application.program_id,
            "status": application.status,
            "editable": application.status in EDITABLE,
            "document_rules": [dict(rule) for rule in program.documents or []],
        }

    return result


def record_available_document(writes: TransactWrite, application_id: str, kind: str, document_id: str) -> None:
    """Add to the documents area's transaction that this application now has an available
    document of ``kind``; submit reads it together with the application (no extra call)."""
    item = AttachedDocuments(application_id=_attached_id(application_id))
    writes.update(item, actions=[AttachedDocuments.entries.add({_attached_entry(kind, document_id)}), AttachedDocuments.revision.add(1)])


def forget_available_document(writes: TransactWrite, application_id: str, kind: str, document_id: str) -> None:
    """Add to the documents area's transaction that this document no longer counts for the
    application (deleted); another document of the same kind keeps the kind available."""
    item = AttachedDocuments(application_id=_attached_id(application_id))
    writes.update(item, actions=[AttachedDocuments.entries.delete({_attached_entry(kind, document_id)}), AttachedDocuments.revision.add(1)])


def reviewer_can_see(staff: StaffCaller, application_id: str) -> dict[str, Any]:
    """A submitted application's summary for a reviewer or admin who may see its program; 404
    otherwise (drafts included), worded as the documents area words a missing document, so that
    its staff routes answer alike for a document that does not exist and one out of reach."""
    try:
        application = staff_application(staff, application_id)
    except NotFound:
        raise NotFound() from None
    return {**summary(application), "document_members": document_members(application)}


def staff_application(staff: StaffCaller, application_id: str) -> Application:
    """A submitted application for a reviewer or admin; 404 as for a missing id when it is a
    draft or its program is outside the reviewer's programs (``StaffCaller.may_see_program``)."""
    if not staff.roles & STAFF_ROLES or not staff.may_see_program(program_of_id(application_id)):
        raise NotFound("We could not find this application.")
    application = submitted_application(application_id)
    if not staff.may_see_program(application.program_id):
        raise NotFound("We could not find this application.")
    return application


# --- shared with review -------------------------------------------------------------------------


def apply_transitions(application: Application, entries: list[dict[str, Any]], also: Callable[[TransactWrite], None] | None = None) -> None:
    """Append ``entries`` (from ``states.transition``), release the claims the new status gives
    up, keep the index keys and the counters in step, and write it all in one transaction under
    the version lock, with whatever ``also`` adds (last: an unconditional put, e.g. the entry in
    the person's activity log). Another writer's transaction or throttling is tried again with
    jitter, then ``ServiceBusy``; a retry that finds its own write applied answers as it."""
    target = ApplicationStatus(entries[-1]["to"])
    released = policy.released_by(application.guards or [], target)
    source = str(application.status)
    application.status = target.value
    application.history = [*(application.history or []), *entries]
    application.guards = [g for g in application.guards or [] if g not in released]
    was_draft = entries[0]["from"] == S.DRAFT.value
    application.status_submitted = _index_key(application)
    if target is S.ENROLLED:
        application.enrolled_at = now()
        application.enrolled_registrant_id = application.registrant_id
    application.updated_at = now()
    application.write_token = _token()
    counted = target.value if application.submitted_at is not None else None  # a draft given up is counted nowhere

    def write() -> None:
        with transaction() as writes:
            for guard_id in released:
                guard = ApplicationGuard(application_id=guard_id)
                writes.delete(guard, condition=(ApplicationGuard.owner == application.application_id) | ApplicationGuard.application_id.does_not_exist())
            writes.save(application)
            add_status_events(writes, application, entries)
            if was_draft:
                forget_draft(writes, application)
            count_move(writes, application.program_id, application.application_id, source, counted)
            if also is not None:
                also(writes)

    try:
        _busy_retried(write)
    except TransactWriteError as error:
        if not was_cancelled(error):
            raise  # throttled, 5xx or timed out as a whole: 503
        current = _fresh(application.application_id)
        if current is not None and current.write_token == application.write_token:
            application.version = current.version  # our own transaction had gone through: its answer was lost
            return
        raise Conflict("Someone changed this application in the meantime.", code="changed_meanwhile", details=_current(current)) from None


def describe(application: Application) -> dict[str, Any]:
    """The application as its owner (and the registrants area) sees it."""
    return {
        "application_id": application.application_id,
        "program_id": application.program_id,
        "program_name": application.program_name or {},
        "form_id": application.form_id,
        "form_version": int(application.form_version) if application.form_version is not None else None,
        "status": application.status,
        "reference": application.reference,
        "answers": application.answers or {},
        "read_only": sorted((application.prefilled or {}).keys()),
        "timeline": application.history or [],
        "consents": application.consents or [],  # the program's statements agreed to, as recorded at submission
        "members": form_groups.members(application.groups, application.answers or {}),
        "channel": application.channel,
        "assisted_by": application.assisted_by,
        "created_at": _iso(application.created_at),
        "updated_at": _iso(application.updated_at),
        "submitted_at": _iso(application.submitted_at),
        "enrolled_at": _iso(application.enrolled_at),
        "editable": application.status in EDITABLE,
        "version": application.version,
    }


def summary(application: Application) -> dict[str, Any]:
    """What a reviewer's list shows: no answers."""
    return {
        "application_id": application.application_id,
        "registrant_id": application.registrant_id,
        "program_id": application.program_id,
        "status": application.status,
        "reference": application.reference,
        "channel": application.channel,
        "submitted_at": _iso(application.submitted_at),
        "updated_at": _iso(application.updated_at),
        "version": application.version,
        # {group: members listed}, no answers; kept on the item (the review index has no answers)
        "member_count": application.member_count if application.member_count is not None else _member_count(application),
    }


def _member_count(application: Application) -> dict[str, int]:
    counted: dict[str, int] = {}
    for member in form_groups.members(application.groups, application.answers or {}):
        counted[member["group"]] = counted.get(member["group"], 0) + 1
    return counted


def document_members(application: Application) -> dict[str, dict[str, Any]]:
    """{document id: the member it belongs to (``group``, ``index``, ``label``, ``field``)} for
    the documents a group's member question names."""
    return {
        document["document_id"]: {"group": member["group"], "index": member["index"], "label": member["label"], "field": document["field"]}
        for member in form_groups.members(application.groups, application.answers or {})
        for document in member["documents"]
    }


def current_state(application: Application) -> dict[str, Any]:
    return _current(application)["current"]


def program_of_id(application_id: str) -> str | None:
    match = APPLICATION_ID.match(application_id or "")
    return match.group(1) if match else None


def submitted_application(application_id: str) -> Application:
    """A submitted application by id, for staff; 404 for a draft or an unknown id."""
    application = _fresh(application_id)
    if application is None or application.submitted_at is None:
        raise NotFound("We could not find this application.")
    return application


def _fresh(application_id: str) -> Application | None:
    if program_of_id(application_id) is None:
        return None
    try:
        return Application.get(application_id, consistent_read=True)
    except Application.DoesNotExist:
        return None


# --- internals ----------------------------------------------------------------------------------


def _check_actor(registrant_id: str, actor: Actor) -> None:
    if actor.role not in {"registrant", "officer"} or (actor.role == "registrant" and actor.ref != registrant_id):
        raise NotFound("We could not find this application.")


def _new_application_id(program_id: str, registrant_id: str, idempotency_key: str | None) -> str:
    if idempotency_key is not None:
        seed = hashlib.sha256(f"{registrant_id}\n{program_id}\n{idempotency_key}".encode()).digest()
    else:
        seed = secrets.token_bytes(32)
    return f"{program_id}_{base64.b32encode(seed).decode().lower()[:26]}"


def _program(program_id: str) -> Program:
    if not PROGRAM_ID.match(program_id or ""):
        raise NotFound("We could not find this program.")
    found = program_cache.cached(program_id)
    if found is not None:
        return found
    try:
        return program_cache.remember(Program.get(program_id))
    except Program.DoesNotExist:
        raise NotFound("We could not find this program.") from None


def cached_program(program_id: str) -> Program:
    """A program as this process read it at most ``cache.TTL_SECONDS`` ago (read now otherwise);
    404 for an unknown id. For pages and checks that every applicant makes, not for changes."""
    return _program(program_id)


def read_program(reads: TransactGet, program_id: str) -> Callable[[], Program | None]:
    """The program from this process's copy, or added to the caller's TransactGetItems when there
    is none (the copy is then kept): the program item stays out of most reads, and a miss costs no
    extra call. Call the function returned once the read is done."""
    found = program_cache.cached(program_id)
    if found is not None:
        return lambda: found
    future = reads.get(Program, program_id)

    def result() -> Program | None:
        program = found_or_none(future)
        return program_cache.remember(program) if program is not None else None

    return result


def mapped_form(program: Program) -> dict[str, Any] | None:
    """The published form version the program maps (kept per process: it never changes), or None."""
    if not program.form_id or program.form_version is None:
        return None
    return published_form(str(program.form_id), int(program.form_version))


def _open_program(program_id: str) -> Program:
    program = _program(program_id)
    if program.state == "draft":
        raise NotFound("We could not find this program.")
    _check_window(program)
    return program


def _check_window(program: Program) -> None:
    problem = policy.window_problem(program.state, program.opens_at, program.closes_at, now())
    if problem:
        raise Conflict(WINDOW_MESSAGES[problem], code=problem)


def _own(registrant_id: str, application_id: str) -> Application:
    application = _fresh(application_id)
    if application is None or application.registrant_id != registrant_id:
        raise NotFound("We could not find this application.")
    return application


@overload
def _own_with_program(registrant_id: str, application_id: str) -> tuple[Application, Program]: ...


@overload
def _own_with_program(registrant_id: str, application_id: str, with_documents: Literal[True]) -> tuple[Application, Program, AttachedDocuments | None]: ...


def _own_with_program(
    registrant_id: str, application_id: str, with_documents: bool = False
) -> tuple[Application, Program] | tuple[Application, Program, AttachedDocuments | None]:
    """The person's application and its program (and, for submit, its attached documents) in
    one TransactGetItems; 404 for anyone else's."""
    if program_of_id(application_id) is None:
        raise NotFound("We could not find this application.")  # read nothing for an id that names no program
    with reading() as reads:
        own = _read_own(reads, registrant_id, application_id)
        found_attached = reads.get(AttachedDocuments, _attached_id(application_id)) if with_documents else None
    found = own()
    if found is None:
        raise NotFound("We could not find this application.")
    application, program = found
    if found_attached is None:
        return application, program
    return application, program, found_or_none(found_attached)


def _own_for_submit(registrant_id: str, application_id: str) -> tuple[Application, Program, AttachedDocuments | None, list[dict[str, Any]]]:
    """The person's application, its program, its attached documents and the household the
    portal remembers for them, in one TransactGetItems; 404 for anyone else's."""
    if program_of_id(application_id) is None:
        raise NotFound("We could not find this application.")
    with reading() as reads:
        own = _read_own(reads, registrant_id, application_id)
        found_attached = reads.get(AttachedDocuments, _attached_id(application_id))
        remembered = household.read_household(reads, registrant_id)
    found = own()
    if found is None:
        raise NotFound("We could not find this application.")
    return found[0], found[1], found_or_none(found_attached), remembered()


def _read_own(reads: TransactGet, registrant_id: str, application_id: str) -> Callable[[], tuple[Application, Program] | None]:
    """Add the application and its program to ``reads``; the function returned gives both once
    read, or None when either is missing or the application is not the person's."""
    program_id = program_of_id(application_id)
    if program_id is None:
        return lambda: None
    found_application = reads.get(Application, application_id)
    found_program = read_program(reads, program_id)

    def result() -> tuple[Application, Program] | None:
        application, program = found_or_none(found_application), found_program()
        if application is None or program is None or application.registrant_id != registrant_id:
            return None
        return application, program

    return result


def _attached_id(application_id: str) -> str:
    return f"kinds#{application_id}"


def _attached_entry(kind: str, document_id: str) -> str:
    return f"{kind}#{document_id}"


def _attached_kinds(attached: AttachedDocuments | None) -> set[str]:
    """The kinds with at least one available document (a document id never holds ``#``)."""
    return {entry.rsplit("#", 1)[0] for entry in (attached.entries if attached is not None else None) or set()}


def _form_of(application: Application, program: Program) -> dict[str, Any]:
    """The form version the application records: a published version, cached per process (a read
    the first time a process meets it)."""
    return published_form(str(application.form_id), int(application.form_version or 0))


def _document_problems(form: dict[str, Any], answers: dict[str, Any], attached: AttachedDocuments | None) -> dict[str, str]:
    """A document question's answer must name an available document of this very application,
    of the question's kind: one of another person or another application is refused (without
    saying which), read from the kinds item kept beside the application (no extra call)."""
    entries = set((attached.entries if attached is not None else None) or ())
    return {
        pointer: "unknown_document"
        for pointer, document_id, kind in form_groups.document_answers(form, answers)
        if _attached_entry(kind, document_id) not in entries
    }


def _names_documents(form: dict[str, Any], answers: dict[str, Any]) -> bool:
    return any(True for _ in form_groups.document_answers(form, answers))


def _required_kinds(program: Program) -> list[str]:
    return [rule["kind"] for rule in program.documents or [] if rule.get("required")]


def _missing_documents(program: Program, attached: AttachedDocuments | None) -> list[str]:
    """The required kinds with no available document, from the item the documents area keeps
    through ``record_available_document``/``forget_available_document`` (read with the
    application; items older than it were filled once by ``python -m infra.migrations.attached_documents``)."""
    available = _attached_kinds(attached)
    return [kind for kind in _required_kinds(program) if kind not in available]


def _refuse(problems: dict[str, str], extra: dict[str, str] | None = None, form: dict[str, Any] | None = None) -> None:
    fields = {f"/answers{pointer}": code for pointer, code in problems.items()} | (extra or {})
    if fields:
        raise ValidationFailed(fields=fields, details={"messages": form_answers.messages(fields, form)})


def _already_saved(application: Application, answers: dict[str, Any], expected_version: int | None) -> bool:
    """Whether a save sent with ``expected_version`` is already in the application: one version
    on, with answers the patch would not change. A client whose save timed out after it went
    through sends it again with the version it held; that is the person's own write, not someone
    else's, and answering ``changed_meanwhile`` would be false."""
    if expected_version is None or application.version != expected_version + 1:
        return False
    current = application.answers or {}
    return bool(answers) and form_answers.merge(current, answers) == current


def _check_version(application: Application, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != application.version:
        raise Conflict("Someone changed this application in the meantime.", code="changed_meanwhile", details=_current(application))


def _save_or_conflict(application: Application) -> None:
    """Save under the version lock. A save whose first try went through but whose answer was lost
    (a timeout) is retried by the SDK and then fails the lock: the stored item then carries this
    save's ``write_token``, and the save went through after all."""
    application.write_token = _token()
    try:
        application.save()
    except (PutError, UpdateError) as error:
        if aws_code(error) != "ConditionalCheckFailedException":
            raise
        current = _fresh(application.application_id)
        if current is not None and current.write_token == application.write_token:
            application.version = current.version  # our own write, already applied
            return
        raise Conflict("Someone changed this application in the meantime.", code="changed_meanwhile", details=_current(current)) from None


def _token() -> str:
    return secrets.token_urlsafe(12)


def _pause(attempt: int) -> None:
    time.sleep(random.uniform(0.05, 0.15) * (attempt + 1))  # noqa: S311 - jitter, not a secret: racing writers part ways


def _busy_retried(write: Callable[[], None]) -> None:
    """Run a TransactWrite, again (with jitter) when only other writers or throttling cancelled it,
    then ``ServiceBusy``; any other cancellation is raised for the caller to read."""
    for attempt in range(BUSY_ATTEMPTS):
        try:
            write()
            return
        except TransactWriteError as error:
            if not cancelled_by_others(error):
                raise
            _pause(attempt)
    raise ServiceBusy()


def _write_submission(
    application: Application,
    program: Program,
    first: bool,
    attached: AttachedDocuments | None,
    names_documents: bool,
    also: Callable[[TransactWrite], None],
) -> None:
    at = now()
    application.updated_at = at
    application.write_token = _token()
    source = S.DRAFT.value if first else S.INFO_REQUESTED.value  # the status was set to submitted already
    with transaction() as writes:
        # No check on the program item: every applicant's transaction would meet on it. Its window
        # was checked from this process's copy (at most cache.TTL_SECONDS old).
        if _required_kinds(program) or names_documents:
            # A document deleted since the read cancels the submission rather than slipping by.
            attached_id = _attached_id(application.application_id)
            unchanged = AttachedDocuments.application_id.does_not_exist() if attached is None else AttachedDocuments.revision == int(attached.revision or 0)
            writes.condition_check(AttachedDocuments, attached_id, condition=unchanged)
        if first:
            application.reference = new_reference()
            application.submitted_at = at
            writes.save(
                ApplicationGuard(application_id=policy.reference_guard_id(application.reference), owner=application.application_id),
                condition=ApplicationGuard.application_id.does_not_exist(),
            )
            claim = policy.claim_of(program.policy or {})
            if claim is not None:
                guard_id = policy.guard_id(claim, program.program_id, application.registrant_id)
                claim_guard = ApplicationGuard(application_id=guard_id, owner=application.application_id)
                writes.save(claim_guard, condition=ApplicationGuard.application_id.does_not_exist())
                application.guards = [*(application.guards or []), guard_id]
            wait = policy.cooldown(program.policy or {})
            if wait is not None:
                guard_id = policy.guard_id("cooldown", program.program_id, application.registrant_id)
                writes.save(
                    ApplicationGuard(application_id=guard_id, owner=application.application_id, until=at + wait),
                    condition=ApplicationGuard.application_id.does_not_exist() | (ApplicationGuard.until <= at),
                )
        application.status_submitted = _index_key(application)
        application.review_shard = review_shard_of(application.program_id, application.application_id)
        application.member_count = _member_count(application)
        writes.save(application)
        add_status_events(writes, application, (application.history or [])[-1:])  # put after the application: positions above unchanged
        if first:
            forget_draft(writes, application)  # an update: sent after every check and put above
        count_move(writes, application.program_id, application.application_id, source, S.SUBMITTED.value)
        also(writes)  # last, and unconditional: the positions of the items above stay as _failed_parts names them


def _failed_parts(error: TransactWriteError, program: Program, first: bool, names_documents: bool) -> set[str]:
    """Which items cancelled a submission, named in the order pynamodb sends them: condition
    checks first, then puts in the order written."""
    parts = []
    if _required_kinds(program) or names_documents:
        parts.append("documents")
    if first:
        parts.append("reference")
    if first and policy.claim_of(program.policy or {}) is not None:
        parts.append("claim")
    if first and policy.cooldown(program.policy or {}) is not None:
        parts.append("cooldown")
    parts.append("application")
    reasons = error.cancellation_reasons or []
    failed = {parts[i] for i, reason in enumerate(reasons[: len(parts)]) if reason is not None and reason.code not in OTHER_WRITERS}
    return failed or {"application"}


def _lost_claim(failed: set[str]) -> Conflict:
    if "claim" in failed:
        return Conflict("You already have an application for this program.", code="already_applied")
    if "cooldown" in failed:
        return Conflict("You applied to this program recently. Please wait before applying again.", code="cooldown")
    if "documents" in failed:
        return Conflict("Your documents changed while you submitted. Please try again.", code="documents_changed")
    return Conflict("Someone changed this application in the meantime.", code="changed_meanwhile")


def _index_key(application: Application) -> str:
    """``by_program`` sort key: status, then submission time; drafts never reach a reviewer's list."""
    if application.submitted_at is None:
        kind = "draft" if application.status == S.DRAFT else "discarded"
        return f"{kind}#{_iso(application.created_at)}"
    return f"{application.status}#{application.submitted_at.isoformat()}"


def _current(application: Application | None) -> dict[str, Any]:
    if application is None:
        return {}
    return {"current": {"status": application.status, "version": application.version}}


def _enrolment(application: Application) -> dict[str, Any]:
    return {
        "application_id": application.application_id,
        "program_id": application.program_id,
        "program_name": application.program_name or {},
        "reference": application.reference,
        "enrolled_at": _iso(application.enrolled_at),
    }


def _record_for_person(application: Application, actor: Actor, action: str) -> None:
    """Officers' changes to a person's application go to that person's activity log."""
    if actor.role == "registrant":
        return
    record_access(subject=application.registrant_id, actor=actor, action=action, details={"application_id": application.application_id})


def _log_for_person(writes: TransactWrite, application: Application, actor: Actor, action: str) -> None:
    """``_record_for_person`` in the transaction of the change itself: never a change by an officer
    without its entry in the person's activity log (last and unconditional: it cancels nothing)."""
    if actor.role == "registrant":
        return
    details = {"application_id": application.application_id}
    writes.save(access_event(subject=application.registrant_id, actor=actor, action=action, details=details))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
