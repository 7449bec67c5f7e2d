"""What an officer does for a person in an assisted session: the programs, documents and
registrants areas' own service functions, called with the officer as the actor.

The programs area labels each application it creates or submits this way with
``channel: assisted`` and the officer, and writes the officer's changes to the person's activity
log itself; so does the registrants area for the person's details (``source: officer``, change
requests in the officer's name). The officer's reads are written here.
"""

from __future__ import annotations

from typing import Any

from chalicelib.devices.assisted import AssistedSession, record
from chalicelib.documents import service as documents
from chalicelib.programs import service as programs
from chalicelib.registrants import profile


def list_applications(session: AssistedSession, request_id: str | None, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    page = programs.list_applications(session.registrant_id, limit, cursor)
    record(session, "applications_read", request_id)
    return page.to_json(page.items)


def get_application(session: AssistedSession, application_id: str, request_id: str | None) -> dict[str, Any]:
    application = programs.get_application(session.registrant_id, application_id)
    record(session, "application_read", request_id, application_id=application_id)
    return application


def list_enrolments(session: AssistedSession, request_id: str | None, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    page = programs.list_enrolments(session.registrant_id, limit, cursor)
    record(session, "enrolments_read", request_id)
    return page.to_json(page.items)


def create_application(session: AssistedSession, program_id: str, answers: dict[str, Any] | None = None, idempotency_key: str | None = None) -> dict[str, Any]:
    return programs.create_application(session.registrant_id, program_id, session.actor, answers=answers, idempotency_key=idempotency_key)


def save_answers(session: AssistedSession, application_id: str, answers: dict[str, Any], expected_version: int | None = None) -> dict[str, Any]:
    return programs.save_answers(session.registrant_id, application_id, answers, session.actor, expected_version=expected_version)


def submit_application(
    session: AssistedSession,
    application_id: str,
    idempotency_key: str | None = None,
    expected_version: int | None = None,
    consents: dict[str, bool] | None = None,
    locale: str | None = None,
) -> dict[str, Any]:
    """Submit with the program's consent statements the person agreed to (``{id: true}``), read
    to them by the officer in ``locale``; each agreement is recorded with the officer as the one
    who collected it."""
    return programs.submit_application(
        session.registrant_id,
        application_id,
        session.actor,
        idempotency_key=idempotency_key,
        expected_version=expected_version,
        consents=consents,
        locale=locale,
    )


def declare_document(session: AssistedSession, declared: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    """A document the officer uploads for the person (a presigned POST, as the person would get)."""
    answer = documents.declare_document(
        session.registrant_id,
        documents.Declaration(
            kind=declared["kind"],
            file_name=declared["file_name"],
            content_type=declared["content_type"],
            size=int(declared["size"]),
            application_id=declared.get("application_id"),
        ),
    )
    record(session, "document_declared", request_id, document_id=str(answer["document"]["document_id"]))
    return answer


def complete_document(session: AssistedSession, document_id: str, request_id: str | None) -> dict[str, Any]:
    answer = documents.complete_upload(session.registrant_id, document_id)
    record(session, "document_uploaded", request_id, document_id=document_id)
    return answer


def list_documents(session: AssistedSession, application_id: str, request_id: str | None) -> dict[str, Any]:
    page = documents.list_documents(session.registrant_id, application_id, 100, None)
    record(session, "documents_read", request_id, application_id=application_id)
    return page.to_json(page.items)


def read_profile(session: AssistedSession, request_id: str | None) -> dict[str, Any]:
    """The person's details as they see them (each field's value, source and pending change, and
    the profile form the officer fills in)."""
    details = profile.my_profile(session.registrant_id)
    record(session, "profile_read", request_id)
    return details


def update_profile(session: AssistedSession, changes: dict[str, Any], expected_version: int, request_id: str | None) -> dict[str, Any]:
    """Change the person's details for them: unverified fields at once with ``source: officer``,
    verified ones as change requests in the officer's name; ``profile_changed`` in the person's
    activity log names the session."""
    return profile.update_profile(
        session.registrant_id,
        changes,
        expected_version,
        session.actor,
        request_id=request_id,
        audit_details={"assisted_session_id": session.session_id},
    )
