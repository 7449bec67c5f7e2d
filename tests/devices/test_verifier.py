"""The simulator verifier and the simulator agree on what a person's record is, and a capture
encrypted for another authentication partner cannot be read."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from chalicelib.devices import device_data, verifiers
from chalicelib.devices.device_data import CapturedBiometric, verify_device_jws
from infra.local.sbi import biometrics
from infra.local.sbi.devices import SimulatedDevices
from infra.local.sbi.pki import SimulatorPki, load_or_create
from tests.support.devices import CaptureKit

AMINA = "8267411571"


def test_the_verifier_derives_the_same_record_and_hash_as_the_simulator() -> None:
    for modality in ("Finger", "Face", "Iris"):
        assert verifiers.synthetic_record(AMINA, modality) == biometrics.synthetic_record(AMINA, modality)
    record = biometrics.synthetic_record(AMINA, "Finger")
    assert device_data.chain_hash("", record) == biometrics.chain_hash("", record)
    assert verifiers.synthetic_record(AMINA, "Finger") != verifiers.synthetic_record("5403819246", "Finger")


def _biometrics(pki: SimulatorPki, person: str) -> tuple[CapturedBiometric, ...]:
    answer = SimulatedDevices(pki).capture({**CaptureKit.request("txn-0001"), "customOpts": {"simulatedPerson": person}}, "Auth")
    entry = answer["biometrics"][0]
    _, payload, _ = entry["data"].split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return (CapturedBiometric(data, entry["hash"], entry["sessionKey"], entry["thumbprint"]),)


def test_the_verifier_matches_the_named_person_only(device_pki: SimulatorPki) -> None:
    verifier = verifiers.SimulatorVerifier(device_pki.verifier_key_path.read_text())
    captured = _biometrics(device_pki, AMINA)
    assert verifier.verify(verifiers.MatchRequest(AMINA, "finger", "txn-0001", "", captured)) is verifiers.MatchOutcome.MATCH
    assert verifier.verify(verifiers.MatchRequest("5403819246", "finger", "txn-0001", "", captured)) is verifiers.MatchOutcome.NO_MATCH


def test_a_capture_encrypted_for_another_partner_is_unreadable(device_pki: SimulatorPki, tmp_path: Path) -> None:
    other = load_or_create(tmp_path / "other")
    verifier = verifiers.SimulatorVerifier(device_pki.verifier_key_path.read_text())
    outcome = verifier.verify(verifiers.MatchRequest(AMINA, "finger", "txn-0001", "", _biometrics(other, AMINA)))
    assert outcome is verifiers.MatchOutcome.UNREADABLE


def test_a_chain_started_from_another_previous_hash_does_not_fit(device_pki: SimulatorPki) -> None:
    verifier = verifiers.SimulatorVerifier(device_pki.verifier_key_path.read_text())
    outcome = verifier.verify(verifiers.MatchRequest(AMINA, "finger", "txn-0001", "AB" * 32, _biometrics(device_pki, AMINA)))
    assert outcome is verifiers.MatchOutcome.HASH_MISMATCH


def test_a_device_signature_verifies_only_against_the_trust_store(devices_configured: SimulatorPki, tmp_path: Path) -> None:
    import pytest

    from chalicelib.errors import ValidationFailed
    from infra.local.sbi.devices import sign_jws

    assert verify_device_jws(sign_jws({"hello": "device"}, devices_configured.devices["Face"])) == {"hello": "device"}
    rogue = load_or_create(tmp_path / "rogue")
    with pytest.raises(ValidationFailed) as refused:
        verify_device_jws(sign_jws({"hello": "device"}, rogue.devices["Face"]))
    assert refused.value.code == "device_untrusted"


def test_the_hash_chain_links_each_record_to_the_one_before(device_pki: SimulatorPki) -> None:
    verifier = verifiers.SimulatorVerifier(device_pki.verifier_key_path.read_text())
    request = {**CaptureKit.request("txn-0001"), "customOpts": {"simulatedPerson": AMINA}}
    request["bio"] = [{**request["bio"][0], "count": 2, "bioSubType": ["Left Thumb", "Right Thumb"]}]
    answer = SimulatedDevices(device_pki).capture(request, "Auth")
    captured = [
        CapturedBiometric(json.loads(base64.urlsafe_b64decode(e["data"].split(".")[1] + "==")), e["hash"], e["sessionKey"], e["thumbprint"])
        for e in answer["biometrics"]
    ]
    records = [record for biometric in captured if (record := verifier._open(biometric)) is not None]
    assert len(records) == 2
    assert device_data.hash_chain_fits("", records, captured)
    assert not device_data.hash_chain_fits("", [records[0], b"another record"], captured)
    assert not device_data.hash_chain_fits("", records, list(reversed(captured)))
    assert not device_data.hash_chain_fits(device_data.EMPTY_HASH.lower().replace("e", "f"), records, captured)
    assert not device_data.hash_chain_fits("", records[:1], captured)
    assert verifier.verify(verifiers.MatchRequest(AMINA, "finger", "txn-0001", "", tuple(captured))) is verifiers.MatchOutcome.MATCH
