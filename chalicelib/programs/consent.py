"""What the person's consent asks of programs: withdrawing consent to keep an ID provider's data
clears that provider's values from the person's drafts (``clear_provider_values``).

A draft is prefilled from the person's profile when it is created (``prefilled`` keeps the
verified values as read-only answers). When the person withdraws consent for the portal to keep
an ID provider's data, the registrants area removes the provider's values from the profile and
calls ``clear_provider_values`` so that the drafts let go of them too: each answer prefilled from
one of those fields is removed and its read-only lock dropped, so the person types their own.

Applications already submitted stay as they were sent: the program holds what the person sent
it under the application (its review, its decision), and withdrawing the portal's copy of the
ID provider's data does not reach into it (docs/registrants.md, "Consent").
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import PutError

from chalicelib.errors import NotFound
from chalicelib.forms import answers as form_answers
from chalicelib.forms.service import published_form
from chalicelib.observability import logger
from chalicelib.programs.states import ApplicationStatus
from chalicelib.store.applications import Application


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


def __getattr__(name: str) -> Any:
    # ``read_for_document`` moved to ``programs.service``; the documents area still imports it from here.
    if name == "read_for_document":
        from chalicelib.programs.service import read_for_document

        return read_for_document
    raise AttributeError(name)
