"""Small server-rendered HTML pages (the login error page, the data export) with their one inline
style allowed by its hash in a Content-Security-Policy under which nothing loads or runs.

A web-layer module: it imports nothing of the areas, which hand it their already escaped body.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Mapping
from html import escape

from chalice import Response


@functools.cache
def style_csp(style: str) -> str:
    """The policy of a page whose only resource is the inline ``<style>`` holding ``style``:
    that style is allowed by its SHA-256; nothing may load, run, frame the page or post a form."""
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def render_inline_page(body: str, *, title: str, style: str, lang: str = "en", direction: str = "ltr") -> str:
    """The whole document: ``body`` is HTML the caller has escaped; ``title`` is escaped here.
    ``dir`` is written only for right-to-left: left-to-right is HTML's own default."""
    direction_attribute = f' dir="{escape(direction)}"' if direction != "ltr" else ""
    return (
        f'<!doctype html><html lang="{escape(lang)}"{direction_attribute}><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{style}</style></head><body>{body}</body></html>"
    )


def inline_page(
    body: str,
    *,
    title: str,
    style: str,
    lang: str = "en",
    direction: str = "ltr",
    status: int = 200,
    headers: Mapping[str, str | list[str]] | None = None,
) -> Response:
    """An HTML response of ``render_inline_page`` with its ``style_csp``; ``headers`` add to (or
    replace) the defaults, e.g. ``Content-Disposition`` or ``Set-Cookie``."""
    sent: dict[str, str | list[str]] = {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": style_csp(style), **(headers or {})}
    return Response(body=render_inline_page(body, title=title, style=style, lang=lang, direction=direction), status_code=status, headers=sent)
