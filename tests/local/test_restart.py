"""The local stack restarts on a snapshot of many submitted applications, each with a document,
and everything is there: every application once, with its answers, its document and its stored
file. ``make test`` runs it with 200 applications (building 10,000 takes minutes); the 10,000
figures come from ``python -m tests.load.restart`` (docs/local-stack.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from infra.local.idp.staff_token import mint
from infra.local.stack import REPO
from tests.load.people import answers_of, as_stored
from tests.load.restart import CHILD_ENV, count, dynamodb, stored_objects
from tests.load.verify import submitted_applications
from tests.support.local_stack import local_stack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]

APPLICATIONS = int(os.environ.get("SSP_RESTART_TEST_APPLICATIONS", "200"))


def test_the_stack_restarts_with_every_application_its_answers_and_its_document(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    build = [sys.executable, "-m", "tests.load.bulk", "--applications", str(APPLICATIONS), "--data-dir", str(data_dir)]
    started = time.perf_counter()
    subprocess.run(build, cwd=REPO, env=CHILD_ENV, check=True, capture_output=True, timeout=600)  # noqa: S603
    built = time.perf_counter() - started

    started = time.perf_counter()
    with local_stack(data_dir) as stack:
        ready = time.perf_counter() - started
        base, reviewer = stack["public_url"], mint("reviewer", data_dir)
        listed = submitted_applications(base, reviewer)
        print(f"\n{APPLICATIONS} applications built in {built:.0f} s; the stack answered {ready:.1f} s after it was started")

        assert len(listed) == APPLICATIONS
        assert len({item["application_id"] for item in listed}) == APPLICATIONS, "each application once"
        assert len({item["registrant_id"] for item in listed}) == APPLICATIONS, "one per person"
        for item in listed[:: max(1, APPLICATIONS // 10)]:
            stored = requests.get(f"{base}/api/admin/applications/{item['application_id']}", headers={"Authorization": f"Bearer {reviewer}"}, timeout=30)
            assert stored.status_code == 200, stored.text
            answers = stored.json()["answers"]
            person = int(answers["name"].removeprefix("Person "))
            about_you, household = answers_of(person)
            assert as_stored({**about_you, **household}).items() <= answers.items(), f"person {person}'s answers as sent"
            assert stored.json()["status"] == "submitted" and stored.json()["reference"]

        aws = f"http://127.0.0.1:{stack['ports']['aws']}"
        assert count(dynamodb(aws), "ssp-dev-documents", "available") == APPLICATIONS
        assert sum(page.get("KeyCount", 0) for page in stored_objects(aws)) == APPLICATIONS
        assert "restored the AWS data saved at" in stack["log"].read_text()
