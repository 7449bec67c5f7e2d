"""Each person may keep a configured number of documents and bytes; what is gone gives its place back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.store.base import now
from chalicelib.store.documents import Document
from tests.documents.conftest import HTML, PDF, Documents
from tests.support.api import Api, AsRegistrant


def test_the_document_after_the_count_limit_is_409_until_one_is_deleted(
    api: Api, registrant: AsRegistrant, documents: Documents, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSP_DOCUMENT_QUOTA_COUNT", "2")
    first = documents.uploaded(registrant)
    documents.declare(registrant)
    refused = documents.declare(registrant).answer
    assert refused.status == 409
    assert refused.error_code == "quota_exceeded"
    assert refused.json["error"]["max_documents"] == 2

    assert api.delete(f"/api/documents/{first}", as_=registrant).status == 204
    assert documents.declare(registrant).answer.status == 201


def test_the_declaration_that_would_pass_the_byte_limit_is_409(registrant: AsRegistrant, documents: Documents, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_DOCUMENT_QUOTA_BYTES", "250")
    assert documents.declare(registrant, size=150).answer.status == 201
    refused = documents.declare(registrant, size=101).answer
    assert refused.status == 409
    assert refused.json["error"]["max_bytes"] == 250
    assert documents.declare(registrant, size=100).answer.status == 201
    assert documents.declare(registrant, size=1).answer.error_code == "quota_exceeded"


def test_a_rejected_upload_gives_its_place_back(registrant: AsRegistrant, documents: Documents, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_DOCUMENT_QUOTA_COUNT", "1")
    declared = documents.declare(registrant, HTML)
    documents.upload(declared, HTML)
    assert documents.complete(registrant, declared.document_id).status == 415
    assert documents.declare(registrant, PDF).answer.status == 201


def test_an_abandoned_upload_stops_counting_once_its_window_has_passed(
    api: Api, registrant: AsRegistrant, documents: Documents, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSP_DOCUMENT_QUOTA_COUNT", "1")
    abandoned = documents.declare(registrant).document_id
    assert documents.declare(registrant).answer.error_code == "quota_exceeded"
    record = Document.get(abandoned)
    record.upload_deadline = now() - timedelta(hours=2)
    record.save()

    assert documents.declare(registrant).answer.status == 201
    shown = api.get(f"/api/documents/{abandoned}", as_=registrant).json["document"]
    assert (shown["status"], shown["reason"]) == ("rejected", "upload_expired")


def test_one_persons_quota_does_not_limit_another(
    registrant: AsRegistrant, other_registrant: AsRegistrant, documents: Documents, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSP_DOCUMENT_QUOTA_COUNT", "1")
    assert documents.declare(registrant).answer.status == 201
    assert documents.declare(other_registrant).answer.status == 201


def test_a_single_file_larger_than_the_whole_quota_is_409(registrant: AsRegistrant, documents: Documents, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_DOCUMENT_QUOTA_BYTES", "100")
    assert documents.declare(registrant, size=101).answer.error_code == "quota_exceeded"


def test_a_declaration_made_while_the_quota_is_recounted_is_not_lost(registrant: AsRegistrant, documents: Documents, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.documents import quota, service
    from chalicelib.store.documents import DocumentQuota

    monkeypatch.setenv("SSP_DOCUMENT_QUOTA_COUNT", "2")
    abandoned = documents.declare(registrant).document_id
    documents.declare(registrant)
    record = Document.get(abandoned)
    record.upload_deadline = now() - timedelta(hours=2)
    record.save()
    counted = quota.count_live
    raced: list[str] = []

    def another_tab_declares_while_counting(registrant_id: str) -> tuple[int, int]:
        result = counted(registrant_id)
        if not raced:  # after the count, before the count is written
            raced.append("another tab")
            declaration = service.Declaration(kind="id_card", file_name="other.pdf", content_type="application/pdf", size=len(PDF))
            service.declare_document(registrant_id, declaration)
        return result

    monkeypatch.setattr(quota, "count_live", another_tab_declares_while_counting)
    refused = documents.declare(registrant).answer

    assert (refused.status, refused.error_code) == (409, "quota_exceeded")  # the raced one took the freed place
    live = [d for d in Document.by_registrant.query(registrant.registrant_id) if d.status in service.LIVE]
    quota = DocumentQuota.get(f"quota#{registrant.registrant_id}")
    assert int(quota.documents) == len(live) == 2
    assert quota.revision and quota.created_at and quota.updated_at
