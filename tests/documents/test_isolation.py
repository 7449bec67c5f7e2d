"""A second person can never reach the first person's documents: no metadata, no URL, no change."""

from __future__ import annotations

import base64
import json

import requests

from chalicelib.documents import service
from tests.documents.conftest import PDF, Documents
from tests.support.api import Answer, Api, AsRegistrant


def _without_request_id(answer: Answer) -> tuple[int, dict]:  # type: ignore[type-arg]
    body = answer.json
    body["error"].pop("request_id", None)
    return answer.status, body


def test_another_persons_document_is_404_exactly_like_a_missing_one(
    api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, documents: Documents
) -> None:
    document_id = documents.uploaded(registrant)
    missing = "f" * 32
    for method, suffix in (("GET", ""), ("DELETE", ""), ("POST", "/complete")):
        theirs = api.request(method, f"/api/documents/{document_id}{suffix}", as_=other_registrant)
        nobodys = api.request(method, f"/api/documents/{missing}{suffix}", as_=other_registrant)
        assert theirs.status == 404
        assert _without_request_id(theirs) == _without_request_id(nobodys)
        assert "url" not in theirs.body.decode() and "amazonaws" not in theirs.body.decode()

    # ...and the owner's document is untouched by those attempts.
    mine = api.get(f"/api/documents/{document_id}", as_=registrant)
    assert mine.json["document"]["status"] == "available"
    assert requests.get(mine.json["download"]["url"], timeout=10).content == PDF


def test_completing_another_persons_pending_upload_is_404_and_leaves_it_pending(
    api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, documents: Documents
) -> None:
    declared = documents.declare(registrant)
    documents.upload(declared, PDF)
    assert documents.complete(other_registrant, declared.document_id).status == 404
    assert documents.complete(registrant, declared.document_id).status == 200


def test_lists_and_the_export_hold_only_the_persons_own_documents(
    api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, documents: Documents
) -> None:
    documents.uploaded(registrant)
    theirs = documents.uploaded(other_registrant)
    assert [d["document_id"] for d in api.get("/api/documents", as_=other_registrant).json["items"]] == [theirs]
    assert [d["document_id"] for d in service.documents_of(other_registrant.registrant_id)] == [theirs]


def test_a_page_link_pointing_into_another_persons_documents_is_400(
    api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, documents: Documents
) -> None:
    for _ in range(2):
        documents.uploaded(registrant)
    first_page = api.get("/api/documents?limit=1", as_=registrant)
    cursor = first_page.json["next_cursor"]
    assert cursor
    assert api.get(f"/api/documents?limit=1&cursor={cursor}", as_=registrant).status == 200

    stolen = api.get(f"/api/documents?limit=1&cursor={cursor}", as_=other_registrant)
    assert stolen.status == 400
    assert stolen.error_code == "bad_cursor"
    decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    decoded["registrant_id"] = {"S": other_registrant.registrant_id}
    forged = base64.urlsafe_b64encode(json.dumps(decoded).encode()).decode().rstrip("=")
    # A cursor rewritten to the caller's own partition only ever moves within their own documents.
    moved = api.get(f"/api/documents?limit=1&cursor={forged}", as_=other_registrant)
    assert moved.status == 200
    assert moved.json["items"] == []
