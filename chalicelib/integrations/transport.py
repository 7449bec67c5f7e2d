"""One HTTP POST of a webhook: to the address the SSRF guard checked, short, never redirected.

The connection goes to ``Target.address`` (resolved and checked just before), while TLS still
verifies the certificate for the endpoint's host name: a name re-resolving to another address
between the check and the connection (DNS rebinding) changes nothing. ``http.client`` follows
no redirects; a 3xx is a failure like any other non-2xx. Each wait (connecting, each read) is
at most ``SSP_WEBHOOK_TIMEOUT_SECONDS``, and the whole try at most twice that. The answer's body
is read (at most 4 KB, so the connection closes cleanly) and dropped: never stored nor logged.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
from typing import NamedTuple

from chalicelib.integrations.ssrf import Target

USER_AGENT = "SelfServicePortal-Webhooks/1"
READ_AT_MOST = 4096
TOTAL_TIMES = 2  # a whole try takes at most this many times SSP_WEBHOOK_TIMEOUT_SECONDS


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
    # Each wait is bounded by the socket's timeout; a receiver trickling its answer a few bytes at
    # a time is cut off once the whole try has taken TOTAL_TIMES that.
    cut_off = threading.Event()
    deadline = threading.Timer(TOTAL_TIMES * timeout, _cut, args=(connection, cut_off))
    deadline.start()
    try:
        answer = _exchange(connection, target, body, headers)
    finally:
        deadline.cancel()
        connection.close()
    # Once cut, what was read is not an answer (a cut answer can even parse as a 200); were the
    # cut to land just after a whole answer, the retry is one more delivery of the same id.
    return Answer(None, "timeout") if cut_off.is_set() else answer


def _cut(connection: http.client.HTTPConnection, cut_off: threading.Event) -> None:
    cut_off.set()
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed


def _exchange(connection: http.client.HTTPConnection, target: Target, body: bytes, headers: dict[str, str]) -> Answer:
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
    if 200 <= status < 300:
        return Answer(status, None)
    if 300 <= status < 400:
        return Answer(status, "redirect_not_followed")
    return Answer(status, f"http_{status}")
