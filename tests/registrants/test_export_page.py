"""The export's readable page: everything escaped, nothing loaded or run."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from chalicelib.person.export import HTML_CSP, STYLE, render_html

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def hostile_document() -> dict[str, Any]:
    return {
        "generated_at": "2026-01-01T00:00:00+00:00",
        "profile": {"preferred_locale": 'en"><script>', "fields": {"name": {"value": HOSTILE, "source": "self", "verified": False}}},
        "history": [
            {
                "at": "t",
                "field": "name",
                "previous": {"value": HOSTILE},
                "current": {"value": "ok"},
                "reason": "self_update",
                "by": {"role": "registrant", "ref": HOSTILE},
            }
        ],
        "change_requests": [{"requested_at": "t", "field": "name", "value": HOSTILE, "status": "pending"}],
        "applications": [
            {
                "program": {"name": HOSTILE},
                "reference": HOSTILE,
                "status": "submitted",
                "answers": [{"label": HOSTILE, "shown_as": {"nested": HOSTILE}}],
                "timeline": [{"at": "t", "from": "draft", "to": "submitted", "by": {"role": "registrant", "ref": "r"}, "reason": HOSTILE}],
            }
        ],
        "documents": [
            {"file_name": HOSTILE, "kind": "id", "status": "available", "download": {"url": 'https://bucket.example/k?a=1&b="><script>'}},
            {"file_name": "evil", "kind": "id", "status": "available", "download": {"url": "javascript:alert(1)"}},
        ],
        "consents": [
            {"given_at": "t", "kind": "id_provider", "provider": HOSTILE, "claims": [HOSTILE], "status": "active"},
            {
                "given_at": "t",
                "kind": "application",
                "purpose": "share",
                "statement": {"en": HOSTILE},
                "program_name": {"en": HOSTILE},
                "reference": {"application_id": "a", "program_id": "p", "reference": HOSTILE},
                "status": "active",
            },
        ],
        "activity": [{"at": "t", "action": HOSTILE, "by": {"role": "reviewer", "ref": "staff-1"}, "details": {"x": HOSTILE}}],
    }


def test_every_value_on_the_page_is_escaped() -> None:
    page = render_html(hostile_document())
    assert "<script" not in page
    assert "<img" not in page
    assert "javascript:" not in page  # a link that is not https is not a link
    assert 'href="https://bucket.example/k?a=1&amp;b=&quot;&gt;&lt;script&gt;"' in page
    assert page.count("&lt;script&gt;") >= 13


def test_the_page_runs_nothing_and_its_one_style_is_allowed_by_hash() -> None:
    assert "default-src 'none'" in HTML_CSP
    assert "script-src" not in HTML_CSP and "unsafe-inline" not in HTML_CSP
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in HTML_CSP
    page = render_html(hostile_document())
    (style,) = re.findall(r"<style>(.*?)</style>", page, flags=re.S)
    assert style == STYLE
