"""Capture intake: what the portal checks in a relayed capture, each refusal with its own code,
and that a verified capture opens an assisted session exactly once."""

from __future__ import annotations

import base64
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib import config
from chalicelib.devices.verifiers import synthetic_record
from chalicelib.store.audit import AuditEvent
from chalicelib.store.devices import DeviceItem
from chalicelib.store.tables import TABLE_MODELS
from infra.local.sbi import devices as simulated
from infra.local.sbi.devices import SimulatedDevices
from infra.local.sbi.pki import load_or_create
from tests.support.devices import CaptureKit, tamper_payload
from tests.support.factories import SAMPLE_PEOPLE, as_staff, make_registrant
from tests.support.logs import captured_logs

AMINA = SAMPLE_PEOPLE[0]["individual_id"]
JEAN = SAMPLE_PEOPLE[1]["individual_id"]


@pytest.fixture
def people(aws: None) -> dict[str, str]:
    return {p["individual_id"]: make_registrant(p).registrant_id for p in SAMPLE_PEOPLE[:2]}


def _capture(kit: CaptureKit, person: str = AMINA, seen: str | None = AMINA, **device: Any) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    agent = kit.enrol()
    txn = kit.transaction(agent, person)
    exchange = kit.device_answer(txn["transaction_id"], seen, **device)
    return agent, txn, kit.payload(agent, txn, person, exchange)


def test_a_matching_capture_opens_an_assisted_session_for_the_named_person(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, txn, payload = _capture(kit)
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert answer.status == 201, answer.json
    assert answer.json["outcome"] == "verified"
    assert answer.json["registrant_id"] == people[AMINA]
    session = answer.json["assisted_session"]
    assert session["status"] == "open" and session["registrant_id"] == people[AMINA]
    listed = kit.api.get("/api/assisted/sessions", as_=agent.officer)
    assert [s["session_id"] for s in listed.json["items"]] == [session["session_id"]]


@pytest.mark.parametrize("modality", ["face", "iris"])
def test_face_and_iris_captures_are_verified_too(kit: CaptureKit, people: dict[str, str], modality: str) -> None:
    answer = kit.verified(kit.enrol(), AMINA, modality)
    assert answer.status == 201 and answer.json["outcome"] == "verified"


def test_the_same_envelope_sent_twice_is_accepted_once_and_answered_the_same(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit)
    sealed = kit.seal(agent, payload)
    first = kit.relay(agent.officer, sealed)
    again = kit.relay(agent.officer, sealed)
    assert (first.status, again.status) == (201, 200)
    assert again.json["duplicate"] is True
    assert again.json["assisted_session"]["session_id"] == first.json["assisted_session"]["session_id"]
    assert len(kit.api.get("/api/assisted/sessions", as_=agent.officer).json["items"]) == 1
    verified_events = [e for e in AuditEvent.query(people[AMINA]) if e.action == "assisted.identity_verified"]
    assert len(verified_events) == 1


def test_a_replayed_transaction_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, txn, payload = _capture(kit)
    assert kit.relay(agent.officer, kit.seal(agent, payload)).status == 201
    replay = kit.payload(agent, txn, AMINA, kit.device_answer(txn["transaction_id"], AMINA))
    answer = kit.relay(agent.officer, kit.seal(agent, replay))
    assert (answer.status, answer.error_code) == (409, "transaction_used")


def test_a_tampered_envelope_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit)
    sealed = tamper_payload(kit.seal(agent, payload), {"registrant": JEAN})
    answer = kit.relay(agent.officer, sealed)
    assert (answer.status, answer.error_code) == (403, "envelope_signature_invalid")


def test_an_envelope_that_is_not_a_jws_is_a_bad_request(kit: CaptureKit, people: dict[str, str]) -> None:
    answer = kit.relay(kit.officer(), "not-a-jws-at-all")
    assert (answer.status, answer.error_code) == (400, "envelope_malformed")


def test_an_envelope_from_a_revoked_agent_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit)
    assert kit.api.post(f"/api/devices/agents/{agent.agent_id}/revoke", as_=as_staff("admin")).status == 200
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (403, "agent_revoked")


def test_an_envelope_signed_by_another_officers_agent_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit)
    answer = kit.relay(kit.officer("officer-2"), kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (403, "agent_not_yours")


def test_an_envelope_signed_by_an_unknown_agent_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit)
    agent.agent_id = "00000000-0000-0000-0000-000000000000"
    answer = kit.relay(agent.officer, kit.seal(agent, {**payload, "agent_id": agent.agent_id}))
    assert (answer.status, answer.error_code) == (403, "agent_unknown")


def test_an_envelope_signed_with_a_key_other_than_the_agents_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit)
    impostor = kit.enrol()  # same officer, another key
    impostor.agent_id = agent.agent_id
    answer = kit.relay(agent.officer, kit.seal(impostor, payload))
    assert (answer.status, answer.error_code) == (403, "envelope_signature_invalid")


def test_a_capture_signed_by_an_untrusted_device_is_refused(kit: CaptureKit, people: dict[str, str], tmp_path: Path) -> None:
    rogue = SimulatedDevices(load_or_create(tmp_path / "rogue"))
    agent = kit.enrol()
    txn = kit.transaction(agent, AMINA)
    payload = kit.payload(agent, txn, AMINA, kit.device_answer(txn["transaction_id"], AMINA, devices=rogue))
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "device_untrusted")
    assert answer.json["error"]["capture_id"] == payload["capture_id"]


def test_a_capture_whose_data_was_altered_after_the_device_signed_it_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit)
    biometric = payload["response"]["biometrics"][0]
    header, body, signature = biometric["data"].split(".")
    biometric["data"] = f"{header}.{tamper_payload('x.' + body + '.y', {'qualityScore': 100}).split('.')[1]}.{signature}"
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "device_signature_invalid")


def test_a_capture_made_for_another_transaction_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent = kit.enrol()
    txn = kit.transaction(agent, AMINA)
    payload = kit.payload(agent, txn, AMINA, kit.device_answer("some-other-transaction", AMINA))
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "capture_transaction_mismatch")


def test_a_capture_with_a_stale_timestamp_is_refused(kit: CaptureKit, people: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    old = (datetime.now(UTC) - timedelta(minutes=10)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    monkeypatch.setattr(simulated, "now_iso", lambda: old)
    agent, _, payload = _capture(kit)
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "capture_stale")


def test_a_capture_below_the_quality_threshold_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    kit.devices.set("Finger", quality=30)
    agent, _, payload = _capture(kit)
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "capture_low_quality")


def test_a_registration_capture_is_refused_for_its_purpose(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit, method="Registration")
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "capture_purpose_mismatch")


def test_a_capture_for_another_environment_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit, env="Staging")
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "capture_env_mismatch")


def test_a_capture_whose_hash_chain_does_not_fit_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit)
    payload["response"]["biometrics"][0]["hash"] = "AB" * 32
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "capture_hash_mismatch")


def test_a_device_error_instead_of_a_capture_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    kit.devices.set("Finger", no_biometric=True)
    agent, _, payload = _capture(kit)
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "capture_device_error")


def test_someone_else_at_the_device_is_not_matched(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit, seen=JEAN)
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "identity_not_matched")
    assert kit.api.get("/api/assisted/sessions", as_=agent.officer).json["items"] == []
    actions = [e.action for e in AuditEvent.query(people[AMINA])]
    assert "assisted.identity_not_verified" in actions


def test_a_refused_capture_sent_again_gets_the_same_refusal(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit, seen=JEAN)
    sealed = kit.seal(agent, payload)
    first, again = kit.relay(agent.officer, sealed), kit.relay(agent.officer, sealed)
    assert (first.error_code, again.error_code) == ("identity_not_matched", "identity_not_matched")
    assert again.json["error"]["duplicate"] is True


def test_an_unknown_transaction_is_not_found(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, txn, payload = _capture(kit)
    payload["transaction_id"] = "0000-unknown-0000"
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (404, "transaction_not_found")


def test_an_expired_transaction_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, txn, payload = _capture(kit)
    for item in DeviceItem.query(next(iter(_officer_partitions()))):
        if item.kind == "txn":
            item.expires_at = datetime.now(UTC) - timedelta(seconds=1)
            item.save()
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (409, "transaction_expired")


def test_a_capture_naming_another_person_than_its_transaction_is_refused(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, txn, payload = _capture(kit)
    payload["registrant"] = JEAN
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (409, "transaction_mismatch")


def test_an_envelope_missing_its_device_answer_fails_validation(kit: CaptureKit, people: dict[str, str]) -> None:
    agent, _, payload = _capture(kit)
    del payload["response"]
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "envelope_invalid")
    assert answer.json["error"]["fields"] == {"/response": "required"}


def test_a_failed_capture_of_someone_who_never_logged_in_creates_nobody(kit: CaptureKit, people: dict[str, str]) -> None:
    from chalicelib.registrants.logins import find_by_individual_id

    agent, txn, payload = _capture(kit, person="0000000000", seen=AMINA)
    assert txn["registrant_id"] is None
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "identity_not_matched")
    assert find_by_individual_id("0000000000") is None
    again = kit.relay(agent.officer, kit.seal(agent, payload))  # the resent envelope changes nothing
    assert (again.status, again.error_code) == (422, "identity_not_matched")
    assert find_by_individual_id("0000000000") is None


def test_only_officers_open_transactions_and_relay_captures(kit: CaptureKit, people: dict[str, str]) -> None:
    reviewer = as_staff("reviewer")
    assert kit.api.post("/api/devices/transactions", {"agent_id": "x", "registrant": AMINA}, as_=reviewer).error_code == "wrong_role"
    assert kit.api.post("/api/devices/captures", {"envelope": "a.b.c.d.e.f"}, as_=reviewer).error_code == "wrong_role"
    assert kit.api.post("/api/devices/captures", {"envelope": "a.b.c.d.e.f"}).status == 401


def test_without_a_verifier_captures_are_refused_before_anything_is_used(kit: CaptureKit, people: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    agent, _, payload = _capture(kit)
    monkeypatch.setenv("SSP_MATCH_VERIFIER", "")
    sealed = kit.seal(agent, payload)
    refused = kit.relay(agent.officer, sealed)
    assert (refused.status, refused.error_code) == (403, "verifier_not_configured")
    monkeypatch.setenv("SSP_MATCH_VERIFIER", "simulator")
    assert kit.relay(agent.officer, sealed).status == 201


def test_no_biometric_data_is_stored_in_the_tables_or_written_to_the_logs(kit: CaptureKit, people: dict[str, str], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="chalicelib")  # any other logger of the portal's code, whatever its level
    with captured_logs() as portal_log:
        agent, _, payload = _capture(kit)
        assert kit.relay(agent.officer, kit.seal(agent, payload)).status == 201
        other_agent, _, not_matching = _capture(kit, seen=JEAN)
        assert kit.relay(other_agent.officer, kit.seal(other_agent, not_matching)).error_code == "identity_not_matched"
    logs = portal_log.getvalue() + "\n".join(record.getMessage() + json.dumps(record.__dict__, default=str) for record in caplog.records)
    assert '"capture_verified"' in logs  # the capture did write to the portal's log, and the handler saw it

    secrets = _biometric_values(payload, AMINA) + _biometric_values(not_matching, JEAN)
    stored = json.dumps(_every_item_of_every_table(), default=str)
    for name, value in secrets:
        assert value not in stored, f"{name} is in DynamoDB"
        assert value not in logs, f"{name} is in the logs"
    assert "bioValue" not in stored and "bioValue" not in logs


def _biometric_values(payload: dict[str, Any], person: str) -> list[tuple[str, str]]:
    """What must never be kept: the device's raw capture, its encrypted biometric and key, SBI's
    hash, and the decrypted record (in every encoding it could be written in)."""
    values = []
    for biometric in payload["response"]["biometrics"]:
        data_part = biometric["data"].split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(data_part + "=" * (-len(data_part) % 4)))
        values += [("the capture's data", data_part[:60]), ("bioValue", data["bioValue"][:60]), ("sessionKey", biometric["sessionKey"][:60])]
        values.append(("hash", biometric["hash"]))
    record = synthetic_record(person, "finger")
    digest_b64 = record.rsplit(b";", 1)[1][:44].decode()
    values += [
        ("the decrypted record", digest_b64),
        ("the decrypted record (base64)", base64.b64encode(record).decode()[:60]),
        ("the decrypted record (base64url)", base64.urlsafe_b64encode(record).decode().rstrip("=")[:60]),
        ("the decrypted record (hex)", record.hex()[:60]),
    ]
    return values


def _every_item_of_every_table() -> dict[str, list[dict[str, Any]]]:
    """Every item of every DynamoDB table, raw (items of any model, whatever table they share)."""
    client = boto3.client("dynamodb", region_name=config.region())
    names = client.list_tables()["TableNames"]
    assert set(names) >= {model.Meta.table_name for model in TABLE_MODELS}
    items: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        for page in client.get_paginator("scan").paginate(TableName=name):
            items.setdefault(name, []).extend(page["Items"])
    assert items.get(DeviceItem.Meta.table_name) and items.get(AuditEvent.Meta.table_name)  # the captures did write
    return items


def _officer_partitions() -> set[str]:
    return {item.pk for item in DeviceItem.scan() if item.pk.startswith("officer#")}


class _TrustingVerifier:
    """An adapter that answers MATCH for anything: it stands for an ID service's answer."""

    def __init__(self, checks_hash_chain: bool) -> None:
        if checks_hash_chain:
            self.checks_hash_chain = True

    def verify(self, request: Any) -> Any:
        from chalicelib.devices.verifiers import MatchOutcome

        return MatchOutcome.MATCH


@pytest.fixture
def adapter(monkeypatch: pytest.MonkeyPatch) -> Any:
    from chalicelib.devices import verifiers

    def use(checks_hash_chain: bool) -> None:
        monkeypatch.setattr(verifiers, "_cache", {})
        monkeypatch.setitem(verifiers.VERIFIERS, "adapter", lambda: _TrustingVerifier(checks_hash_chain))
        monkeypatch.setenv("SSP_MATCH_VERIFIER", "adapter")

    return use


def test_a_verifier_that_does_not_check_the_hash_chain_is_not_used(kit: CaptureKit, people: dict[str, str], adapter: Any) -> None:
    agent, _, payload = _capture(kit)
    sealed = kit.seal(agent, payload)
    adapter(checks_hash_chain=False)
    refused = kit.relay(agent.officer, sealed)
    assert (refused.status, refused.error_code) == (403, "verifier_not_configured")
    adapter(checks_hash_chain=True)
    assert kit.relay(agent.officer, sealed).status == 201  # nothing was used up by the refusal


def test_a_chain_that_does_not_start_from_a_sha256_is_refused_by_the_portal_itself(kit: CaptureKit, people: dict[str, str], adapter: Any) -> None:
    adapter(checks_hash_chain=True)  # even a verifier that would say yes never gets to answer
    agent, _, payload = _capture(kit)
    payload["request"]["bio"][0]["previousHash"] = "not-a-sha-256"
    answer = kit.relay(agent.officer, kit.seal(agent, payload))
    assert (answer.status, answer.error_code) == (422, "capture_hash_mismatch")
