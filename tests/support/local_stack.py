"""Starting the real local stack (`make dev`'s launcher) in a subprocess for end-to-end tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infra.local.stack import REPO


@contextmanager
def local_stack(data_dir: Path, *, start_timeout: float = 120, env: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """The stack on free ports with its data in ``data_dir``; yields the ready file's content
    (``ports``, ``public_url``) plus ``data_dir``, ``process`` and ``log`` (the stack's output).

    The tests' own settings (inline staff keys, moto-in-process credentials) are not passed on:
    the stack configures itself as `make dev` does; ``env`` adds what the environment running
    `make dev` would set (``SSP_COOKIE_SECURE=false``, ...). Output goes to a file, never to an
    undrained pipe that would block a chatty stack.
    """
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    ready = data_dir.parent / f"{data_dir.name}-ready-{time.monotonic_ns()}.json"
    log = data_dir.parent / f"{data_dir.name}-stack.log"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SSP_", "AWS_", "MOTO_"))}, **(env or {})}
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "infra.local.launcher", "--free-ports", "--data-dir", str(data_dir), "--ready-file", str(ready)],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + start_timeout
            while not ready.exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the stack did not start:\n{log.read_text()[-4000:]}")
                time.sleep(0.2)
            yield {**json.loads(ready.read_text()), "data_dir": data_dir, "process": process, "log": log}
        finally:
            stop(process)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
