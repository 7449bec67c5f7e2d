"""The right of access in one click: all of a person's data as one JSON document, and the same
as a self-contained, readable HTML page.

The export gathers what other routes show page by page (profile, history, change requests,
applications with their timelines, documents with short-lived download links, consents given at
login and in applications, and the activity log), so it costs several DynamoDB calls, one per page of each list. It is read
by the person themselves and therefore not written to their activity.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from html import escape
from typing import Any

from chalice import Response

from chalicelib.documents.service import documents_of
from chalicelib.pages import inline_page, render_inline_page, style_csp
from chalicelib.person import consents, submissions
from chalicelib.person import format as fmt
from chalicelib.programs.service import applications_of
from chalicelib.registrants import change_requests, profile
from chalicelib.store.base import now
from chalicelib.store.pagination import MAX_LIMIT

FORMAT = "ssp-export/1"
MAX_PAGES = 200  # per list: 20,000 items, far beyond any real person's data


def export_of(registrant_id: str, locale: str | None = None) -> dict[str, Any]:
    details = profile.my_profile(registrant_id)
    form = details.pop("profile_form", None) or {}
    language = locale or details.get("preferred_locale") or submissions.DEFAULT_LOCALE
    documents = documents_of(registrant_id)
    applications = _applications(registrant_id, language, documents)
    return {
        "format": FORMAT,
        "generated_at": now().isoformat(),
        "locale": language,  # the language of the labels and texts chosen for the person
        "registrant_id": registrant_id,
        "profile": details,
        "history": list(_all(lambda limit, cursor: profile.my_history(registrant_id, limit, cursor))),
        "change_requests": list(_all(lambda limit, cursor: change_requests.my_change_requests(registrant_id, limit, cursor))),
        "applications": applications,
        "documents": _with_members(documents, applications),
        # the profile form's labels of the person's details, per language (the readable page's)
        "profile_labels": form.get("labels") or {} if isinstance(form, dict) else {},
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


def _applications(registrant_id: str, locale: str, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
        entry = submissions.describe(application, definitions, locale, documents)
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


# Readable on a 360 px phone: each record is a small card of label/value pairs (no wide table),
# long words and links wrap, and a wide screen shows the labels beside their values.
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;line-height:1.45;color:#0b0c0c;"
    "overflow-wrap:anywhere}h1{font-size:1.75rem}h2{margin-top:2rem;border-bottom:2px solid #0b0c0c;font-size:1.4rem}"
    "h3{font-size:1.15rem;margin:1.5rem 0 .5rem}h4{font-size:1rem;margin:1rem 0 .25rem}"
    ".card{border:1px solid #b1b4b6;padding:.5rem .75rem;margin:0 0 .75rem}"
    "dl{margin:0}dl div{padding:.3rem 0;border-bottom:1px solid #f3f2f1}dl div:last-child{border-bottom:0}"
    "dt{font-weight:700}dd{margin:0}.muted{color:#505a5f}.ltr{direction:ltr;unicode-bidi:isolate}"
    "@media (min-width:40rem){dl div{display:flex;gap:1rem}dt{flex:0 0 38%}dd{flex:1}}"
    "@media print{a[href]::after{content:none}.card{break-inside:avoid}}"
)
# Nothing may load or run: one inline style, allowed by its hash; links only navigate.
HTML_CSP = style_csp(STYLE)


def html_response(document: dict[str, Any]) -> Response:
    locale = _language(document)
    return inline_page(
        _body(document),
        title=fmt.text(locale, "export.title"),
        style=STYLE,
        lang=locale,
        direction="rtl" if locale == "ar" else "ltr",
        headers={"Content-Disposition": f'attachment; filename="my-data-{document["generated_at"][:10]}.html"'},
    )


def render_html(document: dict[str, Any]) -> str:
    """The export as a readable page in the person's language. Every value is escaped; nothing is
    loaded from anywhere; no internal id, field key, JSON or raw timestamp is shown."""
    locale = _language(document)
    return render_inline_page(_body(document), title=fmt.text(locale, "export.title"), style=STYLE, lang=locale, direction="rtl" if locale == "ar" else "ltr")


def _language(document: dict[str, Any]) -> str:
    return fmt.language(str(document.get("locale") or document["profile"].get("preferred_locale") or submissions.DEFAULT_LOCALE))


def _body(document: dict[str, Any]) -> str:
    locale = _language(document)

    def tr(key: str, **values: Any) -> str:
        return fmt.text(locale, key, **values)

    def when(value: Any) -> str:
        return fmt.format_date(value, locale, with_time=True)

    details = document["profile"]
    labels = document.get("profile_labels") or {}
    file_names = {str(d.get("document_id")): str(d.get("file_name") or "") for d in document["documents"]}
    references = {str(a.get("application_id")): a for a in document["applications"]}
    expiry = [d["download"]["expires_at"] for d in document["documents"] if isinstance(d.get("download"), dict) and d["download"].get("expires_at")]
    parts = [
        f"<h1>{_e(tr('export.title'))}</h1>",
        f'<p class="muted">{_e(tr("export.generated", date=when(document["generated_at"])))}</p>',
        f"<h2>{_e(tr('export.profile'))}</h2>",
        _cards(
            [
                [
                    (_field_label(name, labels, locale), _ltr(_profile_value(field.get("value"), locale))),
                    (tr("export.source"), _e(_source(field, locale))),
                    (tr("export.verified"), _e(tr("common.yes") if field.get("verified") else tr("common.no"))),
                    (tr("export.changed_at"), _e(when(field.get("changed_at")))),
                    (tr("export.pending"), _ltr(_profile_value((field.get("pending_change") or {}).get("value"), locale))),
                ]
                for name, field in (details.get("fields") or {}).items()
            ],
            locale,
        ),
        f"<h2>{_e(tr('export.history'))}</h2>",
        _cards(
            [
                [
                    (tr("export.when"), _e(when(h.get("at")))),
                    (tr("export.field"), _e(_field_label(str(h.get("field") or ""), labels, locale))),
                    (tr("export.before"), _ltr(_profile_value((h.get("previous") or {}).get("value"), locale))),
                    (tr("export.after"), _ltr(_profile_value((h.get("current") or {}).get("value"), locale))),
                    (tr("export.by"), _e(_actor(h.get("by"), locale))),
                ]
                for h in document["history"]
            ],
            locale,
        ),
        f"<h2>{_e(tr('export.change_requests'))}</h2>",
        _cards(
            [
                [
                    (tr("export.asked_on"), _e(when(r.get("requested_at")))),
                    (tr("export.field"), _e(_field_label(str(r.get("field") or ""), labels, locale))),
                    (tr("export.asked_for"), _ltr(_profile_value(r.get("value"), locale))),
                    (tr("export.status"), _e(_coded(locale, "export.request.", r.get("status")))),
                    (tr("export.reason"), _e(r.get("reason") or "")),
                    (tr("export.decided"), _e(when(r.get("decided_at")))),
                ]
                for r in document["change_requests"]
            ],
            locale,
        ),
        f"<h2>{_e(tr('export.applications'))}</h2>",
        *(_application(a, locale, file_names) for a in document["applications"]),
        "" if document["applications"] else f"<p>{_e(tr('export.none'))}</p>",
        f"<h2>{_e(tr('export.documents'))}</h2>",
        f'<p class="muted">{_e(tr("export.links", time=when(min(expiry))) if expiry else tr("export.no_links"))}</p>' if document["documents"] else "",
        _cards([_document(d, locale, references) for d in document["documents"]], locale),
        f"<h2>{_e(tr('export.consents'))}</h2>",
        _cards([_consent(c, locale) for c in document["consents"]], locale),
        f"<h2>{_e(tr('export.activity'))}</h2>",
        _cards([_activity(group, locale, references) for group in fold_activity(document["activity"])], locale),
    ]
    return "\n".join(p for p in parts if p)


def _application(application: dict[str, Any], locale: str, file_names: dict[str, str]) -> str:
    program = application.get("program") or {}
    title = " — ".join(x for x in (str(program.get("name") or ""), str(application.get("reference") or "")) if x)
    members = {(m.get("group"), m.get("index")): m for m in application.get("members") or []}

    def answer_row(answer: dict[str, Any]) -> tuple[str, str]:
        shown = answer.get("text")
        if shown is None:
            shown = fmt.format_answer(answer.get("kind"), answer.get("value"), answer.get("shown_as", answer.get("value")), locale, file_names)
        return (str(answer.get("label") or ""), _ltr(str(shown)))

    own = [a for a in application.get("answers", []) if not _member_of(str(a.get("pointer") or ""))]
    blocks = [
        f"<h3>{_e(title)}</h3>",
        _dl(
            [
                (fmt.text(locale, "export.reference"), _ltr(str(application.get("reference") or "–"))),
                (fmt.text(locale, "export.status"), _e(_coded(locale, "status.", application.get("status")))),
                (fmt.text(locale, "export.started"), _e(fmt.format_date(application.get("created_at"), locale, with_time=True))),
                (fmt.text(locale, "export.sent"), _e(_sent(application, locale))),
            ],
            card=True,
        ),
        f"<h4>{_e(fmt.text(locale, 'export.answers'))}</h4>",
        _dl([answer_row(a) for a in own], card=True) if own else f"<p>{_e(fmt.text(locale, 'export.none'))}</p>",
    ]
    for key, member in members.items():
        prefix = f"/{key[0]}/{key[1]}/"
        rows = [answer_row(a) for a in application.get("answers", []) if str(a.get("pointer") or "").startswith(prefix)]
        name = member.get("label") or f"{member.get('item_label') or fmt.text(locale, 'export.member')} {int(key[1] or 0) + 1}"
        blocks.append(f"<h4>{_e(name)}</h4>")
        blocks.append(_dl(rows, card=True))
    timeline = [t for t in application.get("timeline", []) if isinstance(t, dict)]
    if timeline:
        blocks.append(f"<h4>{_e(fmt.text(locale, 'export.timeline'))}</h4>")
        blocks.append(
            _cards(
                [
                    [
                        (fmt.text(locale, "export.when"), _e(fmt.format_date(t.get("at"), locale, with_time=True))),
                        (fmt.text(locale, "export.status"), _e(_coded(locale, "status.", t.get("to")))),
                        (fmt.text(locale, "export.by"), _e(_actor(t.get("by"), locale))),
                        (fmt.text(locale, "export.reason"), _e(t.get("reason") or "")),
                    ]
                    for t in timeline
                ],
                locale,
            )
        )
    return "\n".join(blocks)


def _sent(application: dict[str, Any], locale: str) -> str:
    if not application.get("submitted_at"):
        return fmt.text(locale, "export.not_sent")
    return fmt.format_date(application.get("submitted_at"), locale, with_time=True)


def _member_of(pointer: str) -> bool:
    """Whether an answer belongs to a member of a repeating group (``/children/0/name``)."""
    parts = pointer.strip("/").split("/")
    return len(parts) > 2 and parts[1].isdigit()


def _consent(consent: dict[str, Any], locale: str) -> list[tuple[str, str]]:
    """A login consent names the provider and what it shares; an application's, the programme
    and the application's reference, and the statement as the person read it."""
    if consent.get("kind") == "application":
        reference = consent.get("reference") or {}
        program = submissions.pick(consent.get("program_name") or {}, locale) or ""
        with_whom = " — ".join(x for x in (program, str(reference.get("reference") or "")) if x)
        what = submissions.pick(consent.get("statement") or {}, locale) or consent.get("purpose") or ""
    else:
        with_whom = fmt.text(locale, "export.login_consent", provider=submissions.pick(consent.get("provider_name"), locale) or consent.get("provider") or "")
        what = fmt.list_of([_field_label(str(c), {}, locale) for c in consent.get("claims") or []], locale) or consent.get("purpose") or ""
    return [
        (fmt.text(locale, "export.given"), _e(fmt.format_date(consent.get("last_given_at") or consent.get("given_at"), locale, with_time=True))),
        (fmt.text(locale, "export.with"), _e(with_whom)),
        (fmt.text(locale, "export.what"), _e(what)),
        (fmt.text(locale, "export.status"), _e(_coded(locale, "export.consent.", consent.get("status")))),
        (fmt.text(locale, "export.ended"), _e(fmt.format_date(consent.get("withdrawn_at") or consent.get("ended_at"), locale, with_time=True))),
    ]


def _document(document: dict[str, Any], locale: str, applications: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    url = (document.get("download") or {}).get("url")
    link = ""
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        name = _e(document.get("file_name") or fmt.text(locale, "export.download"))
        link = f'<a href="{_e(url)}" rel="noreferrer noopener" download>{_e(fmt.text(locale, "export.download"))}<span class="muted"> – {name}</span></a>'
    application = applications.get(str(document.get("application_id"))) or {}
    program = (application.get("program") or {}).get("name")
    for_whom = " — ".join(x for x in ((document.get("member") or {}).get("label") or "", str(program or ""), str(application.get("reference") or "")) if x)
    status = {"available": "available", "rejected": "rejected", "replaced": "replaced"}.get(str(document.get("status")), "pending")
    return [
        (fmt.text(locale, "export.file"), _ltr(str(document.get("file_name") or ""))),
        (fmt.text(locale, "export.document_for"), _e(for_whom)),
        (fmt.text(locale, "export.type"), _e(fmt.format_type(document.get("content_type"), locale))),
        (fmt.text(locale, "export.size"), _e(fmt.format_size(document.get("size"), locale))),
        (fmt.text(locale, "export.status"), _e(fmt.text(locale, f"export.document.{status}"))),
        (fmt.text(locale, "export.uploaded"), _e(fmt.format_date(document.get("created_at"), locale, with_time=True))),
        (fmt.text(locale, "export.download"), link),
    ]


def fold_activity(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Near-identical rows in a row (the same action by the same kind of person on the same
    application, the same day) as one, with how many times: a reviewer opening an application
    five times reads as one line, not five."""
    folded: list[dict[str, Any]] = []
    for entry in entries:
        key = (entry.get("action"), (entry.get("by") or {}).get("role"), (entry.get("details") or {}).get("application_id"), str(entry.get("at") or "")[:10])
        if folded and folded[-1]["key"] == key:
            folded[-1]["count"] += 1
            folded[-1]["first_at"] = entry.get("at")
            continue
        folded.append({"key": key, "entry": entry, "count": 1, "first_at": entry.get("at")})
    return folded


def _activity(group: dict[str, Any], locale: str, applications: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    entry = group["entry"]
    action = str(entry.get("action") or "")
    what = fmt.text(locale, f"activity.action.{action}") if fmt.has(locale, f"activity.action.{action}") else fmt.text(locale, "activity.action.other")
    if group["count"] > 1:
        what = f"{what} ({fmt.text(locale, 'export.times', count=group['count'])})"
    application = applications.get(str((entry.get("details") or {}).get("application_id"))) or {}
    which = " — ".join(x for x in (str((application.get("program") or {}).get("name") or ""), str(application.get("reference") or "")) if x)
    return [
        (fmt.text(locale, "export.when"), _e(fmt.format_date(entry.get("at"), locale, with_time=True))),
        (fmt.text(locale, "export.what"), _e(what)),
        (fmt.text(locale, "export.who"), _e(_actor(entry.get("by"), locale))),
        (fmt.text(locale, "export.application"), _e(which)),
    ]


# --- pieces -------------------------------------------------------------------------------------


def _cards(records: list[list[tuple[str, str]]], locale: str) -> str:
    """Each record as a card of label/value pairs (values already escaped HTML); none: "None."."""
    if not records:
        return f"<p>{_e(fmt.text(locale, 'export.none'))}</p>"
    return "".join(_dl(record, card=True) for record in records)


def _dl(rows: list[tuple[str, str]], card: bool = False) -> str:
    items = "".join(f"<div><dt>{_e(label)}</dt><dd>{value}</dd></div>" for label, value in rows if value)
    return f'<dl class="card">{items}</dl>' if card else f"<dl>{items}</dl>"


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _ltr(text: str) -> str:
    """A value that may be a phone number or the like: escaped, isolated, left to right."""
    if text and re.fullmatch(r"[+\d][\d\s()./-]*", text) and re.search(r"\D", text):
        return f'<span class="ltr" dir="ltr">{_e(text)}</span>'
    return _e(text)


def _profile_value(value: Any, locale: str) -> str:
    """A detail in words: a date as a date, yes/no, an address part by part; never JSON."""
    if value is None or value == "":
        return ""
    if isinstance(value, dict):
        return ", ".join(_profile_value(v, locale) for v in value.values() if v not in (None, ""))
    if isinstance(value, list):
        return fmt.list_of([_profile_value(v, locale) for v in value], locale)
    if isinstance(value, bool):
        return fmt.text(locale, "common.yes" if value else "common.no")
    if isinstance(value, str) and fmt.DAY.match(value):
        return fmt.format_date(value, locale)
    return str(value)


def _field_label(name: str, labels: dict[str, Any], locale: str) -> str:
    """A detail's label: the profile form's own, else the catalog's; never the raw key if known."""
    own = submissions.pick(labels.get(name), locale) if isinstance(labels, dict) else None
    if own:
        return own
    key = f"profile.field.{name}"
    return fmt.text(locale, key) if fmt.has(locale, key) else name.replace("_", " ").capitalize()


def _coded(locale: str, prefix: str, code: Any) -> str:
    """A status or the like in words; an unknown code as it is."""
    key = f"{prefix}{code}"
    return fmt.text(locale, key) if fmt.has(locale, key) else str(code or "")


SOURCES = {
    "self": "export.source.self",
    "registrant": "profile.source.registrant",
    "officer": "profile.source.officer",
    "id_provider": "profile.source.id_provider",
    "program": "profile.source.program",
}


def _source(field: dict[str, Any], locale: str) -> str:
    source = str(field.get("source") or "")
    key = SOURCES.get(source)
    return fmt.text(locale, key) if key else ""


def _actor(actor: Any, locale: str) -> str:
    """Who did it, in words ("The programme team"); never a staff member's internal id."""
    if not isinstance(actor, dict):
        return ""
    key = f"timeline.by.{actor.get('role', '')}"
    return fmt.text(locale, key) if fmt.has(locale, key) else ""
