"""Routes that describe the API itself."""

from __future__ import annotations

from typing import Any

from chalicelib.web import ApiBlueprint, json_response

bp = ApiBlueprint(__name__, tag="meta")


@bp.api("/openapi.json", "GET", summary="This API's OpenAPI 3.1 document")
def openapi() -> Any:
    # The OpenAPI builder loads when the document is asked for, not on every cold start.
    from chalicelib.apidoc.document import build_document

    return json_response(build_document(), headers={"Cache-Control": "public, max-age=300"})


@bp.api("/health", "GET", summary="Liveness check; touches nothing")
def health() -> Any:
    return {"ok": True}
