"""Helpers for the documents tests: declare through the API, upload through the presigned POST."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import requests

from tests.support.api import Answer, Api, AsRegistrant

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>\n"


@dataclass
class Declared:
    answer: Answer

    @property
    def document_id(self) -> str:
        return str(self.answer.json["document"]["document_id"])

    @property
    def upload(self) -> dict[str, Any]:
        return dict(self.answer.json["upload"])


class Documents:
    """The calls a browser makes, as a person."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def declare(self, who: AsRegistrant, data: bytes = PDF, **fields: Any) -> Declared:
        body = {"kind": "id_card", "file_name": "id card.pdf", "content_type": "application/pdf", "size": len(data), **fields}
        body = {k: v for k, v in body.items() if v is not None}
        return Declared(self.api.post("/api/documents", body, as_=who))

    def upload(self, declared: Declared, data: bytes, *, file_name: str = "whatever.pdf", override: dict[str, str] | None = None) -> requests.Response:
        """POST exactly the fields the API returned (plus ``override``), then the file, as a browser form does."""
        fields = {**declared.upload["fields"], **(override or {})}
        answer = requests.post(declared.upload["url"], data=fields, files={"file": (file_name, data)}, timeout=10)
        assert answer.status_code in (200, 201, 204), answer.text
        return answer

    def complete(self, who: AsRegistrant, document_id: str) -> Answer:
        return self.api.post(f"/api/documents/{document_id}/complete", as_=who)

    def uploaded(self, who: AsRegistrant, data: bytes = PDF, **fields: Any) -> str:
        """Declare, upload and complete: the id of an available document."""
        declared = self.declare(who, data, **fields)
        assert declared.answer.status == 201, declared.answer.json
        self.upload(declared, data)
        done = self.complete(who, declared.document_id)
        assert done.status == 200, done.json
        return declared.document_id


@pytest.fixture
def documents(api: Api) -> Documents:
    return Documents(api)
