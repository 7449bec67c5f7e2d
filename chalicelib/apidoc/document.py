"""Builds the OpenAPI 3.1 document from the ``Operation`` each route declared.

Request bodies are the very JSON Schemas the routes validate with, so the document and the
validation cannot disagree.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.integrations.payloads import openapi_webhooks
from chalicelib.web import OPERATIONS, PUBLIC, REGISTRANT_OPTIONAL, Operation

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                "request_id": {"type": "string"},
            },
        }
    },
}

_STATUS_TEXT = {
    200: "OK",
    201: "Created",
    204: "No content",
    302: "Redirect",
    400: "Malformed request",
    401: "Not logged in",
    403: "Not allowed",
    404: "Not found, or not yours",
    409: "Conflict or wrong state",
    413: "Too large",
    415: "Wrong content type",
    422: "Failed validation",
    429: "Throttled",
    503: "A service behind the API is busy or down: nothing changed; try again after Retry-After seconds",
}


def build_document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for op in sorted(OPERATIONS, key=lambda o: (o.path, o.method)):
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    webhooks, payload_schemas = openapi_webhooks()  # what the ministry's endpoints receive (docs/integration-payloads.md)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Self-Service Portal API",
            "version": "1",
            "description": "Registrant, staff and device routes of the social-protection Self-Service Portal.",
        },
        "paths": paths,
        "webhooks": webhooks,
        "components": {
            "schemas": {"Error": ERROR_SCHEMA, **payload_schemas},
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "__Host-ssp_session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
                "staffBearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            },
        },
    }


def _operation(op: Operation) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "operationId": f"{op.method.lower()}_{re.sub(r'[^a-zA-Z0-9]+', '_', op.path).strip('_')}",
        "summary": op.summary,
        "tags": [op.tag],
        "x-access": op.access.describe(),
        "responses": _responses(op),
    }
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1, "maxLength": 128}}
        for name in re.findall(r"{([^}]+)}", op.path)
    ]
    params += [{"name": name, "in": "query", "required": False, "schema": dict(schema)} for name, schema in op.query.items()]
    params += [{"name": h.name, "in": "header", "required": h.required, "schema": dict(h.schema), "description": h.description} for h in op.headers]
    if params:
        spec["parameters"] = params
    if op.body is not None:
        spec["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
    if op.access.kind == "staff":
        spec["security"] = [{"staffBearer": []}]
    elif op.access.kind != PUBLIC:
        spec["security"] = [{"session": [], "csrf": []}] if op.method != "GET" else [{"session": []}]
        if op.access.kind == REGISTRANT_OPTIONAL:
            spec["security"].append({})  # anonymous callers are answered too
    return spec


def _responses(op: Operation) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    statuses = dict(op.responses) or {200: _STATUS_TEXT[200]}
    codes = {400, 404}
    if op.access.kind != PUBLIC:
        codes |= {401, 403}
    if op.body is not None:
        codes |= {413, 415, 422}
    out: dict[str, Any] = {str(code): {"description": text} for code, text in statuses.items()}
    for code in sorted(codes | {409, 429, 503}):
        out.setdefault(str(code), {"description": _STATUS_TEXT[code], **error})
    return out
