"""Fixtures of the devices tests: the simulator's keys (made once), the portal configured to
trust them, and a kit that builds what an edge agent sends."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.local.sbi.pki import SimulatorPki, load_or_create
from tests.support.api import Api
from tests.support.devices import CaptureKit


@pytest.fixture(scope="session")
def device_pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    return load_or_create(Path(tmp_path_factory.mktemp("sbi")))


@pytest.fixture
def devices_configured(device_pki: SimulatorPki, monkeypatch: pytest.MonkeyPatch) -> SimulatorPki:
    monkeypatch.setenv("SSP_DEVICE_TRUST_STORE", f"@{device_pki.trust_store_path}")
    monkeypatch.setenv("SSP_MATCH_VERIFIER", "simulator")
    monkeypatch.setenv("SSP_SIMULATOR_VERIFIER_KEY", f"@{device_pki.verifier_key_path}")
    monkeypatch.setenv("SSP_CAPTURE_ENV", "Developer")
    return device_pki


@pytest.fixture
def kit(api: Api, devices_configured: SimulatorPki) -> CaptureKit:
    return CaptureKit(api, devices_configured)
