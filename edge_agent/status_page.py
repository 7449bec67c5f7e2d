"""The agent's own status page on loopback (``GET /`` of ``serve``): pairing codes, paired
consoles, the queue, the last error and the devices seen. No script; it reloads itself every
few seconds. Other web pages cannot read it (no CORS header) nor frame it."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from html import escape
from typing import Any

from edge_agent.pairing import Pairing, Pending

STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:48rem;line-height:1.4}"
    ".code{font-size:2.5rem;font-weight:700;letter-spacing:.2em;font-family:monospace}"
    "table{border-collapse:collapse}td,th{border-bottom:1px solid #bbb;padding:.3rem .8rem;text-align:start}"
    "button{font-size:1rem;padding:.3rem .8rem}"
)
CSP = (
    f"default-src 'none'; style-src 'sha256-{base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()}'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def _when(epoch: float | None) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if epoch else "—"


def render(state: dict[str, Any], pending: list[Pending], paired: list[Pairing], form_token: str) -> str:
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Edge agent status</title>',
        f"<style>{STYLE}</style></head><body><main>",
        "<h1>Edge agent</h1>",
        f"<p>Version {escape(state['version'])}. Answers only the staff console at <strong>{escape(state['portal'])}</strong>.</p>",
        f"<p>{'Enrolled as agent ' + escape(str(state['agent_id'])) if state['enrolled'] else 'Not enrolled yet: the first capture enrols it.'}</p>",
        "<h2>Pairing codes</h2>",
    ]
    if pending:
        parts.append("<p>Type the code into the staff console that asked for it.</p><ul>")
        for item in pending:
            parts.append(
                f'<li><span class="code" data-pairing="{escape(item.pairing_id)}">{item.code[:3]} {item.code[3:]}</span> '
                f"for {escape(item.console)} (until {_when(item.expires_at)})</li>"
            )
        parts.append("</ul>")
    else:
        parts.append("<p>No console is asking to pair.</p>")
    parts.append("<h2>Paired consoles</h2>")
    if paired:
        parts.append(
            '<table><thead><tr><th scope="col">Console</th><th scope="col">Paired</th><th scope="col">Until</th><th scope="col"></th></tr></thead><tbody>'
        )
        for pairing in paired:
            parts.append(
                f"<tr><td>{escape(pairing.console)}</td><td>{_when(pairing.paired_at)}</td><td>{_when(pairing.expires_at)}</td><td>"
                f'<form method="post" action="/local/forget"><input type="hidden" name="token" value="{escape(form_token)}">'
                f'<input type="hidden" name="pairing_id" value="{escape(pairing.pairing_id)}"><button>Forget</button></form></td></tr>'
            )
        parts.append("</tbody></table>")
    else:
        parts.append("<p>None.</p>")
    queue = state["queue"]
    error = state.get("last_error") or {}
    parts.append("<h2>Captures</h2>")
    parts.append(f"<p>{queue['pending']} waiting to be sent, {queue['delivered']} delivered, {queue['rejected']} refused by the portal.</p>")
    parts.append(f"<p>Last error: {escape(str(error.get('error'))) + ' at ' + _when(error.get('at')) if error else 'none'}</p>")
    seen = state.get("devices_seen") or {}
    parts.append("<h2>Devices seen</h2>")
    if seen.get("devices"):
        parts.append("<ul>")
        for device in seen["devices"]:
            status = (device.get("info") or {}).get("status") or device.get("status")
            parts.append(f"<li>{escape(str(device.get('type')))}: {escape(str(status))} (port {escape(str(device.get('port')))})</li>")
        parts.append(f"</ul><p>At {_when(seen.get('at'))}.</p>")
    else:
        parts.append("<p>Not scanned yet.</p>")
    parts.append("</main></body></html>")
    return "".join(parts)
