"""The sample registry's page: each enrolled person with their household and answers, and the log
of deliveries (each saying whether its signature verified).

Plain HTML with one inline style allowed by its hash: headings, description lists and lists only
(no tables), so it reads at 320 px wide and in a screen reader. Every value is escaped, and text
a person typed is isolated (``<bdi>``) so a name in Arabic does not reorder the line around it.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any

STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:60rem;line-height:1.45;color:#0b0c0c;overflow-wrap:anywhere}"
    "h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:2px solid #0b0c0c;margin-top:2rem}h3{font-size:1.15rem;margin:0 0 .5rem}"
    "h4{font-size:1rem;margin:1rem 0 .25rem}section.person{border:1px solid #b1b4b6;padding:.75rem;margin:0 0 1rem}"
    "dl{margin:0}dl>div{display:flex;flex-wrap:wrap;gap:0 1rem;padding:.2rem 0;border-bottom:1px solid #f3f2f1}"
    "dt{font-weight:700;flex:0 1 14rem}dd{margin:0;flex:1 1 12rem}ul,ol{padding-inline-start:1.25rem}"
    ".ok{color:#00703c}.refused{color:#d4351c}.muted{color:#505a5f}a{color:#1d70b8}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}"
)
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CSP = f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

SOURCES = {"id_provider": "verified by the ID provider", "self": "declared by the person", "officer": "entered by a field officer"}


def render(state: dict[str, Any], log: list[dict[str, Any]]) -> str:
    enrolments = sorted(state.get("enrolments", {}).values(), key=lambda e: str(e.get("received_at")), reverse=True)
    people = "".join(_person(e, n) for n, e in enumerate(enrolments, 1)) or "<p>Nobody enrolled yet. Approve and enrol an application in the staff console.</p>"
    entries = "".join(_log_entry(entry) for entry in reversed(log)) or "<li>No delivery yet.</li>"
    return (
        '<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Sample registry: enrolled beneficiaries</title><style>{STYLE}</style></head><body><main>"
        "<h1>Sample registry</h1>"
        "<p>This stands in for the ministry's social registry: the portal sends it signed webhooks, and it keeps the people "
        'enrolled in a program. <a href="/">Reload</a> to see new deliveries. '
        '<a href="/beneficiaries.json">Beneficiaries as JSON</a>, <a href="/log.json">log as JSON</a>.</p>'
        f"<h2>Enrolled beneficiaries ({len(enrolments)})</h2>{people}"
        f'<h2>Deliveries (newest first)</h2><ol reversed class="log">{entries}</ol>'
        "</main></body></html>"
    )


def _person(enrolment: dict[str, Any], number: int) -> str:
    person = enrolment.get("person") or {}
    details = person.get("details") or {}
    identity = person.get("identity") or {}
    application = enrolment.get("application") or {}
    name = (details.get("name") or {}).get("value") or "Name withheld"
    heading = f"person-{number}"
    facts = [
        ("Program", _texts((enrolment.get("program") or {}).get("name") or {}) or _e((enrolment.get("program") or {}).get("program_id"))),
        ("Status", _e(enrolment.get("status"))),
        ("Reference", _e(application.get("reference"))),
        ("Enrolled", _e(application.get("enrolled_at"))),
        ("National ID number", _bdi(identity.get("individual_id")) if identity.get("individual_id") else "not released by the ID provider"),
        ("ID provider", _e(identity.get("issuer") or "none yet (registered by an officer)")),
        ("Subject at the ID provider", _bdi(identity.get("subject"))),
        ("Portal's person id", _e(enrolment.get("registrant_id"))),
    ]
    if enrolment.get("consent_withdrawn"):
        facts.append(("Consent", "withdrawn for an ID provider's data: those details were removed"))
    return (
        f'<section class="person" aria-labelledby="{heading}"><h3 id="{heading}"><bdi>{_e(name)}</bdi></h3>{_dl(facts)}'
        f"<h4>Details</h4>{_details(details)}"
        f"<h4>Household ({len(enrolment.get('household') or [])})</h4>{_household(enrolment.get('household') or [])}"
        f"<h4>Answers</h4>{_answers(enrolment.get('answers') or [])}"
        f"<h4>Documents</h4>{_documents(enrolment.get('documents') or [])}</section>"
    )


def _details(details: dict[str, Any]) -> str:
    rows = [
        (_e(name.replace("_", " ").capitalize()), f'{_bdi(_value(d.get("value")))} <span class="muted">({_e(_source(d))})</span>')
        for name, d in details.items()
    ]
    return _dl(rows) if rows else "<p>None.</p>"


def _source(held: dict[str, Any]) -> str:
    return SOURCES.get(str(held.get("source")), str(held.get("source") or ""))


def _household(members: list[dict[str, Any]]) -> str:
    if not members:
        return "<p>None.</p>"
    items = []
    for member in members:
        fields = member.get("fields") or {}
        rest = ", ".join(f"{_e(k.replace('_', ' '))}: {_bdi(_value(v))}" for k, v in fields.items() if k != "name")
        items.append(f'<li><bdi>{_e(fields.get("name"))}</bdi>{" — " + rest if rest else ""} <span class="muted">({_e(_source(member))})</span></li>')
    return f"<ul>{''.join(items)}</ul>"


def _answers(answers: list[dict[str, Any]]) -> str:
    rows = [(_e(a.get("label")), _bdi(_value(a.get("shown_as", a.get("value"))))) for a in answers]
    return _dl(rows) if rows else "<p>None.</p>"


def _documents(documents: list[dict[str, Any]]) -> str:
    if not documents:
        return "<p>None.</p>"
    return "<ul>" + "".join(f"<li>{_bdi(d.get('file_name'))} ({_e(d.get('kind'))}, {_e(d.get('content_type'))})</li>" for d in documents) + "</ul>"


def _log_entry(entry: dict[str, Any]) -> str:
    css = "ok" if entry.get("outcome") in {"applied", "duplicate"} else "refused"
    return (
        f'<li><span class="{css}">{_e(entry.get("detail"))}</span><br>'
        f'<span class="muted">{_e(str(entry.get("at") or "")[:19])} · {_e(entry.get("type") or "unknown type")} · '
        f"HTTP {_e(entry.get('status'))} · webhook-id <code>{_e(entry.get('webhook_id'))}</code></span></li>"
    )


def _dl(rows: list[tuple[str, str]]) -> str:
    """A description list of (label, value), both already HTML."""
    return "<dl>" + "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in rows) + "</dl>"


def _texts(texts: dict[str, Any]) -> str:
    """A text given per language, each part marked with its language."""
    return " / ".join(f'<span lang="{_e(locale)}">{_e(text)}</span>' for locale, text in texts.items() if isinstance(text, str))


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _bdi(value: Any) -> str:
    return f"<bdi>{_e(value)}</bdi>"


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)
