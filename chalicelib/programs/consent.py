"""Consent in the programs area: the statements a program asks a person to agree to when
applying, and what withdrawing consent to keep an ID provider's data does to the person's drafts.

**Statements.** A program's ``consents`` are ``[{id, text: {locale: text}, required}]``
(``statements_of``). At submission the person agrees with ``{id: true}``; each statement agreed
to is written on the application itself, in the submission's own TransactWrite
(``agreements``): the statement's id, a version (a hash of all its texts, so any later edit of
the wording is told apart), the text in the language the person read it in, when, and who
collected the agreement (the person, or the officer who submitted with them). So the agreement
exists exactly when the submission does: a retried or racing submit cannot record it twice or
lose it. ``consents_given`` lists them for the person's consents page and export (one Query).

**Withdrawal.** A draft is prefilled from the person's profile when it is created (``prefilled``
keeps the verified values as read-only answers). When the person withdraws consent for the
portal to keep an ID provider's data, the registrants area removes the provider's values from
the profile and calls ``clear_provider_values`` so that the drafts let go of them too: each
answer prefilled from one of those fields is removed and its read-only lock dropped, so the
person types their own.

Applications already submitted stay as they were sent: the program holds what the person sent
it under the application (its review, its decision), and withdrawing the portal's copy of the
ID provider's data does not reach into it (docs/registrants.md, "Consent").
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from pynamodb.exceptions import PutError

from chalicelib.errors import NotFound
from chalicelib.forms import answers as form_answers
from chalicelib.forms.service import published_form
from chalicelib.identity.callers import Actor
from chalicelib.observability import logger
from chalicelib.programs.states import ApplicationStatus
from chalicelib.store.applications import Application
from chalicelib.store.programs import Program

DEFAULT_LOCALE = "en"
# What the person's consents page shows of an application: no answers are read.
LISTED_ATTRIBUTES = ["application_id", "registrant_id", "created_at", "program_id", "program_name", "reference", "consents"]


# --- the program's statements ---------------------------------------------------------------------


def statements_of(program: Program) -> list[dict[str, Any]]:
    """The statements a person agrees to when applying: ``[{id, text: {locale: text}, required}]``."""
    return [dict(statement) for statement in program.consents or []]


def statement_version(statement: dict[str, Any]) -> str:
    """A hash of the statement's texts in every language: the wording agreed to, whichever
    language was read, and a different value as soon as an administrator changes any of it."""
    canonical = json.dumps(statement.get("text") or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def agreed_before(application: Application) -> set[str]:
    """The ids of the statements agreed to at an earlier submission of the application."""
    return {str(record.get("id")) for record in application.consents or []}


def agreements(
    application: Application, program: Program, given: dict[str, bool], actor: Actor, locale: str | None, at: datetime
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """(a record for each statement agreed to with this submission and not before, {pointer: code}
    for each required statement agreed to neither now nor before). Ids the program does not have
    (a statement removed meanwhile) are ignored.

    A record is ``{id, version, locale, text, required, agreed_at, by}``: the text in ``locale``
    (what the page showed; else its base language, else English, else the first text), and
    ``by`` the person or the officer who collected the agreement."""
    before = agreed_before(application)
    records, missing = [], {}
    for statement in statements_of(program):
        if statement["id"] in before:
            continue
        if given.get(statement["id"]) is True:
            shown_in, text = _shown(statement.get("text") or {}, locale)
            records.append(
                {
                    "id": statement["id"],
                    "version": statement_version(statement),
                    "locale": shown_in,
                    "text": text,
                    "required": bool(statement.get("required", True)),
                    "agreed_at": at.isoformat(),
                    "by": actor.as_dict(),
                }
            )
        elif statement.get("required", True):
            missing[f"/consents/{statement['id']}"] = "consent_required"
    return records, missing


def _shown(texts: dict[str, str], locale: str | None) -> tuple[str | None, str | None]:
    candidates = [locale, locale.split("-")[0]] if locale else []
    for candidate in [*candidates, DEFAULT_LOCALE]:
        if candidate is not None and isinstance(texts.get(candidate), str):
            return candidate, texts[candidate]
    return next(iter(texts.items()), (None, None))


# --- the person's consents --------------------------------------------------------------------------


def consents_given(registrant_id: str) -> list[dict[str, Any]]:
    """Every statement the person agreed to in their applications, newest first, each with its
    program's name and the application's reference, shaped as ``GET /api/me/consents`` lists
    consents (``kind: "application"``; ``consent_id`` is ``<application id>.<statement id>``).

    One Query of ``by_registrant``: only the applications holding an agreement, and only the
    attributes shown (more pages only past 1 MB of the person's applications)."""
    listed = []
    found = Application.by_registrant.query(registrant_id, filter_condition=Application.consents.exists(), attributes_to_get=LISTED_ATTRIBUTES)
    for application in found:
        for record in application.consents or []:
            listed.append(_listed(application, record))
    return sorted(listed, key=lambda item: str(item["given_at"]), reverse=True)


def _listed(application: Application, record: dict[str, Any]) -> dict[str, Any]:
    statement_id = str(record.get("id"))
    text, locale = record.get("text"), record.get("locale")
    return {
        "consent_id": f"{application.application_id}.{statement_id}",
        "kind": "application",
        "purpose": statement_id,
        "statement": {str(locale or DEFAULT_LOCALE): text} if isinstance(text, str) else {},
        "version": record.get("version"),
        "required": record.get("required"),
        "program_name": application.program_name or {},
        "reference": {"application_id": application.application_id, "program_id": application.program_id, "reference": application.reference or ""},
        "given_at": record.get("agreed_at"),
        "given_by": record.get("by"),
        "status": "active",
    }


# --- withdrawing consent to keep an ID provider's data ----------------------------------------------


def clear_provider_values(registrant_id: str, removed: dict[str, Any]) -> list[str]:
    """Clear from each of the person's drafts the answers prefilled from the profile fields in
    ``removed`` (``{field: the value being removed}``); returns the ids of the drafts changed.

    An answer is cleared when it is locked (read-only: it was prefilled from that field while the
    ID provider verified it) or, for an editable prefilled answer, when it still holds the value
    being removed (the person has not typed their own). Doing it twice changes nothing more, so
    the caller may run it again after a failure. One Query of ``by_registrant`` (drafts only),
    then one conditional write per draft changed (a draft saved meanwhile is read again).
    """
    if not removed:
        return []
    changed = []
    drafts = Application.by_registrant.query(registrant_id, filter_condition=Application.status == ApplicationStatus.DRAFT.value)
    for application in drafts:
        if _clear_one(application, removed):
            changed.append(application.application_id)
    if changed:
        logger.info("drafts_cleared_of_provider_values", extra={"applications": len(changed)})
    return changed


def _clear_one(application: Application, removed: dict[str, Any]) -> bool:
    for attempt in range(3):
        if application.status != ApplicationStatus.DRAFT.value:
            return False
        cleared = _without(application, removed)
        if cleared is None:
            return False
        application.answers, application.prefilled = cleared
        try:
            application.save()  # under its version: the person's own save meanwhile is not lost
            return True
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException" or attempt == 2:
                raise
            application = Application.get(application.application_id, consistent_read=True)
    return False


def _without(application: Application, removed: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(answers, read-only answers) without the removed fields' values; None when nothing changes."""
    answers = form_answers.merge(application.answers or {}, {})  # a deep copy
    locked = dict(application.prefilled or {})
    for pointer, field, part in _prefilled_from(application):
        if field not in removed:
            continue
        value = _part(removed[field], part)
        if pointer in locked:
            locked.pop(pointer)
            form_answers.remove(answers, pointer)
        elif value is not None and form_answers.get(answers, pointer) == value:
            form_answers.remove(answers, pointer)
    if answers == (application.answers or {}) and locked == (application.prefilled or {}):
        return None
    return answers, locked


def _prefilled_from(application: Application) -> list[tuple[str, str, list[str]]]:
    """(pointer, profile field, path inside the field's value) of each prefilled question of the
    form version the draft was made with. Forms are published once and cached per process."""
    try:
        form = published_form(str(application.form_id), int(application.form_version or 0))
    except NotFound:
        # The form version is gone: its read-only answers are still known by their pointers,
        # but not which field each came from, so none can be told apart; keep them.
        return []
    found = []
    for pointer, entry in (form.get("prefill") or {}).items():
        source = str(entry.get("from", "") if isinstance(entry, dict) else entry).split(".")
        if len(source) >= 2 and source[0] == "profile":
            found.append((pointer, source[1], source[2:]))
    return found


def _part(value: Any, path: list[str]) -> Any:
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value
