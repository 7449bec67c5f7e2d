"""The login configuration the stack gives the Lambda works, with the key the operator registered."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from chalicelib import config
from chalicelib.auth import providers
from infra import esignet_client
from tests.infra.cfn import DEPLOY, Deployment
from tests.infra.conftest import Packaged

pytestmark = pytest.mark.xdist_group("infra-package")

PUBLIC_URL = "https://portal.gov.test"
DISCOVERY = "https://esignet.gov.test/.well-known/openid-configuration"


@pytest.fixture
def fresh_secrets() -> Iterator[None]:
    providers.forget_cached_secrets()
    yield
    providers.forget_cached_secrets()


def deployed_providers(packaged: Packaged, secret_name: str) -> str:
    parameters = {"EsignetDiscoveryUrl": DISCOVERY, "EsignetClientId": "ssp-portal", "EsignetSigningKeySecret": secret_name}
    deployment = Deployment(packaged.template, **{**DEPLOY, **parameters})
    return str(deployment.properties("APIHandler")["Environment"]["Variables"]["SSP_OIDC_PROVIDERS"])


def test_the_stack_reads_the_registered_key_from_secrets_manager(
    packaged_stages: dict[str, Packaged], tmp_path: Path, fresh_secrets: None, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "esignet-signing-key.jwk"
    assert esignet_client.main(["--public-url", PUBLIC_URL, "--new-key", str(key_file)]) == 0
    registration = json.loads(capsys.readouterr().out)
    assert key_file.stat().st_mode & 0o077 == 0, "the private key file is readable only by its owner"

    # The tests run with the dev stage's names; the policy check renames them for every stage.
    packaged = packaged_stages["dev"]
    secret_name = f"{packaged.names.prefix}/esignet-signing-key"
    assert re.fullmatch(packaged.template["Parameters"]["EsignetSigningKeySecret"]["AllowedPattern"], secret_name)
    (provider,) = providers.parse_providers(deployed_providers(packaged, secret_name))
    assert (provider.id, provider.discovery_url, provider.client_id) == ("esignet", DISCOVERY, "ssp-portal")
    assert provider.client_auth == "private_key_jwt"
    with mock_aws():
        boto3.client("secretsmanager", region_name=config.region()).create_secret(Name=secret_name, SecretString=key_file.read_text())
        key = providers.load_private_key(provider.signing_key)
    assert key.kid == registration["publicKey"]["kid"], "eSignet checks the assertion's kid against the registered key"
    assert key.as_dict(private=False)["n"] == registration["publicKey"]["n"]


def test_the_registration_holds_no_private_key_and_what_esignet_needs(tmp_path: Path, capsys: pytest.CaptureFixture[str], fresh_secrets: None) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (tmp_path / "key.pem").write_bytes(pem)
    assert esignet_client.main(["--public-url", PUBLIC_URL + "/", "--key", str(tmp_path / "key.pem"), "--client-id", "ministry-ssp"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert not set(body["publicKey"]) & set(esignet_client.PRIVATE_MEMBERS)
    assert body["publicKey"]["kty"] == "EC" and body["publicKey"]["kid"]
    assert body["clientId"] == "ministry-ssp"
    assert body["redirectUris"] == [PUBLIC_URL + "/api/auth/callback"]
    esignet = providers.PROFILES["esignet"]
    assert set(body["userClaims"]) == set(esignet["claims"]["userinfo"])
    assert set(body["authContextRefs"]) == {acr for method in esignet["methods"] for acr in method["acr_values"]}
    assert body["clientAuthMethods"] == ["private_key_jwt"] and body["grantTypes"] == ["authorization_code"]
    assert body["additionalConfig"]["require_pkce"] is True
    assert esignet_client.main(["--public-url", PUBLIC_URL, "--key", str(tmp_path / "key.pem"), "--wrapped"]) == 0
    wrapped = json.loads(capsys.readouterr().out)
    assert wrapped["request"]["publicKey"] == body["publicKey"] and wrapped["requestTime"].endswith("Z")


def test_the_registration_refuses_a_plain_http_portal_and_an_existing_key_file(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        esignet_client.main(["--public-url", "http://portal.gov.test", "--new-key", str(tmp_path / "k.jwk")])
    (tmp_path / "k.jwk").write_text("{}")
    with pytest.raises(SystemExit):
        esignet_client.main(["--public-url", PUBLIC_URL, "--new-key", str(tmp_path / "k.jwk")])
    assert (tmp_path / "k.jwk").read_text() == "{}"
