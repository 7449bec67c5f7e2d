"""Everything a person submitted: each application's answers with the form's labels in their
language, so they can see in one place what each program holds about them.

Applications come from the programs area (``applications_of``), the forms' labels from the forms
area (``published_form``); this module only puts them side by side. One page costs the
applications Query, plus one read per distinct form version the process has not cached yet.

The language: the one asked for (``?locale=``), else the person's ``preferred_locale`` (one read
of that attribute of their record, so a language they chose since they logged in applies at
once), else English.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chalicelib.errors import NotFound
from chalicelib.forms.service import published_form
from chalicelib.programs.service import applications_of
from chalicelib.store.registrants import Registrant

DEFAULT_LOCALE = "en"


def submissions_of(registrant_id: str, limit: int, cursor: str | None, locale: str | None = None) -> dict[str, Any]:
    """One page of the person's applications with their answers labelled in ``locale`` (when
    None: the person's preferred language, else English)."""
    language = locale or preferred_locale(registrant_id) or DEFAULT_LOCALE
    page = applications_of(registrant_id, limit, cursor)
    applications = list(page.items)
    definitions = form_definitions({(a["form_id"], int(a["form_version"])) for a in applications if a.get("form_id") and a.get("form_version") is not None})
    return {
        "items": [describe(application, definitions, language) for application in applications],
        "next_cursor": page.cursor,
    }


def preferred_locale(registrant_id: str) -> str | None:
    """The person's preferred language as their record holds it (one GetItem of that attribute)."""
    try:
        registrant = Registrant.get(registrant_id, attributes_to_get=["registrant_id", "preferred_locale"])
    except Registrant.DoesNotExist:
        return None
    return registrant.preferred_locale or None


def describe(application: dict[str, Any], definitions: dict[tuple[str, int], dict[str, Any]], locale: str) -> dict[str, Any]:
    """One application as the person sees it in their submissions and in the export."""
    key = (application.get("form_id"), int(application["form_version"])) if application.get("form_version") is not None else None
    definition = definitions.get(key) if key else None  # type: ignore[arg-type]
    return {
        "application_id": application.get("application_id"),
        "reference": application.get("reference"),
        "program": {"program_id": application.get("program_id"), "name": pick(application.get("program_name") or {}, locale)},
        "form": {"form_id": application.get("form_id"), "version": application.get("form_version")},
        "status": application.get("status"),
        "channel": application.get("channel"),
        "created_at": application.get("created_at"),
        "submitted_at": application.get("submitted_at"),
        "answers": [
            {"pointer": pointer, "label": label_of(definition, pointer, locale), "value": value, "shown_as": shown_as(definition, pointer, value, locale)}
            for pointer, value in leaf_answers(application.get("answers") or {})
        ],
        # Each member of a repeating group as its own block, named by its summary answer.
        "members": [
            {
                "group": m["group"],
                "index": m["index"],
                "label": m.get("label"),
                "item_label": pick(m.get("item_label") or {}, locale),
                "documents": m.get("documents") or [],
            }
            for m in application.get("members") or []
        ],
    }


def leaf_answers(answers: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(JSON pointer, value) of every answered field; groups (objects) and each member of a
    repeating group (a list of objects: ``/children/0/name``) are walked into."""
    if isinstance(answers, dict):
        for name, value in answers.items():
            pointer = f"{prefix}/{str(name).replace('~', '~0').replace('/', '~1')}"
            if isinstance(value, dict):
                yield from leaf_answers(value, pointer)
            elif isinstance(value, list) and value and all(isinstance(member, dict) for member in value):
                for index, member in enumerate(value):
                    yield from leaf_answers(member, f"{pointer}/{index}")
            else:
                yield pointer, value


def _question(pointer: str) -> str:
    """The UI schema's pointer of an answer: a member's ``/children/0/name`` is ``/children/name``."""
    return "/" + "/".join(part for part in pointer.strip("/").split("/") if not part.isdigit())


def pick(texts: Any, locale: str) -> str | None:
    """The text in the person's language, else English, else any."""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, dict) or not texts:
        return None
    for candidate in (locale, locale.split("-")[0], DEFAULT_LOCALE):
        if isinstance(texts.get(candidate), str):
            return str(texts[candidate])
    first = next(iter(texts.values()))
    return first if isinstance(first, str) else None


def label_of(definition: dict[str, Any] | None, pointer: str, locale: str) -> str:
    """The field's label from the form's UI schema; else the schema's title; else its name."""
    pointer = _question(pointer)
    if definition:
        spec = ((definition.get("ui_schema") or {}).get("fields") or {}).get(pointer) or {}
        label = pick(spec.get("label"), locale)
        if label:
            return label
        node: Any = definition.get("schema") or {}
        for part in pointer.strip("/").split("/"):
            node = node.get("items", node) if isinstance(node, dict) and node.get("type") == "array" else node
            node = (node.get("properties") or {}).get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get("title"), str):
            return str(node["title"])
    return pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def shown_as(definition: dict[str, Any] | None, pointer: str, value: Any, locale: str) -> Any:
    """A choice's option label (or labels, for several choices) in the person's language."""
    if not definition:
        return value
    options = (((definition.get("ui_schema") or {}).get("fields") or {}).get(_question(pointer)) or {}).get("options")
    if not isinstance(options, dict):
        return value
    if isinstance(value, list):
        return [pick(options.get(str(v)), locale) or v for v in value]
    return pick(options.get(str(value)), locale) or value


def form_definitions(keys: set[tuple[str, int]]) -> dict[tuple[str, int], dict[str, Any]]:
    """The published form versions the applications were filled against (the forms area caches
    them per process: a version never changes). A version that cannot be found leaves the
    answers labelled by their field names."""
    definitions = {}
    for form_id, version in sorted(keys):
        try:
            definitions[(form_id, version)] = published_form(form_id, version)
        except NotFound:
            continue
    return definitions
