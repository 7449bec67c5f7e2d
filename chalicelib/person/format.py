"""How an answer, a date or a size reads to a person, on the server: the same rules as the
browser's one formatter (``frontend/src/answers/format.ts``) for the HTML export and the
``text`` of each answer in ``/me/submissions``.

- nothing given: "Not answered"; a yes/no: "Yes"/"No" (never "True")
- a date: in words in the person's language ("5 June 2031", "5 juin 2031", "5 يونيو 2031")
- several choices: a list written the language's way ("A, B", "A, B et C", "A، وB")
- a document: its file name, never its id; a size with its unit

Texts come from ``texts.json`` beside this file: the export's own texts, and copies of the
frontend catalogs' texts the export shares with the pages (statuses, activity, profile fields),
kept equal by ``tests/registrants/test_export_texts.py``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

LOCALES = ("en", "fr", "ar")
DEFAULT = "en"

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@cache
def _texts() -> dict[str, dict[str, str]]:
    # Read once per process, on the first export or submissions page (not at import: cold start).
    return dict(json.loads((Path(__file__).parent / "texts.json").read_text(encoding="utf-8")))


def language(locale: str | None) -> str:
    base = (locale or DEFAULT).split("-")[0].lower()
    return base if base in LOCALES else DEFAULT


def text(locale: str, key: str, **values: Any) -> str:
    """The text of ``key`` in the language (else English, else the key itself), filled in."""
    texts = _texts()
    message = texts.get(language(locale), {}).get(key) or texts[DEFAULT].get(key) or key
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), message)


def has(locale: str, key: str) -> bool:
    return key in _texts().get(language(locale), {})


def parse_moment(value: Any) -> datetime | date | None:
    """An ISO date or timestamp (``2031-06-05``, ``2026-12-06T13:42:23.123456+00:00``, ``...Z``)
    or epoch seconds; None when it is not one."""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000 if value > 1e12 else value, UTC)
    if not isinstance(value, str) or not value:
        return None
    if DAY.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_date(value: Any, locale: str, with_time: bool = False) -> str:
    """A date in words ("5 June 2031"); with the time of day in UTC ("5 June 2031 at 14:03 UTC").
    Anything that is not a date is returned as text."""
    moment = parse_moment(value)
    if moment is None:
        return "" if value is None else str(value)
    lang = language(locale)
    day = moment.date() if isinstance(moment, datetime) else moment
    words = f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"
    if not with_time or not isinstance(moment, datetime):
        return words
    at = moment.astimezone(UTC)
    return text(lang, "export.time_at", date=words, time=f"{at.hour:02d}:{at.minute:02d} {text(lang, 'export.utc')}")


def list_of(items: list[str], locale: str) -> str:
    """Several answers as the language writes a list (as ``Intl.ListFormat`` unit/short does)."""
    items = [i for i in items if i]
    lang = language(locale)
    if len(items) < 2:
        return "".join(items)
    if lang == "fr":
        return ", ".join(items[:-1]) + " et " + items[-1]
    if lang == "ar":
        return items[0] + "".join(("، و" if len(items) > 2 else " و") + i for i in items[1:])
    return ", ".join(items)


def format_number(value: float, locale: str) -> str:
    shown = f"{value:,.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if language(locale) == "fr":
        return shown.replace(",", "\u202f").replace(".", ",")
    return shown


def format_size(size: Any, locale: str) -> str:
    """A file's size with its unit: "1.2 MB", "340 KB"."""
    if not isinstance(size, int | float) or isinstance(size, bool) or size < 0:
        return ""
    if size >= 1024 * 1024:
        return text(locale, "export.mb", n=format_number(round(size / (1024 * 1024), 1), locale))
    if size >= 1024:
        return text(locale, "export.kb", n=format_number(round(size / 1024), locale))
    return text(locale, "export.bytes", n=format_number(int(size), locale))


def format_type(content_type: Any, locale: str) -> str:
    """A file's type as a person names it: "PDF", "Photo (JPEG)"."""
    if not isinstance(content_type, str) or not content_type:
        return ""
    if content_type == "application/pdf":
        return text(locale, "export.pdf")
    if content_type.startswith("image/"):
        return text(locale, "export.image", type=content_type.split("/", 1)[1].upper())
    return content_type


def format_answer(kind: str | None, value: Any, shown: Any, locale: str, file_names: dict[str, str] | None = None) -> str:
    """An answer as the person reads it. ``shown``: the value with choices replaced by their
    option labels (a list for several); ``file_names``: document id -> file name."""
    if value is None or value == "" or value == []:
        return text(locale, "common.not_answered")
    if kind == "document":
        return (file_names or {}).get(str(value)) or text(locale, "answers.document_sent")
    if kind == "date" and isinstance(value, str) and DAY.match(value):
        return format_date(value, locale)

    def one(item: Any) -> str:
        if isinstance(item, bool):
            return text(locale, "common.yes" if item else "common.no")
        if isinstance(item, int | float):
            return format_number(item, locale)
        if isinstance(item, dict):
            return ", ".join(one(v) for v in item.values() if v not in (None, ""))
        return str(item)

    if isinstance(shown, list):
        return list_of([one(item) for item in shown], locale)
    return one(shown)


def kind_of(schema: dict[str, Any] | None, spec: dict[str, Any] | None) -> str:
    """The question's kind, as the browser's form model names it (``kindOf``)."""
    schema = schema or {}
    widget = (spec or {}).get("widget") or (spec or {}).get("ui:widget")
    if schema.get("type") == "array" and (schema.get("items") or {}).get("type") == "object":
        return "group"
    if widget in {"radio", "radios"}:
        return "radios"
    if widget in {"checkbox", "checkboxes"}:
        return "checkboxes" if schema.get("type") == "array" else "checkbox"
    if widget in {"document", "select", "textarea", "date", "number", "text"}:
        return str(widget)
    if schema.get("type") == "array":
        return "checkboxes"
    if schema.get("format") == "date":
        return "date"
    if schema.get("type") == "boolean":
        return "radios"
    if schema.get("enum") or (spec or {}).get("options"):
        return "radios"
    if schema.get("type") in {"number", "integer"}:
        return "number"
    return "text"
