"""The export's texts (``chalicelib/person/texts.json``): each language has every text, with the
same placeholders; the texts it shares with the pages (statuses, activity, details' labels) are
copies of the frontend catalogs' own, so the export says it as the pages do.

After a catalog change: ``.venv/bin/python -m tests.registrants.test_export_texts`` copies them."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ROOT / "chalicelib" / "person" / "texts.json"
CATALOGS = ROOT / "frontend" / "src" / "i18n"
SHARED = ("status.", "activity.action.", "timeline.by.", "profile.field.", "profile.source.")
SHARED_KEYS = ("common.yes", "common.no", "common.not_answered", "answers.document_sent")


def shared(key: str) -> bool:
    return key.startswith(SHARED) or key in SHARED_KEYS


def catalog(locale: str) -> dict[str, object]:
    return dict(json.loads((CATALOGS / f"{locale}.json").read_text(encoding="utf-8")))


def test_every_language_has_every_text_with_the_same_placeholders() -> None:
    texts = json.loads(TEXTS.read_text(encoding="utf-8"))
    assert sorted(texts) == ["ar", "en", "fr"]
    for locale in ("fr", "ar"):
        assert sorted(texts[locale]) == sorted(texts["en"]), locale
        for key, message in texts["en"].items():
            assert sorted(re.findall(r"\{(\w+)\}", texts[locale][key])) == sorted(re.findall(r"\{(\w+)\}", message)), (locale, key)


def test_the_texts_shared_with_the_pages_are_in_the_catalogs_too() -> None:
    """Only that each shared key still exists there (the wording may move on between copies:
    comparing values would fail every helper who rewords a status)."""
    texts = json.loads(TEXTS.read_text(encoding="utf-8"))
    theirs = catalog("en")
    missing = sorted(k for k in texts["en"] if shared(k) and k not in theirs)
    assert missing == [], f"keys the catalogs no longer have: {missing}"


def copy_from_catalogs() -> None:
    texts = json.loads(TEXTS.read_text(encoding="utf-8"))
    for locale in ("en", "fr", "ar"):
        own = {k: v for k, v in texts[locale].items() if not shared(k)}
        own.update({k: v for k, v in catalog(locale).items() if shared(k) and isinstance(v, str)})
        texts[locale] = dict(sorted(own.items()))
    TEXTS.write_text(json.dumps(texts, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    copy_from_catalogs()
