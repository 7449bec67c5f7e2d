"""Fixtures of the login tests: a dev identity provider on loopback and the portal pointed at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from joserfc.jwk import RSAKey

from chalicelib.auth import oidc, providers
from infra.local.idp import RunningIdp, serve
from infra.local.idp.directory import load_directory
from infra.local.idp.server import ClientRegistration, IdpSettings
from tests.auth.browser import Browser
from tests.support.api import Api

PUBLIC_URL = "http://localhost:8000"
CLIENT_ID = "ssp-portal-test"


@pytest.fixture(scope="session")
def portal_client_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "portal-test-1", "use": "sig"})


@pytest.fixture(scope="session")
def idp_signing_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "idp-test-1", "use": "sig"})


def idp_settings(issuer: str, signing_key: RSAKey, client_key: RSAKey, **client_options: Any) -> IdpSettings:
    people, staff = load_directory()
    return IdpSettings(
        issuer=issuer,
        signing_keys=[signing_key],
        pairwise_salt="test-salt",
        people=people,
        staff=staff,
        clients=[ClientRegistration(CLIENT_ID, [PUBLIC_URL + "/api/auth/callback"], public_jwk=client_key.as_dict(private=False), **client_options)],
    )


@pytest.fixture
def dev_idp(idp_signing_key: RSAKey, portal_client_key: RSAKey) -> Iterator[RunningIdp]:
    running = serve(lambda issuer: idp_settings(issuer, idp_signing_key, portal_client_key))
    yield running
    running.stop()


def provider_entry(idp: RunningIdp, key_file: Path, **overrides: Any) -> dict[str, Any]:
    return {
        "id": "esignet",
        "name": {"en": "National ID (eSignet)"},
        "discovery_url": idp.discovery_url,
        "client_id": CLIENT_ID,
        "signing_key": f"file:{key_file}",
        **overrides,
    }


@pytest.fixture
def portal_key_file(tmp_path: Path, portal_client_key: RSAKey) -> Path:
    path = tmp_path / "portal-client-key.json"
    path.write_text(json.dumps(portal_client_key.as_dict(private=True)))
    return path


@pytest.fixture
def login_setup(dev_idp: RunningIdp, portal_key_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningIdp]:
    """The portal configured with the dev IdP as its eSignet provider."""
    monkeypatch.setenv("SSP_PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([provider_entry(dev_idp, portal_key_file)]))
    yield dev_idp
    forget_provider_state()


def forget_provider_state() -> None:
    providers.forget_cached_secrets()
    oidc.forget_discovery()


@pytest.fixture
def browser(api: Api, login_setup: RunningIdp) -> Browser:
    return Browser(api)
