"""The queue forgets an answered envelope for real (no copy left in the database or its log), and
only the portal's own refusal is final: whatever a proxy or gateway answers, the envelope is
kept and sent again. The answers come over real HTTP on loopback."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from edge_agent import outbox as outbox_module
from edge_agent.cloud import Cloud
from edge_agent.outbox import Outbox
from edge_agent.relay import send_one

pytestmark = pytest.mark.xdist_group("edge-agent")


def _envelope() -> str:
    """Large enough to spill over several pages, and unlike anything else in the file."""
    return "eyJhbGciOiJFUzI1NiJ9." + os.urandom(24_000).hex() + ".c2lnbmF0dXJl"


def _pieces(envelope: str) -> list[bytes]:
    return [envelope[i : i + 48].encode() for i in range(0, len(envelope) - 48, 4_000)]


def _on_disk(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


@pytest.fixture(params=["default", "secure_delete_off"])
def sqlite_build(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """This SQLite as built, and as on a build where freed content is not zeroed by default
    (SQLite's own default; Debian's build turns it on, the Python.org Windows and macOS ones not)."""
    if request.param == "secure_delete_off":
        connect = sqlite3.connect

        def connect_without_secure_delete(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            connection = connect(*args, **kwargs)
            connection.execute("PRAGMA secure_delete=OFF")
            return connection

        monkeypatch.setattr(outbox_module.sqlite3, "connect", connect_without_secure_delete)
    return str(request.param)


@pytest.mark.parametrize("state", ["delivered", "rejected"])
def test_an_answered_envelope_leaves_no_trace_in_the_database_or_its_write_ahead_log(tmp_path: Path, state: str, sqlite_build: str) -> None:
    path = tmp_path / "outbox.sqlite3"
    outbox = Outbox(path)
    others = [_envelope() for _ in range(3)]
    envelope = _envelope()
    for index, other in enumerate(others[:2]):
        outbox.put(f"older-{index}", "txn", "finger", other)
    outbox.put("capture-1", "txn-1", "finger", envelope)
    outbox.put("waiting", "txn", "finger", others[2])
    outbox.answered("older-0", "delivered", {"ok": True})
    disk = _on_disk(path)
    assert all(piece in disk for piece in _pieces(envelope))  # written before it is sent, as it must be

    outbox.answered("capture-1", state, {"capture_id": "capture-1"})
    disk = _on_disk(path)
    assert not any(piece in disk for piece in _pieces(envelope)), "the answered envelope is still on disk"
    assert all(piece in disk for piece in _pieces(others[2]))  # what still waits is kept
    assert path.with_name(path.name + "-wal").stat().st_size == 0
    entry = outbox.get("capture-1")
    assert entry is not None and entry.state == state and entry.envelope == "" and entry.answer == {"capture_id": "capture-1"}
    outbox.close()
    assert not any(piece in _on_disk(path) for piece in _pieces(envelope))


# --- what ends an envelope's journey ------------------------------------------------------------


class Portal:
    """Answers every request with ``status`` and ``body`` (as given, not necessarily JSON)."""

    def __init__(self) -> None:
        self.status = 201
        self.body = b"{}"
        self.content_type = "application/json"
        self.requests = 0
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                portal.requests += 1
                self.send_response(portal.status)
                self.send_header("Content-Type", portal.content_type)
                self.send_header("Content-Length", str(len(portal.body)))
                self.end_headers()
                self.wfile.write(portal.body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answers(self, status: int, body: object, content_type: str = "application/json") -> None:
        self.status, self.content_type = status, content_type
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()


@pytest.fixture
def portal() -> Iterator[Portal]:
    running = Portal()
    yield running
    running.server.shutdown()
    running.server.server_close()


def _send(tmp_path: Path, portal: Portal) -> tuple[str, Outbox]:
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    outbox.put("capture-1", "txn-1", "finger", "the-envelope")
    [entry] = outbox.due()
    delivery = send_one(outbox, Cloud(portal.url, "token"), entry)
    return delivery.state, outbox


def _refusal(code: str) -> dict[str, object]:
    return {"error": {"code": code, "message": "The portal says no.", "status": 422}}


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (407, b"<html><body>Proxy Authentication Required</body></html>", "text/html"),
        (403, {"message": "Forbidden"}, "application/json"),  # a gateway or firewall, not the portal's error shape
        (400, b"Bad Request", "text/plain"),
        (404, {"error": "not found"}, "application/json"),
        (413, {"error": {"message": "too large"}}, "application/json"),  # no code: not the portal's
        (408, _refusal("request_timeout"), "application/json"),
        (429, _refusal("too_many_requests"), "application/json"),
        (502, b"<html>Bad Gateway</html>", "text/html"),
        (503, _refusal("unavailable"), "application/json"),
        (504, b"", "text/plain"),
        (401, _refusal("token_expired"), "application/json"),  # signed out: kept until the officer signs in again
        (403, _refusal("agent_not_yours"), "application/json"),  # another officer's sign-in on a shared PC: kept for its own
    ],
)
def test_an_answer_that_is_not_the_portals_own_refusal_keeps_the_envelope(tmp_path: Path, portal: Portal, status: int, body: object, content_type: str) -> None:
    portal.answers(status, body, content_type)
    state, outbox = _send(tmp_path, portal)
    try:
        entry = outbox.get("capture-1")
        assert state == "pending" and entry is not None
        assert (entry.state, entry.envelope, entry.attempts) == ("pending", "the-envelope", 1)
        assert entry.last_error and (str(status) in entry.last_error or "sign-in expired" in entry.last_error or "another officer" in entry.last_error)
        assert entry.next_attempt_at > entry.created_at  # tried again after a backoff
    finally:
        outbox.close()
    assert portal.requests == 1


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422])
def test_the_portals_own_refusal_is_final_and_the_envelope_is_erased(tmp_path: Path, portal: Portal, status: int) -> None:
    portal.answers(status, _refusal("identity_not_matched"))
    state, outbox = _send(tmp_path, portal)
    try:
        entry = outbox.get("capture-1")
        assert state == "rejected" and entry is not None
        assert (entry.state, entry.envelope) == ("rejected", "")
        assert entry.answer == _refusal("identity_not_matched")
    finally:
        outbox.close()


def test_an_acknowledgement_is_final_and_the_envelope_is_erased(tmp_path: Path, portal: Portal) -> None:
    portal.answers(201, {"outcome": "verified", "capture_id": "capture-1"})
    state, outbox = _send(tmp_path, portal)
    try:
        entry = outbox.get("capture-1")
        assert state == "delivered" and entry is not None and entry.envelope == "" and entry.answer == {"outcome": "verified", "capture_id": "capture-1"}
    finally:
        outbox.close()
