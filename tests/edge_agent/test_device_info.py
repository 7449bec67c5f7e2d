"""The agent reads each device's signed info (MOSIPDINFO) and believes it over unsigned discovery:
`devices` shows what the info says and how far its signature goes, and `capture` refuses a
device whose info says it cannot capture, before asking the portal for anything. A device that
turns busy during the capture is explained too. All over real HTTP on loopback."""

from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from infra.local.sbi import Simulator
from infra.local.sbi.pki import load_or_create
from tests.edge_agent.conftest import Proxy, enrolled, ports_of, run_agent, wait_for
from tests.edge_agent.test_simulator import capture_request, sbi
from tests.support.factories import SAMPLE_PEOPLE

pytestmark = pytest.mark.xdist_group("edge-agent")

AMINA = SAMPLE_PEOPLE[0]["individual_id"]
TRANSACTIONS = "/api/devices/transactions"


def _listed(home: Path, simulator: Simulator, *options: str) -> dict[str, Any]:
    listed = run_agent(home, "devices", "--ports", ports_of(simulator), "--json", *options)
    assert listed.code == 0, listed.err
    return {d["type"]: d for d in json.loads(listed.out)}


def _capture(home: Path, simulator: Simulator, *options: str) -> Any:
    return run_agent(home, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA, *options)


def _admin(simulator: Simulator, call: str, body: dict[str, Any]) -> None:
    assert requests.post(simulator.url + f"admin/{call}", json=body, timeout=5).status_code == 200


def test_devices_shows_the_signed_info_and_that_it_is_signed(tmp_path: Path, simulator: Simulator) -> None:
    _admin(simulator, "status", {"type": "Iris", "deviceStatus": "Not Registered"})
    found = _listed(tmp_path, simulator)
    finger = found["Finger"]["info"]
    assert (finger["status"], finger["certification"], finger["purpose"], finger["env"]) == ("Ready", "L1", "Auth", "Developer")
    assert (finger["make"], finger["model"], finger["serial_no"]) == ("SSP Simulator", "SIM-FINGER", "SSPSIM-FINGER-0001")
    assert finger["signature"] == "signed"  # well-formed and signed by its own certificate; no trust store to go further
    assert (found["Iris"]["info"]["status"], found["Iris"]["info"]["signature"]) == ("Not Registered", "unsigned")

    table = run_agent(tmp_path, "devices", "--ports", ports_of(simulator))
    assert table.code == 0
    assert "signature" in table.out and "SIM-FINGER" in table.out and "unsigned" in table.out and "trust store" in table.out


def test_with_a_trust_store_devices_says_whether_a_known_provider_signed_the_info(tmp_path: Path, simulator: Simulator) -> None:
    trusted = _listed(tmp_path, simulator, "--trust-store", str(simulator.pki.trust_store_path))
    assert {d["info"]["signature"] for d in trusted.values()} == {"trusted"}
    other_provider = load_or_create(tmp_path / "other-provider")
    untrusted = _listed(tmp_path, simulator, "--trust-store", str(other_provider.trust_store_path))
    assert {d["info"]["signature"] for d in untrusted.values()} == {"untrusted"}
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "device-providers.pem").write_bytes(simulator.pki.trust_store_path.read_bytes())  # the agent's own trust store
    assert {d["info"]["signature"] for d in _listed(tmp_path / "home", simulator).values()} == {"trusted"}
    missing = run_agent(tmp_path, "devices", "--ports", ports_of(simulator), "--trust-store", str(tmp_path / "nowhere.pem"))
    assert missing.code == 1 and "trust store could not be read" in missing.err


def test_a_device_whose_signed_info_is_not_ready_is_refused_though_discovery_says_ready(
    tmp_path: Path, simulator: Simulator, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    enrolled(tmp_path, proxy.url)
    _admin(simulator, "status", {"type": "Finger", "deviceStatus": "Not Ready"})
    discover = simulator.devices.discover
    monkeypatch.setattr(simulator.devices, "discover", lambda t: [{**entry, "deviceStatus": "Ready"} for entry in discover(t)])
    assert sbi(simulator, "MOSIPDISC", "/device", {"type": "Finger"})[0]["deviceStatus"] == "Ready"  # unsigned discovery says Ready

    captured = _capture(tmp_path, simulator)
    assert captured.code == 3
    assert "signed device info says Not Ready" in captured.err and "not ready. Wait a moment" in captured.err
    assert TRANSACTIONS not in proxy.paths  # refused before the portal was asked for anything
    assert json.loads(run_agent(tmp_path, "status", "--json").out)["queue"]["pending"] == 0


def test_a_device_whose_info_signature_does_not_verify_is_refused(tmp_path: Path, simulator: Simulator, proxy: Proxy, monkeypatch: pytest.MonkeyPatch) -> None:
    enrolled(tmp_path, proxy.url)
    info = simulator.devices.info

    def forged() -> list[dict[str, Any]]:
        entries = info()
        for entry in entries:
            header, payload, signature = entry["deviceInfo"].split(".")
            entry["deviceInfo"] = f"{header}.{payload}.{signature[:-8]}AAAAAAAA"
        return entries

    monkeypatch.setattr(simulator.devices, "info", forged)
    assert _listed(tmp_path, simulator)["Finger"]["info"]["signature"] == "invalid"
    captured = _capture(tmp_path, simulator)
    assert captured.code == 3 and "not correctly signed" in captured.err
    assert TRANSACTIONS not in proxy.paths


def test_with_a_trust_store_a_device_of_an_unknown_provider_is_refused(tmp_path: Path, simulator: Simulator, proxy: Proxy) -> None:
    enrolled(tmp_path, proxy.url)
    other_provider = load_or_create(tmp_path / "other-provider")
    captured = _capture(tmp_path, simulator, "--trust-store", str(other_provider.trust_store_path))
    assert captured.code == 3 and "not certified by a device provider this agent trusts (SSP Simulator Device Provider)" in captured.err
    assert TRANSACTIONS not in proxy.paths
    trusted = _capture(tmp_path, simulator, "--trust-store", str(simulator.pki.trust_store_path), "--json")
    assert trusted.code == 0 and trusted.json["answer"]["outcome"] == "verified"


def test_a_device_that_gives_no_info_is_refused(tmp_path: Path, simulator: Simulator, proxy: Proxy, monkeypatch: pytest.MonkeyPatch) -> None:
    enrolled(tmp_path, proxy.url)
    monkeypatch.setattr(simulator.devices, "info", lambda: [])
    assert _listed(tmp_path, simulator)["Finger"]["info"] is None
    captured = _capture(tmp_path, simulator)
    assert captured.code == 3 and "did not give its signed device info (MOSIPDINFO)" in captured.err


def test_a_device_that_turns_busy_during_the_capture_is_explained_and_stays_busy(tmp_path: Path, simulator: Simulator, proxy: Proxy) -> None:
    """Discovery and info say Ready; while the agent asks the portal for its transaction, another
    program starts a capture on the device and an admin marks it Busy. The agent's CAPTURE gets
    SBI's 111, and once the other capture ends the admin's Busy still holds."""
    enrolled(tmp_path, proxy.url)
    _admin(simulator, "delay", {"type": "Finger", "delay": 1500})
    other: list[Future[Any]] = []

    def another_program_captures(path: str) -> None:
        if path == TRANSACTIONS and not other:
            other.append(ThreadPoolExecutor(1).submit(sbi, simulator, "CAPTURE", "/capture", capture_request()))
            wait_for(lambda: sbi(simulator, "MOSIPDISC", "/device", {"type": "Finger"})[0]["deviceStatus"] == "Busy")
            _admin(simulator, "status", {"type": "Finger", "deviceStatus": "Busy"})

    proxy.before_forward = another_program_captures
    captured = _capture(tmp_path, simulator)
    assert captured.code == 3, captured.err + captured.out
    assert captured.err.strip() == "The device is busy with another capture. Wait for it to finish and try again."
    assert json.loads(run_agent(tmp_path, "status", "--json").out)["queue"] == {"pending": 0, "delivered": 0, "rejected": 0}

    assert other[0].result(timeout=10)["biometrics"][0]["error"]["errorCode"] == "0"  # the other program's capture went through
    again = _capture(tmp_path, simulator)
    assert again.code == 3
    assert "The finger device cannot capture now. It is busy (its signed device info says Busy)." in again.err
    assert proxy.paths.count(TRANSACTIONS) == 1  # the second try stopped at the device, before the portal
