"""The registrant app and the staff console in a real browser (Debian's Chromium driven by
playwright-core), against the whole local stack started here on free ports: the journeys of
tests/browser/journey.mjs in English, French, Arabic and keyboard only, each through the
reviewer's part; axe-core and a watch for CSP violations run on every page. Screenshots of
every page go to test-artifacts/browser/. Also: the vitest suite of the renderer and
catalogs, and the first page's weight and policy."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.stack import REPO
from tests.browser.setup import FRONTEND, ensure_build, ensure_chromium, ensure_node_packages

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

ARTEFACTS = REPO / "test-artifacts" / "browser"
# The first page is one answer: its HTML with the registrant app's code and styles inline. On slow
# 3G (2 s round trip, 50 KB/s) it must have arrived by the time its data has (named in its Link
# header, asked for as the HTML starts to arrive: 2 s later), so at most 2 s x 50 KB/s.
FIRST_PAGE_BUDGET = 100 * 1024
# One sample person per run: the sample program allows one active application per person.
PEOPLE = {"en": "8267411571", "fr": "5403819246", "ar": "3927160485", "keyboard": "7150392864", "staff": "6684027513"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    ensure_chromium()
    ensure_build()
    shutil.rmtree(ARTEFACTS, ignore_errors=True)  # this run's screenshots only, not an earlier run's failures
    ARTEFACTS.mkdir(parents=True)
    data_dir = tmp_path_factory.mktemp("browser-stack")
    ready = data_dir / "ready.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSP_", "AWS_"))}
    # The stack logs a line per request: into a file, not a pipe nobody reads (a full pipe
    # blocks the server's threads mid-request after a few hundred requests).
    log = (data_dir / "stack.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local.launcher", "--free-ports", "--data-dir", str(data_dir / "data"), "--ready-file", str(ready)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the stack did not start:\n{(data_dir / 'stack.log').read_text()}")
            time.sleep(0.2)
        yield {**json.loads(ready.read_text()), "data_dir": data_dir / "data"}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def _staff_token(stack: dict[str, Any], username: str) -> str:
    from infra.local.idp.staff_token import mint

    return mint(username, stack["data_dir"])


def run_script(stack: dict[str, Any], script: str, **env: str) -> dict[str, Any]:
    """A browser script (tests/browser/<script>) against the stack: its report, once it holds no
    failure, no CSP violation or page error and no axe-core violation."""
    done = subprocess.run(
        ["node", str(REPO / "tests/browser" / script)],
        env={**os.environ, "BASE_URL": stack["public_url"], "ARTIFACTS": str(ARTEFACTS), **env},
        capture_output=True,
        text=True,
        timeout=900,  # generous: the journeys run beside the rest of the suite on two cores
    )
    try:
        result: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"{script} did not report (exit {done.returncode}):\n{done.stdout}\n{done.stderr}") from None
    assert result["failure"] is None, f"{result['failure']}\nsteps done: {result['steps']}\n{done.stderr[-3000:]}"
    assert result["problems"] == [], "CSP violations or page errors:\n" + "\n".join(result["problems"])
    assert result["axe"] == [], "axe-core found accessibility violations:\n" + "\n".join(result["axe"])
    return result


def run_journey(stack: dict[str, Any], *, locale: str, person: str, keyboard: bool = False) -> dict[str, Any]:
    """journey.mjs with the staff tokens its reviewer's (and, in English, administrator's) part uses."""
    tokens = {"REVIEWER_TOKEN": _staff_token(stack, "reviewer"), "ADMIN_TOKEN": _staff_token(stack, "admin")}
    return run_script(stack, "journey.mjs", PERSON=person, LOCALE=locale, KEYBOARD="1" if keyboard else "0", **tokens)


# Every run goes on past the confirmation: the reviewer's part, the timeline, enrolment, export.
REVIEWED_STEPS = (
    "information sent in place with a new document",
    "reviewer: under_review → approved → enrolled",
    "timeline shows each step with its reason",
    "enrolments page shows the programme",
    "export: JSON downloaded, human-readable summary opened",
    "programme page says why the person cannot apply again",
    "3 children listed, each with a birth certificate",
)


def test_the_whole_journey_from_login_to_approval_in_english(stack: dict[str, Any]) -> None:
    result = run_journey(stack, locale="en", person=PEOPLE["en"])
    assert re.fullmatch(r"[A-Z0-9][A-Z0-9-]{5,}", result["reference"])
    assert "timeline shows each step with its reason" in result["steps"]
    assert "administrator: programme edited, form previewed with its conditions" in result["steps"]
    assert "session expired mid-form: answers kept and restored after logging in again" in result["steps"]
    assert "resumed on another device with the saved answer" in result["steps"]
    assert set(REVIEWED_STEPS) <= set(result["steps"]), result["steps"]
    assert "upload: GOV.UK error texts for a wrong type and an empty file, a progress bar, then checked" in result["steps"]
    assert "a document of the earlier application reused for a new one" in result["steps"]
    assert "the next application starts with the children listed before" in result["steps"]
    assert "consent statements: refused by the server until agreed, checked in the browser, then sent" in result["steps"]


def test_the_journey_in_french(stack: dict[str, Any]) -> None:
    result = run_journey(stack, locale="fr", person=PEOPLE["fr"])
    assert result["reference"]
    assert set(REVIEWED_STEPS) <= set(result["steps"]), result["steps"]


def test_the_journey_in_arabic_is_right_to_left(stack: dict[str, Any]) -> None:
    result = run_journey(stack, locale="ar", person=PEOPLE["ar"])
    assert result["reference"]
    assert set(REVIEWED_STEPS) <= set(result["steps"]), result["steps"]
    assert "the next application starts with the children listed before" in result["steps"]


def test_the_journey_with_the_keyboard_only(stack: dict[str, Any]) -> None:
    # Tab, Shift+Tab, Enter, Space and the arrow keys only, focus visible on each control reached;
    # the reviewer's decisions in between are made with the staff token, as in the other runs.
    result = run_journey(stack, locale="en", person=PEOPLE["keyboard"], keyboard=True)
    assert result["reference"]
    assert set(REVIEWED_STEPS) <= set(result["steps"]), result["steps"]


def test_staff_sign_in_through_the_dev_identity_provider(stack: dict[str, Any]) -> None:
    with urllib.request.urlopen(stack["public_url"] + "/", timeout=10) as response:  # noqa: S310 - loopback only
        csp = response.headers["Content-Security-Policy"]
    idp = f"http://127.0.0.1:{stack['ports']['idp']}"
    connect = next((d for d in csp.split(";") if d.strip().startswith("connect-src")), "")
    # The console fetches the staff IdP's discovery document and exchanges its code there.
    assert idp in connect.split(), f"the CSP's connect-src does not allow the staff IdP: {connect}"
    result = run_script(stack, "staff_sign_in.mjs")
    assert result["steps"] == [
        "administrator signed in: programmes, programme, form editor",
        "reviewer signed in: review queue (also in Arabic, right to left), change requests",
    ]


def test_staff_run_a_programme_from_creation_to_archive(stack: dict[str, Any]) -> None:
    result = run_script(stack, "staff.mjs", PERSON=PEOPLE["staff"])
    assert re.fullmatch(r"[A-Z0-9][A-Z0-9-]{5,}", result["reference"])
    assert result["steps"][-1] == "administrator: profile form edited with its live preview", result["steps"]
    for expected in (
        "administrator: a required-documents rule set (after the error summary)",
        "administrator: a consent statement added (after the error summary)",
        "administrator: a new version from the published one, edited, published and mapped",
        "reviewer: found the application of a closed programme by its reference and approved it",
        "reviewer: approved the change request with a reason",
        "administrator: programme archived after the confirmation",
    ):
        assert expected in result["steps"], result["steps"]


def test_renderer_and_catalogs_pass_their_vitest_suite() -> None:
    ensure_node_packages()
    done = subprocess.run(["npx", "vitest", "run", "--reporter=dot"], cwd=FRONTEND, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]


def test_the_first_page_is_one_answer_whose_inline_code_runs_only_under_its_own_hashes() -> None:
    dist = ensure_build()
    html = (dist / "index.html").read_text()
    total = len(gzip.compress(html.encode(), 9))
    assert total < FIRST_PAGE_BUDGET, f"first page: {total} bytes gzipped"
    assert not re.findall(r'<(?:script|link)[^>]*(?:src|href)="/(?:assets/[^"]+\.(?:js|css)|boot\.js)"', html), "the first page names code it should hold"
    # Its own policy comes before any script or style, and names exactly the inline code it holds.
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert policy and policy.start() < html.index("<script") and policy.start() < html.index("<style")
    directives = {d.split()[0]: d.split()[1:] for d in policy.group(1).split("; ")}
    scripts = re.findall(r"<script(?: type=\"module\")?>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
    assert len(scripts) == 2 and len(styles) == 1  # boot.js and the app; the stylesheet
    assert sorted(directives["script-src"]) == sorted(["'self'", *(_sha256(s) for s in scripts)])
    assert sorted(directives["style-src"]) == sorted(["'self'", *(_sha256(s) for s in styles)])
    # The staff console's page holds no inline code and allows none.
    staff = (dist / "staff.html").read_text()
    assert "<script>" not in staff and "<style" not in staff
    assert "script-src 'self'; style-src 'self'" in staff


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
