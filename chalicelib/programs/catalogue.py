"""Programs: what administrators define and run, and what a person sees on offer."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from pynamodb.attributes import UTCDateTimeAttribute
from pynamodb.exceptions import PutError, UpdateError

from chalicelib import config
from chalicelib.errors import BadRequest, Conflict, NotFound, ValidationFailed
from chalicelib.forms import answers as form_answers
from chalicelib.forms.definition import LOCALE, SLUG
from chalicelib.forms.service import published_form
from chalicelib.identity.callers import StaffCaller
from chalicelib.observability import logger
from chalicelib.programs import cache as program_cache
from chalicelib.programs import consent, policy
from chalicelib.programs.drafts import drafts_id, oldest_draft
from chalicelib.programs.service import PROGRAM_ID, cached_program, mapped_form, read_program
from chalicelib.programs.states import ProgramState, program_transition
from chalicelib.registrants.profile import prefill_values
from chalicelib.store.applications import Application, ApplicationGuard, DraftsOf
from chalicelib.store.base import now
from chalicelib.store.pagination import Page, decode_cursor, query_page
from chalicelib.store.programs import Program
from chalicelib.store.transactions import found_or_none, reading

DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp", "image/heic")
DEFAULT_DOCUMENT_TYPES = ["application/pdf", "image/jpeg", "image/png"]
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DEFAULT_DOCUMENT_BYTES = 5 * 1024 * 1024
EDITABLE_FIELDS = ("name", "description", "eligibility", "benefit", "decision_days", "opens_at", "closes_at", "policy", "documents", "consents")
# The texts a person reads before applying, each needed in every language of the portal before a
# program opens (a person reading Arabic must not meet an English-only page).
PERSON_TEXTS = ("name", "description", "eligibility", "benefit")
PORTAL_LOCALES = ("en", "fr", "ar")
MAX_DECISION_DAYS = 365
MAX_CONSENTS = 10
CONSENT_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_CONSENT_TEXT = 2000
# What a list shows; the mapped form stays out of list pages.
LIST_ATTRIBUTES = [
    "program_id",
    "state",
    "name",
    "description",
    "eligibility",
    "benefit",
    "decision_days",
    "opens_at",
    "closes_at",
    "policy",
    "consents",
    "documents",
    "form_id",
    "form_version",
]


# --- administrators -------------------------------------------------------------------------------


def create_program(fields: dict[str, Any], program_id: str | None = None) -> dict[str, Any]:
    """A new program, as a draft nobody else sees until it opens."""
    program_id = program_id or "prg-" + secrets.token_hex(5)
    if not PROGRAM_ID.match(program_id):
        raise ValidationFailed(fields={"/program_id": "wrong_format"})
    program = Program(program_id=program_id, state=ProgramState.DRAFT.value, policy={"kind": "one_active"})
    _apply(program, fields)
    try:
        program.save()
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict("A program with this id exists already.", code="program_exists") from None
        raise
    logger.info("program_created", extra={"program_id": program_id})
    return admin_view(program)


def update_program(program_id: str, changes: dict[str, Any], expected_version: int | None = None) -> dict[str, Any]:
    program = _get(program_id)
    if program.state == ProgramState.ARCHIVED:
        raise Conflict("An archived program cannot change.", code="program_archived")
    if expected_version is not None and expected_version != program.version:
        raise Conflict("Someone changed this program in the meantime.", code="changed_meanwhile", details={"current": {"version": program.version}})
    _apply(program, changes)
    _save(program)
    return admin_view(program)


def open_program(program_id: str) -> dict[str, Any]:
    """What an administrator's "open" does: refused with ``409 program_incomplete`` (each missing
    part by JSON pointer in ``fields``) until the program has everything a person needs."""
    program = _get(program_id)
    program_transition(program.state, "open")  # a wrong state says so first
    missing = missing_for_opening(program)
    if missing:
        raise Conflict(
            "The program cannot open yet: some of what a person needs is missing.",
            code="program_incomplete",
            fields=missing,
        )
    return change_state(program_id, "open")


def missing_for_opening(program: Program) -> dict[str, str]:
    """What a person needs and the program lacks, by JSON pointer: each of the texts they read
    (``PERSON_TEXTS``) in every portal language, how long a decision takes, a mapped form, and a
    document rule for each kind the form's document questions ask for (without one, nobody can
    upload it). The staff console's set-up task list applies the same rule (frontend/src/staff/setup/tasks.ts)."""
    missing: dict[str, str] = {}
    for name in PERSON_TEXTS:
        texts = getattr(program, name) or {}
        for locale in PORTAL_LOCALES:
            text = texts.get(locale)
            if not isinstance(text, str) or not text.strip():
                missing[f"/{name}/{locale}"] = "required"
    if program.decision_days is None:
        missing["/decision_days"] = "required"
    if not program.form_id:
        missing["/form"] = "required"
    accepted = {rule.get("kind") for rule in program.documents or []}
    for kind in form_document_kinds(program):
        if kind not in accepted:
            missing[f"/documents/{kind}"] = "required"
    return missing


def form_document_kinds(program: Program) -> list[str]:
    """The document kinds the mapped form's document questions ask for (in a repeating group too), in order."""
    kinds: list[str] = []
    for spec in ((mapped_form(program) or {}).get("ui_schema") or {}).get("fields", {}).values():
        kind = spec.get("document_kind") if isinstance(spec, dict) and spec.get("widget") == "document" else None
        if isinstance(kind, str) and kind not in kinds:
            kinds.append(kind)
    return kinds


def change_state(program_id: str, action: str) -> dict[str, Any]:
    """Open, close or archive, as the lifecycle allows. Opening needs a mapped form; the
    administrator's route opens through ``open_program``, which asks for everything else too."""
    program = _get(program_id)
    target = program_transition(program.state, action)
    if target is ProgramState.OPEN and not program.form_id:
        raise Conflict("Map a published form before opening the program.", code="program_has_no_form")
    program.state = target.value
    _save(program)
    logger.info("program_state_changed", extra={"program_id": program_id, "state": target.value})
    return admin_view(program)


def map_form(program_id: str, form_id: str, version: int) -> dict[str, Any]:
    """Point the program at a published form version; new applications use it, drafts keep theirs."""
    program = _get(program_id)
    if program.state == ProgramState.ARCHIVED:
        raise Conflict("An archived program cannot change.", code="program_archived")
    try:
        form = published_form(form_id, version)
    except NotFound:
        raise ValidationFailed("Map a published form version.", fields={"/version": "not_published"}) from None
    program.form_id, program.form_version = form["form_id"], int(form["version"])
    _save(program)
    return admin_view(program)


def admin_view(program: Program | str) -> dict[str, Any]:
    program = _get(program) if isinstance(program, str) else program
    return {
        **_public(program),
        "state": program.state,
        "version": program.version,
        "created_at": _iso(program.created_at),
        "form_document_kinds": form_document_kinds(program),
    }


def staff_view(staff: StaffCaller, program_id: str) -> dict[str, Any]:
    """A program for staff; a reviewer limited to other programs gets the 404 of a missing one."""
    check_staff_scope(staff, program_id)
    return admin_view(program_id)


def check_staff_scope(staff: StaffCaller, program_id: str) -> None:
    """404, as for a missing program, when a reviewer's token limits them to other programs.
    Decided from the id alone, before any read: whether the program exists does not show."""
    if not staff.may_see_program(program_id):
        raise NotFound("We could not find this program.")


def admin_list(state: str, limit: int, cursor: str | None, staff: StaffCaller) -> Page[dict[str, Any]]:
    """Programs in one state, by id: one Query of the ``state`` index; a reviewer limited to
    some programs sees only those (a page may then hold fewer than ``limit``)."""
    start = _start(cursor, state)
    page = query_page(Program.by_state.query(state, limit=limit, last_evaluated_key=start, attributes_to_get=[*LIST_ATTRIBUTES, "version"]), limit)
    seen = [p for p in page.items if staff.may_see_program(p.program_id)]
    return Page(items=[{**_public(p), "state": p.state, "version": p.version} for p in seen], cursor=page.cursor)


# --- what a person sees ---------------------------------------------------------------------------


def open_programs(registrant_id: str | None, limit: int, cursor: str | None) -> Page[dict[str, Any]]:
    """Open programs; for a logged-in person also whether they can apply now and why not.

    Two Queries whatever the number of programs and applications: the open programs, and the
    person's applications (only the few attributes the policies need).
    """
    start = _start(cursor, ProgramState.OPEN.value)
    page = query_page(Program.by_state.query(ProgramState.OPEN.value, limit=limit, last_evaluated_key=start, attributes_to_get=LIST_ATTRIBUTES), limit)
    mine = _applications_by_program(registrant_id) if registrant_id else {}
    at = now()
    items = []
    for program in page.items:
        item = _public(program)
        if registrant_id:
            item["you"] = policy.standing(program, mine.get(program.program_id, []), at).as_dict()
        items.append(item)
    return Page(items=items, cursor=page.cursor)


def program_for_person(program_id: str, registrant_id: str | None) -> dict[str, Any]:
    """An open or closed program with its form; for a logged-in person, whether they can apply
    now and why not (``you``, as in the list), their prefilled answers and which of them come
    from their verified identity and cannot be changed.

    Logged in, the program, the person's claims on it and their drafts come in one
    TransactGetItems; with the session and the profile (prefill) that is three calls."""
    at = now()
    if registrant_id:
        program, you = _program_and_standing(program_id, registrant_id, at)
    else:
        program, you = _cached(program_id), None
    if program.state not in {ProgramState.OPEN, ProgramState.CLOSED}:
        raise NotFound("We could not find this program.")
    item = _public(program)
    form = mapped_form(program)  # not on the program item: the published version, kept per process
    item["form"] = form
    item["accepting"] = policy.window_problem(program.state, program.opens_at, program.closes_at, at) is None
    if you is not None:
        item["you"] = you.as_dict()
    if registrant_id and form:
        profile, household = prefill_values(registrant_id, form_answers.uses_household(form)) if form.get("prefill") else ({}, [])
        answers, locked = form_answers.prefill(form, profile, household)
        item["prefilled"] = {"answers": answers, "read_only": sorted(locked)}
    return item


def _program_and_standing(program_id: str, registrant_id: str, at: datetime) -> tuple[Program, policy.Standing]:
    """The program and the person's standing from the claims submission checks (the guard items
    of both claims and of the cooldown) and the item listing their drafts: one read."""
    if not PROGRAM_ID.match(program_id or ""):
        raise NotFound("We could not find this program.")
    claims = {claim: policy.guard_id(claim, program_id, registrant_id) for claim in ("once", "active", "cooldown")}
    with reading() as reads:
        found_program = read_program(reads, program_id)  # left out when this process read it seconds ago
        found_guards = {claim: reads.get(ApplicationGuard, guard_id) for claim, guard_id in claims.items()}
        found_drafts = reads.get(DraftsOf, drafts_id(program_id, registrant_id))
    program = found_program()
    if program is None:
        raise NotFound("We could not find this program.")
    guards = {claim: found_or_none(found) for claim, found in found_guards.items()}
    holders = {claim: guard.owner for claim, guard in guards.items() if guard is not None and claim != "cooldown"}
    cooldown = guards["cooldown"]
    draft = oldest_draft(found_or_none(found_drafts))
    return program, policy.standing_from_claims(program, holders, cooldown.until if cooldown is not None else None, draft, at)


def _applications_by_program(registrant_id: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    attributes = ["application_id", "program_id", "status", "submitted_at"]
    for application in Application.by_registrant.query(registrant_id, attributes_to_get=attributes):
        grouped.setdefault(application.program_id, []).append(
            {"application_id": application.application_id, "status": application.status, "submitted_at": application.submitted_at}
        )
    return grouped


# --- internals ------------------------------------------------------------------------------------


def _apply(program: Program, fields: dict[str, Any]) -> None:
    problems: dict[str, str] = {}
    for name in ("name", "description", "eligibility", "benefit"):
        if name in fields:
            problems.update(_locale_text(fields[name], f"/{name}"))
            setattr(program, name, fields[name])
    if "name" not in fields and not program.name:
        problems["/name"] = "required"
    for name in ("opens_at", "closes_at"):
        if name in fields:
            value = _moment(fields[name], f"/{name}", problems)
            setattr(program, name, value)
    if program.opens_at and program.closes_at and program.closes_at <= program.opens_at:
        problems["/closes_at"] = "before_opening"
    if "decision_days" in fields:
        days = fields["decision_days"]
        if days is not None and (not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DECISION_DAYS):
            problems["/decision_days"] = "not_allowed_value"
        else:
            program.decision_days = days
    if "policy" in fields:
        problems.update(_policy(fields["policy"]))
        program.policy = {"kind": fields["policy"]["kind"], "cooldown_days": int(fields["policy"].get("cooldown_days") or 0)}
    if "consents" in fields:
        statements, statement_problems = _consent_statements(fields["consents"])
        problems.update(statement_problems)
        program.consents = statements
    if "documents" in fields:
        rules, rule_problems = _document_rules(fields["documents"])
        problems.update(rule_problems)
        program.documents = rules
    if problems:
        raise ValidationFailed("Some program details need to be corrected.", fields=problems)


def _locale_text(value: Any, at: str) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        return {at: "wrong_type"}
    problems = {}
    for locale, text in value.items():
        if not LOCALE.match(locale):
            problems[f"{at}/{locale}"] = "unknown_locale"
        elif not isinstance(text, str) or not text.strip():
            problems[f"{at}/{locale}"] = "required"
    return problems


def _moment(value: Any, at: str, problems: dict[str, str]) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        problems[at] = "not_a_date_time"
        return None
    if moment.tzinfo is None:
        problems[at] = "needs_time_zone"
        return None
    return UTCDateTimeAttribute().deserialize(UTCDateTimeAttribute().serialize(moment))


def _policy(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or value.get("kind") not in {k.value for k in policy.PolicyKind}:
        return {"/policy/kind": "not_allowed_value"}
    days = value.get("cooldown_days", 0)
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
        return {"/policy/cooldown_days": "not_allowed_value"}
    return {}


def _document_rules(value: Any) -> tuple[list[dict[str, Any]], dict[str, str]]:
    rules: list[dict[str, Any]] = []
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for index, rule in enumerate(value or []):
        at = f"/documents/{index}"
        kind = rule.get("kind")
        if not isinstance(kind, str) or not SLUG.match(kind):
            problems[f"{at}/kind"] = "wrong_format"
            continue
        if kind in seen:
            problems[f"{at}/kind"] = "duplicate"
        seen.add(kind)
        types = rule.get("content_types") or DEFAULT_DOCUMENT_TYPES
        if any(t not in DOCUMENT_TYPES for t in types):
            problems[f"{at}/content_types"] = "not_allowed_value"
        max_bytes = rule.get("max_bytes") or DEFAULT_DOCUMENT_BYTES
        if not 1 <= int(max_bytes) <= min(MAX_DOCUMENT_BYTES, config.get_int("SSP_DOCUMENT_MAX_BYTES")):  # never above what uploads may be
            problems[f"{at}/max_bytes"] = "too_large"
        problems.update(_locale_text(rule.get("label"), f"{at}/label"))
        rules.append(
            {"kind": kind, "label": rule.get("label"), "required": bool(rule.get("required", True)), "content_types": list(types), "max_bytes": int(max_bytes)}
        )
    return rules, problems


def _consent_statements(value: Any) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Statements a person agrees to when applying: ``[{id, text: {locale: text}, required}]``."""
    statements: list[dict[str, Any]] = []
    problems: dict[str, str] = {}
    if not isinstance(value, list):
        return [], {"/consents": "wrong_type"}
    if len(value) > MAX_CONSENTS:
        return [], {"/consents": "too_many"}
    seen: set[str] = set()
    for index, statement in enumerate(value):
        at = f"/consents/{index}"
        if not isinstance(statement, dict):
            problems[at] = "wrong_type"
            continue
        consent_id = statement.get("id")
        if not isinstance(consent_id, str) or not CONSENT_ID.match(consent_id):
            problems[f"{at}/id"] = "wrong_format"
            continue
        if consent_id in seen:
            problems[f"{at}/id"] = "duplicate"
        seen.add(consent_id)
        text = statement.get("text")
        problems.update(_locale_text(text, f"{at}/text"))
        if isinstance(text, dict) and any(isinstance(t, str) and len(t) > MAX_CONSENT_TEXT for t in text.values()):
            problems[f"{at}/text"] = "too_long"
        required = statement.get("required", True)
        if not isinstance(required, bool):
            problems[f"{at}/required"] = "wrong_type"
        statements.append({"id": consent_id, "text": text, "required": required is not False})
    return statements, problems


def _public(program: Program) -> dict[str, Any]:
    return {
        "program_id": program.program_id,
        "name": program.name or {},
        "description": program.description or {},
        "eligibility": program.eligibility or {},
        "benefit": program.benefit or {},
        "decision_days": int(program.decision_days) if program.decision_days is not None else None,
        "opens_at": _iso(program.opens_at),
        "closes_at": _iso(program.closes_at),
        "policy": program.policy or {},
        "consents": consent.statements_of(program),
        "documents": program.documents or [],
        "form_id": program.form_id,
        "form_version": int(program.form_version) if program.form_version is not None else None,
    }


def _get(program_id: str) -> Program:
    if not PROGRAM_ID.match(program_id or ""):
        raise NotFound("We could not find this program.")
    try:
        return Program.get(program_id, consistent_read=True)
    except Program.DoesNotExist:
        raise NotFound("We could not find this program.") from None


def _cached(program_id: str) -> Program:
    if not PROGRAM_ID.match(program_id or ""):
        raise NotFound("We could not find this program.")
    return cached_program(program_id)


def _save(program: Program) -> None:
    program_cache.forget(program.program_id)  # this process sees the change at once; others within cache.TTL_SECONDS
    try:
        program.save()
    except (PutError, UpdateError) as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict("Someone changed this program in the meantime.", code="changed_meanwhile") from None
        raise


def _start(cursor: str | None, state: str) -> dict[str, Any] | None:
    start = decode_cursor(cursor, ("program_id", "state"))
    if start is not None and start["state"].get("S") != state:
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    return start


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
