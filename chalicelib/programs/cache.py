"""Programs as each process last read them, for a few seconds: the program item is the one item
every applicant of an opening day reads, and no partition serves 6,700 reads a second.

A program's item stays in a process for ``TTL_SECONDS`` after it was read; a request that finds
it here leaves it out of its reads (a TransactGetItems that read it anyway fills it in, so a miss
costs no extra call). Whatever the program's administrators change reaches every process within
``TTL_SECONDS``; the process that made the change forgets its copy at once (``forget``). Until
then a program closed by hand may still take a few submissions; a window's closing time is
checked against the clock, not the copy, and so is exact. The form is not on the program item:
a published form version never changes and is cached for the life of the process
(``forms.service.published_form``).
"""

from __future__ import annotations

import threading
import time

from chalicelib.store.programs import Program

TTL_SECONDS = 10.0
_MAX_PROGRAMS = 256

_cached: dict[str, tuple[float, Program]] = {}
_lock = threading.Lock()


def cached(program_id: str) -> Program | None:
    """The program as read less than ``TTL_SECONDS`` ago in this process, or None."""
    entry = _cached.get(program_id)
    if entry is None or time.monotonic() - entry[0] > TTL_SECONDS:
        return None
    return entry[1]


def remember(program: Program) -> Program:
    """Keep ``program`` as just read; returns it."""
    with _lock:
        if len(_cached) >= _MAX_PROGRAMS and program.program_id not in _cached:
            _cached.pop(min(_cached, key=lambda key: _cached[key][0]))
        _cached[program.program_id] = (time.monotonic(), program)
    return program


def forget(program_id: str) -> None:
    """Drop this process's copy: the program was changed here."""
    with _lock:
        _cached.pop(program_id, None)


def clear() -> None:
    with _lock:
        _cached.clear()
