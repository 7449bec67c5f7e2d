"""The whole journey of a document: declare, upload through the presigned POST, complete, list,
download and delete — against moto, with exactly the fields the API returned."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import boto3
import requests

from chalicelib import config
from tests.documents.conftest import PDF, PNG, Documents
from tests.support.api import Api, AsRegistrant


def _objects() -> list[str]:
    answer = boto3.client("s3", region_name=config.region()).list_objects_v2(Bucket=config.documents_bucket())
    return [o["Key"] for o in answer.get("Contents", [])]


def test_upload_complete_list_download_and_delete_through_the_presigned_fields(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    declared = documents.declare(registrant, PDF, file_name="Carte d'identité.pdf")
    assert declared.answer.status == 201
    assert declared.answer.json["document"]["status"] == "pending"
    declared.answer.calls.assert_dynamodb_at_most(3)

    documents.upload(declared, PDF)
    completed = documents.complete(registrant, declared.document_id)
    assert completed.status == 200, completed.json
    document = completed.json["document"]
    assert document["status"] == "available"
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert document["size"] == len(PDF)
    assert document["content_type"] == "application/pdf"
    assert document["file_name"] == "Carte d'identité.pdf"
    assert "s3_key" not in document and "upload_key" not in document
    completed.calls.assert_dynamodb_at_most(3)

    listed = api.get("/api/documents", as_=registrant)
    assert listed.status == 200
    assert [d["document_id"] for d in listed.json["items"]] == [declared.document_id]
    listed.calls.assert_dynamodb_at_most(3)

    shown = api.get(f"/api/documents/{declared.document_id}", as_=registrant)
    assert shown.status == 200
    shown.calls.assert_dynamodb_at_most(3)
    url = shown.json["download"]["url"]
    params = parse_qs(urlparse(url).query)
    assert params["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert int(params["X-Amz-Expires"][0]) == config.get_int("SSP_DOCUMENT_DOWNLOAD_SECONDS")
    downloaded = requests.get(url, timeout=10)
    assert downloaded.status_code == 200
    assert downloaded.content == PDF
    assert downloaded.headers["Content-Type"] == "application/pdf"
    disposition = downloaded.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Carte%20d%27identit%C3%A9.pdf" in disposition

    # The verified bytes moved out of the upload area: nothing can replace them any more.
    assert _objects() == [f"documents/{registrant.registrant_id}/{declared.document_id}"]

    deleted = api.delete(f"/api/documents/{declared.document_id}", as_=registrant)
    assert deleted.status == 204
    deleted.calls.assert_dynamodb_at_most(3)
    assert api.get(f"/api/documents/{declared.document_id}", as_=registrant).status == 404
    assert api.get("/api/documents", as_=registrant).json["items"] == []
    assert _objects() == []


def test_presigned_post_policy_pins_key_type_exact_size_encryption_and_a_short_expiry(registrant: AsRegistrant, documents: Documents) -> None:
    before = datetime.now(UTC)
    declared = documents.declare(registrant, PNG, kind="photo", file_name="me.png", content_type="image/png")
    fields = declared.upload["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))

    key = f"uploads/{registrant.registrant_id}/{declared.document_id}"
    conditions = policy["conditions"]
    assert {"key": key} in conditions
    assert fields["key"] == key
    assert {"bucket": config.documents_bucket()} in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert ["content-length-range", len(PNG), len(PNG)] in conditions
    assert {"x-amz-server-side-encryption": "aws:kms"} in conditions
    assert fields["x-amz-server-side-encryption"] == "aws:kms"
    assert {"x-amz-algorithm": "AWS4-HMAC-SHA256"} in conditions  # SigV4, not SigV2
    assert "x-amz-signature" in fields

    # Nothing the person sent ends up in the key: their file name is metadata only.
    assert "me.png" not in json.dumps(policy)
    expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert 0 < (expiration - before).total_seconds() <= config.get_int("SSP_DOCUMENT_UPLOAD_SECONDS") + 5
    assert declared.upload["expires_at"].startswith(expiration.strftime("%Y-%m-%dT%H:%M"))


def test_a_kms_key_id_is_pinned_in_the_policy_when_configured(registrant: AsRegistrant, documents: Documents, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SSP_DOCUMENTS_KMS_KEY_ID", "arn:aws:kms:eu-west-1:111122223333:key/abc")
    declared = documents.declare(registrant)
    policy = json.loads(base64.b64decode(declared.upload["fields"]["policy"]))
    assert {"x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:eu-west-1:111122223333:key/abc"} in policy["conditions"]


def test_presigned_urls_use_the_public_endpoint_when_one_is_configured(registrant: AsRegistrant, documents: Documents, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SSP_S3_PUBLIC_ENDPOINT", "http://127.0.0.1:4566")
    declared = documents.declare(registrant)
    assert declared.upload["url"] == f"http://127.0.0.1:4566/{config.documents_bucket()}"


def test_every_allowed_type_goes_through_when_its_bytes_match(registrant: AsRegistrant, documents: Documents, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.documents.conftest import JPEG

    monkeypatch.setenv("SSP_DOCUMENT_TYPES", "application/pdf,image/jpeg,image/png,image/webp,image/heic")
    webp = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16
    for data, content_type in ((JPEG, "image/jpeg"), (PNG, "image/png"), (webp, "image/webp"), (heic, "image/heic")):
        documents.uploaded(registrant, data, file_name="scan", content_type=content_type)
