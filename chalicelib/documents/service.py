"""The rules of supporting documents: declare, upload (presigned POST), verify, download, delete.

Other areas call these functions (never the documents table):

- ``available_kinds_for_application(registrant_id, application_id)`` — the programs area, at submit;
- ``documents_of(registrant_id)`` — the registrants area, for the person's export;
- ``documents_of_application(registrant_id, application_id)`` — an application's documents;
- ``attach_to_application(registrant_id, document_id, application_id)`` — attach an uploaded document.
"""

from __future__ import annotations

from typing import Any


def available_kinds_for_application(registrant_id: str, application_id: str) -> set[str]:
    """The kinds of the ``available`` documents attached to this application of this person."""
    raise NotImplementedError


def documents_of(registrant_id: str) -> list[dict[str, Any]]:
    """Every document of the person (metadata; a short-lived download link when available)."""
    raise NotImplementedError


def documents_of_application(registrant_id: str, application_id: str) -> list[dict[str, Any]]:
    """The person's documents attached to one application, newest first."""
    raise NotImplementedError


def attach_to_application(registrant_id: str, document_id: str, application_id: str) -> dict[str, Any]:
    """Attach one of the person's unattached documents to their application while it is editable.

    404 when either is not the person's; 409 when the application no longer takes documents;
    422 when the program does not ask for this kind or the document breaks the kind's rules.
    """
    raise NotImplementedError
