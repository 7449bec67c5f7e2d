"""Documents that belong to an application: the program's rules, freezing at submit, reviewers'
downloads (recorded in the person's activity), and what the other areas read."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from chalicelib.documents import service
from chalicelib.identity.audit import activity_of
from tests.documents.conftest import PDF, PNG, Documents
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.factories import as_staff, make_program

RULES = [
    {"kind": "birth_certificate", "label": {"en": "Birth certificate"}, "required": True, "content_types": ["application/pdf"], "max_bytes": 4096},
    {"kind": "photo", "label": {"en": "Photo"}, "required": False, "content_types": ["image/png", "image/jpeg"], "max_bytes": 1_000_000},
]


@pytest.fixture
def program_id(aws: None) -> str:
    return str(make_program(documents=RULES).program_id)


@pytest.fixture
def reviewer() -> AsStaff:
    return as_staff("reviewer", subject="reviewer-1")


def _draft(api: Api, who: AsRegistrant, program_id: str) -> str:
    answer = api.post(f"/api/programs/{program_id}/applications", {"answers": {"name": "Amina Okafor"}}, as_=who)
    assert answer.status == 201, answer.json
    return str(answer.json["application_id"])


def _submit(api: Api, who: AsRegistrant, application_id: str) -> Any:
    return api.post(f"/api/applications/{application_id}/submit", {}, as_=who)


def _decide(api: Api, reviewer: AsStaff, application_id: str, to: str) -> None:
    answer = api.post(f"/api/admin/applications/{application_id}/decision", {"to": to, "reason": "Please send a clearer copy."}, as_=reviewer)
    assert answer.status == 200, answer.json


def _certificate(documents: Documents, who: AsRegistrant, application_id: str) -> str:
    return documents.uploaded(who, PDF, kind="birth_certificate", file_name="certificate.pdf", application_id=application_id)


def test_a_kind_the_program_does_not_ask_for_is_422(api: Api, registrant: AsRegistrant, documents: Documents, program_id: str) -> None:
    application_id = _draft(api, registrant, program_id)
    answer = documents.declare(registrant, kind="passport", application_id=application_id).answer
    assert answer.status == 422
    assert answer.json["error"]["fields"] == {"/kind": "not_requested"}


def test_a_type_the_program_does_not_accept_for_the_kind_is_415(api: Api, registrant: AsRegistrant, documents: Documents, program_id: str) -> None:
    application_id = _draft(api, registrant, program_id)
    answer = documents.declare(registrant, PNG, kind="birth_certificate", content_type="image/png", application_id=application_id).answer
    assert answer.status == 415
    assert answer.json["error"]["allowed"] == ["application/pdf"]


def test_a_size_over_the_programs_limit_for_the_kind_is_413(api: Api, registrant: AsRegistrant, documents: Documents, program_id: str) -> None:
    application_id = _draft(api, registrant, program_id)
    answer = documents.declare(registrant, kind="birth_certificate", size=4097, application_id=application_id).answer
    assert answer.status == 413
    assert answer.json["error"]["max_bytes"] == 4096


def test_declaring_for_another_persons_application_is_404(
    api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, documents: Documents, program_id: str
) -> None:
    theirs = _draft(api, other_registrant, program_id)
    answer = documents.declare(registrant, kind="birth_certificate", application_id=theirs).answer
    assert answer.status == 404
    assert documents.declare(registrant, kind="birth_certificate", application_id="no-such-application").answer.status == 404


def test_an_uploaded_certificate_lets_the_application_be_submitted_and_is_frozen_after(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str
) -> None:
    application_id = _draft(api, registrant, program_id)
    missing = _submit(api, registrant, application_id)
    assert missing.status == 422
    assert "/documents/birth_certificate" in missing.json["error"]["fields"]

    document_id = _certificate(documents, registrant, application_id)
    assert service.available_kinds_for_application(registrant.registrant_id, application_id) == {"birth_certificate"}
    mine = api.get(f"/api/documents?application_id={application_id}", as_=registrant)
    assert [d["document_id"] for d in mine.json["items"]] == [document_id]
    assert _submit(api, registrant, application_id).status == 200

    deleted = api.delete(f"/api/documents/{document_id}", as_=registrant)
    assert deleted.status == 409
    assert deleted.error_code == "document_frozen"
    replacement = documents.declare(registrant, kind="birth_certificate", application_id=application_id).answer
    assert replacement.status == 409
    assert replacement.error_code == "application_not_editable"
    assert api.get(f"/api/documents/{document_id}", as_=registrant).json["document"]["status"] == "available"


def test_a_request_for_information_takes_a_new_document_but_keeps_the_submitted_one(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str, reviewer: AsStaff
) -> None:
    application_id = _draft(api, registrant, program_id)
    first = _certificate(documents, registrant, application_id)
    assert _submit(api, registrant, application_id).status == 200
    _decide(api, reviewer, application_id, "under_review")
    _decide(api, reviewer, application_id, "info_requested")

    assert api.delete(f"/api/documents/{first}", as_=registrant).error_code == "document_not_replaced"  # sent, and nothing newer
    mistaken = _certificate(documents, registrant, application_id)
    assert api.delete(f"/api/documents/{mistaken}", as_=registrant).status == 204  # added since: may go again
    second = _certificate(documents, registrant, application_id)
    assert _submit(api, registrant, application_id).status == 200
    assert {d["document_id"] for d in service.documents_of_application(registrant.registrant_id, application_id)} == {first, second}
    assert api.delete(f"/api/documents/{second}", as_=registrant).error_code == "document_frozen"  # sent with the answer


def test_a_pending_upload_of_a_submitted_application_can_still_be_cleared_away(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str
) -> None:
    application_id = _draft(api, registrant, program_id)
    _certificate(documents, registrant, application_id)
    late = documents.declare(registrant, PNG, kind="photo", content_type="image/png", file_name="me.png", application_id=application_id)
    assert _submit(api, registrant, application_id).status == 200
    documents.upload(late, PNG)
    assert documents.complete(registrant, late.document_id).error_code == "application_not_editable"
    assert api.delete(f"/api/documents/{late.document_id}", as_=registrant).status == 204


def test_documents_of_an_application_cost_one_call_more_than_unattached_ones(api: Api, registrant: AsRegistrant, documents: Documents, program_id: str) -> None:
    # Session, the application (whose is it, may it still change), the program's rules for the
    # kind, and the write. An unattached document needs neither of the middle two.
    application_id = _draft(api, registrant, program_id)
    declared = documents.declare(registrant, PDF, kind="birth_certificate", application_id=application_id)
    declared.answer.calls.assert_dynamodb_at_most(4)
    documents.upload(declared, PDF)
    completed = documents.complete(registrant, declared.document_id)  # session, document, application, write
    assert completed.status == 200
    completed.calls.assert_dynamodb_at_most(4)
    shown = api.get(f"/api/documents/{declared.document_id}", as_=registrant)
    shown.calls.assert_dynamodb_at_most(2)
    deleted = api.delete(f"/api/documents/{declared.document_id}", as_=registrant)  # session, document, application, write
    assert deleted.status == 204
    deleted.calls.assert_dynamodb_at_most(4)

    unattached = documents.declare(registrant, PDF)
    unattached.answer.calls.assert_dynamodb_at_most(2)
    documents.upload(unattached, PDF)
    documents.complete(registrant, unattached.document_id).calls.assert_dynamodb_at_most(3)
    api.delete(f"/api/documents/{unattached.document_id}", as_=registrant).calls.assert_dynamodb_at_most(3)


def test_a_document_still_being_scanned_cannot_be_downloaded_by_staff(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str, reviewer: AsStaff, monkeypatch: pytest.MonkeyPatch
) -> None:
    application_id = _draft(api, registrant, program_id)
    _certificate(documents, registrant, application_id)
    assert _submit(api, registrant, application_id).status == 200
    monkeypatch.setenv("SSP_MALWARE_SCANNER", "guardduty")
    declared = documents.declare(registrant)  # unattached, so the submitted application is not touched
    documents.upload(declared, PDF)
    assert documents.complete(registrant, declared.document_id).json["document"]["status"] == "scanning"
    from chalicelib.store.documents import Document

    record = Document.get(declared.document_id)
    record.application_id = application_id  # as if attached before the application was submitted
    record.save()
    answer = api.get(f"/api/admin/documents/{declared.document_id}", as_=reviewer)
    assert answer.status == 409
    assert answer.error_code == "document_not_available"
    assert activity_of(registrant.registrant_id, 10, None).items == []


def test_a_draft_document_can_be_deleted(api: Api, registrant: AsRegistrant, documents: Documents, program_id: str) -> None:
    application_id = _draft(api, registrant, program_id)
    document_id = _certificate(documents, registrant, application_id)
    assert api.delete(f"/api/documents/{document_id}", as_=registrant).status == 204
    assert service.available_kinds_for_application(registrant.registrant_id, application_id) == set()


def test_a_reviewer_lists_and_downloads_and_the_person_sees_it_in_their_activity(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str, reviewer: AsStaff
) -> None:
    application_id = _draft(api, registrant, program_id)
    document_id = _certificate(documents, registrant, application_id)
    assert _submit(api, registrant, application_id).status == 200

    listed = api.get(f"/api/admin/documents?application_id={application_id}", as_=reviewer)
    assert listed.status == 200
    assert [d["document_id"] for d in listed.json["items"]] == [document_id]
    assert all("download" not in d for d in listed.json["items"])

    download = api.get(f"/api/admin/documents/{document_id}", as_=reviewer)
    assert download.status == 200
    fetched = requests.get(download.json["download"]["url"], timeout=10)
    assert fetched.content == PDF
    assert fetched.headers["Content-Disposition"].startswith('attachment; filename="certificate.pdf"')

    events = activity_of(registrant.registrant_id, 10, None).items  # newest first
    assert [(e.action, e.actor_role, e.details) for e in events] == [
        ("document_downloaded", "reviewer", {"document_id": document_id}),
        ("application_documents_viewed", "reviewer", {"application_id": application_id}),
    ]
    assert all(e.actor_ref.startswith("staff-") for e in events)
    shown = api.get("/api/me/activity", as_=registrant).json["items"]
    assert [item["action"] for item in shown] == ["document_downloaded", "application_documents_viewed"]


def test_staff_cannot_reach_a_draft_applications_documents(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str, reviewer: AsStaff
) -> None:
    application_id = _draft(api, registrant, program_id)
    document_id = _certificate(documents, registrant, application_id)
    assert api.get(f"/api/admin/documents/{document_id}", as_=reviewer).status == 404
    assert api.get(f"/api/admin/documents?application_id={application_id}", as_=reviewer).status == 404
    assert activity_of(registrant.registrant_id, 10, None).items == []


def test_staff_cannot_reach_an_unattached_document(api: Api, registrant: AsRegistrant, documents: Documents, reviewer: AsStaff) -> None:
    document_id = documents.uploaded(registrant)
    assert api.get(f"/api/admin/documents/{document_id}", as_=reviewer).status == 404


def test_staff_routes_need_a_reviewer_or_admin_token(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    document_id = documents.uploaded(registrant)
    assert api.get(f"/api/admin/documents/{document_id}").status == 401
    assert api.get(f"/api/admin/documents/{document_id}", as_=as_staff("officer")).status == 403
    assert api.get(f"/api/admin/documents/{document_id}", as_=registrant).status == 401
    assert api.get("/api/admin/documents", as_=as_staff("reviewer")).status == 400


def test_an_unattached_document_can_be_attached_to_a_draft_and_checked_against_the_rules(
    api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant, documents: Documents, program_id: str
) -> None:
    application_id = _draft(api, registrant, program_id)
    certificate = documents.uploaded(registrant, PDF, kind="birth_certificate")
    attached = service.attach_to_application(registrant.registrant_id, certificate, application_id)
    assert attached.changed and attached.document["application_id"] == application_id
    assert service.available_kinds_for_application(registrant.registrant_id, application_id) == {"birth_certificate"}

    from chalicelib.errors import NotFound, ValidationFailed

    wrong_kind = documents.uploaded(registrant, PDF, kind="passport")
    with pytest.raises(ValidationFailed):
        service.attach_to_application(registrant.registrant_id, wrong_kind, application_id)
    theirs = _draft(api, other_registrant, program_id)
    with pytest.raises(NotFound):
        service.attach_to_application(registrant.registrant_id, wrong_kind, theirs)
    with pytest.raises(NotFound):
        service.attach_to_application(other_registrant.registrant_id, wrong_kind, theirs)


def test_the_export_lists_every_document_with_a_link_only_for_available_ones(registrant: AsRegistrant, documents: Documents) -> None:
    available = documents.uploaded(registrant)
    pending = documents.declare(registrant).document_id
    exported = {d["document_id"]: d for d in service.documents_of(registrant.registrant_id)}
    assert set(exported) == {available, pending}
    assert requests.get(exported[available]["download"]["url"], timeout=10).content == PDF
    assert exported[pending]["download"] is None
    assert all("s3_key" not in d for d in exported.values())


def test_deleting_one_of_two_certificates_keeps_the_kind_and_deleting_both_loses_it(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str
) -> None:
    application_id = _draft(api, registrant, program_id)
    first = _certificate(documents, registrant, application_id)
    second = _certificate(documents, registrant, application_id)
    assert api.delete(f"/api/documents/{first}", as_=registrant).status == 204
    assert api.delete(f"/api/documents/{second}", as_=registrant).status == 204
    missing = _submit(api, registrant, application_id)
    assert (missing.status, missing.json["error"]["fields"]) == (422, {"/documents/birth_certificate": "required_document_missing"})
    kept = _certificate(documents, registrant, application_id)
    also = _certificate(documents, registrant, application_id)
    assert api.delete(f"/api/documents/{also}", as_=registrant).status == 204
    assert _submit(api, registrant, application_id).status == 200
    assert [d["document_id"] for d in service.documents_of_application(registrant.registrant_id, application_id)] == [kept]


def test_a_certificate_deleted_while_the_submission_is_checked_cancels_it(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.programs import service as programs

    application_id = _draft(api, registrant, program_id)
    document_id = _certificate(documents, registrant, application_id)
    checked = programs._missing_documents

    def delete_after_the_check(*args: Any) -> list[str]:
        missing = checked(*args)
        service.delete_document(registrant.registrant_id, document_id)  # another tab, between read and write
        return missing

    monkeypatch.setattr(programs, "_missing_documents", delete_after_the_check)
    answer = _submit(api, registrant, application_id)
    assert (answer.status, answer.error_code) == (409, "documents_changed")
    monkeypatch.undo()
    shown = api.get(f"/api/applications/{application_id}", as_=registrant).json
    assert shown["status"] == "draft" and shown.get("reference") is None
    assert _submit(api, registrant, application_id).json["error"]["fields"] == {"/documents/birth_certificate": "required_document_missing"}


def test_a_certificate_made_available_before_kinds_were_kept_beside_the_application_counts_after_the_backfill(
    api: Api, registrant: AsRegistrant, documents: Documents, program_id: str
) -> None:
    from chalicelib.store.applications import AttachedDocuments
    from infra.migrations.attached_documents import backfill

    application_id = _draft(api, registrant, program_id)
    _certificate(documents, registrant, application_id)
    AttachedDocuments.get(f"kinds#{application_id}").delete()  # as data from before that item existed
    refused = _submit(api, registrant, application_id)
    assert refused.json["error"]["fields"] == {"/documents/birth_certificate": "required_document_missing"}
    assert backfill() == 1
    assert backfill() == 1  # a second run finds the same document and changes nothing more
    assert AttachedDocuments.get(f"kinds#{application_id}").entries and len(AttachedDocuments.get(f"kinds#{application_id}").entries) == 1
    answer = _submit(api, registrant, application_id)
    assert answer.status == 200, answer.json
    answer.calls.assert_dynamodb_at_most(3)


def test_any_kind_a_program_can_ask_for_can_be_declared(api: Api, registrant: AsRegistrant, documents: Documents) -> None:
    # Programs accept kinds starting with a digit; declaring one used to fail the documents route's own pattern.
    rule = {"kind": "2nd_id_card", "label": {"en": "Second ID card"}, "required": True, "content_types": ["application/pdf"], "max_bytes": 4096}
    program = str(make_program(documents=[rule]).program_id)
    application_id = _draft(api, registrant, program)
    documents.uploaded(registrant, PDF, kind="2nd_id_card", file_name="id.pdf", application_id=application_id)
    assert service.available_kinds_for_application(registrant.registrant_id, application_id) == {"2nd_id_card"}
    assert _submit(api, registrant, application_id).status == 200
