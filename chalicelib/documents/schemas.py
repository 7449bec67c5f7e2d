"""Request bodies and query parameters of the documents area's routes."""

from __future__ import annotations

from typing import Any

from chalicelib.forms.definition import SLUG
from chalicelib.store.pagination import QUERY_PARAMS

ID_PATTERN = "^[A-Za-z0-9_-]{1,64}$"
KIND_PATTERN = SLUG.pattern  # any kind a program can ask for (programs validate their rules with it)
DECLARATION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["kind", "file_name", "content_type", "size"],
    "properties": {
        "kind": {"type": "string", "pattern": KIND_PATTERN},
        "file_name": {"type": "string", "minLength": 1, "maxLength": 255},
        "content_type": {"type": "string", "minLength": 1, "maxLength": 100},
        "size": {"type": "integer", "minimum": 1},
        "application_id": {"type": "string", "pattern": ID_PATTERN},
    },
}
REUSE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["document_id"],
    "properties": {
        "document_id": {"type": "string", "pattern": ID_PATTERN, "description": "One of my available documents."},
        "kind": {
            "type": "string",
            "pattern": KIND_PATTERN,
            "description": "The program's document kind it is used as; default: the document's own kind.",
        },
    },
}
LIST_QUERY: dict[str, dict[str, Any]] = {**QUERY_PARAMS, "application_id": {"type": "string", "pattern": ID_PATTERN}}
STAFF_LIST_QUERY: dict[str, dict[str, Any]] = {"application_id": {"type": "string", "pattern": ID_PATTERN}}
