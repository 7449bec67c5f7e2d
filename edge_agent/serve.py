"""``serve``: the agent as a small local service that the staff console drives from the officer's
browser. It listens on 127.0.0.1 only and does what the commands do (find devices, capture with
the portal's transaction id, seal, queue, relay), for a console that paired with it.

Who may call it:

- a request whose ``Host`` is not this loopback address is refused (a DNS-rebinding page would
  otherwise be "same origin" with the agent);
- the API answers only the portal's own origin (``Origin`` must be exactly ``--portal``), and
  says so in CORS headers to that origin only; a preflight from that origin is answered with
  ``Access-Control-Allow-Private-Network: true`` (Chromium's Private Network Access), a
  preflight from any other origin is refused, and any other origin's request is refused
  before anything is done, so no device is touched;
- every call but the pairing itself carries ``X-SSP-Pairing: <secret>`` from a pairing the
  officer confirmed with the code the agent showed (``pairing``);
- the portal is called with the officer's bearer token, which the console sends along
  (``Authorization``); the agent keeps the last one in memory only, to send queued captures.

The status page (``GET /``) is for the officer's eyes: it shows the pairing codes, the paired
consoles (each can be forgotten), the queue, the last error and the devices seen.
"""

from __future__ import annotations

import argparse
import json
import secrets
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

from edge_agent import __version__, capturing, envelope, sbi, status_page
from edge_agent.capturing import DEVICE, REFUSED, UNREACHABLE, Stop
from edge_agent.cloud import Cloud, CloudAnswer, CloudUnreachable
from edge_agent.home import AgentHome, Enrolment
from edge_agent.outbox import Outbox
from edge_agent.pairing import Pairing, PairingRefused, Pairings
from edge_agent.relay import flush

HOST = "127.0.0.1"
DEFAULT_PORT = 4700
MAX_BODY = 16 * 1024
ALLOWED_HEADERS = "Content-Type, Authorization, X-SSP-Pairing"
ALLOWED_METHODS = "GET, POST, DELETE"
SEND_EVERY = 5.0


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": {"code": code, "message": message, **details}}


class Agent:
    """What the service knows and does, apart from HTTP."""

    def __init__(self, home: AgentHome, portal: str, ports: list[int], trust_store: str | None, pairing_hours: float, name: str, out: TextIO) -> None:
        self.home = home
        self.portal = portal.rstrip("/")
        self.ports = ports
        self.trust_store = trust_store
        self.name = name
        self.out = out
        self.pairings = Pairings(home.root / "pairings.json", pairing_hours * 3600)
        self.form_token = secrets.token_urlsafe(24)  # the status page's own forms carry it
        self.token: str | None = None  # the officer's, from the last console call; memory only
        self._capturing = threading.Lock()
        self._enrolling = threading.Lock()
        self.stopped = threading.Event()

    def say(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    # --- state ----------------------------------------------------------------------------

    def state(self, pairing: Pairing | None) -> dict[str, Any]:
        enrolment = self.home.enrolment()
        outbox = Outbox(self.home.outbox_path)
        try:
            counts = outbox.counts()
            last_error = json.loads(outbox.noted("last_error") or "null")
            seen = json.loads(outbox.noted("devices_seen") or "null")
            oldest = outbox.pending()[:1]
        finally:
            outbox.close()
        return {
            "version": __version__,
            "portal": self.portal,
            "enrolled": enrolment is not None,
            "agent_id": enrolment.agent_id if enrolment else None,
            "pairing": {"pairing_id": pairing.pairing_id, "console": pairing.console, "expires_at": pairing.expires_at} if pairing else None,
            "queue": counts,
            "oldest_pending_since": oldest[0].created_at if oldest else None,
            "last_error": last_error,
            "devices_seen": seen,
            "capturing": self._capturing.locked(),
        }

    def devices(self) -> list[dict[str, Any]]:
        trusted = capturing.anchors(self.trust_store, self.home)
        found = capturing.scan(self.home, self.ports, trusted)
        return [
            {
                "port": d.port,
                "type": d.type,
                "modality": d.modality,
                "status": capturing.device_status(d),
                "problem": capturing.why_not_usable(d, trusted is not None),
                "make": (d.info or d).make,
                "model": (d.info or d).model,
                "certification": (d.info or d).certification,
                "signature": d.info.signature if d.info else None,
            }
            for d in found
        ]

    # --- capture --------------------------------------------------------------------------

    def _enrolment(self, token: str) -> Enrolment:
        with self._enrolling:
            enrolment = self.home.enrolment()
            if enrolment is not None and self.home.key_path.exists():
                if enrolment.cloud != self.portal:
                    raise Refusal(409, "agent_enrolled_elsewhere", f"This PC's agent is enrolled with {enrolment.cloud}, not this portal.")
                return enrolment
            key = envelope.new_key()
            try:
                agent = Cloud(self.portal, token).register_agent(self.name, envelope.public_jwk(key))
            except CloudUnreachable:
                raise Refusal(503, "portal_unreachable", "The portal cannot be reached from this PC. Check the network.") from None
            except CloudAnswer as refused:
                raise Refusal(refused.status, refused.code, refused.message) from None
            envelope.save_key(key, self.home.key_path)
            enrolment = Enrolment(str(agent["agent_id"]), self.portal, self.name)
            self.home.save_enrolment(enrolment)
            self.say(f"Enrolled this PC's agent as {enrolment.agent_id} with {self.portal}.")
            return enrolment

    def capture(self, token: str, registrant: str, modality: str, simulated_person: str | None) -> tuple[int, dict[str, Any]]:
        if not self._capturing.acquire(blocking=False):
            raise Refusal(409, "agent_busy", "Another capture is running on this PC. Wait for it to finish.")
        try:
            enrolment = self._enrolment(token)
            trusted = capturing.anchors(self.trust_store, self.home)
            captured = capturing.capture_and_send(
                self.home, enrolment, Cloud(self.portal, token), trusted, self.ports, registrant, modality, simulated_person, wait=5.0
            )
        except Stop as stop:
            raise _refusal_of(stop) from None
        finally:
            self._capturing.release()
        self.token = token  # the portal opened a transaction for this officer: theirs sends the queue
        entry = captured.entry
        quality = {"quality": captured.quality, "min_quality": captured.min_quality}
        if entry.state == "delivered":
            answer = entry.answer or {}
            return 201, {"state": "verified", "capture_id": entry.capture_id, "assisted_session": answer.get("assisted_session"), "answer": answer, **quality}
        if entry.state == "rejected":
            error = (entry.answer or {}).get("error") or {}
            return 200, {"state": "refused", "capture_id": entry.capture_id, "code": error.get("code"), "message": error.get("message"), **quality}
        return 202, {"state": "queued", "capture_id": entry.capture_id, "last_error": entry.last_error, **quality}

    def send(self, token: str | None = None) -> dict[str, int]:
        if token:
            self.token = token
        enrolment = self.home.enrolment()
        outbox = Outbox(self.home.outbox_path)
        try:
            if enrolment is not None and self.token:
                flush(outbox, Cloud(enrolment.cloud, self.token), wait=0.0)
            return outbox.counts()
        finally:
            outbox.close()

    def keep_sending(self) -> None:
        """Send queued captures whenever the network allows (with the last token a console sent)."""
        while not self.stopped.wait(SEND_EVERY):
            try:
                self.send()
            except Exception as problem:  # noqa: BLE001 - the loop must outlive any one failure; the outbox notes the error
                self.say(f"Sending the queue failed ({type(problem).__name__}); will try again.")


def _refusal_of(stop: Stop) -> Refusal:
    if stop.code == DEVICE:
        return Refusal(409, "device_problem", stop.message, device_code=stop.device_code)
    if stop.code == UNREACHABLE:
        return Refusal(503, "portal_unreachable", stop.message)
    cause = stop.__cause__
    if stop.code == REFUSED and isinstance(cause, CloudAnswer):
        if cause.status == 401:
            return Refusal(401, "officer_sign_in_expired", "Your sign-in has expired. Sign in again.")
        return Refusal(cause.status, cause.code, cause.message)
    return Refusal(409, "agent_cannot_proceed", stop.message)


# --- HTTP -------------------------------------------------------------------------------------


def handler_for(agent: Agent, port: int) -> type[BaseHTTPRequestHandler]:
    own_hosts = {f"{HOST}:{port}", f"localhost:{port}"}
    own_origin = f"http://{HOST}:{port}"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ssp-edge-agent"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            return  # nothing per request: paths and headers can carry secrets

        # --- plumbing -------------------------------------------------------------------

        def _origin_allowed(self) -> bool:
            return self.headers.get("Origin") == agent.portal

        def _cors(self) -> dict[str, str]:
            return {"Access-Control-Allow-Origin": agent.portal, "Vary": "Origin"} if self._origin_allowed() else {"Vary": "Origin"}

        def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in {
                "Content-Type": content_type,
                "Content-Length": str(len(body)),
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
                "X-Frame-Options": "DENY",
                **(headers or {}),
            }.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, status: int, body: Any) -> None:
            self._send(status, json.dumps(body).encode(), "application/json", self._cors())

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise Refusal(413, "too_large", "The request is too large.")
            if length and not (self.headers.get("Content-Type") or "").startswith("application/json"):
                raise Refusal(415, "json_required", "Send JSON.")
            raw = self.rfile.read(length) if length else b"{}"
            try:
                body = json.loads(raw)
            except ValueError:
                raise Refusal(400, "malformed_json", "The body is not JSON.") from None
            if not isinstance(body, dict):
                raise Refusal(400, "malformed_json", "The body must be a JSON object.")
            return body

        def _host_ok(self) -> bool:
            return self.headers.get("Host") in own_hosts

        def _pairing(self) -> Pairing:
            pairing = agent.pairings.check(self.headers.get("X-SSP-Pairing"))
            if pairing is None:
                raise Refusal(401, "pairing_required", "This console is not paired with the agent (or its pairing ended). Pair again.")
            return pairing

        def _bearer(self) -> str:
            value = self.headers.get("Authorization") or ""
            if not value.startswith("Bearer ") or len(value) < 20:
                raise Refusal(401, "officer_sign_in_required", "Sign in to the staff console first.")
            return value.removeprefix("Bearer ").strip()

        def _guarded(self, run: Any) -> None:
            if not self._host_ok():
                self._send(421, b"Misdirected request", "text/plain")
                return
            try:
                run()
            except Refusal as refusal:
                self._json(refusal.status, refusal.body)
            except PairingRefused as refused:
                self._json(refused.status, {"error": {"code": refused.code, "message": refused.message}})

        # --- methods --------------------------------------------------------------------

        def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
            def run() -> None:
                if not self._origin_allowed():
                    raise Refusal(403, "origin_not_allowed", "Only the portal's staff console may call this agent.")
                headers = {
                    "Access-Control-Allow-Origin": agent.portal,
                    "Access-Control-Allow-Methods": ALLOWED_METHODS,
                    "Access-Control-Allow-Headers": ALLOWED_HEADERS,
                    "Access-Control-Max-Age": "600",
                    "Vary": "Origin, Access-Control-Request-Private-Network",
                }
                if self.headers.get("Access-Control-Request-Private-Network") == "true":
                    headers["Access-Control-Allow-Private-Network"] = "true"
                if self.headers.get("Access-Control-Request-Local-Network") == "true":
                    headers["Access-Control-Allow-Local-Network"] = "true"
                self._send(204, b"", "text/plain", headers)

            self._guarded(run)

        def do_GET(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            if path in ("/", "/status"):
                self._guarded(self._status_page)
                return
            self._guarded(lambda: self._api("GET", path))

        def do_POST(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            if path.startswith("/local/"):
                self._guarded(lambda: self._status_form(path))
                return
            self._guarded(lambda: self._api("POST", path))

        def do_DELETE(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            self._guarded(lambda: self._api("DELETE", path))

        # --- the console's API ------------------------------------------------------------

        def _api(self, method: str, path: str) -> None:
            if not self._origin_allowed():
                raise Refusal(403, "origin_not_allowed", "Only the portal's staff console may call this agent.")
            if (method, path) == ("GET", "/v1/hello"):
                self._json(
                    200, {"agent": "ssp-edge-agent", "version": __version__, "paired": agent.pairings.check(self.headers.get("X-SSP-Pairing")) is not None}
                )
                return
            if (method, path) == ("POST", "/v1/pairings"):
                console = str(self._body().get("console") or "Staff console")
                pending = agent.pairings.start(console)
                agent.say(f"Pairing code for {pending.console!r}: {pending.code[:3]} {pending.code[3:]} (type it into the staff console; valid 5 minutes)")
                self._json(201, {"pairing_id": pending.pairing_id, "expires_at": pending.expires_at, "status_page": own_origin + "/"})
                return
            if method == "POST" and path.startswith("/v1/pairings/") and path.endswith("/confirm"):
                pairing_id = path.removeprefix("/v1/pairings/").removesuffix("/confirm")
                pairing, secret = agent.pairings.confirm(pairing_id, str(self._body().get("code") or ""))
                agent.say(f"Paired with {pairing.console!r}.")
                self._json(200, {"pairing_id": pairing.pairing_id, "secret": secret, "expires_at": pairing.expires_at})
                return
            pairing = self._pairing()
            if (method, path) == ("DELETE", "/v1/pairing"):
                agent.pairings.forget(pairing.pairing_id)
                agent.say(f"Unpaired {pairing.console!r}.")
                self._json(200, {"paired": False})
                return
            if (method, path) == ("GET", "/v1/state"):
                self._json(200, agent.state(pairing))
                return
            if (method, path) == ("GET", "/v1/devices"):
                self._json(200, {"devices": agent.devices()})
                return
            if (method, path) == ("POST", "/v1/captures"):
                token = self._bearer()
                body = self._body()
                registrant = str(body.get("registrant") or "").strip()
                modality = str(body.get("modality") or "finger")
                if not registrant or len(registrant) > 64 or modality not in sbi.BIO_TYPES:
                    raise Refusal(422, "capture_request_invalid", "Give the person's ID number and finger, face or iris.")
                simulated = body.get("simulated_person")
                status, answer = agent.capture(token, registrant, modality, str(simulated) if simulated else None)
                self._json(status, answer)
                return
            if (method, path) == ("POST", "/v1/send"):
                self._json(200, {"queue": agent.send(self._bearer())})
                return
            raise Refusal(404, "not_found", "No such call.")

        # --- the status page ---------------------------------------------------------------

        def _status_page(self) -> None:
            html = status_page.render(agent.state(None), agent.pairings.pending(), agent.pairings.paired(), agent.form_token)
            self._send(200, html.encode(), "text/html; charset=utf-8", {"Content-Security-Policy": status_page.CSP, "Refresh": "3"})

        def _status_form(self, path: str) -> None:
            """The status page's own buttons: same origin (a form elsewhere cannot post here) and its token."""
            if self.headers.get("Origin") != own_origin:
                raise Refusal(403, "origin_not_allowed", "Use the agent's own status page.")
            length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
            form = parse_qs(self.rfile.read(length).decode(errors="replace"))
            if form.get("token", [""])[0] != agent.form_token:
                raise Refusal(403, "form_token_wrong", "Reload the status page and try again.")
            if path == "/local/forget":
                pairing_id = form.get("pairing_id", [""])[0]
                if agent.pairings.forget(pairing_id):
                    agent.say("A console's pairing was ended from the status page.")
            self._send(303, b"", "text/plain", {"Location": "/"})

    return Handler


class Service:
    def __init__(self, agent: Agent, server: ThreadingHTTPServer) -> None:
        self.agent = agent
        self.server = server

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        self.agent.stopped.set()
        self.server.shutdown()
        self.server.server_close()


def start(agent: Agent, port: int) -> Service:
    """Bind 127.0.0.1:``port`` (0 for any free one) and serve in background threads."""
    server = ThreadingHTTPServer((HOST, port), handler_for(agent, port))
    server.daemon_threads = True
    if port == 0:
        server.RequestHandlerClass = handler_for(agent, int(server.server_address[1]))
    threading.Thread(target=server.serve_forever, name="edge-agent-http", daemon=True).start()
    threading.Thread(target=agent.keep_sending, name="edge-agent-send", daemon=True).start()
    return Service(agent, server)


def add_parser(commands: Any, port_ranges: Any) -> None:
    command = commands.add_parser("serve", help="run as a local service for the staff console (127.0.0.1 only)")
    command.add_argument("--portal", required=True, help="the portal's origin, the only web origin allowed to call, e.g. https://portal.example.gov")
    command.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"loopback port to listen on (default {DEFAULT_PORT})")
    command.add_argument("--ports", type=port_ranges, default=list(sbi.DEFAULT_PORTS), help="SBI ports to scan (default 4501-4600)")
    command.add_argument("--trust-store", help="PEM certificates of the device providers to trust")
    command.add_argument("--pairing-hours", type=float, default=12.0, help="how long a console stays paired (default 12)")
    command.add_argument("--name", default=socket.gethostname(), help="what to call this PC when enrolling (default: its host name)")


def run(args: argparse.Namespace, home: AgentHome, out: TextIO) -> int:
    origin = urlsplit(args.portal)
    if origin.scheme not in ("http", "https") or not origin.netloc or origin.path not in ("", "/"):
        raise Stop(capturing.CANNOT, "--portal must be an origin such as https://portal.example.gov (no path).")
    agent = Agent(home, args.portal, args.ports, args.trust_store, args.pairing_hours, args.name, out)
    try:
        service = start(agent, args.port)
    except OSError as problem:
        raise Stop(capturing.CANNOT, f"Cannot listen on {HOST}:{args.port} ({problem.strerror}). Is the agent already running?") from None
    agent.say(f"Edge agent {__version__} listening on {service.url} for the staff console at {agent.portal}. Status page: {service.url}/")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        service.stop()
    return capturing.OK
