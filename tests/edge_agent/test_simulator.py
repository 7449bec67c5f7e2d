"""The SBI simulator speaks SBI's wire format on loopback, signs what a device signs, keeps its
keys across restarts, and offers the mock device service's admin controls."""

from __future__ import annotations

import base64
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from chalicelib.devices.device_data import verify_device_jws
from infra.local.sbi import Simulator, serve, start
from infra.local.sbi.biometrics import EMPTY_HASH, chain_hash, synthetic_record
from infra.local.stack import PortInUse, StackContext, free_port
from tests.edge_agent.conftest import wait_for

pytestmark = pytest.mark.xdist_group("edge-agent")

AMINA = "8267411571"


def sbi(simulator: Simulator, method: str, path: str, body: Any = None) -> Any:
    answer = requests.request(method, simulator.url.rstrip("/") + path, json=body, timeout=5)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    return answer.json()


def _payload(jws: str) -> dict[str, Any]:
    part = jws.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))


def capture_request(transaction_id: str = "txn-1234", device_type: str = "Finger", device_id: str = "1", purpose: str = "Auth") -> dict[str, Any]:
    return {
        "env": "Developer",
        "purpose": purpose,
        "specVersion": "0.9.5",
        "timeout": 30000,
        "captureTime": "2024-01-01T00:00:00Z",
        "domainUri": "http://localhost:8000",
        "transactionId": transaction_id,
        "bio": [
            {"type": device_type, "count": 1, "bioSubType": ["UNKNOWN"], "requestedScore": 60, "deviceId": device_id, "deviceSubId": 0, "previousHash": ""}
        ],
        "customOpts": {"simulatedPerson": AMINA},
    }


@pytest.fixture
def trusting(simulator: Simulator, monkeypatch: pytest.MonkeyPatch) -> Simulator:
    monkeypatch.setenv("SSP_DEVICE_TRUST_STORE", f"@{simulator.pki.trust_store_path}")
    return simulator


def test_discovery_lists_a_finger_a_face_and_an_iris_device(simulator: Simulator) -> None:
    found = sbi(simulator, "MOSIPDISC", "/device", {"type": "Biometric Device"})
    assert [_payload_of_digital_id(d)["type"] for d in found] == ["Finger", "Face", "Iris"]
    assert {(d["deviceStatus"], d["certification"], d["purpose"], tuple(d["specVersion"])) for d in found} == {("Ready", "L1", "Auth", ("0.9.5",))}
    assert [d["deviceId"] for d in sbi(simulator, "MOSIPDISC", "/device", {"type": "Face"})] == ["2"]


def _payload_of_digital_id(entry: dict[str, Any]) -> dict[str, Any]:
    value = entry["digitalId"]
    return dict(json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))))


def test_device_info_is_signed_by_a_device_key_that_chains_to_the_provider_ca(trusting: Simulator) -> None:
    infos = sbi(trusting, "MOSIPDINFO", "/info", {})
    assert len(infos) == 3
    for info in infos:
        payload = verify_device_jws(info["deviceInfo"])
        assert payload["certification"] == "L1" and payload["deviceStatus"] == "Ready"
        assert verify_device_jws(payload["digitalId"])["deviceProvider"] == "SSP Simulator Device Provider"


def test_an_auth_capture_is_signed_encrypted_and_hash_chained(trusting: Simulator) -> None:
    answer = sbi(trusting, "CAPTURE", "/capture", capture_request())
    [biometric] = answer["biometrics"]
    assert biometric["error"] == {"errorCode": "0", "errorInfo": "Success"}
    data = verify_device_jws(biometric["data"])
    assert (data["transactionId"], data["purpose"], data["bioType"], data["env"]) == ("txn-1234", "Auth", "Finger", "Developer")
    assert data["qualityScore"] == 85 and data["timestamp"].endswith("Z")
    assert biometric["sessionKey"] and biometric["thumbprint"] == trusting.pki.ida_partner.thumbprint
    assert synthetic_record(AMINA, "Finger") not in base64.urlsafe_b64decode(data["bioValue"] + "==")  # encrypted
    assert biometric["hash"] == biometric["hash"].upper() and len(biometric["hash"]) == 64


def test_a_registration_capture_carries_the_plain_record(trusting: Simulator) -> None:
    answer = sbi(trusting, "RCAPTURE", "/capture", capture_request(purpose="Registration"))
    [biometric] = answer["biometrics"]
    data = verify_device_jws(biometric["data"])
    record = base64.urlsafe_b64decode(data["bioValue"] + "==")
    assert record == synthetic_record(AMINA, "Finger") and biometric["sessionKey"] == ""
    assert biometric["hash"] == chain_hash(EMPTY_HASH, record)


@pytest.mark.parametrize(
    ("request_change", "code"),
    [
        ({"transactionId": "bad id!"}, "112"),
        ({"purpose": "Registration"}, "502"),
        ({"bio": [{"type": "Finger", "deviceId": "9", "count": 1}]}, "106"),
        ({"bio": [{"type": "Face", "deviceId": "2", "count": 3}]}, "109"),
    ],
)
def test_a_wrong_capture_request_gets_the_sbi_error_code(simulator: Simulator, request_change: dict[str, Any], code: str) -> None:
    answer = sbi(simulator, "CAPTURE", "/capture", {**capture_request(), **request_change})
    assert answer["biometrics"][0]["error"]["errorCode"] == code


@pytest.mark.parametrize(("status", "code"), [("Busy", "111"), ("Not Ready", "110"), ("Not Registered", "100")])
def test_admin_status_makes_the_device_refuse_captures(simulator: Simulator, status: str, code: str) -> None:
    assert requests.post(simulator.url + "admin/status", json={"type": "Finger", "deviceStatus": status}, timeout=5).status_code == 200
    assert sbi(simulator, "MOSIPDISC", "/device", {"type": "Finger"})[0]["deviceStatus"] == status
    assert sbi(simulator, "CAPTURE", "/capture", capture_request())["biometrics"][0]["error"]["errorCode"] == code


def test_a_device_is_busy_while_it_captures_and_an_admin_status_set_meanwhile_outlives_the_capture(simulator: Simulator) -> None:
    requests.post(simulator.url + "admin/delay", json={"type": "Finger", "delay": 1500}, timeout=5)
    running = ThreadPoolExecutor(1).submit(sbi, simulator, "CAPTURE", "/capture", capture_request())
    wait_for(lambda: sbi(simulator, "MOSIPDISC", "/device", {"type": "Finger"})[0]["deviceStatus"] == "Busy")
    assert sbi(simulator, "CAPTURE", "/capture", capture_request())["biometrics"][0]["error"]["errorCode"] == "111"  # one capture at a time
    requests.post(simulator.url + "admin/status", json={"type": "Finger", "deviceStatus": "Busy"}, timeout=5)
    assert running.result(timeout=10)["biometrics"][0]["error"]["errorCode"] == "0"
    assert sbi(simulator, "MOSIPDISC", "/device", {"type": "Finger"})[0]["deviceStatus"] == "Busy"  # the admin's Busy, not reset to Ready
    assert sbi(simulator, "CAPTURE", "/capture", capture_request())["biometrics"][0]["error"]["errorCode"] == "111"
    requests.post(simulator.url + "admin/status", json={"type": "Finger", "deviceStatus": "Ready"}, timeout=5)
    assert sbi(simulator, "MOSIPDISC", "/device", {"type": "Finger"})[0]["deviceStatus"] == "Ready"


def test_admin_controls_set_quality_no_biometric_delay_and_the_person_at_the_device(trusting: Simulator) -> None:
    requests.post(trusting.url + "admin/score", json={"type": "Finger", "qualityScore": 42}, timeout=5)
    assert verify_device_jws(sbi(trusting, "CAPTURE", "/capture", capture_request())["biometrics"][0]["data"])["qualityScore"] == 42
    requests.post(trusting.url + "admin/nobiometric", json={"type": "Finger", "enabled": True}, timeout=5)
    assert sbi(trusting, "CAPTURE", "/capture", capture_request())["biometrics"][0]["error"]["errorCode"] == "101"
    requests.post(trusting.url + "admin/reset", json={}, timeout=5)
    requests.post(trusting.url + "admin/delay", json={"type": "Finger", "delay": 300}, timeout=5)
    requests.post(trusting.url + "admin/person", json={"individualId": AMINA}, timeout=5)
    state = {d["type"]: d for d in requests.get(trusting.url + "admin/state", timeout=5).json()}
    assert (state["Finger"]["delay_ms"], state["Finger"]["person"], state["Face"]["person"]) == (300, AMINA, AMINA)
    bad = requests.post(trusting.url + "admin/status", json={"deviceStatus": "Sleepy"}, timeout=5)
    assert bad.status_code == 400


def test_options_answers_the_sbi_methods(simulator: Simulator) -> None:
    answer = requests.options(simulator.url + "capture", timeout=5)
    assert "MOSIPDISC" in answer.headers["Access-Control-Allow-Methods"]
    assert answer.headers["Access-Control-Allow-Private-Network"] == "true"


def test_a_second_simulator_takes_the_next_free_port(simulator: Simulator, sbi_data: Path) -> None:
    second = serve("127.0.0.1", simulator.port, data_dir=sbi_data)
    try:
        assert simulator.port < second.port <= simulator.port + 99
    finally:
        second.stop()


def test_the_stack_starts_it_hands_the_portal_its_trust_store_and_keeps_its_keys(tmp_path: Path) -> None:
    ctx = StackContext(ports={"sbi": free_port()}, data_dir=tmp_path)
    first = start(ctx)
    ca = first.pki.provider_ca.certificate_pem
    first.stop()
    assert ctx.portal_env["SSP_MATCH_VERIFIER"] == "simulator"
    assert ctx.portal_env["SSP_DEVICE_TRUST_STORE"] == f"@{tmp_path / 'sbi' / 'provider-ca.crt'}"
    assert "PRIVATE KEY" not in (tmp_path / "sbi" / "provider-ca.crt").read_text()
    assert oct((tmp_path / "sbi" / "device-finger.key").stat().st_mode & 0o777) == "0o600"
    from infra.local.sbi import pki

    pki._loaded.clear()  # read the keys back from disk, as a restarted `make dev` does
    again = start(StackContext(ports={"sbi": ctx.ports["sbi"]}, data_dir=tmp_path))
    try:
        assert again.pki.provider_ca.certificate_pem == ca
    finally:
        again.stop()


def test_the_stack_explains_when_no_sbi_port_is_free(tmp_path: Path, sbi_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import infra.local.sbi as sbi_package
    from infra.local.sbi.server import NoFreePort

    base = free_port()
    taken = serve("127.0.0.1", base, data_dir=sbi_data, last_port=base)
    try:
        with pytest.raises(NoFreePort):
            serve("127.0.0.1", base, data_dir=sbi_data, last_port=base)
        monkeypatch.setattr(sbi_package, "serve", lambda *args, **kwargs: serve("127.0.0.1", base, data_dir=sbi_data, last_port=base))
        with pytest.raises(PortInUse) as refused:
            start(StackContext(ports={"sbi": base}, data_dir=tmp_path))
        assert refused.value.service == "sbi"
    finally:
        taken.stop()
