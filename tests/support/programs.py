"""The calls the registrant app and the staff console make, and sample answers, for the programs tests."""

from __future__ import annotations

import copy
from typing import Any

import requests

from infra.local import seed
from tests.support.api import Answer, Api, AsRegistrant, AsStaff
from tests.support.factories import make_program

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Answers to the sample form's required questions that the profile does not prefill (version 2:
# each child under 18; their birth certificates are uploaded with ``Portal.attach``).
HOUSEHOLD = {
    "region": "coast",
    "household_size": 4,
    "children": [
        {"name": "Amina Okafor", "birth_date": "2019-05-03", "relationship": "daughter"},
        {"name": "Tunde Okafor", "birth_date": "2021-05-01", "relationship": "son"},
    ],
    "caregiver_role": "parent",
    "receives_other_support": False,
}


class Portal:
    """The calls the registrant app and the staff console make."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def apply(self, who: AsRegistrant, program_id: str, answers: dict[str, Any] | None = None, **kwargs: Any) -> Answer:
        body = {"answers": answers} if answers is not None else {}
        return self.api.post(f"/api/programs/{program_id}/applications", body, as_=who, **kwargs)

    def draft(self, who: AsRegistrant, program_id: str, answers: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = self.apply(who, program_id, answers)
        assert answer.status == 201, answer.json
        return dict(answer.json)

    def save(self, who: AsRegistrant, application_id: str, answers: dict[str, Any], **body: Any) -> Answer:
        return self.api.patch(f"/api/applications/{application_id}", {"answers": answers, **body}, as_=who)

    def submit(self, who: AsRegistrant, application_id: str, **kwargs: Any) -> Answer:
        return self.api.post(f"/api/applications/{application_id}/submit", {}, as_=who, **kwargs)

    def submitted(self, who: AsRegistrant, program_id: str, answers: dict[str, Any] | None = None) -> dict[str, Any]:
        application = self.draft(who, program_id, answers)
        answer = self.submit(who, application["application_id"])
        assert answer.status == 200, answer.json
        return dict(answer.json)

    def decide(self, staff: AsStaff, application_id: str, to: str, reason: str | None = "Checked against the register.", **body: Any) -> Answer:
        payload = {"to": to, **body}
        if reason is not None:
            payload["reason"] = reason
        return self.api.post(f"/api/admin/applications/{application_id}/decision", payload, as_=staff)

    def attach(self, who: AsRegistrant, application_id: str, kind: str = "birth_certificate") -> str:
        """Declare, upload and complete a document for the application: its id."""
        declared = self.api.post(
            "/api/documents",
            {"kind": kind, "file_name": "certificate.pdf", "content_type": "application/pdf", "size": len(PDF), "application_id": application_id},
            as_=who,
        )
        assert declared.status == 201, declared.json
        upload = declared.json["upload"]
        sent = requests.post(upload["url"], data=upload["fields"], files={"file": ("certificate.pdf", PDF)}, timeout=10)
        assert sent.status_code in (200, 201, 204)
        document_id = str(declared.json["document"]["document_id"])
        done = self.api.post(f"/api/documents/{document_id}/complete", as_=who)
        assert done.status == 200, done.json
        return document_id


def simple_program(**fields: Any) -> str:
    """An open program with a one-question form and no documents."""
    return str(make_program(**fields).program_id)


def sample_definition() -> dict[str, Any]:
    """The sample form as the local stack now maps it (version 2: each child under 18)."""
    return copy.deepcopy(seed.FORM_V2)
