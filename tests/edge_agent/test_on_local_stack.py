"""Issue 7's "done when", on `make dev` itself: a sample person has logged in once; the officer
enrols the agent, lists the devices, captures the person with the SBI simulator and, in the
assisted session that opens, submits an application the person then sees as assisted."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from infra.local import seed
from infra.local.stack import REPO
from tests.support.factories import SAMPLE_PEOPLE
from tests.support.local_stack import local_stack
from tests.support.programs import HOUSEHOLD, PDF

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]

PERSON = SAMPLE_PEOPLE[3]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with local_stack(tmp_path_factory.mktemp("assisted-stack") / "data") as running:
        yield running


def _cookie(set_cookie: str, name: str) -> str:
    match = re.search(rf"{re.escape(name)}=([^;,]*)", set_cookie)
    assert match, set_cookie
    return f"{name}={match.group(1)}"


def _log_in(base: str, individual_id: str) -> str:
    """The person's session cookie, after logging in with eSignet (dev) and OTP 111111."""
    [esignet] = requests.get(base + "/api/auth/providers", timeout=10).json()["providers"]
    start = requests.get(base + esignet["login_url"] + "?method=otp&return_to=/programs", allow_redirects=False, timeout=10)
    login_cookie = _cookie(start.headers["Set-Cookie"], "__Host-ssp_login")
    idp = requests.Session()
    authorize_url = start.headers["Location"]
    tx = re.search(r'name="tx" value="([^"]+)"', idp.get(authorize_url, timeout=10).text)
    assert tx
    consent = idp.post(authorize_url, data={"tx": tx.group(1), "step": "login", "individual_id": individual_id, "secret": "111111"}, timeout=10)
    shared = re.findall(r'name="share" value="([^"]+)"', consent.text)
    back = idp.post(authorize_url, data={"tx": tx.group(1), "step": "consent", "decision": "allow", "share": shared}, allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    landed = requests.get(base + f"{callback.path}?{callback.query}", headers={"Cookie": login_cookie}, allow_redirects=False, timeout=10)
    return _cookie(landed.headers["Set-Cookie"], "__Host-ssp_session")


def _agent(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "edge_agent", "--home", str(home), *args], cwd=REPO, capture_output=True, text=True, timeout=60)


def test_an_officer_verifies_a_person_and_applies_for_them_on_the_local_stack(stack: dict[str, Any], tmp_path: Path) -> None:
    base = stack["public_url"]
    person_cookie = _log_in(base, PERSON["individual_id"])
    token = subprocess.run(
        [sys.executable, "-m", "infra.local.idp.staff_token", "officer", "--data-dir", str(stack["data_dir"])],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    sbi_port = int(stack["ports"]["sbi"])
    ports = f"{sbi_port}-{sbi_port + 2}"

    enrol = _agent(tmp_path, "enrol", "--cloud", base, "--token", token, "--name", "Field PC")
    assert enrol.returncode == 0, enrol.stderr
    devices = _agent(tmp_path, "devices", "--ports", ports)
    assert devices.returncode == 0 and "Finger" in devices.stdout, devices.stderr
    capture = _agent(tmp_path, "capture", "--registrant", PERSON["individual_id"], "--ports", ports, "--simulated-person", PERSON["individual_id"], "--json")
    assert capture.returncode == 0, capture.stderr + capture.stdout
    session = json.loads(capture.stdout.strip().splitlines()[-1])["answer"]["assisted_session"]["session_id"]

    officer = {"Authorization": f"Bearer {token}"}
    assisted = f"{base}/api/assisted/sessions/{session}"
    created = requests.post(f"{assisted}/applications", json={"program_id": seed.PROGRAM_ID, "answers": HOUSEHOLD}, headers=officer, timeout=10)
    assert created.status_code == 201, created.text
    application_id = created.json()["application_id"]
    declared = requests.post(
        f"{assisted}/documents",
        json={"kind": "birth_certificate", "file_name": "birth.pdf", "content_type": "application/pdf", "size": len(PDF), "application_id": application_id},
        headers=officer,
        timeout=10,
    )
    assert declared.status_code == 201, declared.text
    upload = declared.json()["upload"]
    assert requests.post(upload["url"], data=upload["fields"], files={"file": ("birth.pdf", PDF)}, timeout=10).status_code in (200, 201, 204)
    completed = requests.post(f"{assisted}/documents/{declared.json()['document']['document_id']}/complete", headers=officer, timeout=10)
    assert completed.status_code == 200, completed.text
    submitted = requests.post(f"{assisted}/applications/{application_id}/submit", json={}, headers=officer, timeout=10)
    assert submitted.status_code == 200, submitted.text

    mine = requests.get(base + f"/api/applications/{application_id}", headers={"Cookie": person_cookie}, timeout=10).json()
    assert (mine["status"], mine["channel"]) == ("submitted", "assisted")
    assert [e["by"]["role"] for e in mine["timeline"] if e.get("to") == "submitted"] == ["officer"]
    activity = requests.get(base + "/api/me/activity", headers={"Cookie": person_cookie}, timeout=10).json()["items"]
    assert {"assisted.identity_verified", "application_submitted"} <= {e["action"] for e in activity}
