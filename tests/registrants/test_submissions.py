"""Everything I submitted, the export, and a reviewer opening my application in my activity log."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from tests.support.api import Api, AsRegistrant
from tests.support.factories import as_staff, make_form, make_program
from tests.support.registrants import activity, patch_me

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

SCHEMA = {
    "type": "object",
    "properties": {
        "household": {
            "type": "object",
            "properties": {"size": {"type": "integer", "minimum": 1, "maximum": 30}},
        },
        "caregiver_role": {"type": "string", "enum": ["parent", "grandparent"]},
    },
    "required": ["caregiver_role"],
}
UI = {
    "pages": [{"id": "main", "title": {"en": "About you", "fr": "Vous"}, "fields": ["/household/size", "/caregiver_role"]}],
    "fields": {
        "/household/size": {"widget": "number", "label": {"en": "People in your household", "fr": "Personnes dans votre ménage"}},
        "/caregiver_role": {
            "widget": "radio",
            "label": {"en": "You care for the child as", "fr": "Vous vous occupez de l'enfant en tant que"},
            "options": {"parent": {"en": "Parent", "fr": "Parent"}, "grandparent": {"en": "Grandparent", "fr": "Grand-parent"}},
        },
    },
}
ANSWERS = {"household": {"size": 4}, "caregiver_role": "grandparent"}


@pytest.fixture
def program_id(aws: None) -> str:
    return str(make_program(form=make_form(SCHEMA, ui_schema=UI), documents=[]).program_id)


def submit(api: Api, who: AsRegistrant, program_id: str) -> dict[str, Any]:
    draft = api.post(f"/api/programs/{program_id}/applications", {"answers": ANSWERS}, as_=who)
    assert draft.status == 201, draft.json
    submitted = api.post(f"/api/applications/{draft.json['application_id']}/submit", {}, as_=who)
    assert submitted.status == 200, submitted.json
    return dict(submitted.json)


def test_my_submissions_show_every_answer_with_the_forms_labels_in_my_language(api: Api, registrant: AsRegistrant, program_id: str) -> None:
    application = submit(api, registrant, program_id)
    answer = api.get("/api/me/submissions?locale=fr", as_=registrant)
    assert answer.status == 200, answer.json
    answer.calls.assert_dynamodb_at_most(4)  # session (+ its refresh), the applications, the documents (by file name)
    (item,) = answer.json["items"]
    assert item["application_id"] == application["application_id"]
    assert item["reference"] == application["reference"]
    assert item["program"]["name"] == "Allocation de soutien à l'enfant"
    assert item["form"]["version"] == 1
    assert item["status"] == "submitted" and item["submitted_at"]
    assert {a["pointer"]: (a["label"], a["shown_as"]) for a in item["answers"]} == {
        "/household/size": ("Personnes dans votre ménage", 4),
        "/caregiver_role": ("Vous vous occupez de l'enfant en tant que", "Grand-parent"),
    }
    english = api.get("/api/me/submissions", as_=registrant).json["items"][0]["answers"]
    assert {a["label"] for a in english} == {"People in your household", "You care for the child as"}


def test_without_a_locale_my_submissions_are_in_my_preferred_language(api: Api, registrant: AsRegistrant, program_id: str) -> None:
    from chalicelib.store.registrants import Registrant

    submit(api, registrant, program_id)
    person = Registrant.get(registrant.registrant_id)
    person.preferred_locale = "fr"
    person.save()
    api.get("/api/me/submissions?locale=fr", as_=registrant)  # the form version is now cached, as it is in a warm process

    answer = api.get("/api/me/submissions", as_=registrant)
    answer.calls.assert_dynamodb_at_most(4)  # session, the language on the person's record, the applications, their documents
    assert {a["label"] for a in answer.json["items"][0]["answers"]} == {"Personnes dans votre ménage", "Vous vous occupez de l'enfant en tant que"}
    # Asking for a language still wins.
    english = api.get("/api/me/submissions?locale=en", as_=registrant).json["items"][0]["answers"]
    assert {a["label"] for a in english} == {"People in your household", "You care for the child as"}


def test_a_language_i_choose_in_my_details_applies_from_my_next_request(api: Api, program_id: str) -> None:
    from chalicelib.auth.sessions import create_session
    from tests.support.factories import make_registrant

    # A session started in English, as login makes one for a person whose provider says "en".
    person = make_registrant()
    session = create_session(person.registrant_id, {"name": "Amina Okafor", "provider": "dev", "locale": "en"})
    who = AsRegistrant(person.registrant_id, session.raw_id, session.csrf_token)
    submit(api, who, program_id)
    assert api.get("/api/me/submissions", as_=who).json["items"][0]["program"]["name"] == "Child Support Grant"

    changed = patch_me(api, who, {"preferred_language": "fr"})
    assert changed.status == 200, changed.json
    assert changed.json["profile"]["preferred_locale"] == "fr"
    assert api.get("/api/me", as_=who).json["preferred_locale"] == "fr"
    labels = {a["label"] for a in api.get("/api/me/submissions", as_=who).json["items"][0]["answers"]}
    assert labels == {"Personnes dans votre ménage", "Vous vous occupez de l'enfant en tant que"}
    exported = api.get("/api/me/export", as_=who).json
    assert exported["applications"][0]["program"]["name"] == "Allocation de soutien à l'enfant"
    assert '<html lang="fr">' in api.get("/api/me/export?format=html", as_=who).body.decode()


def test_submissions_page_without_a_scan_and_never_show_another_persons(
    api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, program_id: str
) -> None:
    submit(api, registrant, program_id)
    second = str(make_program(form=make_form(SCHEMA, ui_schema=UI), documents=[]).program_id)
    submit(api, registrant, second)
    first_page = api.get("/api/me/submissions?limit=1", as_=registrant)
    first_page.calls.assert_dynamodb_at_most(4)  # session (+ its refresh), the applications, the documents (a document answer by its file name)
    rest = api.get(f"/api/me/submissions?limit=1&cursor={first_page.json['next_cursor']}", as_=registrant).json
    assert len(first_page.json["items"]) == len(rest["items"]) == 1
    assert first_page.json["items"][0]["application_id"] != rest["items"][0]["application_id"]

    theirs = api.get("/api/me/submissions", as_=other_registrant)
    assert theirs.json["items"] == []
    stolen = api.get(f"/api/me/submissions?cursor={first_page.json['next_cursor']}", as_=other_registrant)
    assert stolen.status == 400


def test_a_reviewer_opening_my_application_shows_up_in_my_activity(api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, program_id: str) -> None:
    application = submit(api, registrant, program_id)
    assert activity(api, registrant) == []
    opened = api.get(f"/api/admin/applications/{application['application_id']}", as_=as_staff("reviewer", subject="reviewer-rui"))
    assert opened.status == 200, opened.json
    answer = api.get("/api/me/activity", as_=registrant)
    answer.calls.assert_dynamodb_at_most(2)
    (event,) = answer.json["items"]
    assert event["by"]["role"] == "reviewer"
    assert event["by"]["ref"].startswith("staff-") and "rui" not in json.dumps(event)
    assert event["details"] == {"application_id": application["application_id"]}
    assert event["action"] == "application_viewed"
    assert activity(api, other_registrant) == []


def upload_document(api: Api, who: AsRegistrant) -> str:
    declared = api.post("/api/documents", {"kind": "id_card", "file_name": "id card.pdf", "content_type": "application/pdf", "size": len(PDF)}, as_=who)
    assert declared.status == 201, declared.json
    upload = declared.json["upload"]
    sent = requests.post(upload["url"], data=upload["fields"], files={"file": ("id card.pdf", PDF)}, timeout=10)
    assert sent.status_code in (200, 201, 204)
    document_id = str(declared.json["document"]["document_id"])
    assert api.post(f"/api/documents/{document_id}/complete", as_=who).status == 200
    return document_id


def test_the_export_holds_all_my_data_in_one_json_document(api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, program_id: str) -> None:
    patch_me(api, registrant, {"household_size": 4})
    patch_me(api, registrant, {"name": "Amina N. Okafor"})
    application = submit(api, registrant, program_id)
    api.get(f"/api/admin/applications/{application['application_id']}", as_=as_staff("reviewer"))
    document_id = upload_document(api, registrant)
    submit(api, other_registrant, program_id)
    upload_document(api, other_registrant)

    answer = api.get("/api/me/export", as_=registrant)
    assert answer.status == 200, answer.json
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    export = answer.json
    assert export["format"] == "ssp-export/1"
    assert export["profile"]["fields"]["household_size"]["value"] == 4
    assert export["profile"]["fields"]["name"]["pending_change"]["value"] == "Amina N. Okafor"
    assert [h["field"] for h in export["history"]] == ["household_size"]
    assert [r["field"] for r in export["change_requests"]] == ["name"]
    (exported,) = export["applications"]
    assert exported["application_id"] == application["application_id"]
    assert [(t["from"], t["to"]) for t in exported["timeline"]] == [(None, "draft"), ("draft", "submitted")]
    assert {a["pointer"] for a in exported["answers"]} == {"/household/size", "/caregiver_role"}
    (document,) = export["documents"]
    assert document["document_id"] == document_id
    assert document["download"]["url"].startswith("http")
    assert [e["action"] for e in export["activity"]] == ["application_viewed"]
    assert export["consents"] == []  # this person was made without a login consent
    assert other_registrant.registrant_id not in answer.body.decode()


def test_the_export_as_a_readable_page(api: Api, registrant: AsRegistrant, program_id: str) -> None:
    patch_me(api, registrant, {"household_size": 4})
    submit(api, registrant, program_id)
    answer = api.get("/api/me/export?format=html&locale=fr", as_=registrant)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"].startswith("default-src 'none'; style-src 'sha256-")
    assert answer.headers["content-disposition"].startswith("attachment;")
    page = answer.body.decode()
    assert "Amina Okafor" in page
    assert "Allocation de soutien" in page
    assert "Grand-parent" in page
    assert "<script" not in page


def test_the_export_holds_the_statements_i_agreed_to_in_applications(api: Api, registrant: AsRegistrant) -> None:
    statement = {"id": "share_with_ministry", "text": {"en": "My answers may go to the Ministry.", "fr": "Mes réponses peuvent aller au ministère."}}
    program = make_program(form=make_form(SCHEMA, ui_schema=UI), documents=[], consents=[statement])
    draft = api.post(f"/api/programs/{program.program_id}/applications", {"answers": ANSWERS}, as_=registrant)
    agreed = {"consents": {"share_with_ministry": True}, "locale": "fr"}
    submitted = api.post(f"/api/applications/{draft.json['application_id']}/submit", agreed, as_=registrant)
    assert submitted.status == 200, submitted.json

    (consent,) = api.get("/api/me/export", as_=registrant).json["consents"]
    assert consent["kind"] == "application" and consent["statement"] == {"fr": statement["text"]["fr"]}
    assert consent["reference"]["reference"] == submitted.json["reference"] and consent["given_at"]
    page = api.get("/api/me/export?format=html&locale=fr", as_=registrant).body.decode()
    with_whom = f"Allocation de soutien à l&#x27;enfant — {submitted.json['reference']}"
    assert f"<dt>Avec</dt><dd>{with_whom}</dd></div><div><dt>Quoi</dt><dd>Mes réponses peuvent aller au ministère.</dd>" in page
