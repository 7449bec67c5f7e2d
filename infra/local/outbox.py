"""The local outbox page: every SMS and email the portal handed to the emulator's SNS and SES.

Served by the stream consumer's process (``infra.local.streams``) at the address the launcher
prints. Each line is a message as delivery recorded it, with the message id the emulator's SNS
or SES answered with (the emulator keeps no list of what it was sent that can be read back: the
local stack's moto does not track its objects). Refreshes itself every few seconds.
"""

from __future__ import annotations

import html
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from chalicelib.store.messages import Message

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem}table{border-collapse:collapse;width:100%}"
    "td,th{border-bottom:1px solid #ccc;padding:.4rem;text-align:start;vertical-align:top}td.text{white-space:pre-wrap}"
    ".parked{color:#b00}"
)


def sent_messages(limit: int = 200) -> list[dict[str, Any]]:
    """Messages on a channel (not inbox-only ones), newest first. A Scan: the local stack only."""
    found = [m for m in Message.scan() if m.channel in {"sms", "email"}]
    found.sort(key=lambda m: m.sk.split("#")[1], reverse=True)
    return [
        {
            "at": m.sent_at or (m.created_at.isoformat() if m.created_at else ""),
            "channel": m.channel,
            "state": m.state,
            "registrant_id": m.registrant_id,
            "event_type": m.event_type,
            "locale": m.locale,
            "subject": m.subject,
            "text": m.body,
            "sms_segments": int(m.segments) if m.segments is not None else None,
            "attempts": int(m.attempts or 0),
            "provider_message_id": m.provider_id,
        }
        for m in found[:limit]
    ]


def page(messages: list[dict[str, Any]]) -> str:
    rows = "".join(
        f"<tr class='{html.escape(m['state'])}'><td>{html.escape(m['at'][:19])}</td><td>{html.escape(m['channel'].upper())}</td>"
        f"<td>{html.escape(m['state'])} ({m['attempts']})</td><td>{html.escape(m['event_type'])}<br>{html.escape(m['locale'])}</td>"
        f"<td class='text'>{html.escape(m['subject'] or '') + chr(10) if m['channel'] == 'email' else ''}{html.escape(m['text'])}</td>"
        f"<td>{'' if m['sms_segments'] is None else m['sms_segments']}</td><td><code>{html.escape(m['provider_message_id'] or '')}</code></td></tr>"
        for m in messages
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><meta http-equiv='refresh' content='3'>"
        f"<title>Local outbox</title><style>{STYLE}</style></head><body><h1>Local outbox: SMS and email sent</h1>"
        "<p>What the portal handed to the emulator's SNS (SMS) and SES (email), newest first. <a href='/messages.json'>JSON</a></p>"
        "<table><thead><tr><th>Sent</th><th>Channel</th><th>State (tries)</th><th>Event</th><th>Text</th><th>SMS parts</th>"
        f"<th>Emulator's message id</th></tr></thead><tbody>{rows or '<tr><td colspan=7>Nothing sent yet.</td></tr>'}</tbody></table></body></html>"
    )


class OutboxHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/health":
            self._answer(200, "text/plain", b"ok")
        elif self.path == "/messages.json":
            self._answer(200, "application/json", json.dumps(sent_messages()).encode())
        elif self.path in {"/", "/index.html"}:
            self._answer(200, "text/html; charset=utf-8", page(sent_messages()).encode())
        else:
            self._answer(404, "text/plain", b"not found")

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        return  # the page refreshes every 3 s: no line for each


def make_server(host: str, port: int) -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), OutboxHandler)
