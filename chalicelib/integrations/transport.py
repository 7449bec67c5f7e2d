"""One HTTP POST of a webhook: to the address the SSRF guard checked, short, never redirected.

The connection goes to ``Target.address`` (resolved and checked just before), while TLS still
verifies the certificate for the endpoint's host name: a name re-resolving to another address
between the check and the connection (DNS rebinding) changes nothing. ``http.client`` follows
no redirects; a 3xx is a failure like any other non-2xx. Each wait (connecting, each read) is
at most ``SSP_WEBHOOK_TIMEOUT_SECONDS``. The answer's body is read (at most 4 KB, so the
connection closes cleanly) and dropped: it is never stored nor logged.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from typing import NamedTuple

from chalicelib.integrations.ssrf import Target

USER_AGENT = "SelfServicePortal-Webhooks/1"
READ_AT_MOST = 4096


class Answer(NamedTuple):
    status: int | None  # the receiver's HTTP status; None when it never answered
    error: str | None  # a code when it was not a 2xx: http_<status>, redirect_not_followed, timeout, connection_failed, tls_failed


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    connection: http.client.HTTPConnection = _PinnedHTTPSConnection(target, timeout) if target.scheme == "https" else _PinnedHTTPConnection(target, timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={**headers, "content-type": "application/json", "user-agent": USER_AGENT, "connection": "close"},
        )
        response = connection.getresponse()
        response.read(READ_AT_MOST)
        status = response.status
    except TimeoutError:
        return Answer(None, "timeout")
    except ssl.SSLError:
        return Answer(None, "tls_failed")
    except (OSError, http.client.HTTPException):
        return Answer(None, "connection_failed")
    finally:
        connection.close()
    if 200 <= status < 300:
        return Answer(status, None)
    if 300 <= status < 400:
        return Answer(status, "redirect_not_followed")
    return Answer(status, f"http_{status}")
