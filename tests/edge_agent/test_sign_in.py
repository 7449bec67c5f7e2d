"""Signing the officer in: a pasted token, or the device authorization grant (RFC 8628) against
the staff identity provider, confirmed in a browser."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from tests.edge_agent.conftest import Cloud, officer_token, run_agent

pytestmark = pytest.mark.xdist_group("edge-agent")


class DeviceFlowProvider:
    """An identity provider that approves the device code after two polls."""

    def __init__(self) -> None:
        self.polls = 0
        self.token = officer_token("officer-device-flow")
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def _json(self, body: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                self._json({"issuer": base, "device_authorization_endpoint": base + "/device", "token_endpoint": base + "/token"})

            def do_POST(self) -> None:  # noqa: N802
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                if self.path == "/device":
                    assert form["client_id"] == ["ssp-edge-agent"]
                    self._json({"device_code": "dc-1", "user_code": "WDJB-MJHT", "verification_uri": "https://idp.test/activate", "interval": 0.05})
                    return
                assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:device_code"] and form["device_code"] == ["dc-1"]
                provider.polls += 1
                if provider.polls < 3:
                    self._json({"error": "authorization_pending"}, 400)
                else:
                    self._json({"access_token": provider.token, "token_type": "Bearer"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def provider() -> Iterator[DeviceFlowProvider]:
    running = DeviceFlowProvider()
    yield running
    running.server.shutdown()
    running.server.server_close()


def test_enrol_with_the_device_flow_shows_the_code_and_keeps_the_token(tmp_path: Path, cloud: Cloud, provider: DeviceFlowProvider) -> None:
    enrolled = run_agent(tmp_path, "enrol", "--cloud", cloud.url, "--device-code", "--issuer", provider.url)
    assert enrolled.code == 0, enrolled.err
    assert "https://idp.test/activate" in enrolled.out and "WDJB-MJHT" in enrolled.out
    assert provider.polls == 3
    assert (tmp_path / "officer-token").read_text() == provider.token


def test_the_device_flow_needs_an_issuer(tmp_path: Path, cloud: Cloud) -> None:
    refused = run_agent(tmp_path, "enrol", "--cloud", cloud.url, "--device-code")
    assert refused.code == 1 and "--issuer" in refused.err


def test_login_replaces_the_token_and_status_shows_when_it_ends(tmp_path: Path, cloud: Cloud) -> None:
    assert run_agent(tmp_path, "enrol", "--cloud", cloud.url, "--token", officer_token()).code == 0
    fresh = officer_token("officer-1")
    token_file = tmp_path / "pasted"
    token_file.write_text(fresh + "\n")
    assert run_agent(tmp_path, "login", "--token-file", str(token_file)).code == 0
    assert (tmp_path / "officer-token").read_text() == fresh
    report = json.loads(run_agent(tmp_path, "status", "--json").out)
    assert report["signed_in"] is True and report["token_expires_at"]
