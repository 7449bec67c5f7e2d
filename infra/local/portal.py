"""The portal on the local stack: Chalice's local server for ``/api`` and the built frontend on
the same origin, as CloudFront does in production (so cookies are first-party, no CORS).

It runs in its own process (``python -m infra.local.portal``, started by ``start(ctx)``), so
the API and the AWS emulator never compete for one interpreter lock. Before serving, it creates
the tables and the documents bucket where missing and seeds the sample program.
"""

from __future__ import annotations

import argparse
import gzip
import json
import mimetypes
import queue
import re
import signal
import sys
import threading
import urllib.request
from http.server import HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from infra.local.processes import ChildService, watch_parent
from infra.local.stack import REPO, StackContext, ensure_port_free

FRONTEND_DIST = REPO / "frontend" / "dist"
API_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
PLACEHOLDER = Path(__file__).resolve().parent / "placeholder"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
NAME = "portal (API and frontend)"
# Chalice's local server listens with a backlog of 5: a burst of people would be refused.
LISTEN_BACKLOG = 512
# pynamodb keeps a botocore session and client per thread and table: a few workers, each
# reused, bound the portal's memory; more would not help a process that is CPU-bound anyway.
MAX_WORKERS = 16


def static_csp(connect_src: list[str] | None = None, form_action: list[str] | None = None) -> str:
    """The Content-Security-Policy of the static frontend: no eval, and no inline script or style
    but index.html's own, which its <meta> policy names by their hashes (the page then obeys both
    policies: frontend/vite.config.ts, withPolicy). The hashes change with each build; in the
    page itself they cannot fall out of step with its code, as a header's would."""
    connect = " ".join(["'self'", *(connect_src or [])])
    forms = " ".join(["'self'", *(form_action or [])])
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
        f"connect-src {connect}; form-action {forms}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


def stage_environment(stage: str = "dev") -> dict[str, str]:
    chalice_config = json.loads((REPO / ".chalice" / "config.json").read_text())
    return {**chalice_config.get("environment_variables", {}), **chalice_config["stages"][stage].get("environment_variables", {})}


def start(ctx: StackContext) -> ChildService:
    """Start the portal's process with the stack's settings; it answers once its data is ready."""
    port = ctx.ports["api"]
    ensure_port_free("api", ctx.host, port)
    env = {**stage_environment(), "SSP_PUBLIC_URL": ctx.public_url, **ctx.portal_env}
    argv = ["-m", "infra.local.portal", "--host", ctx.host, "--port", str(port), "--csp", local_csp(ctx)]
    health = f"{ctx.url('api')}/api/health"
    child = ChildService(NAME, ctx.public_url, argv, ready=lambda: _answers(health), env=env)
    child.launch()
    return child


def _answers(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback only
        return bool(answer.status == 200)


def serve(host: str, port: int, csp: str, parent: int | None = None) -> int:
    """The portal's process: prepare the data, then serve until SIGTERM or SIGINT."""
    prepare_data()
    server = make_portal_server(host, port, csp)
    stopping = threading.Event()

    def stop(*_: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if parent:
        watch_parent(parent, stop)
    thread = threading.Thread(target=server.server.serve_forever, kwargs={"poll_interval": 0.2}, name="portal", daemon=True)
    thread.start()
    stopping.wait()
    server.shutdown()
    server.server.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.local.portal", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--csp", default=static_csp(), help="Content-Security-Policy of the frontend")
    parser.add_argument("--parent", type=int, help="stop when this process (the launcher) is gone")
    args = parser.parse_args(argv)
    return serve(args.host, args.port, args.csp, args.parent)


def prepare_data() -> None:
    """Tables, the documents bucket (with CORS for the portal's origin, since the browser posts
    uploads straight to S3) and the sample program, each only where missing."""
    from chalicelib import config
    from chalicelib.documents.storage import prepare_bucket
    from infra.local.registry.subscribe import subscribe_sample_registry
    from infra.local.seed import seed_sample_program

    prepare_tables()
    prepare_bucket([config.get("SSP_PUBLIC_URL")])
    seed_sample_program()
    subscribe_sample_registry()  # the sample registry (infra/local/registry) hears every public event


def prepare_tables() -> None:
    """Each table and index where missing. Data kept from before the applications table gained its
    review index (issue 19's key design) is brought to it once, as a deployed stage is with
    ``python -m infra.migrations.opening_day``: applications join the index and the counters are
    counted (idempotent; it runs again only if the table gains another index)."""
    from chalicelib.store.applications import Application
    from chalicelib.store.tables import create_missing_tables
    from infra.migrations.opening_day import migrate

    kept_from_before = Application.exists()
    if Application.Meta.table_name in create_missing_tables() and kept_from_before:
        print(f"  [portal] data kept from before the review index: brought to it once ({migrate()}).", flush=True)


def local_csp(ctx: StackContext) -> str:
    """The local stack's policy: uploads post to the local S3 (``aws``); the staff console fetches
    the staff IdP's discovery document and exchanges its code at the IdP's token endpoint
    (``idp``, which answers CORS for the portal's origin), and login forms post on to the IdP.
    The officer's console calls the edge agent's local service (``edge``) on loopback."""
    idp = [ctx.url("idp")] if "idp" in ctx.ports else []
    edge = [ctx.url("edge")] if "edge" in ctx.ports else []
    return static_csp(connect_src=[ctx.url("aws"), *idp, *edge], form_action=idp)


def make_portal_server(host: str, port: int, csp: str) -> Any:
    """Chalice's local server for the app, extended to serve the frontend and to answer what
    API Gateway and CloudFront would answer for unknown routes and methods (our error shape)."""
    from chalice.cli import CLIFactory
    from chalice.local import ChaliceRequestHandler, CustomLocalChalice, LocalChalice, LocalDevServer, LocalGatewayException

    from app import app

    class PortalRequestHandler(ChaliceRequestHandler):
        """``/api/*`` goes to the Chalice app; everything else is the built frontend."""

        def _dispatch(self) -> None:
            if urlsplit(self.path).path.startswith("/api/") or self.command not in {"GET", "HEAD"}:
                self._generic_handle()
            else:
                self._static()

        # One request per connection: an idle kept-alive connection would hold one of the few
        # workers (see PooledHTTPServer). On loopback, a new connection costs next to nothing.
        protocol_version = "HTTP/1.0"

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _dispatch

        def __getattr__(self, name: str) -> Any:
            if name.startswith("do_"):  # TRACE, CONNECT, made-up methods
                return self._method_not_allowed
            raise AttributeError(name)

        def _method_not_allowed(self) -> None:
            path = urlsplit(self.path).path
            allowed = next((methods for template, methods in app.routes.items() if _matches(template, path)), {})
            self._send_json(405, "method_not_allowed", "This address does not accept that kind of request.", {"Allow": ", ".join(sorted(allowed))})

        def _send_error_response(self, error: LocalGatewayException) -> None:
            if error.CODE == 403:  # API Gateway's "Missing Authentication Token": no such route
                self._send_json(404, "not_found", "We could not find what you asked for.")
            else:
                super()._send_error_response(error)

        def _send_json(self, status: int, code: str, message: str, extra: dict[str, str] | None = None) -> None:
            body = json.dumps({"error": {"code": code, "message": message}}).encode()
            headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), **API_HEADERS, **(extra or {})}
            self._send_http_response(status, dict(headers), body)

        def _static(self) -> None:
            status, headers, body = static_response(urlsplit(self.path).path, self.headers.get("Accept-Encoding", ""), csp)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            # Paths can carry login codes and states in their query: log nothing here; the
            # API's middleware writes its own structured line without them.
            return

    config = CLIFactory(str(REPO)).create_config_obj("dev")
    if not isinstance(app, LocalChalice):
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice

    return LocalDevServer(app, config, host, port, handler_cls=PortalRequestHandler, server_cls=PooledHTTPServer)


class PooledHTTPServer(HTTPServer):
    """Chalice's threaded server, but its threads are reused rather than one made per connection.

    pynamodb keeps a botocore session per thread: a new thread per connection builds one for
    every request, which cost the portal most of its CPU (and hundreds of MB) under load. Workers
    are added while every worker is busy, up to ``MAX_WORKERS``; then connections wait their turn
    in the queue (each connection carries one request, so none holds a worker while idle).
    """

    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], handler: Any) -> None:
        super().__init__(address, handler)
        self._jobs: queue.SimpleQueue[tuple[Any, Any] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._workers: list[threading.Thread] = []

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            if self._idle <= self._jobs.qsize() and len(self._workers) < MAX_WORKERS:
                worker = threading.Thread(target=self._work, name=f"portal-{len(self._workers)}", daemon=True)
                self._workers.append(worker)
                worker.start()
        self._jobs.put((request, client_address))

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            job = self._jobs.get()
            with self._lock:
                self._idle -= 1
            if job is None:
                return
            request, client_address = job
            try:
                self.finish_request(request, client_address)
            except Exception:  # noqa: BLE001 - as socketserver does: report, and keep the worker
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        for _worker in self._workers:
            self._jobs.put(None)


def _matches(template: str, path: str) -> bool:
    pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template))
    return re.fullmatch(pattern, path) is not None


_gzip_cache: dict[tuple[Path, float], bytes] = {}
_links_cache: dict[tuple[Path, float], dict[str, str]] = {}
PAGE_LINKS = "page-links.json"
# A path segment that may stand for a pattern's `*` (an id) inside a Link header's URL.
ID_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")


def page_links(root: Path, path: str) -> str | None:
    """The `Link` header for the page at ``path`` (its API reads and the session, which
    the browser asks for as soon as the HTML arrives), from the build's ``page-links.json``
    (frontend/vite.config.ts, which CloudFront's viewer-response function reads too)."""
    manifest = root / PAGE_LINKS
    if not manifest.is_file():
        return None
    key = (manifest, manifest.stat().st_mtime)
    if key not in _links_cache:
        _links_cache[key] = json.loads(manifest.read_text())
    links = _links_cache[key]
    segments = path.split("/")
    pattern = next((p for p in links.get("patterns", "").split() if _same_page(p.split("/"), segments)), None)
    if pattern is None:
        return None
    ids = [got for want, got in zip(pattern.split("/"), segments, strict=True) if want == "*"]
    if not all(ID_SEGMENT.fullmatch(got) for got in ids):
        return None
    return re.sub(r"\{(\d+)\}", lambda found: ids[int(found.group(1)) - 1], links[pattern])


def _same_page(wanted: list[str], segments: list[str]) -> bool:
    return len(wanted) == len(segments) and all(want in ("*", got) for want, got in zip(wanted, segments, strict=True))


def static_response(path: str, accept_encoding: str, csp: str) -> tuple[int, dict[str, str], bytes]:
    """A file of the built frontend, with single-page-app fallback to index.html (staff.html for
    the staff console's pages); a page's HTML names what the page will ask for in a ``Link``
    header (``page_links``)."""
    root = FRONTEND_DIST if (FRONTEND_DIST / "index.html").exists() else PLACEHOLDER
    target = (root / unquote(path).lstrip("/")).resolve()
    page = not target.is_relative_to(root.resolve()) or not target.is_file()
    if page:
        staff = path == "/staff" or path.startswith("/staff/")
        target = root / ("staff.html" if staff and (root / "staff.html").is_file() else "index.html")
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type == "application/javascript":
        content_type += "; charset=utf-8"
    body = target.read_bytes()
    immutable = "/assets/" in path and target.suffix != ".html"
    headers = {
        "Content-Type": content_type,
        "Cache-Control": "public, max-age=31536000, immutable" if immutable else "no-cache",
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Vary": "Accept-Encoding",
    }
    links = page_links(root, path) if page else None
    if links:
        headers["Link"] = links
    if "gzip" in accept_encoding and content_type.startswith(COMPRESSIBLE):
        key = (target, target.stat().st_mtime)
        if key not in _gzip_cache:
            _gzip_cache[key] = gzip.compress(body, 9)
        body = _gzip_cache[key]
        headers["Content-Encoding"] = "gzip"
    return 200, headers, body


if __name__ == "__main__":
    sys.exit(main())
