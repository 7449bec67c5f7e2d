"""A program's own wording of its messages, kept and checked when an administrator saves it."""

from __future__ import annotations

from typing import Any

from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.identity.callers import Actor
from chalicelib.notifications import templates
from chalicelib.store.base import now
from chalicelib.store.messages import ProgramTemplates
from chalicelib.store.programs import Program


def _key(program_id: str) -> tuple[str, str]:
    return f"templates#{program_id}", "templates"


def _program_exists(program_id: str) -> None:
    try:
        Program.get(program_id, attributes_to_get=["program_id"])
    except Program.DoesNotExist:
        raise NotFound("We could not find this program.") from None


def _stored(program_id: str) -> ProgramTemplates | None:
    try:
        return ProgramTemplates.get(*_key(program_id), consistent_read=True)
    except ProgramTemplates.DoesNotExist:
        return None


def templates_of(program_id: str) -> dict[str, Any]:
    """Every event's wording as messages would use it (the program's own or the default), with
    the program's own changes, the placeholders and each SMS's segment count."""
    _program_exists(program_id)
    stored = _stored(program_id)
    own = stored.templates if stored else {}
    effective = {
        event_type: {
            locale: {"template": templates.template_for(event_type, locale, own), "preview": templates.preview(event_type, locale, own)}
            for locale in templates.LOCALES
        }
        for event_type in sorted(templates.TEMPLATED)
    }
    return {
        "program_id": program_id,
        "own": own or {},
        "templates": effective,
        "placeholders": sorted(templates.PLACEHOLDERS),
        "version": int(stored.version or 0) if stored else 0,
    }


def save_templates(program_id: str, wording: dict[str, Any], actor: Actor, expected_version: int | None = None) -> dict[str, Any]:
    """Replace the program's own wording; a placeholder that does not exist is 422."""
    _program_exists(program_id)
    problems = templates.template_problems(wording)
    if problems:
        raise ValidationFailed("Some templates cannot be used.", fields=problems)
    stored = _stored(program_id) or ProgramTemplates(*_key(program_id))
    if expected_version is not None and expected_version != int(stored.version or 0):
        raise Conflict("Someone changed these templates in the meantime.", code="changed_meanwhile")
    stored.templates = wording
    stored.updated_at = now().isoformat()
    stored.updated_by = actor.as_dict()
    stored.save()
    return templates_of(program_id)


def preview(program_id: str, event_type: str, locale: str, template: dict[str, Any] | None) -> dict[str, Any]:
    """A template (the one being edited, else the stored one) filled with sample values."""
    if event_type not in templates.TEMPLATED:
        raise ValidationFailed(fields={"/event_type": "unknown_event"})
    stored = _stored(program_id)
    own = dict(stored.templates if stored else {})
    if template:
        problems = templates.template_problems({event_type: {locale: template}})
        if problems:
            raise ValidationFailed("Some templates cannot be used.", fields=problems)
        own[event_type] = {**(own.get(event_type) or {}), locale: template}
    return templates.preview(event_type, locale, own)
