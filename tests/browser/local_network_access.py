"""What this machine's Chromium does when a page that is not on loopback calls the edge agent's
local service (Local Network Access): run by hand, prints what the page got and every request the
agent received. docs/assisted.md ("The browser") records the answers of Debian's Chromium 156.

    .venv/bin/python -m tests.browser.local_network_access [address]

``address`` is one of this machine's non-loopback addresses (default: the first of
``hostname -I``). The page is served twice from it: over HTTP, and over HTTPS with a throwaway
certificate the browser is told to trust by its key (``--ignore-certificate-errors-spki-list``),
each time with and without the LNA permission granted through the DevTools protocol.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import ipaddress
import json
import ssl
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from edge_agent import serve
from edge_agent.home import AgentHome
from infra.local.stack import REPO, free_port

PROBE = """
import { createRequire } from 'node:module';
const require = createRequire(process.env.FRONTEND + '/package.json');
const { chromium } = require('playwright-core');
const [origin, agent, spki] = process.argv.slice(2);
const args = ['--no-sandbox'];
if (spki) args.push('--ignore-certificate-errors-spki-list=' + spki);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args });
for (const grant of [false, true]) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const said = [];
  page.on('console', (m) => said.push(m.text()));
  if (grant) {
    const cdp = await context.newCDPSession(page);
    const { targetInfo } = await cdp.send('Target.getTargetInfo');
    for (const name of ['localNetworkAccess', 'loopbackNetwork', 'localNetwork']) {
      await cdp.send('Browser.grantPermissions', { permissions: [name], origin, browserContextId: targetInfo.browserContextId }).catch(() => undefined);
    }
  }
  await page.goto(origin + '/');
  const got = await page.evaluate(async (url) => {
    try { const r = await fetch(url + '/v1/hello'); return 'answered ' + r.status; } catch (e) { return 'failed: ' + e; }
  }, agent);
  console.log(JSON.stringify({ origin, granted: grant, secure: await page.evaluate(() => isSecureContext), got, console: said }));
  await context.close();
}
await browser.close();
"""


def _certificate(folder: Path, address: str) -> tuple[Path, Path, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, address)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(address))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return cert_path, key_path, base64.b64encode(hashlib.sha256(spki).digest()).decode()


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b"<!doctype html><title>probe</title><p>probe"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


def probe(address: str, secure: bool, folder: Path) -> None:
    port = free_port()
    origin = f"{'https' if secure else 'http'}://{address}:{port}"
    seen: list[dict[str, str]] = []
    plain = serve.handler_for

    def recording(agent: serve.Agent, agent_port: int) -> type[BaseHTTPRequestHandler]:
        handler = plain(agent, agent_port)

        class Recording(handler):  # type: ignore[valid-type, misc]
            def parse_request(self) -> bool:
                ok = bool(super().parse_request())
                seen.append(
                    {"method": self.command, "path": self.path, **{k: v for k, v in self.headers.items() if k.lower().startswith(("origin", "access-control"))}}
                )
                return ok

        return Recording

    serve.handler_for = recording  # type: ignore[assignment]
    try:
        service = serve.start(serve.Agent(AgentHome(folder / "home"), origin, [1], None, 1, "probe", io.StringIO()), 0)
    finally:
        serve.handler_for = plain
    page = ThreadingHTTPServer((address, port), _Page)
    spki = ""
    if secure:
        cert, key, spki = _certificate(folder, address)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        page.socket = context.wrap_socket(page.socket, server_side=True)
    threading.Thread(target=page.serve_forever, daemon=True).start()
    script = folder / "probe.mjs"
    script.write_text(PROBE)
    try:
        done = subprocess.run(
            ["node", str(script), origin, service.url, spki],
            capture_output=True,
            text=True,
            timeout=120,
            env={"FRONTEND": str(REPO / "frontend"), "PATH": "/usr/bin:/bin"},
        )
        print(done.stdout.strip() or done.stderr[-2000:])
        print(json.dumps({"origin": origin, "agent_received": seen}))
    finally:
        page.shutdown()
        service.stop()


def main() -> None:
    address = sys.argv[1] if len(sys.argv) > 1 else subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()[0]
    with tempfile.TemporaryDirectory() as folder:
        for secure in (False, True):
            probe(address, secure, Path(folder))


if __name__ == "__main__":
    main()
