"""The store-and-forward queue: every envelope is committed here (SQLite, WAL, synchronous
FULL) before the agent sends it, and stays until the portal gives a definitive answer.

A kill at any moment leaves each envelope either not yet written (nothing was sent) or written
and pending (it is sent again; the portal answers a resent capture id with its first answer, so
nothing is applied twice). Once answered, the envelope itself is erased and only the answer is
kept: the biometrics do not linger on the PC. Erasing is more than emptying the column: with
``secure_delete`` SQLite zeroes the freed space, and a truncating checkpoint then rewrites the
database file and empties the write-ahead log, which still held the envelope as first written.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    capture_id      TEXT PRIMARY KEY,
    transaction_id  TEXT NOT NULL,
    modality        TEXT NOT NULL,
    envelope        TEXT NOT NULL,
    state           TEXT NOT NULL,            -- pending | delivered | rejected
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    created_at      REAL NOT NULL,
    answered_at     REAL,
    last_error      TEXT,
    answer          TEXT                      -- the portal's JSON answer
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS agent_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

MAX_BACKOFF = 60.0


@dataclass(frozen=True)
class Entry:
    capture_id: str
    transaction_id: str
    modality: str
    envelope: str
    state: str
    attempts: int
    next_attempt_at: float
    created_at: float
    last_error: str | None
    answer: dict[str, Any] | None


def backoff(attempts: int) -> float:
    """Seconds before the next try: doubling from 1 s, at most a minute, with jitter."""
    base = min(MAX_BACKOFF, 2.0 ** max(0, attempts - 1))
    return base * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security


class Outbox:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = path
        new = not path.exists()
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        if new:
            path.chmod(0o600)
        self._db.execute("PRAGMA secure_delete=ON")  # per connection: freed content is overwritten with zeros
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._forget_old_pages()  # again, in case a reader kept the last one from finishing
        self._db.close()

    def _forget_old_pages(self) -> None:
        """Copy the latest pages into the database and empty the write-ahead log, whose older
        frames still hold what was erased. Best effort: a concurrent reader can hold it back,
        and then the next one (at the next answer, or at close) does it."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def put(self, capture_id: str, transaction_id: str, modality: str, envelope: str) -> None:
        """Commit an envelope to disk; only then may it be sent."""
        now = time.time()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO outbox (capture_id, transaction_id, modality, envelope, state, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
                (capture_id, transaction_id, modality, envelope, now, now),
            )

    def due(self, at: float | None = None) -> list[Entry]:
        rows = self._db.execute(
            "SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY created_at", (time.time() if at is None else at,)
        ).fetchall()
        return [self._entry(row) for row in rows]

    def pending(self) -> list[Entry]:
        return [self._entry(row) for row in self._db.execute("SELECT * FROM outbox WHERE state = 'pending' ORDER BY created_at").fetchall()]

    def get(self, capture_id: str) -> Entry | None:
        row = self._db.execute("SELECT * FROM outbox WHERE capture_id = ?", (capture_id,)).fetchone()
        return self._entry(row) if row else None

    def answered(self, capture_id: str, state: str, answer: dict[str, Any]) -> None:
        """The portal decided: keep its answer, erase the envelope (and its biometrics)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE outbox SET state = ?, answer = ?, envelope = '', answered_at = ?, attempts = attempts + 1 WHERE capture_id = ? AND state = 'pending'",
                (state, json.dumps(answer), time.time(), capture_id),
            )
        self._forget_old_pages()

    def failed_attempt(self, capture_id: str, error: str) -> None:
        """No definitive answer: try again after a backoff."""
        with self._transaction() as db:
            row = db.execute("SELECT attempts FROM outbox WHERE capture_id = ?", (capture_id,)).fetchone()
            if row is None:
                return
            attempts = int(row[0]) + 1
            db.execute(
                "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE capture_id = ? AND state = 'pending'",
                (attempts, time.time() + backoff(attempts), error, capture_id),
            )
        self.note("last_error", json.dumps({"at": time.time(), "error": error}))

    def counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall()
        return {"pending": 0, "delivered": 0, "rejected": 0, **{str(state): int(count) for state, count in rows}}

    def next_due(self) -> float | None:
        row = self._db.execute("SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'").fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def note(self, name: str, value: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO agent_state (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value", (name, value))

    def noted(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM agent_state WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    @staticmethod
    def _entry(row: tuple[Any, ...]) -> Entry:
        capture_id, transaction_id, modality, envelope, state, attempts, next_at, created, _answered, last_error, answer = row
        decoded = json.loads(answer) if answer else None
        return Entry(capture_id, transaction_id, modality, envelope, state, int(attempts), float(next_at), float(created), last_error, decoded)
