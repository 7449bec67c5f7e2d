"""Routes of the pages that gather one person's data from every area: their consents, everything
they sent, and the export of all they hold here (``/me/...``)."""

from __future__ import annotations

from typing import Any

from chalicelib.identity.callers import RegistrantCaller
from chalicelib.person import application_screen, consents, export, submissions
from chalicelib.registrants.schemas import LOCALE
from chalicelib.store.pagination import QUERY_PARAMS, page_args
from chalicelib.web import REGISTRANT, ApiBlueprint

# The registrants' tag: to the API's readers these are the person's own data like /me.
bp = ApiBlueprint(__name__, tag="registrants")

EXPORT_QUERY: dict[str, dict[str, Any]] = {"format": {"type": "string", "enum": ["json", "html"]}, "locale": LOCALE}
SUBMISSIONS_QUERY: dict[str, dict[str, Any]] = {**QUERY_PARAMS, "locale": LOCALE}


@bp.api(
    "/applications/{application_id}/screen",
    "GET",
    summary="My application with its form, its program's document rules (with the portal's limits) and statements, and its documents",
    access=REGISTRANT,
)
def get_application_screen(who: RegistrantCaller, application_id: str) -> Any:
    return application_screen.application_screen(who.registrant_id, application_id)


@bp.api("/me/consents", "GET", summary="What I consented to share, with whom and when", access=REGISTRANT)
def get_my_consents(who: RegistrantCaller) -> Any:
    return consents.my_consents(who.registrant_id)


@bp.api(
    "/me/consents/{consent_id}/withdraw",
    "POST",
    summary="Withdraw consent to keep an ID provider's data (removes the stored copies)",
    access=REGISTRANT,
)
def withdraw_my_consent(who: RegistrantCaller, consent_id: str) -> Any:
    return consents.withdraw_consent(who.registrant_id, consent_id)


@bp.api("/me/submissions", "GET", summary="Every answer I gave in every application, with the form's labels", access=REGISTRANT, query=SUBMISSIONS_QUERY)
def get_my_submissions(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    # Without ?locale, the person's preferred_locale as it is now (read from their record), not the
    # session's copy from login: a language the person chose since then applies at once.
    return submissions.submissions_of(who.registrant_id, *page_args(query), locale=query.get("locale"))


@bp.api(
    "/me/export",
    "GET",
    summary="All my data as one JSON document, or as a readable page (format=html)",
    access=REGISTRANT,
    query=EXPORT_QUERY,
    content_types=("application/json", "text/html"),
)
def export_me(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    document = export.export_of(who.registrant_id, query.get("locale"))
    if query.get("format") == "html":
        return export.html_response(document)
    return export.json_response(document)
