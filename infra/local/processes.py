"""Services of the local stack that run in their own process, started, watched and stopped by
the launcher.

A child gets its own session, so the terminal's Ctrl-C reaches only the launcher, which stops
the children itself (SIGTERM, then SIGKILL after a deadline) and so controls how long a stop
takes. Each child is told the launcher's pid and stops if the launcher disappears.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from infra.local.stack import REPO


class DidNotStart(Exception):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"The {name} did not start: {detail}")


@dataclass
class ChildService:
    """One service in a child process: ``argv`` run from the repository with ``env``."""

    name: str
    url: str
    argv: list[str]
    ready: Callable[[], bool]
    env: dict[str, str] = field(default_factory=dict)
    start_timeout: float = 120.0
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0

    def launch(self) -> None:
        """Start the process and wait until it answers."""
        self.process = subprocess.Popen(  # noqa: S603 - our own modules, run with our interpreter
            [sys.executable, *self.argv, "--parent", str(os.getpid())],
            cwd=REPO,
            env={**os.environ, **self.env},
            start_new_session=True,
        )
        deadline = time.monotonic() + self.start_timeout
        while not self._answers():
            code = self.process.poll()
            if code is not None:
                raise DidNotStart(self.name, f"it exited with code {code} (see the lines above).")
            if time.monotonic() > deadline:
                self.kill()
                raise DidNotStart(self.name, f"it did not answer at {self.url} within {self.start_timeout:g} s.")
            time.sleep(0.1)

    def _answers(self) -> bool:
        try:
            return self.ready()
        except OSError:
            return False

    def exit_code(self) -> int | None:
        """None while it runs (or before it was launched); its exit code once it died."""
        return None if self.process is None else self.process.poll()

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)

    def wait(self, deadline: float) -> bool:
        """Wait for it to exit until ``deadline`` (monotonic); whether it did."""
        if self.process is None:
            return True
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return False
        return True

    def stop(self, seconds: float = 4.0) -> None:
        self.terminate()
        if not self.wait(time.monotonic() + seconds):
            self.kill()


def stop_together(children: list[ChildService], seconds: float) -> list[str]:
    """SIGTERM every child at once, SIGKILL those still running after ``seconds``; their names."""
    for child in children:
        child.terminate()
    deadline = time.monotonic() + seconds
    killed = []
    for child in children:
        if not child.wait(deadline):
            child.kill()
            killed.append(child.name)
    return killed


def watch_parent(parent: int, stop: Callable[[], None]) -> None:
    """In a child: call ``stop`` when the launcher is gone (killed without a chance to stop us)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        stop()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
