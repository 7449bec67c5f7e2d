"""Routes of the forms area: administrators write and publish versions; anyone may read a published one."""

from __future__ import annotations

from typing import Any

from chalicelib.errors import NotFound
from chalicelib.forms import service
from chalicelib.forms.schemas import DEFINITION, NEW_FORM, NEW_VERSION
from chalicelib.identity.callers import StaffCaller
from chalicelib.web import IF_MATCH, ApiBlueprint, if_match_version, json_response, json_with_etag, staff

bp = ApiBlueprint(__name__, tag="forms")

ADMIN = staff("admin")
# Optional on a draft's PUT: the revision the editor last read; a stale one is 409 stale_version.
DRAFT_IF_MATCH = IF_MATCH._replace(required=False, description="The draft's revision last read (its ETag): a stale one is 409 stale_version.")


def _version(text: str) -> int:
    if not text.isdigit() or len(text) > 6:
        raise NotFound("We could not find this form.")
    return int(text)


@bp.api("/admin/forms", "POST", summary="Create a form (version 1, as a draft)", access=ADMIN, body=NEW_FORM, responses={201: "Created"})
def create_form(who: StaffCaller, body: dict[str, Any]) -> Any:
    definition = {k: v for k, v in body.items() if k != "form_id"}
    return json_response(service.create_form(definition, form_id=body.get("form_id")), status=201)


@bp.api("/admin/forms/{form_id}", "GET", summary="A form's versions, newest first", access=ADMIN)
def list_versions(form_id: str, who: StaffCaller) -> Any:
    return {"form_id": form_id, "versions": service.versions(form_id)}


@bp.api(
    "/admin/forms/{form_id}/versions",
    "POST",
    summary="Add a draft version (the body's definition, or a copy of the latest)",
    access=ADMIN,
    body=NEW_VERSION,
    responses={201: "Created"},
)
def add_version(form_id: str, who: StaffCaller, body: dict[str, Any] | None) -> Any:
    return json_response(service.add_version(form_id, body or None), status=201)


@bp.api("/admin/forms/{form_id}/versions/{version}", "GET", summary="One version, draft or published", access=ADMIN)
def get_version(form_id: str, version: str, who: StaffCaller) -> Any:
    found = service.version_of(form_id, _version(version))
    return json_with_etag(found, found["revision"])


@bp.api(
    "/admin/forms/{form_id}/versions/{version}",
    "PUT",
    summary="Replace a draft version's definition (If-Match: the revision read, optional)",
    access=ADMIN,
    body=DEFINITION,
    headers=(DRAFT_IF_MATCH,),
    responses={409: "published, or changed by someone else since the If-Match revision"},
)
def update_version(form_id: str, version: str, who: StaffCaller, body: dict[str, Any]) -> Any:
    request = bp.current_request
    expected = if_match_version(request) if request.headers.get("if-match") else None
    saved = service.update_draft(form_id, _version(version), body, expected)
    return json_with_etag(saved, saved["revision"])


@bp.api("/admin/forms/{form_id}/versions/{version}/publish", "POST", summary="Publish a version: it never changes again", access=ADMIN)
def publish_version(form_id: str, version: str, who: StaffCaller) -> Any:
    return service.publish(form_id, _version(version))


@bp.api("/forms/{form_id}/versions/{version}", "GET", summary="A published form version (what an application was filled against)")
def get_published(form_id: str, version: str) -> Any:
    return service.published_form(form_id, _version(version))
