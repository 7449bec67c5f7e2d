"""``edge_agent serve`` over real loopback HTTP, as the staff console in a browser calls it: only
the portal's origin, a pairing confirmed with the code the agent shows, the pairing secret on
every call, then devices and a capture through the SBI simulator to the portal."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from edge_agent.home import AgentHome
from edge_agent.serve import Agent, Service, start
from infra.local.sbi import Simulator
from infra.local.stack import REPO, free_port
from tests.edge_agent.conftest import Cloud, officer_token, ports_of, wait_for
from tests.support.factories import SAMPLE_PEOPLE

pytestmark = pytest.mark.xdist_group("edge-agent")

PORTAL = "http://localhost:8000"
EVIL = "https://evil.example"
AMINA = SAMPLE_PEOPLE[0]["individual_id"]


class Console:
    """What the staff console does over fetch: its origin on every call, the secret once paired."""

    def __init__(self, url: str, origin: str = PORTAL) -> None:
        self.url = url
        self.origin = origin
        self.secret: str | None = None

    def call(self, method: str, path: str, body: Any = None, token: str | None = None, secret: str | None = None) -> requests.Response:
        headers = {"Origin": self.origin}
        if secret or self.secret:
            headers["X-SSP-Pairing"] = str(secret or self.secret)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.url + path, json=body, headers=headers, timeout=40)

    def pair(self, code_of: Any) -> str:
        started = self.call("POST", "/v1/pairings", {"console": "Staff console test"})
        assert started.status_code == 201, started.text
        pairing_id = started.json()["pairing_id"]
        confirmed = self.call("POST", f"/v1/pairings/{pairing_id}/confirm", {"code": code_of(pairing_id)})
        assert confirmed.status_code == 200, confirmed.text
        self.secret = confirmed.json()["secret"]
        return pairing_id


def code_on_status_page(url: str, pairing_id: str) -> str:
    """The code as the officer reads it on the agent's status page."""
    page = requests.get(url + "/", timeout=5).text
    found = re.search(rf'data-pairing="{re.escape(pairing_id)}">(\d{{3}}) (\d{{3}})<', page)
    assert found, page
    return found.group(1) + found.group(2)


@pytest.fixture
def agent_service(tmp_path: Path, simulator: Simulator) -> Iterator[Service]:
    agent = Agent(AgentHome(tmp_path / "agent"), PORTAL, sbi_ports(simulator), None, 12.0, "Desk PC", io.StringIO())
    service = start(agent, 0)
    yield service
    service.stop()


def sbi_ports(simulator: Simulator) -> list[int]:
    low, high = ports_of(simulator).split("-")
    return list(range(int(low), int(high) + 1))


def paired(service: Service) -> Console:
    console = Console(service.url)
    console.pair(lambda pairing_id: code_on_status_page(service.url, pairing_id))
    return console


# --- who may call ---------------------------------------------------------------------------


def test_preflight_from_the_portal_allows_private_network_and_names_the_origin(agent_service: Service) -> None:
    answer = requests.options(
        agent_service.url + "/v1/state",
        headers={
            "Origin": PORTAL,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-ssp-pairing",
            "Access-Control-Request-Private-Network": "true",
        },
        timeout=5,
    )
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == PORTAL
    assert answer.headers["Access-Control-Allow-Private-Network"] == "true"
    assert "X-SSP-Pairing" in answer.headers["Access-Control-Allow-Headers"]


def test_another_origin_is_refused_and_no_device_is_touched(agent_service: Service, simulator: Simulator) -> None:
    console = paired(agent_service)
    preflight = requests.options(
        agent_service.url + "/v1/captures",
        headers={"Origin": EVIL, "Access-Control-Request-Method": "POST", "Access-Control-Request-Private-Network": "true"},
        timeout=5,
    )
    assert preflight.status_code == 403
    assert "Access-Control-Allow-Origin" not in preflight.headers and "Access-Control-Allow-Private-Network" not in preflight.headers
    # Even with a stolen secret and a simple (no-preflight) request, another origin gets nothing done.
    for method, path in (("POST", "/v1/captures"), ("GET", "/v1/devices"), ("POST", "/v1/pairings"), ("GET", "/v1/state")):
        answer = requests.request(
            method,
            agent_service.url + path,
            data=json.dumps({"registrant": AMINA}),
            headers={"Origin": EVIL, "Content-Type": "text/plain", "X-SSP-Pairing": str(console.secret), "Authorization": f"Bearer {officer_token()}"},
            timeout=5,
        )
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "origin_not_allowed"
        assert "Access-Control-Allow-Origin" not in answer.headers
    assert agent_service.agent.home.enrolment() is None
    state = agent_service.agent.state(None)
    assert state["devices_seen"] is None and state["queue"] == {"pending": 0, "delivered": 0, "rejected": 0}  # never scanned, never captured


def test_a_dns_rebinding_host_is_refused(agent_service: Service) -> None:
    answer = requests.get(agent_service.url + "/", headers={"Host": f"evil.example:{agent_service.port}"}, timeout=5)
    assert answer.status_code == 421 and "data-pairing" not in answer.text


def test_calls_without_a_pairing_secret_or_with_an_old_one_are_refused(agent_service: Service) -> None:
    anonymous = Console(agent_service.url)
    assert anonymous.call("GET", "/v1/devices").json()["error"]["code"] == "pairing_required"
    assert anonymous.call("GET", "/v1/state", secret="made-up").status_code == 401

    console = paired(agent_service)
    assert console.call("GET", "/v1/state").status_code == 200
    old = console.secret
    assert console.call("DELETE", "/v1/pairing").status_code == 200
    refused = console.call("GET", "/v1/state", secret=old)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "pairing_required"

    again = paired(agent_service)
    assert again.secret != old
    assert again.call("GET", "/v1/state", secret=old).status_code == 401


def test_forgetting_a_console_on_the_status_page_ends_its_pairing(agent_service: Service) -> None:
    console = paired(agent_service)
    page = requests.get(agent_service.url + "/", timeout=5).text
    token = re.search(r'name="token" value="([^"]+)"', page)
    pairing = re.search(r'name="pairing_id" value="([^"]+)"', page)
    assert token and pairing
    form = {"token": token.group(1), "pairing_id": pairing.group(1)}
    from_elsewhere = requests.post(agent_service.url + "/local/forget", data=form, headers={"Origin": EVIL}, timeout=5, allow_redirects=False)
    assert from_elsewhere.status_code == 403 and console.call("GET", "/v1/state").status_code == 200
    own = requests.post(agent_service.url + "/local/forget", data=form, headers={"Origin": agent_service.url}, timeout=5, allow_redirects=False)
    assert own.status_code == 303
    assert console.call("GET", "/v1/state").status_code == 401


def test_a_wrong_code_three_times_ends_the_attempt(agent_service: Service) -> None:
    console = Console(agent_service.url)
    pairing_id = console.call("POST", "/v1/pairings", {"console": "x"}).json()["pairing_id"]
    right = code_on_status_page(agent_service.url, pairing_id)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    codes = [console.call("POST", f"/v1/pairings/{pairing_id}/confirm", {"code": wrong}).json()["error"]["code"] for _ in range(3)]
    assert codes == ["pairing_code_wrong", "pairing_code_wrong", "pairing_code_wrong_ended"]
    assert console.call("POST", f"/v1/pairings/{pairing_id}/confirm", {"code": right}).status_code == 404


def test_guessing_codes_across_many_pairings_is_throttled(agent_service: Service) -> None:
    console = Console(agent_service.url)
    answers = []
    for _ in range(6):
        started = console.call("POST", "/v1/pairings", {"console": "guesser"})
        if started.status_code != 201:
            answers.append(started.json()["error"]["code"])
            continue
        pairing_id = started.json()["pairing_id"]
        right = code_on_status_page(agent_service.url, pairing_id)
        for _ in range(3):
            answers.append(console.call("POST", f"/v1/pairings/{pairing_id}/confirm", {"code": f"{(int(right) + 1) % 1_000_000:06d}"}).json()["error"]["code"])
    assert answers.count("pairing_code_wrong") + answers.count("pairing_code_wrong_ended") == 10
    assert answers[-1] == "pairing_throttled"
    # even the right code waits: nothing more is tried this minute
    pairing_id = console.call("POST", "/v1/pairings", {"console": "officer"}).json()["pairing_id"]
    right = code_on_status_page(agent_service.url, pairing_id)
    assert console.call("POST", f"/v1/pairings/{pairing_id}/confirm", {"code": right}).status_code == 429


def test_two_consoles_pairing_at_once_each_get_their_own_code_and_secret(agent_service: Service) -> None:
    first, second = Console(agent_service.url), Console(agent_service.url)
    one = first.call("POST", "/v1/pairings", {"console": "desk 1"}).json()["pairing_id"]
    two = second.call("POST", "/v1/pairings", {"console": "desk 2"}).json()["pairing_id"]
    code_one, code_two = code_on_status_page(agent_service.url, one), code_on_status_page(agent_service.url, two)
    if code_one != code_two:  # one console's code does not pair the other
        assert second.call("POST", f"/v1/pairings/{two}/confirm", {"code": code_one}).json()["error"]["code"] == "pairing_code_wrong"
    results: dict[str, requests.Response] = {}
    threads = [
        threading.Thread(target=lambda: results.__setitem__("one", first.call("POST", f"/v1/pairings/{one}/confirm", {"code": code_one}))),
        threading.Thread(target=lambda: results.__setitem__("two", second.call("POST", f"/v1/pairings/{two}/confirm", {"code": code_two}))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first.secret, second.secret = results["one"].json()["secret"], results["two"].json()["secret"]
    assert first.secret != second.secret
    assert first.call("GET", "/v1/state").json()["pairing"]["console"] == "desk 1"
    assert second.call("GET", "/v1/state").json()["pairing"]["console"] == "desk 2"
    first.call("DELETE", "/v1/pairing")
    assert (first.call("GET", "/v1/state").status_code, second.call("GET", "/v1/state").status_code) == (401, 200)


# --- devices and capture --------------------------------------------------------------------


def test_paired_console_lists_devices_with_their_status(agent_service: Service, simulator: Simulator) -> None:
    requests.post(simulator.url + "admin/status", json={"type": "Iris", "deviceStatus": "Not Ready"}, timeout=5)
    console = paired(agent_service)
    devices = {d["type"]: d for d in console.call("GET", "/v1/devices").json()["devices"]}
    assert (devices["Finger"]["status"], devices["Finger"]["problem"]) == ("Ready", None)
    assert devices["Iris"]["status"] == "Not Ready" and "not ready" in devices["Iris"]["problem"]


def test_capture_verifies_the_person_and_opens_a_session(tmp_path: Path, cloud: Cloud, simulator: Simulator) -> None:
    agent = Agent(AgentHome(tmp_path / "agent"), cloud.url, sbi_ports(simulator), None, 12.0, "Desk PC", io.StringIO())
    service = start(agent, 0)
    try:
        console = Console(service.url, origin=cloud.url)
        console.pair(lambda pairing_id: code_on_status_page(service.url, pairing_id))
        no_token = console.call("POST", "/v1/captures", {"registrant": AMINA, "modality": "finger"})
        assert no_token.status_code == 401 and no_token.json()["error"]["code"] == "officer_sign_in_required"
        body = {"registrant": AMINA, "modality": "finger", "simulated_person": AMINA}
        captured = console.call("POST", "/v1/captures", body, token=officer_token())
        assert captured.status_code == 201, captured.text
        assert captured.json()["state"] == "verified" and captured.json()["assisted_session"]["session_id"]
        assert captured.json()["quality"] >= captured.json()["min_quality"]  # shown to the officer
        state = console.call("GET", "/v1/state").json()
        assert state["enrolled"] and state["queue"] == {"pending": 0, "delivered": 1, "rejected": 0}

        requests.post(simulator.url + "admin/score", json={"type": "Finger", "qualityScore": 30}, timeout=5)
        low = console.call("POST", "/v1/captures", body, token=officer_token())
        assert (low.status_code, low.json()["state"], low.json()["code"], low.json()["quality"]) == (200, "refused", "capture_low_quality", 30)
        requests.post(simulator.url + "admin/reset", json={}, timeout=5)

        someone_else = console.call("POST", "/v1/captures", {**body, "simulated_person": SAMPLE_PEOPLE[1]["individual_id"]}, token=officer_token())
        assert someone_else.json()["code"] == "identity_not_matched"
    finally:
        service.stop()


def test_a_device_set_not_ready_mid_capture_is_explained_and_nothing_is_queued(tmp_path: Path, cloud: Cloud, simulator: Simulator) -> None:
    agent = Agent(AgentHome(tmp_path / "agent"), cloud.url, sbi_ports(simulator), None, 12.0, "Desk PC", io.StringIO())
    service = start(agent, 0)
    try:
        console = Console(service.url, origin=cloud.url)
        console.pair(lambda pairing_id: code_on_status_page(service.url, pairing_id))
        requests.post(simulator.url + "admin/delay", json={"type": "Finger", "delay": 1500}, timeout=5)
        unplug = threading.Timer(0.7, lambda: requests.post(simulator.url + "admin/status", json={"type": "Finger", "deviceStatus": "Not Ready"}, timeout=5))
        unplug.start()
        answer = console.call("POST", "/v1/captures", {"registrant": AMINA, "modality": "finger", "simulated_person": AMINA}, token=officer_token())
        unplug.join()
        assert answer.status_code == 409, answer.text
        error = answer.json()["error"]
        assert (error["code"], error["device_code"]) == ("device_problem", "110") and "not ready" in error["message"]
        assert console.call("GET", "/v1/state").json()["queue"]["pending"] == 0
    finally:
        service.stop()


def test_agent_stopped_mid_capture_keeps_the_pairing_and_captures_again_after_restart(tmp_path: Path, cloud: Cloud, simulator: Simulator) -> None:
    home, port = tmp_path / "agent", free_port()

    def launch() -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "edge_agent", "--home", str(home), "serve", "--portal", cloud.url, "--port", str(port), "--ports", ports_of(simulator)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(url), 20)
        return process

    process = launch()
    url = f"http://127.0.0.1:{port}"
    console = Console(url, origin=cloud.url)
    console.pair(lambda pairing_id: code_on_status_page(url, pairing_id))
    requests.post(simulator.url + "admin/delay", json={"type": "Finger", "delay": 2000}, timeout=5)
    body = {"registrant": AMINA, "modality": "finger", "simulated_person": AMINA}
    failed: list[BaseException] = []

    def capture() -> None:
        try:
            console.call("POST", "/v1/captures", body, token=officer_token())
        except requests.RequestException as problem:
            failed.append(problem)

    running = threading.Thread(target=capture)
    running.start()
    time.sleep(1.0)  # inside the device's capture
    process.kill()
    process.wait(10)
    running.join(10)
    assert failed and isinstance(failed[0], requests.ConnectionError)  # the console sees the agent go away

    requests.post(simulator.url + "admin/delay", json={"type": "Finger", "delay": 0}, timeout=5)
    process = launch()
    try:
        state = console.call("GET", "/v1/state")
        assert state.status_code == 200, state.text  # still paired after the restart
        assert state.json()["queue"]["pending"] == 0  # nothing half-written was queued
        wait_for(lambda: _finger(console)["status"] == "Ready", 10)  # the device finishes the capture nobody waits for
        again = console.call("POST", "/v1/captures", body, token=officer_token())
        assert again.status_code == 201 and again.json()["state"] == "verified", again.text
    finally:
        process.kill()
        process.wait(10)


def _finger(console: Console) -> dict[str, Any]:
    return next(d for d in console.call("GET", "/v1/devices").json()["devices"] if d["type"] == "Finger")


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/v1/hello", headers={"Origin": "x"}, timeout=1).status_code == 403
    except requests.RequestException:
        return False


def test_serve_refuses_a_portal_that_is_not_an_origin(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "edge_agent", "--home", str(tmp_path), "serve", "--portal", "http://x/path", "--port", "0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1 and "origin" in result.stderr
