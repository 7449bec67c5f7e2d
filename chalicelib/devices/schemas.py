"""Request bodies and query parameters of the devices area's routes (edge agents, captures, assisted sessions)."""

from __future__ import annotations

from typing import Any

from chalicelib.devices import service
from chalicelib.documents.schemas import KIND_PATTERN
from chalicelib.store.pagination import QUERY_PARAMS

B64URL = {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,100}$"}
AGENT = {
    "type": "object",
    "required": ["name", "public_key"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100, "description": "What the officer calls this PC."},
        "public_key": {
            "type": "object",
            "description": "The agent's EC P-256 public key as a JWK; it signs every capture envelope.",
            "required": ["kty", "crv", "x", "y"],
            "properties": {"kty": {"const": "EC"}, "crv": {"const": "P-256"}, "x": B64URL, "y": B64URL, "d": {}, "kid": {"type": "string", "maxLength": 100}},
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
TRANSACTION = {
    "type": "object",
    "required": ["agent_id", "registrant"],
    "properties": {
        "agent_id": {"type": "string", "minLength": 1, "maxLength": 64},
        "registrant": {"type": "string", "minLength": 1, "maxLength": 64, "description": "The person's ID number, as the officer reads it."},
        "modality": {"enum": list(service.MODALITIES), "default": "finger"},
    },
    "additionalProperties": False,
}
CAPTURE = {
    "type": "object",
    "required": ["envelope"],
    "properties": {"envelope": {"type": "string", "minLength": 10, "maxLength": 250_000, "description": "Compact JWS (ES256) by the agent's key."}},
    "additionalProperties": False,
}
AGENT_QUERY: dict[str, dict[str, Any]] = {**QUERY_PARAMS, "officer": {"type": "string", "maxLength": 64}}
NEW_APPLICATION = {
    "type": "object",
    "required": ["program_id"],
    "properties": {"program_id": {"type": "string", "minLength": 1, "maxLength": 64}, "answers": {"type": "object", "maxProperties": 200}},
    "additionalProperties": False,
}
ANSWERS = {
    "type": "object",
    "required": ["answers"],
    "properties": {"answers": {"type": "object", "maxProperties": 200}, "version": {"type": "integer", "minimum": 0}},
    "additionalProperties": False,
}
DOCUMENT = {
    "type": "object",
    "required": ["kind", "file_name", "content_type", "size", "application_id"],
    "properties": {
        "kind": {"type": "string", "pattern": KIND_PATTERN},
        "file_name": {"type": "string", "minLength": 1, "maxLength": 255},
        "content_type": {"type": "string", "minLength": 1, "maxLength": 100},
        "size": {"type": "integer", "minimum": 1},
        "application_id": {"type": "string", "minLength": 1, "maxLength": 100},
    },
    "additionalProperties": False,
}
