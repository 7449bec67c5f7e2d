"""The optional audit copy of each verified capture (``SSP_CAPTURE_AUDIT_BUCKET``): the envelope
as the agent sent it, under the officer's prefix, encrypted with KMS; nothing when not set."""

from __future__ import annotations

import boto3
import pytest

from chalicelib import config
from infra.package import stage_names
from tests.support.devices import CaptureKit
from tests.support.factories import SAMPLE_PEOPLE, make_registrant

AMINA = SAMPLE_PEOPLE[0]["individual_id"]
JEAN = SAMPLE_PEOPLE[1]["individual_id"]
# The name the stack gives the bucket, so the recorded calls match the role policy.
BUCKET = stage_names("dev").capture_audit_bucket


@pytest.fixture
def audit_bucket(aws: None) -> str:
    make_registrant(SAMPLE_PEOPLE[0])
    boto3.client("s3", region_name=config.region()).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": config.region()})
    return BUCKET


def _objects() -> list[str]:
    listed = boto3.client("s3", region_name=config.region()).list_objects_v2(Bucket=BUCKET)
    return [o["Key"] for o in listed.get("Contents", [])]


def test_a_verified_capture_is_kept_for_audit_under_the_officer_with_kms(kit: CaptureKit, audit_bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    key_id = boto3.client("kms", region_name=config.region()).create_key(Description="capture audit")["KeyMetadata"]["KeyId"]
    monkeypatch.setenv("SSP_CAPTURE_AUDIT_BUCKET", audit_bucket)
    monkeypatch.setenv("SSP_CAPTURE_AUDIT_KMS_KEY_ID", key_id)
    agent = kit.enrol()
    txn = kit.transaction(agent, AMINA)
    payload = kit.payload(agent, txn, AMINA, kit.device_answer(txn["transaction_id"], AMINA))
    sealed = kit.seal(agent, payload)
    assert kit.relay(agent.officer, sealed).status == 201

    officer = kit.api.get(f"/api/devices/agents/{agent.agent_id}", as_=agent.officer).json["officer"]
    key = f"captures/{officer}/{payload['capture_id']}.jws"
    assert _objects() == [key]
    stored = boto3.client("s3", region_name=config.region()).get_object(Bucket=audit_bucket, Key=key)
    assert stored["Body"].read().decode() == sealed  # the envelope exactly as relayed (biometrics still encrypted for the ID service)
    assert stored["ServerSideEncryption"] == "aws:kms"
    assert stored["SSEKMSKeyId"].endswith(key_id)
    assert stored["ContentType"] == "application/jose"

    assert kit.relay(agent.officer, sealed).status == 200  # a resent envelope is not copied again
    assert _objects() == [key]


def test_a_refused_capture_is_not_kept(kit: CaptureKit, audit_bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_CAPTURE_AUDIT_BUCKET", audit_bucket)
    agent = kit.enrol()
    txn = kit.transaction(agent, AMINA)
    payload = kit.payload(agent, txn, AMINA, kit.device_answer(txn["transaction_id"], JEAN))
    assert kit.relay(agent.officer, kit.seal(agent, payload)).error_code == "identity_not_matched"
    assert _objects() == []


def test_without_the_setting_nothing_is_kept(kit: CaptureKit, audit_bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_CAPTURE_AUDIT_BUCKET", "")
    assert kit.verified(kit.enrol(), AMINA).status == 201
    assert _objects() == []
