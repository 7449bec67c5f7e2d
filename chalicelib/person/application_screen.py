"""One application with everything its screens show, in one request: a phone on a slow network
opens a task list, a question page or the documents page with one round trip, not four.

DynamoDB: the session, the application with its program (one TransactGetItems) and the
application's documents (one Query); the form version comes from the process's cache of
published forms (a published version never changes), so a new Lambda process reads it once more.
"""

from __future__ import annotations

from typing import Any

from chalicelib.documents import service as documents
from chalicelib.forms.service import published_form
from chalicelib.programs import service as programs


def application_screen(registrant_id: str, application_id: str) -> dict[str, Any]:
    """``{application, form, program: {documents, consents}, documents}``; document rules carry
    the limits the portal applies (``max_bytes`` never above its own cap). 404 for anyone else's."""
    application, program = programs.application_with_program(registrant_id, application_id)
    form = published_form(application["form_id"], int(application["form_version"]))
    return {
        "application": application,
        "form": {"schema": form["schema"], "ui_schema": form["ui_schema"]},
        "program": {"documents": [documents.upload_limits(rule) for rule in program["documents"]], "consents": program["consents"]},
        "documents": documents.documents_of_application(registrant_id, application_id),
    }
