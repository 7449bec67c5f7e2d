"""Repeating groups: a question asked once per member of a list (each child, each member of the household).

A repeating group is a top-level ``array`` whose ``items`` is an ``object`` of ordinary questions
(no group inside it), with ``maxItems`` at most ``MAX_GROUP_ITEMS``. Its answer is a list of
objects, one per member. The UI schema names the group at ``/<group>`` (widget ``group``) and
each of its questions at ``/<group>/<field>``; answers and errors point at
``/<group>/<index>/<field>``.

Stored answers must stay well under DynamoDB's 400 KB item: a group's worst case (every member,
every answer at its longest, every character escaped as ``json.dumps`` stores it) is bounded
at save time by ``GROUP_ANSWER_BUDGET``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

MAX_GROUP_ITEMS = 30
GROUP_DEFAULT_MAX_LENGTH = 200  # free text inside a group without its own maxLength
EMAIL_MAX_LENGTH = 254
GROUP_ANSWER_BUDGET = 160 * 1024  # bytes every group of a form may take at worst, together
# ``json.dumps`` (pynamodb's JSONAttribute) writes a character outside ASCII as \uXXXX, and one
# outside the basic plane as a surrogate pair: at most 12 bytes per character JSON Schema counts.
BYTES_PER_CHARACTER = 12
DOCUMENT_ID_BYTES = 34  # a quoted 32-hex document id


def is_group(schema: Any) -> bool:
    """Whether ``schema`` is a repeating group (an array of objects)."""
    return isinstance(schema, dict) and schema.get("type") == "array" and isinstance(schema.get("items"), dict) and schema["items"].get("type") == "object"


def groups(root: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, array schema) of every repeating group of a form (they sit at its top level)."""
    for name, sub in (root.get("properties") or {}).items():
        if is_group(sub):
            yield f"/{name}", sub


def item_fields(group: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(``/<field>``, schema) of every question a member is asked."""
    for name, sub in ((group.get("items") or {}).get("properties") or {}).items():
        if isinstance(sub, dict):
            yield f"/{name}", sub


def group_of(root: dict[str, Any], pointer: str) -> str | None:
    """The group's pointer when ``pointer`` (``/<group>/<field>`` or ``/<group>/<index>/...``) is inside one."""
    head = "/" + pointer.split("/")[1] if pointer.count("/") >= 2 else None
    if head is None:
        return None
    return head if is_group((root.get("properties") or {}).get(head[1:])) else None


def worst_case_bytes(group: dict[str, Any], document_fields: set[str] | frozenset[str] = frozenset()) -> int:
    """The most bytes a group's answers can take as stored: every member, every answer at its longest.

    ``document_fields`` names the questions (``/<field>``) holding a document id."""
    per_item = 2  # {}
    for pointer, schema in item_fields(group):
        per_item += len(json.dumps(pointer[1:])) + 2  # "name": and a comma
        per_item += DOCUMENT_ID_BYTES if pointer in document_fields else _value_bytes(schema)
    items = int(group.get("maxItems", MAX_GROUP_ITEMS))
    return 2 + items * (per_item + 1)


def _value_bytes(schema: dict[str, Any]) -> int:
    if "enum" in schema or "const" in schema:
        choices = schema.get("enum", [schema.get("const")])
        return max(len(json.dumps(c)) for c in choices) if choices else 0
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "date" and "maxLength" not in schema:
            return 12
        limit = schema.get("maxLength", EMAIL_MAX_LENGTH if schema.get("format") == "email" else GROUP_DEFAULT_MAX_LENGTH)
        return 2 + int(limit) * BYTES_PER_CHARACTER
    if kind in {"integer", "number"}:
        return 32
    if kind == "boolean":
        return 5
    if kind == "array":
        items = schema.get("items") or {}
        return 2 + int(schema.get("maxItems", 100)) * (_value_bytes(items) + 2)
    return 0


def outline(form: dict[str, Any]) -> dict[str, Any] | None:
    """What an application keeps of its form's groups to name its members without the form:
    ``{group: {"summary_field", "item_label", "documents": [field]}}``; None without groups."""
    ui_fields = (form.get("ui_schema") or {}).get("fields") or {}
    result: dict[str, Any] = {}
    for pointer, group in groups(form["schema"]):
        spec = ui_fields.get(pointer) or {}
        documents = [field[1:] for field, _ in item_fields(group) if (ui_fields.get(pointer + field) or {}).get("widget") == "document"]
        result[pointer[1:]] = {"summary_field": spec.get("summary_field"), "item_label": spec.get("item_label") or {}, "documents": documents}
    return result or None


def members(kept: dict[str, Any] | None, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Each member the answers list, with the label that names them and their documents:
    ``[{"group", "index", "label", "item_label", "answers", "documents": [{"field", "document_id"}]}]``."""
    listed: list[dict[str, Any]] = []
    for name, about in (kept or {}).items():
        given = answers.get(name) if isinstance(answers, dict) else None
        for index, member in enumerate(given if isinstance(given, list) else []):
            if not isinstance(member, dict):
                continue
            label = member.get(about.get("summary_field") or "")
            documents = [{"field": f, "document_id": member[f]} for f in about.get("documents") or [] if isinstance(member.get(f), str) and member[f]]
            listed.append(
                {
                    "group": name,
                    "index": index,
                    "label": label if isinstance(label, str) else None,
                    "item_label": about.get("item_label") or {},
                    "answers": member,
                    "documents": documents,
                }
            )
    return listed


def document_answers(form: dict[str, Any], answers: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(pointer into the answers, document id, kind) of every document question answered, a
    group's once per member: each must name a document of the application itself."""
    ui_fields = (form.get("ui_schema") or {}).get("fields") or {}
    if not isinstance(answers, dict):
        return
    for pointer, spec in ui_fields.items():
        if not isinstance(spec, dict) or spec.get("widget") != "document":
            continue
        kind = str(spec.get("document_kind") or "")
        head = group_of(form["schema"], pointer)
        if head is None:
            value = answers.get(pointer[1:]) if pointer.count("/") == 1 else None
            if isinstance(value, str) and value:
                yield pointer, value, kind
            continue
        field = pointer[len(head) + 1 :]
        given = answers.get(head[1:])
        for index, member in enumerate(given if isinstance(given, list) else []):
            value = member.get(field) if isinstance(member, dict) else None
            if isinstance(value, str) and value:
                yield f"{head}/{index}/{field}", value, kind
