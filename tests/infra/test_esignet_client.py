"""`python -m infra.esignet_client`: the registration an operator sends to eSignet, or to any other
OpenID provider as standard client metadata, for a deployed portal or a local stack."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.auth import login, providers
from infra import esignet_client


@pytest.fixture(autouse=True)
def fresh_secrets(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SSP_PUBLIC_URL", "http://localhost:8000")  # the tool sets it: restored after each test
    providers.forget_cached_secrets()
    yield
    providers.forget_cached_secrets()


def printed(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert esignet_client.main(list(args)) == 0
    return dict(json.loads(capsys.readouterr().out))


@pytest.mark.parametrize("public_url", ["http://localhost:8000", "http://127.0.0.1:18000/", "http://localhost", "http://[::1]:8000"])
def test_a_local_stack_on_loopback_prints_its_registration(tmp_path: Path, capsys: pytest.CaptureFixture[str], public_url: str) -> None:
    body = printed(capsys, "--public-url", public_url, "--new-key", str(tmp_path / "key.jwk"))
    assert body["redirectUris"] == [public_url.rstrip("/") + "/api/auth/callback"]


@pytest.mark.parametrize(
    "public_url",
    ["http://portal.gov.test", "http://localhost.evil.example", "http://user@localhost:8000", "https://portal.gov.test/api", "https://", "http://localhost:x"],
)
def test_anything_but_an_https_origin_or_loopback_is_refused(tmp_path: Path, public_url: str) -> None:
    with pytest.raises(SystemExit):
        esignet_client.main(["--public-url", public_url, "--new-key", str(tmp_path / "key.jwk")])
    assert not (tmp_path / "key.jwk").exists()


def test_standard_client_metadata_registers_what_the_portal_sends(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key_file = tmp_path / "key.jwk"
    esignet = printed(capsys, "--public-url", "https://portal.gov.test", "--new-key", str(key_file), "--client-id", "ministry-ssp")
    metadata = printed(capsys, "--public-url", "https://portal.gov.test", "--key", str(key_file), "--client-id", "ministry-ssp", "--format", "oidc")

    assert metadata["client_id"] == "ministry-ssp"
    assert metadata["redirect_uris"] == ["https://portal.gov.test/api/auth/callback"]
    # The logout URL the portal hands the browser carries this redirect: it must be registered.
    assert metadata["post_logout_redirect_uris"] == [login.post_logout_redirect_uri()] == ["https://portal.gov.test/"]
    assert metadata["token_endpoint_auth_method"] == "private_key_jwt"
    assert metadata["token_endpoint_auth_signing_alg"] == "RS256"
    assert (metadata["response_types"], metadata["grant_types"]) == (["code"], ["authorization_code"])
    [public_jwk] = metadata["jwks"]["keys"]
    assert public_jwk == esignet["publicKey"]
    assert public_jwk["kid"] == providers.load_private_key(f"file:{key_file}").kid  # the kid of the portal's assertions
    assert not set(public_jwk) & set(esignet_client.PRIVATE_MEMBERS)
    assert metadata["userinfo_signed_response_alg"] == "RS256"  # the default (esignet) profile refuses unsigned userinfo
    assert set(metadata["default_acr_values"]) == set(esignet["authContextRefs"])
