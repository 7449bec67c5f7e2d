"""The edge agent as an officer uses it, against the SBI simulator and the portal over real HTTP
on loopback: enrol, find devices, capture, and then apply for the person in the assisted session.
Every device problem is explained to the officer."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import requests

from infra.local.sbi import Simulator
from tests.edge_agent.conftest import Cloud, enrolled, officer_token, ports_of, run_agent
from tests.support.factories import SAMPLE_PEOPLE, as_staff

pytestmark = pytest.mark.xdist_group("edge-agent")

AMINA = SAMPLE_PEOPLE[0]["individual_id"]
JEAN = SAMPLE_PEOPLE[1]["individual_id"]


def test_enrol_devices_capture_then_apply_for_the_person_end_to_end(tmp_path: Path, cloud: Cloud, simulator: Simulator) -> None:
    home = tmp_path / "agent"
    enrol = run_agent(home, "enrol", "--cloud", cloud.url, "--token", officer_token(), "--name", "Kisumu PC")
    assert enrol.code == 0, enrol.err
    assert stat.S_IMODE((home / "agent-key.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "officer-token").stat().st_mode) == 0o600

    devices = run_agent(home, "devices", "--ports", ports_of(simulator))
    assert devices.code == 0
    assert all(word in devices.out for word in ("Finger", "Face", "Iris", "Ready", "L1"))

    captured = run_agent(home, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA, "--json")
    assert captured.code == 0, captured.err + captured.out
    answer = captured.json["answer"]
    assert answer["outcome"] == "verified" and answer["registrant_id"] == cloud.registrants[AMINA]
    session = answer["assisted_session"]["session_id"]

    token = officer_token()
    base = f"/api/assisted/sessions/{session}/applications"
    created = cloud.call("POST", base, token, {"program_id": cloud.program_id, "answers": {"name": "Amina Okafor"}})
    assert created.status_code == 201, created.text
    submitted = cloud.call("POST", f"{base}/{created.json()['application_id']}/submit", token, {})
    assert submitted.status_code == 200, submitted.text
    assert (submitted.json()["status"], submitted.json()["channel"]) == ("submitted", "assisted")

    status = run_agent(home, "status", "--json")
    report = json.loads(status.out)
    assert report["queue"] == {"pending": 0, "delivered": 1, "rejected": 0}
    assert [d["type"] for d in report["devices_seen"]["devices"]] == ["Finger", "Face", "Iris"]


def test_devices_lists_status_and_certification_as_json(tmp_path: Path, simulator: Simulator) -> None:
    requests.post(simulator.url + "admin/status", json={"type": "Iris", "deviceStatus": "Not Ready"}, timeout=5)
    listed = run_agent(tmp_path, "devices", "--ports", ports_of(simulator), "--json")
    assert listed.code == 0
    found = {d["type"]: d for d in json.loads(listed.out)}
    assert (found["Finger"]["status"], found["Finger"]["certification"], found["Iris"]["status"]) == ("Ready", "L1", "Not Ready")
    assert found["Finger"]["port"] == simulator.port


def test_an_agent_that_reaches_no_device_says_so(tmp_path: Path, simulator: Simulator, cloud: Cloud) -> None:
    empty = f"{simulator.port + 200}-{simulator.port + 210}"
    listed = run_agent(tmp_path, "devices", "--ports", empty)
    assert listed.code == 3 and "No biometric device answered" in listed.err
    enrolled(tmp_path, cloud.url)
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--ports", empty)
    assert captured.code == 3 and "No biometric device answered" in captured.err


def test_a_busy_device_is_explained_and_nothing_is_sent(tmp_path: Path, simulator: Simulator, cloud: Cloud) -> None:
    enrolled(tmp_path, cloud.url)
    requests.post(simulator.url + "admin/status", json={"type": "Finger", "deviceStatus": "Busy"}, timeout=5)
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA)
    assert captured.code == 3
    assert "busy" in captured.err and "Wait for it to finish" in captured.err
    assert json.loads(run_agent(tmp_path, "status", "--json").out)["queue"]["pending"] == 0


def test_no_biometric_detected_is_explained(tmp_path: Path, simulator: Simulator, cloud: Cloud) -> None:
    enrolled(tmp_path, cloud.url)
    requests.post(simulator.url + "admin/nobiometric", json={"type": "Face", "enabled": True}, timeout=5)
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--modality", "face", "--ports", ports_of(simulator), "--simulated-person", AMINA)
    assert captured.code == 3 and "No biometric was detected" in captured.err


def test_someone_else_at_the_device_is_reported_as_not_verified(tmp_path: Path, simulator: Simulator, cloud: Cloud) -> None:
    enrolled(tmp_path, cloud.url)
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--modality", "iris", "--ports", ports_of(simulator), "--simulated-person", JEAN)
    assert captured.code == 2
    assert "Not verified" in captured.out and "identity_not_matched" in captured.out


def test_a_low_quality_capture_is_reported_with_the_portals_reason(tmp_path: Path, simulator: Simulator, cloud: Cloud) -> None:
    enrolled(tmp_path, cloud.url)
    requests.post(simulator.url + "admin/score", json={"type": "Finger", "qualityScore": 20}, timeout=5)
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA)
    assert captured.code == 2 and "capture_low_quality" in captured.out


def test_a_revoked_agent_cannot_capture(tmp_path: Path, simulator: Simulator, cloud: Cloud) -> None:
    agent_id = enrolled(tmp_path, cloud.url)
    revoked = cloud.call("POST", f"/api/devices/agents/{agent_id}/revoke", as_staff("admin").token)
    assert revoked.status_code == 200
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA)
    assert captured.code == 2 and "agent_revoked" in captured.err


def test_capture_before_enrolment_says_what_to_do(tmp_path: Path, simulator: Simulator) -> None:
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--ports", ports_of(simulator))
    assert captured.code == 1 and "not enrolled" in captured.err


def test_enrolling_twice_needs_force(tmp_path: Path, cloud: Cloud) -> None:
    first = enrolled(tmp_path, cloud.url)
    again = run_agent(tmp_path, "enrol", "--cloud", cloud.url, "--token", officer_token())
    assert again.code == 1 and first in again.err
    forced = run_agent(tmp_path, "enrol", "--cloud", cloud.url, "--token", officer_token(), "--force")
    assert forced.code == 0 and json.loads((tmp_path / "agent.json").read_text())["agent_id"] != first


def test_enrolling_with_a_token_the_portal_rejects_fails_clearly(tmp_path: Path, cloud: Cloud) -> None:
    refused = run_agent(tmp_path, "enrol", "--cloud", cloud.url, "--token", "not-a-token")
    assert refused.code == 2 and "invalid_token" in refused.err
    assert not (tmp_path / "agent.json").exists()
