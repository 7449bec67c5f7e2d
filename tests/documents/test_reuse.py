"""Using a document I already uploaded for an application (POST /api/applications/{id}/documents):
an unattached one is attached; one that belongs to another application is copied, the original
left as it was; the program's rules for the kind apply either way."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from chalicelib import config
from chalicelib.documents import service, storage
from chalicelib.store.documents import Document, DocumentQuota
from tests.documents.conftest import PDF, PNG, Documents
from tests.support.api import Answer, Api, AsRegistrant
from tests.support.factories import make_program

RULES = [
    {"kind": "birth_certificate", "label": {"en": "Birth certificate"}, "required": True, "content_types": ["application/pdf"], "max_bytes": 4096},
    {"kind": "photo", "label": {"en": "Photo"}, "required": False, "content_types": ["image/png"], "max_bytes": 1_000_000},
]
LARGE_PDF = PDF + b"%" + b"0" * 5000  # a real PDF, over the program's 4096 bytes for the kind


@pytest.fixture
def program_id(aws: None) -> str:
    return str(make_program(documents=RULES).program_id)


def _draft(api: Api, who: AsRegistrant, program_id: str) -> str:
    answer = api.post(f"/api/programs/{program_id}/applications", {"answers": {"name": "Amina Okafor"}}, as_=who)
    assert answer.status == 201, answer.json
    return str(answer.json["application_id"])


def _reuse(api: Api, who: AsRegistrant, application_id: str, document_id: str, **body: Any) -> Answer:
    return api.post(f"/api/applications/{application_id}/documents", {"document_id": document_id, **body}, as_=who)


def _submit(api: Api, who: AsRegistrant, application_id: str) -> Answer:
    return api.post(f"/api/applications/{application_id}/submit", {}, as_=who)


def _last_years_certificate(api: Api, who: AsRegistrant, documents: Documents) -> tuple[str, str]:
    """A certificate sent with an application to another program: (its application, the document)."""
    last_year = _draft(api, who, str(make_program(documents=RULES).program_id))
    certificate = documents.uploaded(who, PDF, kind="birth_certificate", file_name="certificate.pdf", application_id=last_year)
    assert _submit(api, who, last_year).status == 200
    return last_year, certificate


def _stored_keys(registrant_id: str) -> list[str]:
    listed = storage.get_s3().list_objects_v2(Bucket=config.documents_bucket(), Prefix=f"documents/{registrant_id}/")
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_an_unattached_document_is_attached_to_my_draft_in_three_calls(api: Api, registrant: AsRegistrant, documents: Documents, program_id: str) -> None:
    application_id = _draft(api, registrant, program_id)
    certificate = documents.uploaded(registrant, PDF, kind="birth_certificate")

    answer = _reuse(api, registrant, application_id, certificate)

    assert answer.status == 201, answer.json
    # The session, one TransactGetItems (document, application, program), one TransactWrite.
    assert len(answer.calls.dynamodb) == 3, answer.calls.dynamodb
    answer.calls.assert_dynamodb_at_most(3)
    document = answer.json["document"]
    assert (document["document_id"], document["application_id"], document["status"]) == (certificate, application_id, "available")
    assert document["copied_from"] is None
    assert service.available_kinds_for_application(registrant.registrant_id, application_id) == {"birth_certificate"}
    assert _reuse(api, registrant, application_id, certificate).status == 200  # a retry changes nothing
    assert _submit(api, registrant, application_id).status == 200


def test_a_document_of_another_application_is_copied_and_the_original_left_as_sent(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str
) -> None:
    last_year, certificate = _last_years_certificate(api, registrant, documents)
    application_id = _draft(api, registrant, program_id)
    before = Document.get(certificate)
    quota_before = int(DocumentQuota.get(f"quota#{registrant.registrant_id}").documents)

    answer = _reuse(api, registrant, application_id, certificate)

    assert answer.status == 201, answer.json
    assert len(answer.calls.dynamodb) == 3, answer.calls.dynamodb  # session, TransactGetItems, TransactWrite
    copy = answer.json["document"]
    assert copy["document_id"] != certificate
    assert copy["copied_from"] == certificate
    assert (copy["application_id"], copy["kind"], copy["status"]) == (application_id, "birth_certificate", "available")
    original = api.get(f"/api/documents/{certificate}", as_=registrant).json["document"]
    for same in ("sha256", "size", "content_type", "file_name"):
        assert copy[same] == original[same]
    assert original["application_id"] == last_year
    after = Document.get(certificate)
    assert (after.version, after.s3_key, after.application_id) == (before.version, before.s3_key, before.application_id)
    stored = Document.get(copy["document_id"])
    assert stored.s3_key == storage.document_key(registrant.registrant_id, copy["document_id"]) != before.s3_key
    assert _stored_keys(registrant.registrant_id) == sorted([before.s3_key, stored.s3_key])
    assert int(DocumentQuota.get(f"quota#{registrant.registrant_id}").documents) == quota_before + 1
    download = api.get(f"/api/documents/{copy['document_id']}", as_=registrant).json["download"]
    assert requests.get(download["url"], timeout=10).content == PDF
    assert _submit(api, registrant, application_id).status == 200
    # The copy belongs to this application only: deleting it is this application's business.
    assert api.delete(f"/api/documents/{certificate}", as_=registrant).error_code == "document_frozen"


def test_a_document_is_used_as_the_kind_the_program_asks_for(api: Api, registrant: AsRegistrant, documents: Documents, program_id: str) -> None:
    application_id = _draft(api, registrant, program_id)
    scanned = documents.uploaded(registrant, PDF, kind="id_card")
    assert _reuse(api, registrant, application_id, scanned).json["error"]["fields"] == {"/kind": "not_requested"}

    answer = _reuse(api, registrant, application_id, scanned, kind="birth_certificate")

    assert answer.status == 201, answer.json
    assert answer.json["document"]["kind"] == "birth_certificate"
    assert _submit(api, registrant, application_id).status == 200


def test_the_programs_rules_for_the_kind_apply(api: Api, registrant: AsRegistrant, documents: Documents, program_id: str) -> None:
    application_id = _draft(api, registrant, program_id)
    photo = documents.uploaded(registrant, PNG, kind="birth_certificate", content_type="image/png", file_name="me.png")
    wrong_type = _reuse(api, registrant, application_id, photo)
    assert (wrong_type.status, wrong_type.error_code, wrong_type.json["error"]["allowed"]) == (415, "type_not_allowed", ["application/pdf"])
    large = documents.uploaded(registrant, LARGE_PDF, kind="birth_certificate")
    too_large = _reuse(api, registrant, application_id, large)
    assert (too_large.status, too_large.error_code, too_large.json["error"]["max_bytes"]) == (413, "file_too_large", 4096)
    assert service.available_kinds_for_application(registrant.registrant_id, application_id) == set()
    assert Document.get(photo).application_id is None and Document.get(large).application_id is None
    # A copy is held to the same rules, and nothing is copied when they refuse it.
    _, certificate = _last_years_certificate(api, registrant, documents)
    keys = _stored_keys(registrant.registrant_id)
    assert _reuse(api, registrant, application_id, certificate, kind="photo").status == 415
    assert _stored_keys(registrant.registrant_id) == keys


def test_another_persons_document_or_application_is_404_and_untouched(
    api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, documents: Documents, program_id: str
) -> None:
    mine = _draft(api, registrant, program_id)
    theirs = _draft(api, other_registrant, program_id)
    my_certificate = documents.uploaded(registrant, PDF, kind="birth_certificate")
    their_certificate = documents.uploaded(other_registrant, PDF, kind="birth_certificate")

    for application_id, document_id in ((mine, their_certificate), (theirs, my_certificate), (mine, "0" * 32), ("nothing_here", my_certificate)):
        answer = _reuse(api, registrant, application_id, document_id)
        assert (answer.status, answer.error_code) == (404, "not_found"), (application_id, document_id)
    assert Document.get(their_certificate).application_id is None
    assert Document.get(my_certificate).application_id is None
    assert service.available_kinds_for_application(other_registrant.registrant_id, theirs) == set()
    assert _stored_keys(other_registrant.registrant_id) == [storage.document_key(other_registrant.registrant_id, their_certificate)]


def test_a_submitted_application_or_an_unchecked_document_is_409(api: Api, registrant: AsRegistrant, documents: Documents, program_id: str) -> None:
    application_id = _draft(api, registrant, program_id)
    pending = documents.declare(registrant, kind="birth_certificate").document_id
    not_checked = _reuse(api, registrant, application_id, pending)
    assert (not_checked.status, not_checked.error_code, not_checked.json["error"]["status"]) == (409, "document_not_available", "pending")

    documents.uploaded(registrant, PDF, kind="birth_certificate", application_id=application_id)
    assert _submit(api, registrant, application_id).status == 200
    spare = documents.uploaded(registrant, PDF, kind="birth_certificate")
    sent = _reuse(api, registrant, application_id, spare)
    assert (sent.status, sent.error_code) == (409, "application_not_editable")


def test_a_copy_counts_against_the_quota_and_leaves_no_bytes_behind_when_refused(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, certificate = _last_years_certificate(api, registrant, documents)
    application_id = _draft(api, registrant, program_id)
    monkeypatch.setenv("SSP_DOCUMENT_QUOTA_COUNT", "1")
    keys = _stored_keys(registrant.registrant_id)

    refused = _reuse(api, registrant, application_id, certificate)

    assert (refused.status, refused.error_code) == (409, "quota_exceeded")
    assert _stored_keys(registrant.registrant_id) == keys
    assert [d["document_id"] for d in api.get("/api/documents", as_=registrant).json["items"]] == [certificate]


def test_with_a_malware_scanner_a_copy_waits_for_its_own_verdict(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, certificate = _last_years_certificate(api, registrant, documents)
    application_id = _draft(api, registrant, program_id)
    monkeypatch.setenv("SSP_MALWARE_SCANNER", "guardduty")

    answer = _reuse(api, registrant, application_id, certificate)

    assert answer.status == 201, answer.json
    assert answer.json["document"]["status"] == "scanning"
    assert service.available_kinds_for_application(registrant.registrant_id, application_id) == set()


def test_reusing_needs_the_csrf_token_and_a_document_id(api: Api, registrant: AsRegistrant, documents: Documents, program_id: str) -> None:
    application_id = _draft(api, registrant, program_id)
    certificate = documents.uploaded(registrant, PDF, kind="birth_certificate")
    no_csrf = api.request(
        "POST",
        f"/api/applications/{application_id}/documents",
        json_body={"document_id": certificate},
        headers={"Cookie": f"__Host-ssp_session={registrant.session_id}"},
    )
    assert no_csrf.status == 403
    for body, pointer in (({}, "/document_id"), ({"document_id": certificate, "key": "documents/x"}, "/key"), ({"document_id": "../x"}, "/document_id")):
        answer = api.post(f"/api/applications/{application_id}/documents", body, as_=registrant)
        assert answer.status == 422, body
        assert pointer in answer.json["error"]["fields"]
    assert api.post(f"/api/applications/{application_id}/documents", {"document_id": certificate}).status == 401
