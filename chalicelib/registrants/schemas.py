"""Request bodies of the registrants area's routes (the person's details, change requests, the profile form)."""

from __future__ import annotations

from typing import Any

PROFILE_CHANGES = {
    "type": "object",
    "description": "Profile fields to change, validated against the profile form (GET /api/profile-form).",
    "maxProperties": 40,
}
REASON = {"type": "string", "minLength": 1, "maxLength": 1000}
APPROVAL = {"type": ["object", "null"], "properties": {"reason": REASON}, "additionalProperties": False}
REJECTION = {"type": "object", "properties": {"reason": REASON}, "required": ["reason"], "additionalProperties": False}
PROFILE_FORM = {
    "type": "object",
    "properties": {
        "schema": {
            "type": "object",
            "description": "JSON Schema of the profile fields (a checked subset: see docs/registrants.md).",
            "required": ["type", "properties"],
            "properties": {"type": {"const": "object"}, "properties": {"type": "object", "minProperties": 1}},
        },
        "labels": {"type": "object", "description": "{field: {locale: label}}"},
    },
    "required": ["schema"],
    "additionalProperties": False,
}
LOCALE: dict[str, Any] = {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"}
