"""Every bad declaration and every bad upload gets a clear 4xx, and a bad upload leaves nothing behind.

moto enforces neither the POST policy nor its signature, so these uploads reach the bucket the
way a tampered form could reach a misconfigured S3: the completion check is what refuses them.
"""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest

from chalicelib import config
from chalicelib.store.base import now
from chalicelib.store.documents import Document
from tests.documents.conftest import HTML, PDF, PNG, Documents
from tests.support.api import Api, AsRegistrant


def _objects() -> list[str]:
    answer = boto3.client("s3", region_name=config.region()).list_objects_v2(Bucket=config.documents_bucket())
    return [o["Key"] for o in answer.get("Contents", [])]


def _status(api: Api, who: AsRegistrant, document_id: str) -> str:
    return str(api.get(f"/api/documents/{document_id}", as_=who).json["document"]["status"])


# --- declarations ----------------------------------------------------------------------------


def test_a_declaration_over_the_size_limit_is_413(registrant: AsRegistrant, documents: Documents) -> None:
    answer = documents.declare(registrant, size=config.get_int("SSP_DOCUMENT_MAX_BYTES") + 1).answer
    assert answer.status == 413
    assert answer.error_code == "file_too_large"
    assert answer.json["error"]["fields"] == {"/size": "too_large"}
    assert answer.json["error"]["max_bytes"] == config.get_int("SSP_DOCUMENT_MAX_BYTES")


@pytest.mark.parametrize("content_type", ["text/html", "application/x-msdownload", "image/svg+xml", "image/webp", "application/octet-stream"])
def test_a_type_off_the_allow_list_is_415(registrant: AsRegistrant, documents: Documents, content_type: str) -> None:
    answer = documents.declare(registrant, content_type=content_type).answer
    assert answer.status == 415
    assert answer.error_code == "type_not_allowed"
    assert answer.json["error"]["allowed"] == ["application/pdf", "image/jpeg", "image/png"]


def test_a_zero_byte_declaration_is_422(registrant: AsRegistrant, documents: Documents) -> None:
    answer = documents.declare(registrant, size=0).answer
    assert answer.status == 422
    assert answer.json["error"]["fields"] == {"/size": "too_small"}


@pytest.mark.parametrize(
    ("file_name", "code"),
    [
        ("../../etc/passwd", "path_separator"),
        ("folder/id.pdf", "path_separator"),
        ("C:\\Users\\me\\id.pdf", "path_separator"),
        ("id\x00.pdf", "control_character"),
        ("id\n.pdf", "control_character"),
        ("invoice\u202efdp.exe", "control_character"),  # right-to-left override disguising an .exe
        ("  ", "empty"),
        ("..", "empty"),
    ],
)
def test_a_file_name_with_path_parts_or_control_characters_is_422(registrant: AsRegistrant, documents: Documents, file_name: str, code: str) -> None:
    answer = documents.declare(registrant, file_name=file_name).answer
    assert answer.status == 422
    assert answer.json["error"]["fields"] == {"/file_name": code}


def test_a_file_name_of_a_thousand_characters_is_422(registrant: AsRegistrant, documents: Documents) -> None:
    answer = documents.declare(registrant, file_name="a" * 996 + ".pdf").answer
    assert answer.status == 422
    assert answer.json["error"]["fields"] == {"/file_name": "too_long"}


@pytest.mark.parametrize("field", ["key", "s3_key", "bucket", "registrant_id"])
def test_the_person_cannot_choose_the_key_or_the_owner(registrant: AsRegistrant, documents: Documents, field: str) -> None:
    answer = documents.declare(registrant, **{field: f"uploads/someone-else/{field}"}).answer
    assert answer.status == 422
    assert answer.json["error"]["fields"] == {f"/{field}": "unknown_field"}


@pytest.mark.parametrize(
    ("change", "pointer", "code"),
    [
        ({"kind": None}, "/kind", "required"),
        ({"kind": "../id"}, "/kind", "wrong_format"),
        ({"size": "12"}, "/size", "wrong_type"),
        ({"size": 1.5}, "/size", "wrong_type"),
        ({"content_type": ""}, "/content_type", "too_short"),
        ({"application_id": "a/b"}, "/application_id", "wrong_format"),
    ],
)
def test_a_malformed_declaration_is_422_with_the_field(registrant: AsRegistrant, documents: Documents, change: dict, pointer: str, code: str) -> None:  # type: ignore[type-arg]
    answer = documents.declare(registrant, **change).answer
    assert answer.status == 422
    assert answer.json["error"]["fields"][pointer] == code


def test_declaring_needs_a_session_and_its_csrf_token(api: Api, registrant: AsRegistrant) -> None:
    body = {"kind": "id_card", "file_name": "a.pdf", "content_type": "application/pdf", "size": 10}
    assert api.post("/api/documents", body).status == 401
    no_csrf = api.post("/api/documents", body, headers={"Cookie": f"__Host-ssp_session={registrant.session_id}"})
    assert no_csrf.status == 403


# --- uploads that do not match their declaration ---------------------------------------------


def test_a_file_larger_than_declared_is_rejected_413_and_deleted(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, PDF)
    documents.upload(declared, PDF + b"%" * 4096)
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 413
    assert answer.error_code == "document_rejected"
    assert answer.json["error"]["reason"] == "size_mismatch"
    assert _status(api, registrant, declared.document_id) == "rejected"
    assert _objects() == []


def test_a_file_smaller_than_declared_is_rejected_422(registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, PDF)
    documents.upload(declared, PDF[:-5])
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 422
    assert answer.json["error"]["reason"] == "size_mismatch"


def test_an_empty_upload_is_rejected_422(registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, PDF)
    documents.upload(declared, b"")
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 422
    assert answer.json["error"]["reason"] == "empty_file"
    assert _objects() == []


def test_a_file_of_another_type_than_declared_is_rejected_415(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, PNG, content_type="application/pdf", file_name="photo.pdf")
    documents.upload(declared, PNG)  # the form's Content-Type says PDF; the bytes are a PNG
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 415
    assert answer.json["error"]["reason"] == "content_mismatch"
    assert _status(api, registrant, declared.document_id) == "rejected"
    assert _objects() == []


def test_an_upload_whose_content_type_field_was_changed_is_rejected_415(registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, PDF)
    documents.upload(declared, PDF, override={"Content-Type": "text/html"})
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 415
    assert answer.json["error"]["reason"] == "type_mismatch"
    assert _objects() == []


def test_an_html_file_named_pdf_is_rejected_415(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, HTML, file_name="payslip.pdf")
    documents.upload(declared, HTML, file_name="payslip.pdf")
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 415
    assert answer.json["error"]["reason"] == "content_mismatch"
    shown = api.get(f"/api/documents/{declared.document_id}", as_=registrant).json
    assert shown["document"]["status"] == "rejected"
    assert shown["document"]["reason"] == "content_mismatch"
    assert shown["download"] is None
    assert _objects() == []


def test_an_upload_to_a_key_outside_the_persons_prefix_is_never_taken_as_the_document(
    api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, documents: Documents
) -> None:
    victim = documents.declare(other_registrant, PDF)
    declared = documents.declare(registrant, PDF)
    # A tampered form (real S3 refuses it by the policy's key condition; moto does not).
    documents.upload(declared, PDF, override={"key": victim.upload["fields"]["key"]})
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 409
    assert answer.error_code == "upload_missing"
    assert _status(api, registrant, declared.document_id) == "pending"


def test_completing_before_uploading_is_409_and_the_document_stays_pending(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, PDF)
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 409
    assert answer.error_code == "upload_missing"
    assert _status(api, registrant, declared.document_id) == "pending"
    documents.upload(declared, PDF)
    assert documents.complete(registrant, declared.document_id).status == 200


def test_completing_twice_answers_as_the_first_completion(registrant: AsRegistrant, documents: Documents) -> None:
    # A retry whose first answer was lost (issue 19): the document as the first completion left it.
    document_id = documents.uploaded(registrant)
    again = documents.complete(registrant, document_id)
    assert again.status == 200
    assert again.json["document"]["status"] == "available" and again.json["document"]["document_id"] == document_id


def test_completing_a_rejected_document_is_409(registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, HTML)
    documents.upload(declared, HTML)
    assert documents.complete(registrant, declared.document_id).status == 415
    assert documents.complete(registrant, declared.document_id).error_code == "already_completed"


def _expire(document_id: str) -> None:
    document = Document.get(document_id)
    document.upload_deadline = now() - timedelta(hours=1)
    document.save()


def test_an_upload_after_its_window_is_rejected_409(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, PDF)
    _expire(declared.document_id)  # as if an hour had passed since the form was handed out
    documents.upload(declared, PDF)  # moto does not check the policy's expiration
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 409
    assert answer.json["error"]["reason"] == "upload_expired"
    assert _status(api, registrant, declared.document_id) == "rejected"
    assert _objects() == []


def test_completing_after_the_window_with_nothing_uploaded_is_409(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, PDF)
    _expire(declared.document_id)
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 409
    assert answer.json["error"]["reason"] == "upload_expired"
    assert _status(api, registrant, declared.document_id) == "rejected"


@pytest.mark.parametrize("document_id", ["nope", "0" * 32, "quota%23someone", "..%2Fdocuments"])
def test_an_unknown_or_malformed_document_id_is_404(api: Api, registrant: AsRegistrant, document_id: str) -> None:
    assert api.get(f"/api/documents/{document_id}", as_=registrant).status == 404
    assert api.post(f"/api/documents/{document_id}/complete", as_=registrant).status == 404
    assert api.delete(f"/api/documents/{document_id}", as_=registrant).status == 404


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "cursor=%%%", "colour=red", "application_id=a%2Fb"])
def test_a_bad_list_query_is_400(api: Api, registrant: AsRegistrant, query: str) -> None:
    answer = api.get(f"/api/documents?{query}", as_=registrant)
    assert answer.status == 400


def test_an_upload_replaced_while_it_is_being_checked_is_409_and_can_be_completed_again(
    api: Api, registrant: AsRegistrant, documents: Documents, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.documents import storage

    declared = documents.declare(registrant, PDF)
    documents.upload(declared, PDF)
    swapped = PDF.replace(b"Catalog", b"Catalox")
    assert swapped != PDF and len(swapped) == len(PDF)
    real_head = storage.head

    def head_then_the_browser_uploads_again(key: str) -> storage.StoredObject | None:
        seen = real_head(key)
        documents.upload(declared, swapped)  # a second upload lands between our HEAD and our GET
        return seen

    monkeypatch.setattr(storage, "head", head_then_the_browser_uploads_again)
    answer = documents.complete(registrant, declared.document_id)
    assert answer.status == 409
    assert answer.error_code == "upload_changed"
    assert _status(api, registrant, declared.document_id) == "pending"

    monkeypatch.setattr(storage, "head", real_head)
    import hashlib

    completed = documents.complete(registrant, declared.document_id)
    assert completed.json["document"]["sha256"] == hashlib.sha256(swapped).hexdigest()


def test_a_pending_record_expires_by_itself_and_an_available_one_does_not(registrant: AsRegistrant, documents: Documents) -> None:
    pending = Document.get(documents.declare(registrant).document_id)
    assert pending.expires_at is not None
    assert pending.upload_deadline is not None and pending.expires_at > pending.upload_deadline
    assert Document.get(documents.uploaded(registrant)).expires_at is None
