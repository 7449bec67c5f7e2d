"""The rules of supporting documents: declare, upload (presigned POST), verify, download, delete.

A document's life: ``pending`` (declared; the browser may upload to its presigned POST) →
``complete_upload`` checks the stored bytes → ``scanning`` (only with a malware scanner) →
``available``; or ``rejected`` with a reason, its bytes deleted. A document sent with an
application is never deleted: when the person answers a request for information with a newer
one of its kind, removing the old one sets it aside as ``replaced`` (``delete_document``). No emulator enforces a POST
policy, and real S3 checks only what the policy says, so ``complete_upload`` is the guard.

Whenever an application gains or loses an ``available`` document, this area tells programs in
the same transaction (``record_available_document``/``forget_available_document``), which keeps
the kinds beside the application so submit reads them with it (docs/documents.md).

Other areas call these functions (never the documents table):

- ``available_kinds_for_application(registrant_id, application_id)`` — an application's available kinds (one Query);
- ``documents_of(registrant_id)`` — registrants, for the person's export;
- ``documents_of_application(registrant_id, application_id)`` — an application's documents;
- ``attach_to_application(registrant_id, document_id, application_id, kind=None)`` — use an
  available one for an application (attached, or copied when it belongs to another).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib import config
from chalicelib.documents import content, quota, storage
from chalicelib.documents.scanning import Verdict, configured_scanner
from chalicelib.documents.states import AVAILABLE, LIVE, PENDING, REJECTED, REPLACED, SCANNING, UPLOAD_GRACE
from chalicelib.errors import BadRequest, Conflict, NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from chalicelib.events.outbox import EventType, add_event
from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor, StaffCaller
from chalicelib.observability import logger
from chalicelib.programs.catalogue import DEFAULT_DOCUMENT_BYTES, MAX_DOCUMENT_BYTES
from chalicelib.programs.service import (
    application_for_document,
    document_rules,
    forget_available_document,
    read_for_document,
    record_available_document,
    reviewer_can_see,
)
from chalicelib.store.base import now
from chalicelib.store.documents import Document
from chalicelib.store.pagination import Page, decode_cursor, query_page
from chalicelib.store.transactions import aws_code, found_or_none, reading, transaction

DOCUMENT_ID = re.compile(r"^[0-9a-f]{32}$")
# S3 checks a POST policy's expiry when the upload starts; a slow upload may end a while later.
PENDING_TTL = timedelta(days=1)  # a pending record outlives its upload window by this much
REJECTED_TTL = timedelta(days=7)  # the person can still see why, then the record goes
CURSOR_KEYS = ("document_id", "registrant_id", "created_at")


class Declaration(NamedTuple):
    """What the person says about a file before uploading it."""

    kind: str
    file_name: str
    content_type: str
    size: int
    application_id: str | None = None


# --- the registrant's flow -------------------------------------------------------------------


def declare_document(registrant_id: str, declared: Declaration) -> dict[str, Any]:
    """Check the declaration, create a ``pending`` document and answer its presigned POST."""
    problem = content.file_name_problem(declared.file_name)
    if problem:
        raise ValidationFailed("This file name cannot be used. Rename the file and try again.", fields={"/file_name": problem})
    content_type = declared.content_type.strip().lower()
    program_id = None
    rule: dict[str, Any] = {}
    if declared.application_id:
        application = _editable_application(registrant_id, declared.application_id)
        program_id = application["program_id"]
        rule = _rule(program_id, declared.kind)
    _check_type_and_size(content_type, declared.size, *_limits(rule))

    created = now()
    deadline = created + timedelta(seconds=config.get_int("SSP_DOCUMENT_UPLOAD_SECONDS"))
    document_id = uuid.uuid4().hex
    document = Document(
        document_id=document_id,
        registrant_id=registrant_id,
        application_id=declared.application_id,
        program_id=program_id,
        kind=declared.kind,
        s3_key=storage.document_key(registrant_id, document_id),
        upload_key=storage.upload_key(registrant_id, document_id),
        upload_deadline=deadline,
        file_name=content.clean_file_name(declared.file_name),
        declared_type=content_type,
        declared_size=declared.size,
        status=PENDING,
        created_at=created,
        expires_at=deadline + PENDING_TTL,
    )
    quota.create_within_quota(document, also=lambda writes: _note_availability(writes, document))
    upload = storage.presign_upload(document.upload_key or "", content_type, declared.size, config.get_int("SSP_DOCUMENT_UPLOAD_SECONDS"))
    logger.info("document_declared", extra={"document_id": document_id})
    return {"document": describe(document), "upload": {**upload, "expires_at": _iso(deadline)}}


def complete_upload(registrant_id: str, document_id: str) -> dict[str, Any]:
    """Check what was uploaded against the declaration; keep it or reject it (and delete it)."""
    document = _own(registrant_id, document_id)
    if document.status in {AVAILABLE, SCANNING}:  # completed already (a retry whose first answer was lost): answered as then
        _quietly(storage.delete, storage.upload_key(registrant_id, document_id))  # the step the first try may not have reached
        return {"document": describe(document)}
    if document.status != PENDING:
        raise Conflict("This document has already been checked.", code="already_completed", details={"status": document.status})
    upload_key = document.upload_key or ""
    if not (storage.belongs_to(upload_key, registrant_id) and storage.belongs_to(document.s3_key, registrant_id)):
        _reject(document, "key_outside_prefix", Conflict)
    if document.application_id:
        _editable_application(registrant_id, document.application_id)
    deadline = (document.upload_deadline or document.created_at) + UPLOAD_GRACE
    stored = storage.head(upload_key)
    if stored is None:
        if now() > deadline:
            _reject(document, "upload_expired", Conflict)
        raise Conflict("We have not received the file yet. Upload it, then try again.", code="upload_missing")
    if stored.last_modified > deadline:
        _reject(document, "upload_expired", Conflict)
    if stored.size == 0:
        _reject(document, "empty_file", ValidationFailed)
    if stored.size > document.declared_size:
        _reject(document, "size_mismatch", PayloadTooLarge)
    if stored.size != document.declared_size:
        _reject(document, "size_mismatch", ValidationFailed)
    if stored.content_type.split(";")[0].strip().lower() != document.declared_type:
        _reject(document, "type_mismatch", UnsupportedMediaType)
    digest, sniffed, size = _read(upload_key, stored.etag)
    if sniffed != document.declared_type:
        _reject(document, "content_mismatch", UnsupportedMediaType)
    if size != document.declared_size:
        _reject(document, "size_mismatch", ValidationFailed)

    # Ordered so that a completion stopped at any point is finished by the next try: the verified
    # copy is made first (the upload stays, so a retry checks it again and copies again); the record
    # says available only once the copy exists; the upload goes last, and if that fails the
    # lifecycle rule of uploads/ removes it within a day.
    with _while_upload_unchanged():
        storage.copy_checked(upload_key, stored.etag, document.s3_key)
    document.sha256 = digest
    document.size = size
    document.verified_type = sniffed
    document.upload_key = None
    document.expires_at = None
    document.status = SCANNING if configured_scanner() else AVAILABLE
    try:
        _save_noting_availability(document)
    except Exception as error:
        if _not_applied(error):  # refused outright: no record points at the copy, which would be orphaned
            _quietly(storage.delete, document.s3_key)
        raise
    _quietly(storage.delete, upload_key)
    logger.info("document_verified", extra={"document_id": document_id, "status": document.status})
    return {"document": describe(document)}


def _not_applied(error: BaseException) -> bool:
    """Whether the record's save was refused outright by a busy service (throttled, a 5xx), so
    nothing points at the copy. Not a timeout (it may have gone through), nor a failed condition
    (a completion racing this one may have recorded the very same key)."""
    cause = getattr(error, "cause", None) or error.__cause__ or error
    if not isinstance(cause, ClientError):
        return False
    code = str(cause.response.get("Error", {}).get("Code", ""))
    status = int(cause.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return status >= 500 or "Throttl" in code or code in {"ProvisionedThroughputExceededException", "RequestLimitExceeded"}


def _quietly(action: Callable[[str], None], key: str) -> None:
    """Tidying S3 after the record is right: a failure is logged, not the person's problem."""
    try:
        action(key)
    except (ClientError, BotoCoreError):
        logger.warning("document_tidy_failed", extra={"step": action.__name__})


def get_document(registrant_id: str, document_id: str) -> dict[str, Any]:
    """The person's document, with a short-lived download link once it is available."""
    document = _settle_scan(_own(registrant_id, document_id))
    return {"document": describe(document), "download": _download(document)}


def list_documents(registrant_id: str, application_id: str | None, limit: int, cursor: str | None) -> Page[dict[str, Any]]:
    """The person's documents, newest first, optionally those of one application: one Query."""
    start = decode_cursor(cursor, CURSOR_KEYS)
    if start is not None and start["registrant_id"].get("S") != registrant_id:
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    condition = Document.application_id == application_id if application_id else None
    results = Document.by_registrant.query(registrant_id, filter_condition=condition, scan_index_forward=False, limit=limit, last_evaluated_key=start)
    page = query_page(results, limit)
    return Page(items=[describe(d) for d in page.items], cursor=page.cursor)


def delete_document(registrant_id: str, document_id: str) -> None:
    """Delete the person's document; one that was sent with an application is set aside instead.

    A document of a draft, or added since the application was last sent, is deleted. One that
    was sent stays as it was sent: while information is requested, the person may take it out
    of the application once a newer document of its kind replaces it (``replace_sent``);
    otherwise 409 ``document_frozen``. Removing a document set aside already answers as done.
    """
    document = _own(registrant_id, document_id)
    if document.status == REPLACED:
        return  # set aside already (a retry whose first answer was lost, or another tab)
    if document.application_id and document.status in {SCANNING, AVAILABLE}:
        application = _application(registrant_id, document.application_id)
        if _frozen(document, application):
            _set_aside(document, application)
            return
    with transaction() as writes:
        writes.delete(document)
        if document.status in LIVE:
            writes.update(quota.quota_item(registrant_id), actions=quota.release(document))
        if _available_on_application(document):
            forget_available_document(writes, str(document.application_id), document.kind, document.document_id)
    for key in (document.upload_key, document.s3_key):
        if key:
            storage.delete(key)
    logger.info("document_deleted", extra={"document_id": document_id})


# --- for other areas -------------------------------------------------------------------------


def available_kinds_for_application(registrant_id: str, application_id: str) -> set[str]:
    """The kinds of the ``available`` documents attached to this application of this person."""
    return {d.kind for d in _all_of(registrant_id, application_id) if d.status == AVAILABLE}


def documents_of(registrant_id: str) -> list[dict[str, Any]]:
    """Every document of the person (metadata; a short-lived download link when available)."""
    return [{**describe(d), "download": _download(d)} for d in _all_of(registrant_id)]


def documents_of_application(registrant_id: str, application_id: str) -> list[dict[str, Any]]:
    """The person's documents attached to one application, newest first (metadata only)."""
    return [describe(d) for d in _all_of(registrant_id, application_id)]


class Attached(NamedTuple):
    """What ``attach_to_application`` did: the document now part of the application, and whether
    anything changed (False: it already was)."""

    document: dict[str, Any]
    changed: bool


def attach_to_application(registrant_id: str, document_id: str, application_id: str, kind: str | None = None) -> Attached:
    """Use one of the person's ``available`` documents for their application while it takes
    documents (draft, or information requested), as ``kind`` (default: the document's own kind).

    An unattached document is attached. A document that belongs to another application (e.g.
    one submitted last year) stays there untouched, and a **copy** is made for this one: a
    server-side S3 copy to a new key under the person's prefix, a new document record with the
    same verified type, size and sha256 (``copied_from`` the original), counted in the quota.
    Either way the application's kinds item is updated in the same transaction.

    404 when the document or the application is not the person's; 409 when the application no
    longer takes documents (``application_not_editable``), the document is not available
    (``document_not_available``) or the quota is reached; 422 ``/kind: not_requested``, 415 or
    413 when the program's rules for the kind refuse it. Three DynamoDB calls with the session:
    one TransactGetItems (document, application, program), one TransactWrite.
    """
    if not DOCUMENT_ID.match(document_id):
        raise NotFound("We could not find this document.")
    with reading() as reads:
        found = reads.get(Document, document_id)
        application_read = read_for_document(reads, registrant_id, application_id)
    document = found_or_none(found)
    if document is None or document.registrant_id != registrant_id:
        raise NotFound("We could not find this document.")
    application = application_read()
    if application is None:
        raise NotFound("We could not find this application.")
    if document.application_id == application_id and kind in {None, document.kind} and document.status != REPLACED:
        return Attached(describe(document), changed=False)
    if not application["editable"]:
        raise Conflict("This application no longer takes new documents.", code="application_not_editable")
    if document.status != AVAILABLE:
        raise Conflict("Only a document that has been checked can be used again.", code="document_not_available", details={"status": document.status})
    if document.application_id == application_id:
        raise Conflict("This document is already part of this application.", code="already_attached")
    kind = kind or document.kind
    rule = _rule_in(application["document_rules"], kind)
    _check_type_and_size(document.verified_type or document.declared_type, int(document.size or document.declared_size), *_limits(rule))
    if document.application_id is None:
        document.application_id = application_id
        document.program_id = application["program_id"]
        document.kind = kind
        _save_noting_availability(document)
        logger.info("document_attached", extra={"document_id": document_id})
        return Attached(describe(document), changed=True)
    copy = _copy_for(document, application_id, application["program_id"], kind)
    logger.info("document_copied", extra={"document_id": copy.document_id, "copied_from": document_id})
    return Attached(describe(copy), changed=True)


def _copy_for(original: Document, application_id: str, program_id: str, kind: str) -> Document:
    """A new document for ``application_id`` holding the same verified bytes as ``original``."""
    if not storage.belongs_to(original.s3_key, original.registrant_id):
        raise NotFound("We could not find this document.")
    document_id = uuid.uuid4().hex
    size = int(original.size or original.declared_size)
    copy = Document(
        document_id=document_id,
        registrant_id=original.registrant_id,
        application_id=application_id,
        program_id=program_id,
        kind=kind,
        s3_key=storage.document_key(original.registrant_id, document_id),
        file_name=original.file_name,
        declared_type=original.verified_type or original.declared_type,
        declared_size=size,
        verified_type=original.verified_type or original.declared_type,
        size=size,
        sha256=original.sha256,
        # A scanner tags the new object itself (tags are not copied): until then it is scanning.
        status=SCANNING if configured_scanner() else AVAILABLE,
        copied_from=original.document_id,
        created_at=now(),
    )
    storage.copy_document(original.s3_key, copy.s3_key)
    try:
        quota.create_within_quota(copy, also=lambda writes: _note_availability(writes, copy))
    except BaseException:
        storage.delete(copy.s3_key)  # no record points at it
        raise
    return copy


def record_scan_verdict(document_id: str, clean: bool) -> None:
    """A scanner's verdict pushed from outside a request (e.g. an EventBridge rule on GuardDuty)."""
    try:
        document = Document.get(document_id)
    except Document.DoesNotExist:
        return
    if document.status == SCANNING:
        _apply_verdict(document, Verdict.CLEAN if clean else Verdict.INFECTED)


# --- staff -----------------------------------------------------------------------------------


def staff_documents_of_application(caller: StaffCaller, application_id: str, request_id: str | None = None) -> list[dict[str, Any]]:
    """An application's documents (metadata) for a reviewer who may see that application; the
    read is written to the person's activity log, like every staff read of their data."""
    seen = reviewer_can_see(caller, application_id)
    members = seen.get("document_members") or {}
    listed = [{**d, "member": members.get(d["document_id"])} for d in documents_of_application(seen["registrant_id"], application_id)]
    details = {"application_id": application_id}
    record_access(subject=seen["registrant_id"], actor=Actor.staff(caller), action="application_documents_viewed", details=details, request_id=request_id)
    return listed


def staff_download(caller: StaffCaller, document_id: str, request_id: str | None = None) -> dict[str, Any]:
    """A download link for a reviewer of the document's application; recorded for the person."""
    document = _get(document_id)
    if document is None or not document.application_id:
        raise NotFound()
    seen = reviewer_can_see(caller, document.application_id)
    if seen.get("registrant_id") != document.registrant_id:
        raise NotFound()
    document = _settle_scan(document)
    download = _download(document)
    if download is None:
        raise Conflict("This document cannot be downloaded yet.", code="document_not_available", details={"status": document.status})
    details = {"document_id": document_id}
    record_access(subject=document.registrant_id, actor=Actor.staff(caller), action="document_downloaded", details=details, request_id=request_id)
    return {"document": describe(document), "download": download}


# --- shapes ----------------------------------------------------------------------------------


def describe(document: Document) -> dict[str, Any]:
    """What a person (or a reviewer) sees of a document: never its S3 keys."""
    return {
        "document_id": document.document_id,
        "kind": document.kind,
        "file_name": document.file_name,
        "content_type": document.verified_type or document.declared_type,
        "size": document.size if document.size is not None else document.declared_size,
        "status": document.status,
        "reason": document.reason,
        "application_id": document.application_id,
        "program_id": document.program_id,
        "sha256": document.sha256,
        "copied_from": document.copied_from,
        "replaced_by": document.replaced_by,
        "replaced_at": _iso(document.replaced_at),
        "created_at": _iso(document.created_at),
        "updated_at": _iso(document.updated_at),
    }


def _download(document: Document) -> dict[str, Any] | None:
    if document.status not in {AVAILABLE, REPLACED}:  # a replaced one is still what was sent
        return None
    seconds = config.get_int("SSP_DOCUMENT_DOWNLOAD_SECONDS")
    url = storage.presign_download(document.s3_key, document.verified_type or document.declared_type, content.content_disposition(document.file_name), seconds)
    return {"url": url, "expires_at": _iso(now() + timedelta(seconds=seconds))}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


# --- internals -------------------------------------------------------------------------------


def _available_on_application(document: Document) -> bool:
    """Whether the document counts for its application's required kinds (programs keeps those)."""
    return bool(document.application_id) and document.status == AVAILABLE


def _save_noting_availability(document: Document) -> None:
    """Save the document; one that is now ``available`` on an application is also recorded, in
    the same transaction, on the application's side (programs keeps it for submit)."""
    if not _available_on_application(document):
        _save_recognising_own(document)
        return
    document.updated_at = now()
    with transaction() as writes:
        writes.save(document)
        _note_availability(writes, document)


def _save_recognising_own(document: Document) -> None:
    """Save under the version lock; a save the SDK retried after its first try went through (the
    answer was lost) fails the lock against itself: the stored ``write_token`` tells it was ours."""
    document.write_token = secrets.token_urlsafe(12)
    try:
        document.save()
    except (PutError, UpdateError) as error:
        if aws_code(error) != "ConditionalCheckFailedException":
            raise
        current = _get(document.document_id)
        if current is None or current.write_token != document.write_token:
            raise
        document.version = current.version


def _note_availability(writes: TransactWrite, document: Document) -> None:
    """In the transaction writing ``document``: add it to its application's kinds item when it
    is available on an application; nothing for any other document."""
    if _available_on_application(document):
        record_available_document(writes, str(document.application_id), document.kind, document.document_id)


def _get(document_id: str) -> Document | None:
    if not DOCUMENT_ID.match(document_id):
        return None
    try:
        return Document.get(document_id)
    except Document.DoesNotExist:
        return None


def _own(registrant_id: str, document_id: str) -> Document:
    """The person's document; someone else's is as missing as one that never existed."""
    document = _get(document_id)
    if document is None or document.registrant_id != registrant_id:
        raise NotFound("We could not find this document.")
    return document


def _all_of(registrant_id: str, application_id: str | None = None) -> list[Document]:
    condition = Document.application_id == application_id if application_id else None
    return list(Document.by_registrant.query(registrant_id, filter_condition=condition, scan_index_forward=False))


def _application(registrant_id: str, application_id: str) -> dict[str, Any]:
    application = application_for_document(registrant_id, application_id)
    if not application:
        raise NotFound("We could not find this application.")
    return dict(application)


def _editable_application(registrant_id: str, application_id: str) -> dict[str, Any]:
    application = _application(registrant_id, application_id)
    if not application.get("editable"):
        raise Conflict("This application no longer takes new documents.", code="application_not_editable")
    return application


def _set_aside(document: Document, application: dict[str, Any]) -> None:
    """Take a sent document out of the application the person is answering a request for, once
    a newer available document of its kind replaces it: it no longer counts among the
    application's documents, and its record and bytes stay as what was sent (``replaced``, with
    what replaced it, for the reviewer and the export). The replacement is checked unchanged in
    the same transaction, so a replacement deleted meanwhile cannot leave the kind with neither.

    409 ``document_frozen`` while the application is not waiting for the person;
    409 ``document_not_replaced`` while an answer still names it or nothing newer replaces it.
    """
    if not application.get("editable") or document.status != AVAILABLE:
        raise Conflict(
            "You have sent this document with your application, so it cannot be removed. If the programme team needs a new one, they will ask you.",
            code="document_frozen",
        )
    replacement = None if _named_in(document.document_id, application.get("answers")) else _replacement_of(document)
    if replacement is None:
        raise Conflict(
            "You sent this document with your application and nothing replaces it yet. Upload a new file for it first, then remove this one.",
            code="document_not_replaced",
        )
    moment = now()
    document.status = REPLACED
    document.replaced_by = replacement.document_id
    document.replaced_at = moment
    document.updated_at = moment
    unchanged = (Document.status == AVAILABLE) & (Document.version == replacement.version)
    with transaction() as writes:
        writes.condition_check(Document, replacement.document_id, condition=unchanged)
        writes.save(document)
        forget_available_document(writes, str(document.application_id), document.kind, document.document_id)
    logger.info("document_replaced", extra={"document_id": document.document_id})


def _replacement_of(document: Document) -> Document | None:
    """The newest available document of the same kind added to the application after this one."""
    for other in _all_of(document.registrant_id, document.application_id):  # newest first
        if other.kind == document.kind and other.status == AVAILABLE and other.created_at > document.created_at:
            return other
    return None


def _named_in(document_id: str, answers: Any) -> bool:
    """Whether an answer (a document question, a member's document) names the document."""
    if isinstance(answers, dict):
        return any(_named_in(document_id, value) for value in answers.values())
    if isinstance(answers, list):
        return any(_named_in(document_id, value) for value in answers)
    return answers == document_id


def _frozen(document: Document, application: dict[str, Any]) -> bool:
    """A document that was part of a submission stays as it was submitted.

    A draft that was never submitted changes freely. While information is requested, only
    documents added since the last submission may go (when the application tells us when that
    was); everything else attached to a submitted application is frozen.
    """
    if application.get("status") == "draft":
        return False
    submitted_at = application.get("submitted_at")
    if application.get("editable") and submitted_at:
        moment = submitted_at if isinstance(submitted_at, datetime) else datetime.fromisoformat(str(submitted_at).replace("Z", "+00:00"))
        return document.created_at <= moment
    return True


def _rule(program_id: str, kind: str) -> dict[str, Any]:
    return _rule_in(document_rules(program_id), kind)


def _rule_in(rules: Iterable[dict[str, Any]], kind: str) -> dict[str, Any]:
    for rule in rules:
        if rule.get("kind") == kind:
            return dict(rule)
    raise ValidationFailed("This program does not ask for this kind of document.", fields={"/kind": "not_requested"})


def upload_limits(rule: dict[str, Any]) -> dict[str, Any]:
    """A program's document rule as the person's browser must apply it: the types and the
    largest size this portal accepts for the kind (never above SSP_DOCUMENT_MAX_BYTES)."""
    allowed, max_bytes = _limits(rule)
    ordered = [t for t in (str(t).lower() for t in rule.get("content_types") or []) if t in allowed] or sorted(allowed)
    return {**rule, "content_types": ordered, "max_bytes": max_bytes}


def portal_limits() -> dict[str, int]:
    """The sizes the staff console offers when an administrator sets a programme's document
    rules: the largest document this portal accepts (programs refuses a rule above it, and
    uploads are capped by SSP_DOCUMENT_MAX_BYTES) and the size a new rule starts with."""
    largest = min(MAX_DOCUMENT_BYTES, config.get_int("SSP_DOCUMENT_MAX_BYTES"))
    return {"max_bytes": largest, "default_max_bytes": min(DEFAULT_DOCUMENT_BYTES, largest)}


def _limits(rule: dict[str, Any]) -> tuple[set[str], int]:
    """The types and the largest size a document may have: the portal's, narrowed by the
    program's rule for the kind (empty for a document of no application)."""
    allowed = content.allowed_types()
    if rule.get("content_types"):
        allowed = allowed & {str(t).lower() for t in rule["content_types"]}
    max_bytes = config.get_int("SSP_DOCUMENT_MAX_BYTES")
    if rule.get("max_bytes"):
        max_bytes = min(max_bytes, int(rule["max_bytes"]))
    return set(allowed), max_bytes


def _check_type_and_size(content_type: str, size: int, allowed: Iterable[str], max_bytes: int) -> None:
    allowed = sorted(allowed)
    if content_type not in allowed:
        raise UnsupportedMediaType(
            "This type of file is not accepted here.", code="type_not_allowed", fields={"/content_type": "not_allowed"}, details={"allowed": allowed}
        )
    if size > max_bytes:
        raise PayloadTooLarge("This file is too large.", code="file_too_large", fields={"/size": "too_large"}, details={"max_bytes": max_bytes})


def _read(key: str, etag: str) -> tuple[str, str | None, int]:
    """sha256, the sniffed type and the size of the object, stopping early at a wrong type."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    with _while_upload_unchanged():
        for chunk in storage.read_chunks(key, etag):
            digest.update(chunk)
            size += len(chunk)
            if len(head) < content.SNIFF_BYTES:
                head += chunk[: content.SNIFF_BYTES - len(head)]
                if len(head) >= content.SNIFF_BYTES and content.sniff(head) is None:
                    return digest.hexdigest(), None, size
    return digest.hexdigest(), content.sniff(head), size


@contextmanager
def _while_upload_unchanged() -> Iterator[None]:
    """S3 answers 412 (or 404) when the upload was replaced or removed while we checked it, e.g.
    by a second completion racing this one: the person may retry, which then answers the truth."""
    try:
        yield
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"PreconditionFailed", "412", "NoSuchKey", "404"}:
            raise Conflict("The file changed while we checked it. Please try again.", code="upload_changed") from None
        raise


def _reject(document: Document, reason: str, error: type[Conflict] | type[ValidationFailed] | type[PayloadTooLarge] | type[UnsupportedMediaType]) -> None:
    """Mark the document rejected, delete its bytes, give back its quota, and answer ``error``."""
    was_live = document.status in LIVE
    document.status = REJECTED
    document.reason = reason
    document.expires_at = now() + REJECTED_TTL
    document.updated_at = now()
    with transaction() as writes:
        writes.save(document)
        if was_live:
            writes.update(quota.quota_item(document.registrant_id), actions=quota.release(document))
        refused = {"document_id": document.document_id, "kind": document.kind, "reason": reason}
        add_event(
            writes,
            EventType.DOCUMENT_REFUSED,
            registrant_id=document.registrant_id,
            actor_role="system",
            application_id=document.application_id,
            program_id=document.program_id,
            data=refused,
        )
    for key in (document.upload_key, document.s3_key):
        if key:
            storage.delete(key)
    logger.info("document_rejected", extra={"document_id": document.document_id, "reason": reason})
    raise error(_REJECTION_MESSAGES.get(reason, "This file was not accepted."), code="document_rejected", details={"reason": reason})


_REJECTION_MESSAGES = {
    "upload_expired": "The time to upload this file has passed. Please start again.",
    "empty_file": "This file is empty.",
    "size_mismatch": "The file uploaded is not the size that was announced. Please start again.",
    "type_mismatch": "The file uploaded is not of the type that was announced. Please start again.",
    "content_mismatch": "The file's content does not match its type. Please upload a real PDF, JPEG or PNG file.",
    "key_outside_prefix": "This upload cannot be accepted. Please start again.",
    "malware_found": "This file may be harmful and was removed.",
}


def _settle_scan(document: Document) -> Document:
    """While a document is ``scanning``, ask the scanner whether it has decided."""
    scanner = configured_scanner()
    if document.status != SCANNING or scanner is None:
        return document
    verdict = scanner.verdict(document.s3_key)
    if verdict is not None:
        _apply_verdict(document, verdict)
    return document


def _apply_verdict(document: Document, verdict: Verdict) -> None:
    if verdict is Verdict.CLEAN:
        document.status = AVAILABLE
        _save_noting_availability(document)
        return
    try:
        _reject(document, "malware_found", Conflict)
    except Conflict:
        pass  # the rejection is recorded; the caller shows the document's new status
