"""Capturing the API's structured logs exactly as they would be written, and watching them.

``captured_logs()`` gives a test what the portal's logger writes while a block runs.
``watch`` (started by the autouse fixture in tests/conftest.py) keeps what it writes during each
test, and the secrets the test's requests carried (session cookies, bearer tokens, CSRF tokens);
``leaks()`` names any sample person's name, ID number, phone or email, any of those secrets, or
any JWT found there. The portal's logger binds its handler to the stream it found at import,
so pytest's capsys does not see it: both hook a handler onto the logger itself.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chalicelib.observability import logger
from tests.support.factories import SAMPLE_PEOPLE

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
SHORTEST_SECRET = 16  # shorter values in a test's cookies or headers are not secrets (and would match anything)


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """Everything the portal's logger writes while the block runs, formatted as JSON lines."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.formatter)
    std_logger = logging.getLogger(logger.name)
    std_logger.addHandler(handler)
    try:
        yield buffer
    finally:
        std_logger.removeHandler(handler)


def _personal_values() -> dict[str, str]:
    """Each sample person's (those the factories use) name, ID number, phone and email as they
    could appear in a JSON line."""
    values: dict[str, str] = {}
    for person in SAMPLE_PEOPLE:
        for field in ("name", "individual_id", "phone_number", "email"):
            value = str(person[field])
            values[value] = f"{field} of a sample person"
            values[json.dumps(value)[1:-1]] = f"{field} of a sample person"  # as JSON escapes it
        values[str(person["phone_number"]).lstrip("+")] = "phone_number of a sample person"
    return values


class LogWatch:
    """What the portal logs during one test, and the secrets that test's requests carried."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer = io.StringIO()
        self._secrets: set[str] = set()
        self._personal = _personal_values()
        self.handler = logging.StreamHandler(self._buffer)
        self.handler.setFormatter(logger.formatter)

    def start(self) -> None:
        """Attach to the portal's logger (once per process) and begin a new test's record."""
        std_logger = logging.getLogger(logger.name)
        if self.handler not in std_logger.handlers:
            std_logger.addHandler(self.handler)
        with self._lock:
            self._buffer = io.StringIO()
            self.handler.setStream(self._buffer)
            self._secrets = set()

    def forget_output(self) -> None:
        """Drop what was logged so far (the secrets seen stay)."""
        with self._lock:
            self._buffer = io.StringIO()
            self.handler.setStream(self._buffer)

    def saw_secret(self, value: str) -> None:
        if len(value) >= SHORTEST_SECRET:
            with self._lock:
                self._secrets.add(value)

    def written(self) -> str:
        with self._lock:
            return self._buffer.getvalue()

    def leaks(self) -> list[str]:
        text = self.written()
        if not text:
            return []
        with self._lock:
            secrets = set(self._secrets)
        found = [f"{what} ({value!r})" for value, what in self._personal.items() if value in text]
        found += [f"a session cookie, bearer or CSRF token this test sent ({value[:6]}...)" for value in secrets if value in text]
        found += [f"a JWT ({match.group(0)[:12]}...)" for match in JWT.finditer(text)]
        return sorted(set(found))


watch = LogWatch()


def note_request_secrets(headers: dict[str, Any] | None) -> None:
    """Remember the cookie values, bearer and CSRF tokens of a request or a response."""
    for name, value in (headers or {}).items():
        lowered = name.lower()
        values = value if isinstance(value, list) else [value]
        for text in (str(v) for v in values):
            if lowered == "authorization":
                watch.saw_secret(text.partition(" ")[2] or text)
            elif lowered == "cookie":
                for pair in text.split(";"):
                    watch.saw_secret(pair.partition("=")[2].strip())
            elif lowered == "set-cookie":  # name=value; then attributes (Path, Expires, ...)
                watch.saw_secret(text.split(";")[0].partition("=")[2].strip())
            elif lowered == "x-csrf-token":
                watch.saw_secret(text)
