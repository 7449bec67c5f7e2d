"""Pairing the local service with a staff console, so that no other web page can drive it.

A console asks to pair; the agent makes a six-digit code and shows it only where the officer
can see it (its terminal and its status page on loopback, which other web pages cannot read).
The officer types the code into the console, which then gets a secret of its own. Every later
call carries that secret. Several consoles may pair (each its own code and secret); three wrong
codes end a pairing attempt, and starts and wrong codes are limited per minute across all
consoles; a pairing ends when its time is up or the officer forgets it.

Only a hash of each secret is kept, in ``pairings.json`` (0600), so pairings survive a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from edge_agent.home import write_private

CODE_SECONDS = 300
MAX_ATTEMPTS = 3
MAX_PENDING = 5
# Guessing a code by starting pairing after pairing: at most this many starts, and this many wrong
# codes, per minute across every console (a person pairs once a day; a script would need ~300,000).
MAX_STARTS_PER_MINUTE = 10
MAX_WRONG_PER_MINUTE = 10


class PairingRefused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass
class Pending:
    pairing_id: str
    console: str
    code: str
    expires_at: float
    attempts: int = 0


@dataclass
class Pairing:
    pairing_id: str
    console: str
    secret_hash: str
    paired_at: float
    expires_at: float
    last_used_at: float


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Pairings:
    def __init__(self, path: Path, lifetime: float) -> None:
        self.path = path
        self.lifetime = lifetime
        self._lock = threading.Lock()
        self._pending: dict[str, Pending] = {}
        self._paired: dict[str, Pairing] = {}
        self._starts: list[float] = []
        self._wrong: list[float] = []
        if path.exists():
            for item in json.loads(path.read_text() or "[]"):
                self._paired[item["pairing_id"]] = Pairing(**item)

    def _save(self) -> None:
        write_private(self.path, json.dumps([asdict(p) for p in self._paired.values()], indent=2).encode())

    def _expire(self, now: float) -> None:
        self._pending = {k: p for k, p in self._pending.items() if p.expires_at > now}
        gone = [k for k, p in self._paired.items() if p.expires_at <= now]
        for key in gone:
            del self._paired[key]
        if gone:
            self._save()

    def start(self, console: str) -> Pending:
        """A new pairing attempt with its code (shown by the agent, typed into the console)."""
        now = time.time()
        with self._lock:
            self._expire(now)
            self._starts = [at for at in self._starts if at > now - 60]
            if len(self._starts) >= MAX_STARTS_PER_MINUTE:
                raise PairingRefused(429, "pairing_throttled", "Too many pairing attempts. Wait a minute and try again.")
            self._starts.append(now)
            if len(self._pending) >= MAX_PENDING:
                raise PairingRefused(429, "too_many_pairings", "Too many consoles are pairing at once. Wait a few minutes and try again.")
            pending = Pending(secrets.token_urlsafe(16), console[:80], f"{secrets.randbelow(1_000_000):06d}", now + CODE_SECONDS)
            self._pending[pending.pairing_id] = pending
            return pending

    def confirm(self, pairing_id: str, code: str) -> tuple[Pairing, str]:
        """The pairing and its secret (returned once, never kept) when ``code`` is right."""
        now = time.time()
        with self._lock:
            self._expire(now)
            self._wrong = [at for at in self._wrong if at > now - 60]
            if len(self._wrong) >= MAX_WRONG_PER_MINUTE:
                raise PairingRefused(429, "pairing_throttled", "Too many wrong codes. Wait a minute and try again.")
            pending = self._pending.get(pairing_id)
            if pending is None:
                raise PairingRefused(404, "pairing_not_found", "This pairing has expired or was ended. Start pairing again.")
            typed = "".join(ch for ch in code if ch.isdigit())
            if not hmac.compare_digest(typed.encode(), pending.code.encode()):
                self._wrong.append(now)
                pending.attempts += 1
                if pending.attempts >= MAX_ATTEMPTS:
                    del self._pending[pairing_id]
                    raise PairingRefused(403, "pairing_code_wrong_ended", "The code was wrong three times. Start pairing again.")
                raise PairingRefused(403, "pairing_code_wrong", "That is not the code the agent shows. Check it and type it again.")
            del self._pending[pairing_id]
            secret = secrets.token_urlsafe(32)
            pairing = Pairing(pairing_id, pending.console, _hash(secret), now, now + self.lifetime, now)
            self._paired[pairing_id] = pairing
            self._save()
            return pairing, secret

    def check(self, secret: str | None) -> Pairing | None:
        """The pairing this secret belongs to, if it is still valid."""
        if not secret:
            return None
        digest = _hash(secret)
        now = time.time()
        with self._lock:
            self._expire(now)
            for pairing in self._paired.values():
                if hmac.compare_digest(pairing.secret_hash, digest):
                    pairing.last_used_at = now
                    return pairing
        return None

    def forget(self, pairing_id: str) -> bool:
        with self._lock:
            self._pending.pop(pairing_id, None)
            gone = self._paired.pop(pairing_id, None)
            if gone:
                self._save()
            return gone is not None

    def pending(self) -> list[Pending]:
        with self._lock:
            self._expire(time.time())
            return list(self._pending.values())

    def paired(self) -> list[Pairing]:
        with self._lock:
            self._expire(time.time())
            return list(self._paired.values())
