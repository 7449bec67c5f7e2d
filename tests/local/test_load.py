"""`make load` in small: 20 people apply at once through the real HTTP flow of the local stack,
and every application they were told was submitted is stored once with their answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from infra.local.stack import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


def test_twenty_people_applying_at_once_are_all_stored_once_with_their_answers(tmp_path: Path) -> None:
    # locust patches the standard library for gevent: it runs in its own process, as `make load` runs it.
    run = subprocess.run(
        [sys.executable, "-m", "tests.load", "--people", "20", "--data-dir", str(tmp_path / "data")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(run.stdout)  # the per-step figures, for whoever reads the test's output
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "applications submitted 20 of 20" in run.stdout
    assert "errors 0, lost 0, duplicated 0, answers or reference differ 0" in run.stdout
