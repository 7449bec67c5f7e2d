"""Routes of the documents area: declare and complete uploads, list, download, delete."""

from __future__ import annotations

from typing import Any

from chalice import Response

from chalicelib.documents import service
from chalicelib.documents.schemas import DECLARATION, LIST_QUERY, REUSE, STAFF_LIST_QUERY
from chalicelib.errors import BadRequest
from chalicelib.identity.callers import RegistrantCaller, StaffCaller
from chalicelib.store.pagination import DEFAULT_LIMIT
from chalicelib.web import REGISTRANT, ApiBlueprint, json_response, request_ref, staff

bp = ApiBlueprint(__name__, tag="documents")


@bp.api(
    "/documents",
    "POST",
    summary="Declare a document (kind, file name, type, size) and get a presigned POST to upload it to",
    access=REGISTRANT,
    body=DECLARATION,
    responses={201: "The pending document and its upload form", 409: "Quota reached or application not editable", 413: "Too large", 415: "Type not allowed"},
)
def declare(who: RegistrantCaller, body: dict[str, Any]) -> Response:
    declared = service.Declaration(
        kind=body["kind"],
        file_name=body["file_name"],
        content_type=body["content_type"],
        size=body["size"],
        application_id=body.get("application_id"),
    )
    return json_response(service.declare_document(who.registrant_id, declared), status=201)


@bp.api(
    "/documents/{document_id}/complete",
    "POST",
    summary="Check the uploaded file against its declaration; keep it or reject and delete it",
    access=REGISTRANT,
    responses={200: "Available, or scanning", 409: "Not uploaded yet, expired or already checked", 413: "Larger than declared", 415: "Not what was declared"},
)
def complete(who: RegistrantCaller, document_id: str) -> Response:
    return json_response(service.complete_upload(who.registrant_id, document_id))


@bp.api(
    "/applications/{application_id}/documents",
    "POST",
    summary="Use one of my uploaded documents for this application: attached, or copied when it belongs to another application",
    access=REGISTRANT,
    body=REUSE,
    responses={
        200: "Already part of this application",
        201: "Attached, or a copy made for this application",
        404: "No such document or application of mine",
        409: "Application not editable, document not available, or quota reached",
        413: "Larger than the program allows for the kind",
        415: "A type the program does not accept for the kind",
        422: "A kind the program does not ask for",
    },
)
def reuse(who: RegistrantCaller, application_id: str, body: dict[str, Any]) -> Response:
    attached = service.attach_to_application(who.registrant_id, body["document_id"], application_id, kind=body.get("kind"))
    return json_response({"document": attached.document}, status=201 if attached.changed else 200)


@bp.api(
    "/documents",
    "GET",
    summary="My documents, newest first, optionally those of one application",
    access=REGISTRANT,
    query=LIST_QUERY,
)
def list_mine(who: RegistrantCaller, query: dict[str, Any]) -> Response:
    page = service.list_documents(who.registrant_id, query.get("application_id"), query.get("limit", DEFAULT_LIMIT), query.get("cursor"))
    return json_response(page.to_json(page.items))


@bp.api(
    "/documents/{document_id}",
    "GET",
    summary="One of my documents, with a short-lived download link once it is available",
    access=REGISTRANT,
)
def get_mine(who: RegistrantCaller, document_id: str) -> Response:
    return json_response(service.get_document(who.registrant_id, document_id))


@bp.api(
    "/documents/{document_id}",
    "DELETE",
    summary="Delete one of my documents; one sent with an application, once replaced by a newer one of its kind, is taken out of it and kept as sent",
    access=REGISTRANT,
    responses={
        204: "Deleted, or taken out of the application and kept on its record as replaced",
        409: "Sent with an application that is not waiting for me (document_frozen), or still named by an answer or not replaced yet (document_not_replaced)",
    },
)
def delete_mine(who: RegistrantCaller, document_id: str) -> Response:
    service.delete_document(who.registrant_id, document_id)
    return Response(body="", status_code=204)


@bp.api(
    "/admin/documents",
    "GET",
    summary="The documents of an application the reviewer may see (recorded for the person)",
    access=staff("reviewer", "admin"),
    query=STAFF_LIST_QUERY,
)
def staff_list(who: StaffCaller, query: dict[str, Any]) -> Response:
    if "application_id" not in query:
        raise BadRequest("Say which application's documents to list.", code="bad_parameter", fields={"/application_id": "required"})
    return json_response({"items": service.staff_documents_of_application(who, query["application_id"], request_ref(bp.current_request))})


@bp.api(
    "/admin/documents/{document_id}",
    "GET",
    summary="A download link for a document of an application the reviewer may see (recorded for the person)",
    access=staff("reviewer", "admin"),
)
def staff_download(who: StaffCaller, document_id: str) -> Response:
    return json_response(service.staff_download(who, document_id, request_ref(bp.current_request)))


@bp.api(
    "/admin/document-limits",
    "GET",
    summary="The largest document this portal accepts, and the size a new programme document rule starts with",
    access=staff("admin"),
)
def staff_limits(who: StaffCaller) -> Response:
    return json_response(service.portal_limits())
