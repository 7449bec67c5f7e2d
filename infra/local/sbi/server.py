"""The simulator's HTTP side: SBI's custom methods on 127.0.0.1, first free port from a base.

``MOSIPDISC /device``, ``MOSIPDINFO /info``, ``CAPTURE /capture``, ``RCAPTURE /capture``, and
admin calls in the spirit of MOSIP's mock device service:

- ``POST /admin/status``      ``{"type": "Finger", "deviceStatus": "Busy"}``
- ``POST /admin/score``       ``{"type": "Face", "qualityScore": 40}``
- ``POST /admin/delay``       ``{"type": "Iris", "delay": 3000}``  (milliseconds)
- ``POST /admin/nobiometric`` ``{"type": "Finger", "enabled": true}``
- ``POST /admin/person``      ``{"individualId": "8267411571"}`` (``null``: nobody known)
- ``POST /admin/reset``       ``{}``; ``GET /admin/state``

``type`` may be omitted or ``"Biometric Device"`` to mean every device.
"""

from __future__ import annotations

import errno
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from infra.local.sbi.devices import ENVS, STATUSES, SimulatedDevices
from infra.local.sbi.pki import SimulatorPki, load_or_create

SBI_LAST_PORT = 4600
PORT_SPAN = 100
MAX_BODY = 1_000_000
SBI_METHODS = "MOSIPDISC, MOSIPDINFO, CAPTURE, RCAPTURE, OPTIONS"


class NoFreePort(OSError):
    def __init__(self, first: int, last: int) -> None:
        super().__init__(f"no free port in {first}-{last}")
        self.first = first
        self.last = last


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    devices: SimulatedDevices


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def parse_request(self) -> bool:
        self._body_read = False  # one handler serves every request of a kept-alive connection: read each body afresh
        return super().parse_request()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        """Quiet: captures are personal data, and the launcher's console is shared."""

    # --- SBI --------------------------------------------------------------------------------

    def do_MOSIPDISC(self) -> None:  # noqa: N802 - the method name is SBI's
        if not self._path_is("/device"):
            return
        body = self._json_body()
        device_type = body.get("type") if isinstance(body, dict) else None
        self._reply(200, self.server.devices.discover(device_type if isinstance(device_type, str) else None))

    def do_MOSIPDINFO(self) -> None:  # noqa: N802
        if not self._path_is("/info"):
            return
        self._json_body()
        self._reply(200, self.server.devices.info())

    def do_CAPTURE(self) -> None:  # noqa: N802
        if self._path_is("/capture"):
            self._reply(200, self.server.devices.capture(self._json_body(), "Auth"))

    def do_RCAPTURE(self) -> None:  # noqa: N802
        if self._path_is("/capture"):
            self._reply(200, self.server.devices.capture(self._json_body(), "Registration"))

    def do_STREAM(self) -> None:  # noqa: N802
        self._json_body()
        self._reply(501, {"error": {"errorCode": "501", "errorInfo": "Streaming is not simulated"}})

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._json_body()
        self._reply(200, {}, extra={"Access-Control-Allow-Methods": SBI_METHODS, "Allow": SBI_METHODS})

    # --- admin ------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/admin/state":
            self._reply(200, [d.settings() for d in self.server.devices.devices])
        else:
            self._reply(404, {"error": {"errorCode": "404", "errorInfo": "Not found"}})

    def do_POST(self) -> None:  # noqa: N802
        body = self._json_body()
        if not isinstance(body, dict):
            body = {}
        try:
            changes = _admin_changes(self.path, body)
        except ValueError as problem:
            self._reply(400, {"error": {"errorCode": "400", "errorInfo": str(problem)}})
            return
        if changes is None:
            self.server.devices.reset()
            self._reply(200, [d.settings() for d in self.server.devices.devices])
            return
        device_type = body.get("type") if isinstance(body.get("type"), str) else None
        try:
            self._reply(200, self.server.devices.set(device_type, **changes))
        except ValueError:
            self._reply(400, {"error": {"errorCode": "400", "errorInfo": "unknown device type"}})

    # --- plumbing ---------------------------------------------------------------------------

    def _path_is(self, expected: str) -> bool:
        if self.path.split("?")[0].rstrip("/") == expected:
            return True
        self._json_body()
        self._reply(404, {"error": {"errorCode": "501", "errorInfo": "Unknown address"}})
        return False

    def _json_body(self) -> Any:
        if getattr(self, "_body_read", False):
            return self._body
        self._body_read = True
        self._body: Any = None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if not 0 < length <= MAX_BODY:
            return None
        raw = self.rfile.read(length)
        try:
            self._body = json.loads(raw)
        except ValueError:
            self._body = None
        return self._body

    def _reply(self, status: int, body: Any, extra: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Private-Network", "true")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _admin_changes(path: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """The device settings an admin call changes; None for reset. ValueError when it is wrong."""
    if path == "/admin/reset":
        return None
    if path == "/admin/status":
        if body.get("deviceStatus") not in STATUSES:
            raise ValueError(f"deviceStatus must be one of {', '.join(STATUSES)}")
        return {"status": body["deviceStatus"]}
    if path == "/admin/score":
        score = body.get("qualityScore")
        if not isinstance(score, int) or not 0 <= score <= 100:
            raise ValueError("qualityScore must be an integer from 0 to 100")
        return {"quality": score}
    if path == "/admin/delay":
        delay = body.get("delay")
        if not isinstance(delay, int) or not 0 <= delay <= 120_000:
            raise ValueError("delay must be milliseconds from 0 to 120000")
        return {"delay_ms": delay}
    if path == "/admin/nobiometric":
        return {"no_biometric": bool(body.get("enabled", True))}
    if path == "/admin/person":
        person = body.get("individualId")
        if person is not None and not isinstance(person, str):
            raise ValueError("individualId must be a string or null")
        return {"person": person}
    raise ValueError("unknown admin call")


@dataclass
class Simulator:
    """A running simulator: stop() shuts it down and frees the port."""

    name: str
    url: str
    host: str
    port: int
    pki: SimulatorPki
    devices: SimulatedDevices
    _server: _Server
    _thread: threading.Thread

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve(host: str, first_port: int, data_dir: Path | None = None, last_port: int | None = None) -> Simulator:
    """Start the simulator in a background thread on the first free port from ``first_port``.

    SBI services take the first free port in 4501-4600; tests pass another base so they never
    meet a running ``make dev``. Keys live under ``data_dir`` (default ``.local/``) in ``sbi/``.
    """
    last = last_port if last_port is not None else (SBI_LAST_PORT if first_port <= SBI_LAST_PORT else first_port + PORT_SPAN - 1)
    pki = load_or_create((data_dir or Path(".local")) / "sbi")
    server = _bind_first_free(host, first_port, last)
    port = server.server_address[1]
    url = f"http://{host}:{port}/"
    server.devices = SimulatedDevices(pki, callback_url=url)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=f"sbi-simulator-{port}", daemon=True)
    thread.start()
    return Simulator("SBI simulator (biometric devices)", url, host, port, pki, server.devices, server, thread)


def _bind_first_free(host: str, first: int, last: int) -> _Server:
    for port in range(first, last + 1):
        try:
            return _Server((host, port), _Handler)
        except OSError as problem:
            if problem.errno != errno.EADDRINUSE:
                raise
    raise NoFreePort(first, last)


__all__ = ["ENVS", "NoFreePort", "Simulator", "serve"]
