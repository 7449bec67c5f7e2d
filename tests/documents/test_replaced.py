"""A document sent with an application and replaced while answering a request for information
(issue 21: "a replaced unreadable photo cannot be removed"): the person can take the old one out
of the application; the copy that was sent stays on its record, marked as replaced, for the
reviewer and the export. A sent document nothing replaces, or one an answer still names, stays."""

from __future__ import annotations

import pytest
import requests

from chalicelib.documents import service
from chalicelib.person.export import export_of, render_html
from chalicelib.store.documents import Document
from tests.documents.conftest import PDF, Documents
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.factories import logged_in, make_program
from tests.support.households import child, household_program
from tests.support.programs import Portal

RULES = [{"kind": "photo", "label": {"en": "Photo"}, "required": True, "content_types": ["application/pdf"], "max_bytes": 4096}]


@pytest.fixture
def program_id(aws: None) -> str:
    return str(make_program(documents=RULES).program_id)


def _photo(documents: Documents, who: AsRegistrant, application_id: str, name: str) -> str:
    return documents.uploaded(who, PDF, kind="photo", file_name=name, application_id=application_id)


def _asked_again(portal: Portal, reviewer: AsStaff, application_id: str) -> None:
    for to in ("under_review", "info_requested"):
        decided = portal.decide(reviewer, application_id, to, reason="The photo cannot be read. Please send a clearer one.")
        assert decided.status == 200, decided.json


def _sent_with_a_photo(portal: Portal, documents: Documents, who: AsRegistrant, program_id: str) -> tuple[str, str]:
    application_id = portal.draft(who, program_id, {"name": "Amina Okafor"})["application_id"]
    blurred = _photo(documents, who, application_id, "blurred.pdf")
    assert portal.submit(who, application_id).status == 200
    return application_id, blurred


def test_a_sent_photo_replaced_while_answering_a_request_can_be_removed_and_stays_on_record_as_replaced(
    api: Api, portal: Portal, registrant: AsRegistrant, documents: Documents, program_id: str, reviewer: AsStaff
) -> None:
    application_id, blurred = _sent_with_a_photo(portal, documents, registrant, program_id)
    _asked_again(portal, reviewer, application_id)
    clear = _photo(documents, registrant, application_id, "clear.pdf")

    removed = api.delete(f"/api/documents/{blurred}", as_=registrant)
    assert removed.status == 204
    removed.calls.assert_dynamodb_at_most(5)  # session, document, application, its documents, the write
    assert api.delete(f"/api/documents/{blurred}", as_=registrant).status == 204  # a retry, or another tab: done already

    # No longer one of the application's current documents...
    assert service.available_kinds_for_application(registrant.registrant_id, application_id) == {"photo"}
    mine = api.get(f"/api/documents?application_id={application_id}", as_=registrant).json["items"]
    assert [(d["file_name"], d["status"], d["replaced_by"]) for d in mine] == [("clear.pdf", "available", None), ("blurred.pdf", "replaced", clear)]
    assert api.post(f"/api/applications/{application_id}/documents", {"document_id": blurred}, as_=registrant).error_code == "document_not_available"
    assert portal.submit(registrant, application_id).status == 200

    # ...but what was sent stays: the reviewer lists it as replaced and can still open it, and so can the person.
    listed = {d["document_id"]: d for d in api.get(f"/api/admin/documents?application_id={application_id}", as_=reviewer).json["items"]}
    assert (listed[blurred]["status"], listed[blurred]["replaced_by"], listed[clear]["status"]) == ("replaced", clear, "available")
    assert listed[blurred]["replaced_at"]
    opened = api.get(f"/api/admin/documents/{blurred}", as_=reviewer)
    assert opened.status == 200 and requests.get(opened.json["download"]["url"], timeout=10).content == PDF
    exported = {d["document_id"]: d for d in service.documents_of(registrant.registrant_id)}
    assert exported[blurred]["status"] == "replaced" and exported[blurred]["download"] is not None


def test_a_sent_photo_nothing_replaces_cannot_be_removed_and_the_answer_says_what_to_do(
    api: Api, portal: Portal, registrant: AsRegistrant, documents: Documents, program_id: str, reviewer: AsStaff
) -> None:
    application_id, blurred = _sent_with_a_photo(portal, documents, registrant, program_id)
    _asked_again(portal, reviewer, application_id)

    refused = api.delete(f"/api/documents/{blurred}", as_=registrant)
    assert refused.status == 409
    assert refused.json["error"]["code"] == "document_not_replaced"
    assert "Upload a new file for it first, then remove this one." in refused.json["error"]["message"]
    assert api.get(f"/api/documents/{blurred}", as_=registrant).json["document"]["status"] == "available"

    # An upload still being checked does not replace it yet.
    pending = documents.declare(registrant, kind="photo", file_name="clear.pdf", application_id=application_id)
    assert api.delete(f"/api/documents/{blurred}", as_=registrant).error_code == "document_not_replaced"
    documents.upload(pending, PDF)
    assert documents.complete(registrant, pending.document_id).status == 200
    assert api.delete(f"/api/documents/{blurred}", as_=registrant).status == 204


def test_a_sent_photo_cannot_be_removed_while_the_team_looks_at_the_application(
    api: Api, portal: Portal, registrant: AsRegistrant, documents: Documents, program_id: str, reviewer: AsStaff
) -> None:
    application_id, blurred = _sent_with_a_photo(portal, documents, registrant, program_id)
    _asked_again(portal, reviewer, application_id)
    clear = _photo(documents, registrant, application_id, "clear.pdf")
    assert portal.submit(registrant, application_id).status == 200  # both sent: the team now looks at them
    for document_id in (blurred, clear):
        refused = api.delete(f"/api/documents/{document_id}", as_=registrant)
        assert (refused.status, refused.error_code) == (409, "document_frozen")
        assert "cannot be removed" in refused.json["error"]["message"]


def test_a_replacement_deleted_at_the_same_moment_keeps_the_sent_photo(
    api: Api, portal: Portal, registrant: AsRegistrant, documents: Documents, program_id: str, reviewer: AsStaff, monkeypatch: pytest.MonkeyPatch
) -> None:
    application_id, blurred = _sent_with_a_photo(portal, documents, registrant, program_id)
    _asked_again(portal, reviewer, application_id)
    clear = _photo(documents, registrant, application_id, "clear.pdf")
    found = service._replacement_of

    def deleted_meanwhile(document: Document) -> Document | None:
        replacement = found(document)
        service.delete_document(registrant.registrant_id, clear)  # another tab, between the read and the write
        return replacement

    monkeypatch.setattr(service, "_replacement_of", deleted_meanwhile)
    refused = api.delete(f"/api/documents/{blurred}", as_=registrant)
    assert refused.status == 409
    monkeypatch.undo()
    assert api.get(f"/api/documents/{blurred}", as_=registrant).json["document"]["status"] == "available"
    assert service.available_kinds_for_application(registrant.registrant_id, application_id) == {"photo"}


def test_a_childs_certificate_an_answer_still_names_stays_until_the_answer_names_the_new_one(portal: Portal, api: Api, reviewer: AsStaff) -> None:
    me = logged_in()
    household = household_program()
    application_id = portal.draft(me, household, {"name": "Fatima"})["application_id"]
    blurred = portal.attach(me, application_id)
    assert portal.save(me, application_id, {"children": [child("Amina", birth_certificate=blurred)]}).status == 200
    assert portal.submit(me, application_id).status == 200
    _asked_again(portal, reviewer, application_id)
    clear = portal.attach(me, application_id)

    named = api.delete(f"/api/documents/{blurred}", as_=me)
    assert (named.status, named.error_code) == (409, "document_not_replaced")
    assert portal.save(me, application_id, {"children": [child("Amina", birth_certificate=clear)]}).status == 200
    assert api.delete(f"/api/documents/{blurred}", as_=me).status == 204
    assert portal.submit(me, application_id).status == 200


def test_the_readable_export_says_a_replaced_photo_was_replaced(
    api: Api, portal: Portal, registrant: AsRegistrant, documents: Documents, program_id: str, reviewer: AsStaff
) -> None:
    application_id, blurred = _sent_with_a_photo(portal, documents, registrant, program_id)
    _asked_again(portal, reviewer, application_id)
    _photo(documents, registrant, application_id, "clear.pdf")
    assert api.delete(f"/api/documents/{blurred}", as_=registrant).status == 204
    page = render_html(export_of(registrant.registrant_id, "en"))
    assert page.count("Replaced by a newer file – the copy you sent is kept") == 1
    assert page.count("Uploaded – file checked") == 1
