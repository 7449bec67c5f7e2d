"""The right of access in one click: all of a person's data as one JSON document, and the same
as a self-contained, readable HTML page.

The export gathers what other routes show page by page (profile, history, change requests,
applications with their timelines, documents with short-lived download links, consents given at
login and in applications, and the activity log), so it costs several DynamoDB calls, one per page of each list. It is read
by the person themselves and therefore not written to their activity.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from html import escape
from typing import Any

from chalice import Response

from chalicelib.documents.service import documents_of
from chalicelib.pages import inline_page, render_inline_page, style_csp
from chalicelib.person import consents, submissions
from chalicelib.programs.service import applications_of
from chalicelib.registrants import change_requests, profile
from chalicelib.store.base import now
from chalicelib.store.pagination import MAX_LIMIT

FORMAT = "ssp-export/1"
MAX_PAGES = 200  # per list: 20,000 items, far beyond any real person's data


def export_of(registrant_id: str, locale: str | None = None) -> dict[str, Any]:
    details = profile.my_profile(registrant_id)
    details.pop("profile_form", None)
    language = locale or details.get("preferred_locale") or submissions.DEFAULT_LOCALE
    applications = _applications(registrant_id, language)
    return {
        "format": FORMAT,
        "generated_at": now().isoformat(),
        "locale": language,  # the language of the labels and texts chosen for the person
        "registrant_id": registrant_id,
        "profile": details,
        "history": list(_all(lambda limit, cursor: profile.my_history(registrant_id, limit, cursor))),
        "change_requests": list(_all(lambda limit, cursor: change_requests.my_change_requests(registrant_id, limit, cursor))),
        "applications": applications,
        "documents": _with_members(documents_of(registrant_id), applications),
        "consents": consents.my_consents(registrant_id)["items"],
        "activity": list(_all(lambda limit, cursor: profile.my_activity(registrant_id, limit, cursor))),
    }


def _with_members(documents: list[dict[str, Any]], applications: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each document with the member of a repeating group it was given for (or None)."""
    owners = {
        document["document_id"]: {"application_id": a["application_id"], "group": m["group"], "index": m["index"], "label": m.get("label")}
        for a in applications
        for m in a.get("members") or []
        for document in m.get("documents") or []
    }
    return [{**d, "member": owners.get(d["document_id"])} for d in documents]


def _all(fetch: Callable[[int, str | None], dict[str, Any]]) -> Iterator[Any]:
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = fetch(MAX_LIMIT, cursor)
        yield from page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return


def _applications(registrant_id: str, locale: str) -> list[dict[str, Any]]:
    """Each application with its answers (labelled) and its timeline."""
    plain: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = applications_of(registrant_id, MAX_LIMIT, cursor)
        plain.extend(page.items)
        cursor = page.cursor
        if not cursor:
            break
    definitions = submissions.form_definitions(
        {(a["form_id"], int(a["form_version"])) for a in plain if a.get("form_id") and a.get("form_version") is not None}
    )
    described = []
    for application in plain:
        entry = submissions.describe(application, definitions, locale)
        entry["timeline"] = application.get("timeline") or []
        described.append(entry)
    return described


# --- responses --------------------------------------------------------------------------------


def json_response(document: dict[str, Any]) -> Response:
    return Response(
        body=json.dumps(document, ensure_ascii=False, default=str),
        status_code=200,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": f'attachment; filename="my-data-{document["generated_at"][:10]}.json"',
        },
    )


STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4;color:#0b0c0c}"
    "table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border:1px solid #b1b4b6;padding:.35rem .5rem;"
    "text-align:start;vertical-align:top}th{background:#f3f2f1}h2{margin-top:2.5rem;border-bottom:2px solid #0b0c0c}"
    "code{word-break:break-all}.muted{color:#505a5f}"
)
# Nothing may load or run: one inline style, allowed by its hash; links only navigate.
HTML_CSP = style_csp(STYLE)


def html_response(document: dict[str, Any]) -> Response:
    return inline_page(
        _body(document),
        title="My data",
        style=STYLE,
        lang=_language(document),
        headers={"Content-Disposition": f'attachment; filename="my-data-{document["generated_at"][:10]}.html"'},
    )


def render_html(document: dict[str, Any]) -> str:
    """The export as a readable page. Every value is escaped; nothing is loaded from anywhere."""
    return render_inline_page(_body(document), title="My data", style=STYLE, lang=_language(document))


def _language(document: dict[str, Any]) -> str:
    return str(document.get("locale") or document["profile"].get("preferred_locale") or submissions.DEFAULT_LOCALE)


def _body(document: dict[str, Any]) -> str:
    profile = document["profile"]
    language = _language(document)
    parts = [
        "<h1>My data</h1>",
        f'<p class="muted">Generated {_e(document["generated_at"])}. Keep this file safe: it holds your personal data.</p>',
        "<h2>Profile</h2>",
        _table(
            ["Field", "Value", "Source", "Verified", "Last changed", "Pending change"],
            [
                [
                    name,
                    _value(field.get("value")),
                    _source(field),
                    "yes" if field.get("verified") else "no",
                    field.get("changed_at") or "",
                    _value((field.get("pending_change") or {}).get("value")) if field.get("pending_change") else "",
                ]
                for name, field in profile.get("fields", {}).items()
            ],
        ),
        "<h2>Changes to my profile</h2>",
        _table(
            ["When", "Field", "Before", "After", "Why", "By"],
            [
                [
                    h.get("at"),
                    h.get("field"),
                    _value((h.get("previous") or {}).get("value")),
                    _value((h.get("current") or {}).get("value")),
                    h.get("reason"),
                    _actor(h.get("by")),
                ]
                for h in document["history"]
            ],
        ),
        "<h2>My change requests</h2>",
        _table(
            ["Asked", "Field", "Value asked for", "Status", "Reason", "Decided"],
            [
                [r.get("requested_at"), r.get("field"), _value(r.get("value")), r.get("status"), r.get("reason") or "", r.get("decided_at") or ""]
                for r in document["change_requests"]
            ],
        ),
        "<h2>My applications</h2>",
        *(_application(a) for a in document["applications"]),
        "" if document["applications"] else "<p>None.</p>",
        "<h2>My documents</h2>",
        _table(["Document", "Kind", "For", "Type", "Size", "Status", "Uploaded", "Download"], [_document(d) for d in document["documents"]], raw_columns={7}),
        "<h2>What I consented to share</h2>",
        _table(
            ["Given", "Kind", "With", "What", "Status", "Ended"],
            [_consent(c, language) for c in document["consents"]],
        ),
        "<h2>Who read or changed my data</h2>",
        _table(
            ["When", "What", "Who", "Details"], [[e.get("at"), e.get("action"), _actor(e.get("by")), _value(e.get("details"))] for e in document["activity"]]
        ),
    ]
    return "\n".join(parts)


def _application(application: dict[str, Any]) -> str:
    program = application.get("program") or {}
    title = f"{program.get('name') or program.get('program_id') or ''} — {application.get('reference') or application.get('application_id') or ''}"
    return "\n".join(
        [
            f"<h3>{_e(title)}</h3>",
            f"<p>Status: {_e(application.get('status'))}. Created {_e(application.get('created_at'))}; "
            f"submitted {_e(application.get('submitted_at') or '—')}.</p>",
            _table(["Question", "Answer"], [[answer.get("label"), _value(answer.get("shown_as"))] for answer in application.get("answers", [])]),
            _table(
                ["When", "From", "To", "By", "Reason"],
                [
                    [t.get("at"), t.get("from"), t.get("to"), _actor(t.get("by")), t.get("reason") or ""]
                    for t in application.get("timeline", [])
                    if isinstance(t, dict)
                ],
            ),
        ]
    )


def _consent(consent: dict[str, Any], locale: str) -> list[Any]:
    """A login consent names the provider and the claims; an application's, the program and the
    application's reference, and the statement as the person read it."""
    if consent.get("kind") == "application":
        reference = consent.get("reference") or {}
        program = submissions.pick(consent.get("program_name") or {}, locale) or reference.get("program_id") or ""
        with_whom = f"{program} — {reference.get('reference') or reference.get('application_id') or ''}"
        what = submissions.pick(consent.get("statement") or {}, locale) or consent.get("purpose") or ""
    else:
        with_whom = consent.get("provider") or ""
        what = ", ".join(consent.get("claims") or []) or consent.get("purpose") or ""
    return [consent.get("given_at"), consent.get("kind"), with_whom, what, consent.get("status"), consent.get("withdrawn_at") or consent.get("ended_at") or ""]


def _document(document: dict[str, Any]) -> list[Any]:
    url = (document.get("download") or {}).get("url")
    link = ""
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        link = f'<a href="{_e(url)}" rel="noreferrer noopener" download>Download (the link works for a few minutes)</a>'
    return [
        document.get("file_name"),
        document.get("kind"),
        (document.get("member") or {}).get("label") or "",
        document.get("content_type"),
        document.get("size"),
        document.get("status"),
        document.get("created_at"),
        link,
    ]


def _table(headers: list[str], rows: list[list[Any]], raw_columns: set[int] | None = None) -> str:
    if not rows:
        return "<p>None.</p>"
    raw = raw_columns or set()
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell if i in raw else _e(cell)}</td>" for i, cell in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int | float | bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _source(field: dict[str, Any]) -> str:
    source = field.get("source")
    if source == "id_provider":
        return f"ID provider ({field.get('provider')})"
    return {"self": "You", "officer": "Field officer"}.get(str(source), "")


def _actor(actor: Any) -> str:
    if not isinstance(actor, dict):
        return ""
    return f"{actor.get('role', '')} {actor.get('ref', '')}".strip()
