"""Request bodies and query parameters of the programs area's routes (programs, applications, review)."""

from __future__ import annotations

from typing import Any

from chalicelib.forms.definition import LOCALE, SLUG
from chalicelib.programs import service
from chalicelib.programs.catalogue import CONSENT_ID, DOCUMENT_TYPES, MAX_CONSENT_TEXT, MAX_CONSENTS, MAX_DECISION_DAYS, MAX_DOCUMENT_BYTES
from chalicelib.programs.states import MAX_REASON_LENGTH, REVIEWABLE, ApplicationStatus
from chalicelib.store.pagination import QUERY_PARAMS

LOCALE_TEXT: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": 20,
    "propertyNames": {"pattern": LOCALE.pattern},
    "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 4000},
}
MOMENT = {"type": ["string", "null"], "format": "date-time", "maxLength": 40}
POLICY = {
    "type": "object",
    "required": ["kind"],
    "properties": {"kind": {"enum": ["once", "one_active", "repeat"]}, "cooldown_days": {"type": "integer", "minimum": 0, "maximum": 3650}},
    "additionalProperties": False,
}
DOCUMENT_RULE = {
    "type": "object",
    "required": ["kind", "label"],
    "properties": {
        "kind": {"type": "string", "pattern": SLUG.pattern},
        "label": LOCALE_TEXT,
        "required": {"type": "boolean"},
        "content_types": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(DOCUMENT_TYPES)}},
        "max_bytes": {"type": "integer", "minimum": 1, "maximum": MAX_DOCUMENT_BYTES},
    },
    "additionalProperties": False,
}
CONSENT_STATEMENT = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {
        "id": {"type": "string", "pattern": CONSENT_ID.pattern},
        "text": {**LOCALE_TEXT, "additionalProperties": {"type": "string", "minLength": 1, "maxLength": MAX_CONSENT_TEXT}},
        "required": {"type": "boolean"},
    },
    "additionalProperties": False,
}
PROGRAM_FIELDS: dict[str, Any] = {
    "name": LOCALE_TEXT,
    "description": LOCALE_TEXT,
    "eligibility": LOCALE_TEXT,
    "benefit": LOCALE_TEXT,
    "decision_days": {
        "type": ["integer", "null"],
        "minimum": 1,
        "maximum": MAX_DECISION_DAYS,
        "description": "How many days a decision usually takes (null: not said).",
    },
    "opens_at": MOMENT,
    "closes_at": MOMENT,
    "policy": POLICY,
    "documents": {"type": "array", "maxItems": 20, "items": DOCUMENT_RULE},
    "consents": {"type": "array", "maxItems": MAX_CONSENTS, "items": CONSENT_STATEMENT},
}
NEW_PROGRAM = {
    "type": "object",
    "required": ["name"],
    "properties": {"program_id": {"type": "string", "pattern": service.PROGRAM_ID.pattern}, **PROGRAM_FIELDS},
    "additionalProperties": False,
}
PROGRAM_CHANGES = {"type": "object", "minProperties": 1, "properties": {**PROGRAM_FIELDS, "version": {"type": "integer"}}, "additionalProperties": False}
FORM_MAPPING = {
    "type": "object",
    "required": ["form_id", "version"],
    "properties": {"form_id": {"type": "string", "minLength": 1, "maxLength": 64}, "version": {"type": "integer", "minimum": 1}},
    "additionalProperties": False,
}
NEW_APPLICATION = {"type": ["object", "null"], "properties": {"answers": {"type": "object"}}, "additionalProperties": False}
ANSWERS = {
    "type": "object",
    "required": ["answers"],
    "properties": {"answers": {"type": "object"}, "version": {"type": "integer"}},
    "additionalProperties": False,
}
# The submit body, the same for an officer's assisted submit (the devices area uses it too).
SUBMISSION = {
    "type": ["object", "null"],
    "properties": {
        "version": {"type": "integer"},
        "consents": {
            "type": "object",
            "description": "The program's consent statements agreed to: {statement id: true}.",
            "maxProperties": 2 * MAX_CONSENTS,
            "propertyNames": {"pattern": CONSENT_ID.pattern},
            "additionalProperties": {"type": "boolean"},
        },
        "locale": {
            "type": "string",
            "pattern": LOCALE.pattern,
            "description": "The language the statements were shown in (recorded with each agreement); default: the session's language.",
        },
    },
    "additionalProperties": False,
}
WITHDRAWAL = {"type": ["object", "null"], "properties": {"reason": {"type": "string", "maxLength": MAX_REASON_LENGTH}}, "additionalProperties": False}
DECISION = {
    "type": "object",
    "required": ["to"],
    "properties": {
        "to": {"enum": [s.value for s in REVIEWABLE if s not in {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}]},
        "reason": {"type": "string", "maxLength": MAX_REASON_LENGTH},
        "enrol": {"type": "boolean"},
        "version": {"type": "integer"},
    },
    "additionalProperties": False,
}
STATE_QUERY: dict[str, dict[str, Any]] = {"state": {"enum": ["draft", "open", "closed", "archived"]}, **QUERY_PARAMS}
STATUS_QUERY: dict[str, dict[str, Any]] = {"status": {"enum": [s.value for s in REVIEWABLE]}, **QUERY_PARAMS}
