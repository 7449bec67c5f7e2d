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

from chalicelib.documents.service import list_documents
from chalicelib.errors import NotFound
from chalicelib.forms.service import published_form
from chalicelib.person import format as fmt
from chalicelib.programs.service import applications_of
from chalicelib.store.registrants import Registrant

DEFAULT_LOCALE = "en"
MAX_DOCUMENTS = 100  # one page: a person holds at most SSP_DOCUMENT_QUOTA_COUNT (50) live documents


def submissions_of(registrant_id: str, limit: int, cursor: str | None, locale: str | None = None) -> dict[str, Any]:
    """One page of the person's applications with their answers labelled in ``locale`` (when
    None: the person's preferred language, else English)."""
    language = locale or preferred_locale(registrant_id) or DEFAULT_LOCALE
    page = applications_of(registrant_id, limit, cursor)
    applications = list(page.items)
    definitions = form_definitions({(a["form_id"], int(a["form_version"])) for a in applications if a.get("form_id") and a.get("form_version") is not None})
    # The person's documents (one Query, newest first): a document answer reads as its file name,
    # and each application lists the documents sent with it.
    documents = list_documents(registrant_id, None, MAX_DOCUMENTS, None).items
    return {
        "items": [describe(application, definitions, language, documents) for application in applications],
        "next_cursor": page.cursor,
    }


def preferred_locale(registrant_id: str) -> str | None:
    """The person's preferred language as their record holds it (one GetItem of that attribute)."""
    try:
        registrant = Registrant.get(registrant_id, attributes_to_get=["registrant_id", "preferred_locale"])
    except Registrant.DoesNotExist:
        return None
    return registrant.preferred_locale or None


def describe(
    application: dict[str, Any], definitions: dict[tuple[str, int], dict[str, Any]], locale: str, documents: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """One application as the person sees it in their submissions and in the export: each answer
    with its label, ``kind``, ``shown_as`` (choices as their labels) and ``text`` (the answer as
    the one formatter writes it in ``locale``); the documents sent with it by file name."""
    key = (application.get("form_id"), int(application["form_version"])) if application.get("form_version") is not None else None
    definition = definitions.get(key) if key else None  # type: ignore[arg-type]
    file_names = {str(d["document_id"]): str(d.get("file_name") or "") for d in documents or []}
    answers = []
    for pointer, value in leaf_answers(application.get("answers") or {}):
        kind = kind_of(definition, pointer)
        shown = shown_as(definition, pointer, value, locale)
        answer = {"pointer": pointer, "label": label_of(definition, pointer, locale), "kind": kind, "value": value, "shown_as": shown}
        answer["text"] = fmt.format_answer(kind, value, shown, locale, file_names)
        if kind == "document" and str(value) in file_names:
            answer["file_name"] = file_names[str(value)]
        answers.append(answer)
    return {
        "application_id": application.get("application_id"),
        "reference": application.get("reference"),
        "program": {"program_id": application.get("program_id"), "name": pick(application.get("program_name") or {}, locale)},
        "form": {"form_id": application.get("form_id"), "version": application.get("form_version")},
        "status": application.get("status"),
        "channel": application.get("channel"),
        "created_at": application.get("created_at"),
        "submitted_at": application.get("submitted_at"),
        "answers": answers,
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
        "documents": [
            {k: d.get(k) for k in ("document_id", "kind", "file_name", "content_type", "size", "status", "created_at")}
            for d in documents or []
            if d.get("application_id") == application.get("application_id") and d.get("status") != "rejected"
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
        node = _schema_of(definition, pointer)
        if isinstance(node, dict) and isinstance(node.get("title"), str):
            return str(node["title"])
    return pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def _schema_of(definition: dict[str, Any], question: str) -> dict[str, Any] | None:
    """The JSON Schema of a question (``/household/size``), through groups and repeating groups."""
    node: Any = definition.get("schema") or {}
    for part in question.strip("/").split("/"):
        if isinstance(node, dict) and node.get("type") == "array" and isinstance(node.get("items"), dict) and node["items"].get("type") == "object":
            node = node["items"]
        node = (node.get("properties") or {}).get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def kind_of(definition: dict[str, Any] | None, pointer: str) -> str:
    """The kind of question an answer is to (``date``, ``document``, ``checkboxes``...)."""
    if not definition:
        return "text"
    question = _question(pointer)
    spec = ((definition.get("ui_schema") or {}).get("fields") or {}).get(question)
    return fmt.kind_of(_schema_of(definition, question), spec if isinstance(spec, dict) else None)


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
