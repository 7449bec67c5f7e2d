"""Request bodies of the notifications area's routes."""

from __future__ import annotations

from typing import Any

from chalicelib.store.pagination import QUERY_PARAMS

CHANNEL = {"type": "string", "enum": ["sms", "email"]}
CHANNELS = {
    "type": "object",
    "properties": {"channels": {"type": "array", "items": CHANNEL, "maxItems": 2, "uniqueItems": True}},
    "required": ["channels"],
    "additionalProperties": False,
}
PHONE = r"^\+[1-9][0-9]{6,14}$"
EMAIL = r"^[^@\s]{1,64}@[^@\s.]{1,63}\.[^@\s]{2,63}$"
CONTACT = {
    "type": "object",
    "properties": {"value": {"type": "string", "minLength": 3, "maxLength": 254}},
    "required": ["value"],
    "additionalProperties": False,
}
CODE = {"type": "object", "properties": {"code": {"type": "string", "pattern": r"^[0-9]{6}$"}}, "required": ["code"], "additionalProperties": False}
MESSAGES_QUERY: dict[str, Any] = {**QUERY_PARAMS, "application_id": {"type": "string", "maxLength": 100}}
STATUS = {
    "type": "object",
    "properties": {
        "reference": {"type": "string", "minLength": 1, "maxLength": 40},
        "date_of_birth": {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    },
    "required": ["reference", "date_of_birth"],
    "additionalProperties": False,
}
TEXT = {"type": "string", "maxLength": 4000}
TEMPLATES = {
    "type": "object",
    "properties": {
        "templates": {
            "type": "object",
            "description": "{event type: {locale: {sms, subject, email}}}; placeholders: {first_name} {reference} {program} {link} {code}",
            "maxProperties": 20,
            "additionalProperties": {
                "type": "object",
                "maxProperties": 3,
                "additionalProperties": {"type": "object", "maxProperties": 3, "additionalProperties": TEXT},
            },
        }
    },
    "required": ["templates"],
    "additionalProperties": False,
}
PREVIEW = {
    "type": "object",
    "properties": {
        "event_type": {"type": "string", "maxLength": 64},
        "locale": {"type": "string", "enum": ["en", "fr", "ar"]},
        "template": {"type": "object", "maxProperties": 3, "additionalProperties": TEXT},
    },
    "required": ["event_type", "locale"],
    "additionalProperties": False,
}
