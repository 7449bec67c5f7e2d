"""Forms and their versions: drafts an administrator edits, published versions that never change."""

from __future__ import annotations

import secrets
from typing import Any

from pynamodb.exceptions import PutError

from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.forms.definition import SLUG, check_definition, normalise
from chalicelib.observability import logger
from chalicelib.store.base import now
from chalicelib.store.forms import FormVersion

DRAFT = "draft"
PUBLISHED = "published"

_published: dict[tuple[str, int], dict[str, Any]] = {}


def create_form(definition: dict[str, Any], form_id: str | None = None) -> dict[str, Any]:
    """Version 1 of a new form, as a draft. 409 if ``form_id`` is taken."""
    form_id = form_id or "form-" + secrets.token_hex(6)
    item = _new_version(form_id, 1, _checked(definition))
    logger.info("form_created", extra={"form_id": form_id})
    return describe(item)


def add_version(form_id: str, definition: dict[str, Any] | None = None) -> dict[str, Any]:
    """The next version of a form as a draft: ``definition``, or a copy of the latest version."""
    latest = _latest(form_id)
    source = definition if definition is not None else _definition_of(latest)
    item = _new_version(form_id, int(latest.version) + 1, _checked(source))
    logger.info("form_version_added", extra={"form_id": form_id, "version": item.version})
    return describe(item)


def update_draft(form_id: str, version: int, definition: dict[str, Any], expected_revision: int | None = None) -> dict[str, Any]:
    """Replace a draft version's definition; a published version never changes (409).

    ``expected_revision`` (the ``revision`` the editor last read, sent as ``If-Match``) makes
    the save refuse, 409 ``stale_version``, when someone else saved the draft since: the form
    builder's autosave never overwrites another administrator's changes unseen."""
    item = _get(form_id, version)
    if item.status != DRAFT:
        raise Conflict("A published form version never changes. Add a new version instead.", code="form_version_published")
    if expected_revision is not None and int(item.revision or 0) != expected_revision:
        raise _stale()
    checked = _checked(definition)
    item.title, item.schema, item.ui_schema, item.prefill = checked["title"], checked["schema"], checked["ui_schema"], checked["prefill"]
    try:
        item.save(condition=FormVersion.status == DRAFT)  # and the revision read: another save in between is refused
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise _stale() from None
        raise
    return describe(item)


def _stale() -> Conflict:
    return Conflict("Someone else changed this draft since you opened it. Open it again to see their changes.", code="stale_version")


def publish(form_id: str, version: int) -> dict[str, Any]:
    """Freeze a draft version so programs can map it. Publishing a published version changes nothing."""
    item = _get(form_id, version)
    if item.status == PUBLISHED:
        return describe(item)
    checked = _checked(_definition_of(item))
    item.schema, item.ui_schema, item.prefill = checked["schema"], checked["ui_schema"], checked["prefill"]
    item.status = PUBLISHED
    item.published_at = now()
    item.save(condition=FormVersion.status == DRAFT)
    logger.info("form_version_published", extra={"form_id": form_id, "version": version})
    return describe(item)


def versions(form_id: str) -> list[dict[str, Any]]:
    """Every version of a form, newest first (one Query)."""
    items = [describe(v, full=False) for v in FormVersion.query(form_id, scan_index_forward=False)]
    if not items:
        raise NotFound("We could not find this form.")
    return items


def version_of(form_id: str, version: int) -> dict[str, Any]:
    return describe(_get(form_id, version))


def published_form(form_id: str, version: int) -> dict[str, Any]:
    """A published version as plain data; cached for the life of the process, as it never changes."""
    key = (form_id, int(version))
    cached = _published.get(key)
    if cached is None:
        item = _get(form_id, version)
        if item.status != PUBLISHED:
            raise NotFound("We could not find this form.")
        cached = describe(item)
        _published[key] = cached
    return cached


def describe(item: FormVersion, full: bool = True) -> dict[str, Any]:
    summary = {
        "form_id": item.form_id,
        "version": int(item.version),
        "status": item.status,
        "title": item.title,
        "published_at": item.published_at.isoformat() if item.published_at else None,
        "created_at": item.created_at.isoformat() if item.created_at else None,
        "revision": int(item.revision or 0),
    }
    if full:
        summary.update(schema=item.schema, ui_schema=item.ui_schema, prefill=item.prefill)
    return summary


def _checked(definition: dict[str, Any]) -> dict[str, Any]:
    problems = check_definition(definition)
    if problems:
        raise ValidationFailed("This form definition is outside what the portal supports.", code="invalid_form", fields=problems)
    return normalise(definition)


def _definition_of(item: FormVersion) -> dict[str, Any]:
    return {"title": item.title, "schema": item.schema, "ui_schema": item.ui_schema, "prefill": item.prefill}


def _new_version(form_id: str, version: int, definition: dict[str, Any]) -> FormVersion:
    if not SLUG.match(form_id):
        raise ValidationFailed(fields={"/form_id": "wrong_format"})
    item = FormVersion(form_id=form_id, version=version, status=DRAFT, **definition)
    try:
        item.save()  # the new revision attribute makes this a does-not-exist put
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict("This form or version exists already.", code="form_exists") from None
        raise
    return item


def _latest(form_id: str) -> FormVersion:
    for item in FormVersion.query(form_id, scan_index_forward=False, limit=1):
        return item
    raise NotFound("We could not find this form.")


def _get(form_id: str, version: int) -> FormVersion:
    try:
        return FormVersion.get(form_id, int(version), consistent_read=True)
    except FormVersion.DoesNotExist:
        raise NotFound("We could not find this form.") from None
