"""With a malware scanner configured, a verified document waits in ``scanning`` for its verdict.

The fake scanner result is the tag GuardDuty Malware Protection for S3 writes on the object.
"""

from __future__ import annotations

import boto3
import pytest
import requests

from chalicelib import config
from chalicelib.documents import service
from tests.documents.conftest import PDF, Documents
from tests.support.api import Api, AsRegistrant


@pytest.fixture(autouse=True)
def guardduty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_MALWARE_SCANNER", "guardduty")


def _scanned(registrant: AsRegistrant, document_id: str, status: str) -> None:
    boto3.client("s3", region_name=config.region()).put_object_tagging(
        Bucket=config.documents_bucket(),
        Key=f"documents/{registrant.registrant_id}/{document_id}",
        Tagging={"TagSet": [{"Key": "GuardDutyMalwareScanStatus", "Value": status}]},
    )


def _keys() -> list[str]:
    answer = boto3.client("s3", region_name=config.region()).list_objects_v2(Bucket=config.documents_bucket())
    return [o["Key"] for o in answer.get("Contents", [])]


def _complete(documents: Documents, registrant: AsRegistrant) -> str:
    declared = documents.declare(registrant)
    documents.upload(declared, PDF)
    completed = documents.complete(registrant, declared.document_id)
    assert completed.status == 200
    assert completed.json["document"]["status"] == "scanning"
    return declared.document_id


def test_a_verified_document_is_scanning_and_not_downloadable_until_the_scanner_says_clean(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    document_id = _complete(documents, registrant)
    waiting = api.get(f"/api/documents/{document_id}", as_=registrant).json
    assert waiting["document"]["status"] == "scanning"
    assert waiting["download"] is None

    _scanned(registrant, document_id, "NO_THREATS_FOUND")
    ready = api.get(f"/api/documents/{document_id}", as_=registrant)
    assert ready.json["document"]["status"] == "available"
    assert requests.get(ready.json["download"]["url"], timeout=10).content == PDF
    ready.calls.assert_dynamodb_at_most(3)


def test_an_infected_document_is_rejected_and_its_bytes_deleted(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    document_id = _complete(documents, registrant)
    _scanned(registrant, document_id, "THREATS_FOUND")
    shown = api.get(f"/api/documents/{document_id}", as_=registrant).json
    assert (shown["document"]["status"], shown["document"]["reason"]) == ("rejected", "malware_found")
    assert shown["download"] is None
    assert _keys() == []


def test_a_scan_that_could_not_decide_keeps_the_document_scanning(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    document_id = _complete(documents, registrant)
    _scanned(registrant, document_id, "UNSUPPORTED")
    assert api.get(f"/api/documents/{document_id}", as_=registrant).json["document"]["status"] == "scanning"


def test_a_verdict_pushed_from_outside_a_request_settles_the_document(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    document_id = _complete(documents, registrant)
    service.record_scan_verdict(document_id, clean=False)
    assert api.get(f"/api/documents/{document_id}", as_=registrant).json["document"]["reason"] == "malware_found"
    clean = _complete(documents, registrant)
    service.record_scan_verdict(clean, clean=True)
    assert api.get(f"/api/documents/{clean}", as_=registrant).json["document"]["status"] == "available"


def test_the_export_shows_a_scanning_document_without_a_link(registrant: AsRegistrant, documents: Documents) -> None:
    document_id = _complete(documents, registrant)
    exported = service.documents_of(registrant.registrant_id)
    assert [(d["document_id"], d["status"], d["download"]) for d in exported] == [(document_id, "scanning", None)]
