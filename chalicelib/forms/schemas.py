"""Request bodies of the forms area's routes: the envelope only; ``chalicelib.forms.definition``
judges the content, field by field."""

from __future__ import annotations

from typing import Any

DEFINITION_FIELDS: dict[str, Any] = {
    "title": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string", "minLength": 1}},
    "schema": {"type": "object", "required": ["type", "properties"], "properties": {"type": {"const": "object"}, "properties": {"type": "object"}}},
    "ui_schema": {"type": "object", "required": ["pages", "fields"], "properties": {"pages": {"type": "array", "minItems": 1}, "fields": {"type": "object"}}},
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
