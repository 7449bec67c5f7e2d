"""Request bodies of the forms area's routes: the envelope only; ``chalicelib.forms.definition``
judges the content, field by field."""

from __future__ import annotations

from typing import Any

DEFINITION_FIELDS: dict[str, Any] = {
    "title": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string", "minLength": 1}},
    "schema": {
        "type": "object",
        "required": ["type", "properties"],
        "properties": {"type": {"const": "object"}, "properties": {"type": "object"}},
        "description": (
            "A JSON Schema (2020-12) inside the portal's subset (docs/programs.md). A repeating group (one set of questions per "
            'member, e.g. each child) is a top-level property {"type": "array", "minItems": 0, "maxItems": 30, "items": '
            '{"type": "object", "properties": {...}, "required": [...], "if": ..., "then": ...}}: its members\' questions are '
            "ordinary fields (no group inside a group), conditions use the member's own fields, maxItems is at most 30."
        ),
    },
    "ui_schema": {
        "type": "object",
        "required": ["pages", "fields"],
        "properties": {"pages": {"type": "array", "minItems": 1}, "fields": {"type": "object"}},
        "description": (
            'A repeating group is placed on a page as "/<group>" with {"widget": "group", "label", "item_label" (what one '
            'member is called, per locale), "summary_field" (the member\'s text question that names them in the list)}; '
            'each of its questions has an entry "/<group>/<field>" and no place on a page.'
        ),
    },
    "prefill": {"type": "object"},
}
NEW_FORM = {
    "type": "object",
    "required": ["title", "schema", "ui_schema"],
    "properties": {"form_id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,62}$"}, **DEFINITION_FIELDS},
    "additionalProperties": False,
}
DEFINITION = {"type": "object", "required": ["title", "schema", "ui_schema"], "properties": DEFINITION_FIELDS, "additionalProperties": False}
NEW_VERSION = {"type": ["object", "null"], "properties": DEFINITION_FIELDS, "additionalProperties": False}
