"""The sample registry's HTTP server (stdlib, threaded): ``POST /webhooks`` receives deliveries;
``GET /`` is the page, ``/beneficiaries.json`` and ``/log.json`` the same for scripts and tests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from infra.local.registry import page
from infra.local.registry.receiver import MAX_BODY, Registry

WEBHOOK_PATH = "/webhooks"


class RegistryServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], registry: Registry) -> None:
        super().__init__(address, RegistryHandler)
        self.registry = registry


class RegistryHandler(BaseHTTPRequestHandler):
    server: RegistryServer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        if self.path != WEBHOOK_PATH:
            self._json(404, {"error": "not_found"})
            return
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._json(413 if length > MAX_BODY else 400, {"error": "bad_length"})
            return
        body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        verdict = self.server.registry.receive(body, headers)
        self._json(verdict.status, {"outcome": verdict.outcome, "detail": verdict.detail})

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        state, log = self.server.registry.snapshot()
        if self.path == "/health":
            self._answer(200, "text/plain; charset=utf-8", b"ok")
        elif self.path == "/beneficiaries.json":
            self._json(200, state)
        elif self.path == "/log.json":
            self._json(200, log)
        elif self.path in {"/", "/index.html"}:
            self._answer(200, "text/html; charset=utf-8", page.render(state, log).encode())
        else:
            self._json(404, {"error": "not_found"})

    def _json(self, status: int, value: Any) -> None:
        self._answer(status, "application/json", json.dumps(value, ensure_ascii=False).encode())

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", page.CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        return  # the page's log says what arrived; nothing personal on the console


class RunningRegistry:
    """A registry serving on a thread, as the launcher and tests hold it."""

    def __init__(self, name: str, host: str, port: int, folder: Path, secrets_file: Path) -> None:
        self.registry = Registry(folder, secrets_file)
        self.server = RegistryServer((host, port), self.registry)
        self.port = int(self.server.server_address[1])
        self.name = name
        self.url = f"http://{host}:{self.port}/"
        self.webhook_url = f"http://{host}:{self.port}{WEBHOOK_PATH}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, name="sample-registry", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
