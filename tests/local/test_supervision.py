"""The launcher watches its services: the AWS emulator killed mid-flow means 503 service_busy
with Retry-After (never a 500), a restart on its data said out loud, and nothing lost; and what
is kept across a restart is state, so a write that failed is never replayed."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import requests

from infra.local.idp.staff_token import mint
from tests.support.local_stack import local_stack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


def _program(program_id: str, name: str) -> dict[str, Any]:
    return {"program_id": program_id, "name": {"en": name}, "description": {"en": "For the supervision test."}, "policy": {"kind": "one_active"}}


def _emulator(stack: dict[str, Any]) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{stack['ports']['aws']}/_ssp/status", timeout=5) as answer:  # noqa: S310 - loopback
        return dict(json.loads(answer.read()))


def _wait_for_snapshot_after(stack: dict[str, Any], moment: float) -> None:
    deadline = time.monotonic() + 30
    while (_emulator(stack)["snapshot_at"] or 0) <= moment:
        assert time.monotonic() < deadline, "the emulator wrote no snapshot"
        time.sleep(0.2)


def _log_once_it_says(stack: dict[str, Any], words: str) -> str:
    deadline = time.monotonic() + 15
    while words not in (said := stack["log"].read_text()):
        assert time.monotonic() < deadline, said[-3000:]
        time.sleep(0.1)
    return said


def test_a_killed_emulator_means_503s_then_a_restart_on_its_data_and_nothing_lost(tmp_path: Path) -> None:
    with local_stack(tmp_path / "data") as stack:
        base, admin = stack["public_url"], {"Authorization": f"Bearer {mint('admin', stack['data_dir'])}"}
        created = requests.post(f"{base}/api/admin/programs", json=_program("kept-program", "Kept"), headers=admin, timeout=30)
        assert created.status_code == 201, created.text
        _wait_for_snapshot_after(stack, time.time())

        os.kill(_emulator(stack)["pid"], signal.SIGKILL)
        answers = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            answer = requests.get(f"{base}/api/admin/programs/kept-program", headers=admin, timeout=30)
            answers.append(answer)
            if answer.status_code == 200 and any(a.status_code == 503 for a in answers):
                break
            time.sleep(0.1)

        statuses = {a.status_code for a in answers}
        assert 503 in statuses and statuses <= {200, 503}, statuses  # never a 500 or a 404
        busy = next(a for a in answers if a.status_code == 503)
        assert busy.json()["error"]["code"] == "service_busy" and busy.headers["Retry-After"].isdigit()
        assert answers[-1].status_code == 200 and answers[-1].json()["name"]["en"] == "Kept", "nothing was lost"
        said = _log_once_it_says(stack, "AWS emulation (moto) is back after")  # the launcher notices within a moment
        assert "AWS emulation (moto) stopped unexpectedly (was killed by signal 9)" in said
        assert "did not stop cleanly last time" in said  # the restarted emulator says what a crash may lose


def test_a_write_that_failed_is_not_replayed_after_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with local_stack(data_dir) as stack:
        base, admin = stack["public_url"], {"Authorization": f"Bearer {mint('admin', data_dir)}"}
        assert requests.post(f"{base}/api/admin/programs", json=_program("first", "First"), headers=admin, timeout=30).status_code == 201
        # Reaches the emulator and fails there (the id is taken): a conditional write refused.
        again = requests.post(f"{base}/api/admin/programs", json=_program("first", "Second"), headers=admin, timeout=30)
        assert again.status_code == 409, again.text
        stack["process"].send_signal(signal.SIGINT)
        assert stack["process"].wait(timeout=30) == 0

    with local_stack(data_dir) as stack:
        base, admin = stack["public_url"], {"Authorization": f"Bearer {mint('admin', data_dir)}"}
        kept = requests.get(f"{base}/api/admin/programs/first", headers=admin, timeout=30)
        assert kept.status_code == 200 and kept.json()["name"]["en"] == "First"
        assert "restored the AWS data saved at" in stack["log"].read_text()
        assert not (data_dir / "aws-recording.jsonl").exists(), "no requests are recorded"
