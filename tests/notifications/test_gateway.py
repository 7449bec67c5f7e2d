"""The HTTP SMS gateway adapter a country can use instead of SNS (docs/notifications.md)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from chalicelib.notifications import providers

received: list[dict[str, Any]] = []


class Gateway(BaseHTTPRequestHandler):
    status = 200

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        received.append({"body": body, "auth": self.headers["Authorization"], "type": self.headers["Content-Type"]})
        answer = json.dumps({"id": "gw-42"}).encode()
        self.send_response(Gateway.status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SSP_SMS_PROVIDER", "http")
    monkeypatch.setenv("SSP_SMS_GATEWAY_URL", f"http://127.0.0.1:{server.server_address[1]}/send")
    monkeypatch.setenv("SSP_SMS_GATEWAY_TOKEN", "gateway-secret")
    received.clear()
    Gateway.status = 200
    yield
    server.shutdown()


def test_the_gateway_gets_the_number_and_text_with_the_token_and_its_id_is_kept(gateway: None) -> None:
    assert providers.sms_sender().send_sms("+254700111222", "Hello") == "gw-42"
    assert received == [{"body": {"to": "+254700111222", "text": "Hello"}, "auth": "Bearer gateway-secret", "type": "application/json"}]


def test_a_gateway_error_is_a_provider_error_with_its_status_only(gateway: None) -> None:
    Gateway.status = 503
    with pytest.raises(providers.ProviderError) as raised:
        providers.sms_sender().send_sms("+254700111222", "Hello")
    assert raised.value.code == "http_503"


def test_an_unreachable_gateway_is_a_provider_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_SMS_PROVIDER", "http")
    monkeypatch.setenv("SSP_SMS_GATEWAY_URL", "http://127.0.0.1:9/send")
    with pytest.raises(providers.ProviderError) as raised:
        providers.sms_sender().send_sms("+254700111222", "Hello")
    assert raised.value.code == "gateway_unreachable"
