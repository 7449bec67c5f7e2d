"""Issue 3's "done when", end to end: from `make dev`, a person chooses eSignet, types a sample ID
and 111111, consents, and lands back logged in with their name shown by /api/session."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from chalicelib.web import OPERATIONS
from infra.local.stack import REPO
from tests.support.factories import SAMPLE_PEOPLE
from tests.support.local_stack import local_stack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with local_stack(tmp_path_factory.mktemp("stack") / "data") as running:
        yield running


def _cookie(set_cookie: str, name: str) -> str:
    match = re.search(rf"{re.escape(name)}=([^;,]*)", set_cookie)
    assert match, set_cookie
    return f"{name}={match.group(1)}"


def test_a_person_logs_in_with_esignet_on_the_local_stack(stack: dict[str, Any]) -> None:
    base = stack["public_url"]
    [esignet] = requests.get(base + "/api/auth/providers", timeout=10).json()["providers"]
    start = requests.get(base + esignet["login_url"] + "?method=otp&return_to=/programs", allow_redirects=False, timeout=10)
    assert start.status_code == 302
    login_cookie = _cookie(start.headers["Set-Cookie"], "__Host-ssp_login")

    idp = requests.Session()
    authorize_url = start.headers["Location"]
    page = idp.get(authorize_url, timeout=10)
    tx = re.search(r'name="tx" value="([^"]+)"', page.text)
    assert tx, page.text
    consent = idp.post(
        authorize_url, data={"tx": tx.group(1), "step": "login", "individual_id": SAMPLE_PEOPLE[0]["individual_id"], "secret": "111111"}, timeout=10
    )
    assert "Share your details" in consent.text
    shared = re.findall(r'name="share" value="([^"]+)"', consent.text)
    back = idp.post(authorize_url, data={"tx": tx.group(1), "step": "consent", "decision": "allow", "share": shared}, allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}" == base

    landed = requests.get(base + f"{callback.path}?{callback.query}", headers={"Cookie": login_cookie}, allow_redirects=False, timeout=10)
    assert landed.status_code == 302 and landed.headers["Location"] == "/programs"
    session_cookie = _cookie(landed.headers["Set-Cookie"], "__Host-ssp_session")
    session = requests.get(base + "/api/session", headers={"Cookie": session_cookie}, timeout=10).json()
    assert session["authenticated"] is True
    assert session["name"] == SAMPLE_PEOPLE[0]["name"]


def test_a_staff_token_from_the_command_line_works_on_the_local_stack(stack: dict[str, Any]) -> None:
    token = subprocess.run(
        [sys.executable, "-m", "infra.local.idp.staff_token", "reviewer", "--data-dir", str(stack["data_dir"])],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    route = next(op.path for op in OPERATIONS if op.access.kind == "staff" and "reviewer" in op.access.roles and op.method == "GET" and "{" not in op.path)
    url = stack["public_url"] + route
    accepted = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert accepted.status_code not in (401, 403), accepted.text  # past the staff guard (the route may still want parameters)
    assert requests.get(url, timeout=10).status_code == 401


def consent_at_the_idp(authorize_url: str, individual_id: str) -> str:
    """A person logging in at the dev IdP (ID number, 111111, consent): the callback URL it sends them to."""
    idp = requests.Session()
    page = idp.get(authorize_url, timeout=10)
    tx = re.search(r'name="tx" value="([^"]+)"', page.text)
    assert tx, page.text
    consent = idp.post(authorize_url, data={"tx": tx.group(1), "step": "login", "individual_id": individual_id, "secret": "111111"}, timeout=10)
    shared = re.findall(r'name="share" value="([^"]+)"', consent.text)
    back = idp.post(authorize_url, data={"tx": tx.group(1), "step": "consent", "decision": "allow", "share": shared}, allow_redirects=False, timeout=10)
    return str(back.headers["Location"])


@pytest.mark.parametrize(
    "return_to, location",
    [
        ("/programs?q=منحة", "/programs?q=%D9%85%D9%86%D8%AD%D8%A9"),
        ("/programs/café", "/programs/caf%C3%A9"),
        ("/programs/／／x", "/programs/%EF%BC%8F%EF%BC%8Fx"),
    ],
)
def test_a_return_path_with_non_ascii_characters_comes_back_over_http_percent_encoded(stack: dict[str, Any], return_to: str, location: str) -> None:
    base = stack["public_url"]
    start = requests.get(base + "/api/auth/login/esignet?" + urlencode({"return_to": return_to}), allow_redirects=False, timeout=10)
    login_cookie = _cookie(start.headers["Set-Cookie"], "__Host-ssp_login")
    callback = consent_at_the_idp(start.headers["Location"], SAMPLE_PEOPLE[0]["individual_id"])
    landed = requests.get(callback, headers={"Cookie": login_cookie}, allow_redirects=False, timeout=10)
    assert landed.status_code == 302
    assert landed.raw.headers["Location"] == location  # as it went over the wire (requests reads headers as Latin-1)
    session_cookie = _cookie(landed.headers["Set-Cookie"], "__Host-ssp_session")
    assert requests.get(base + "/api/session", headers={"Cookie": session_cookie}, timeout=10).json()["authenticated"] is True


def test_curl_logs_in_to_the_local_stack_with_a_cookie_jar(stack: dict[str, Any], tmp_path: Path) -> None:
    """docs/login.md: curl (7.79 and later) keeps and sends the portal's Secure cookies on
    http://localhost, as browsers do, so a shell script needs no setting."""
    base, jar = stack["public_url"], str(tmp_path / "cookies.txt")
    curl = ["curl", "--silent", "--cookie", jar, "--cookie-jar", jar]
    start = [*curl, "--output", "/dev/null", "--write-out", "%{redirect_url}", base + "/api/auth/login/esignet"]
    authorize_url = subprocess.run(start, capture_output=True, text=True, check=True).stdout
    callback = consent_at_the_idp(authorize_url, SAMPLE_PEOPLE[0]["individual_id"])
    subprocess.run([*curl, "--output", "/dev/null", callback], check=True)
    session = json.loads(subprocess.run([*curl, base + "/api/session"], capture_output=True, text=True, check=True).stdout)
    assert session["authenticated"] is True and session["name"] == SAMPLE_PEOPLE[0]["name"]


@pytest.fixture(scope="module")
def script_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with local_stack(tmp_path_factory.mktemp("script-stack") / "data", env={"SSP_COOKIE_SECURE": "false"}) as running:
        yield running


def test_a_python_script_logs_in_to_a_local_stack_started_with_insecure_cookies(script_stack: dict[str, Any]) -> None:
    """docs/login.md: with SSP_COOKIE_SECURE=false, requests keeps the cookies like a browser."""
    base = script_stack["public_url"]
    web = requests.Session()
    start = web.get(base + "/api/auth/login/esignet?return_to=/me", allow_redirects=False, timeout=10)
    callback = consent_at_the_idp(start.headers["Location"], SAMPLE_PEOPLE[1]["individual_id"])
    landed = web.get(callback, allow_redirects=False, timeout=10)
    assert landed.status_code == 302 and landed.headers["Location"] == "/me"
    assert set(web.cookies.keys()) == {"ssp_session"}
    session = web.get(base + "/api/session", timeout=10).json()
    assert session["authenticated"] is True and session["name"] == SAMPLE_PEOPLE[1]["name"]
    assert web.get(base + "/api/me", timeout=10).status_code == 200
