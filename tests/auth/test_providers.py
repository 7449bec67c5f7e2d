"""Identity providers come from configuration alone: profiles, keys and secrets, claim mapping."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from chalicelib import config
from chalicelib.auth import oidc, providers
from chalicelib.auth.login import checked_return_to, consented_claims, profile_claims
from chalicelib.auth.login_errors import LoginRefused, UnknownProvider
from chalicelib.auth.providers import ProviderConfigError, load_private_key, parse_providers, read_secret
from tests.auth.browser import Browser
from tests.auth.scripted_provider import CLIENT_ID, ScriptedProvider, scripted_provider
from tests.support.api import Api
from tests.support.calls import record_aws_calls

ESIGNET = {"id": "esignet", "discovery_url": "https://esignet.example/.well-known/openid-configuration", "client_id": "portal", "signing_key": "env:TEST_KEY"}


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    providers.forget_cached_secrets()
    yield
    providers.forget_cached_secrets()


def test_esignet_is_the_default_profile() -> None:
    [esignet] = parse_providers(json.dumps([ESIGNET]))
    assert esignet.profile == "esignet"
    assert esignet.client_auth == "private_key_jwt"
    assert esignet.userinfo == "jwt"
    assert [(m.id, m.acr_values) for m in esignet.methods] == [
        ("otp", ("mosip:idp:acr:generated-code",)),
        ("biometrics", ("mosip:idp:acr:biometrics",)),
        ("wallet", ("mosip:idp:acr:linked-wallet",)),
    ]
    assert esignet.claims is not None and esignet.claims["userinfo"]["name"] == {"essential": True}
    assert esignet.individual_id_claim == "individual_id"
    assert esignet.profile_claims["phone_number"] == "phone"
    assert "given_name" not in esignet.profile_claims  # eSignet does not release it by default


def test_the_default_esignet_request_asks_only_for_claims_the_portal_keeps() -> None:
    # Data minimisation: a person is never asked to share something the portal would drop. This
    # is why ``picture`` is not asked for while the profile has no photo field (docs/login.md):
    # asking for it means mapping it too.
    [esignet] = parse_providers(json.dumps([ESIGNET]))
    assert esignet.claims is not None
    kept = set(esignet.profile_claims) | {esignet.individual_id_claim}
    assert set(esignet.claims["userinfo"]) <= kept


def test_a_plain_oidc_provider_works_with_a_client_secret() -> None:
    entry = {
        "id": "keycloak",
        "profile": "oidc",
        "discovery_url": "https://kc.example/realms/x/.well-known/openid-configuration",
        "client_id": "portal",
        "client_secret": "env:KC",
    }
    [keycloak] = parse_providers(json.dumps([entry]))
    assert keycloak.client_auth == "client_secret_basic"
    assert keycloak.userinfo == "json"
    assert keycloak.claims is None
    assert keycloak.profile_claims["locale"] == "preferred_language"


def test_every_field_can_be_overridden() -> None:
    entry = {
        **ESIGNET,
        "methods": [{"id": "pin", "acr_values": ["mosip:idp:acr:static-code"]}],
        "scopes": ["openid"],
        "ui_locales": ["fr", "en"],
        "claims_locales": ["fr"],
        "profile_claims": {"name": "full_name"},
        "id_token_algs": ["PS256"],
        "prompt": "login",
        "max_age": 300,
    }
    [esignet] = parse_providers(json.dumps([entry]))
    assert esignet.method("pin") is not None and esignet.method("otp") is None
    assert esignet.scopes == ("openid",) and esignet.ui_locales == ("fr", "en") and esignet.id_token_algs == ("PS256",)


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("not json", "not valid JSON"),
        ('{"id": "x"}', "must be a JSON list"),
        (json.dumps([{**ESIGNET, "clientid": "typo"}]), "unknown fields"),
        (json.dumps([{**ESIGNET, "client_id": ""}]), "client_id is required"),
        (json.dumps([{**ESIGNET, "signing_key": None}]), "signing_key is required"),
        (json.dumps([{**ESIGNET, "profile": "saml"}]), "profile must be one of"),
        (json.dumps([{**ESIGNET, "id": "Bad Id"}]), "id must match"),
        (json.dumps([ESIGNET, ESIGNET]), "unique"),
        (json.dumps([{**ESIGNET, "userinfo": "xml"}]), "userinfo must be one of"),
        (json.dumps([{"id": "kc", "profile": "oidc", "discovery_url": "https://kc", "client_id": "p"}]), "client_secret is required"),
    ],
)
def test_a_configuration_mistake_is_reported_clearly(raw: str, problem: str) -> None:
    with pytest.raises(ProviderConfigError, match=problem):
        parse_providers(raw)


def test_providers_can_be_read_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "providers.json"
    path.write_text(json.dumps([ESIGNET]))
    monkeypatch.setenv("SSP_OIDC_PROVIDERS", f"@{path}")
    assert providers.provider("esignet").client_id == "portal"
    with pytest.raises(UnknownProvider):
        providers.provider("other")


# --- secrets and keys --------------------------------------------------------------------------


def test_a_secret_is_read_once_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_SECRET", "first")
    assert read_secret("env:TEST_SECRET") == "first"
    monkeypatch.setenv("TEST_SECRET", "second")
    assert read_secret("env:TEST_SECRET") == "first"


def test_a_missing_environment_secret_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    with pytest.raises(ProviderConfigError, match="NOT_SET_ANYWHERE"):
        read_secret("env:NOT_SET_ANYWHERE")


def test_secrets_come_from_secrets_manager_and_ssm_in_production(aws: None) -> None:
    boto3.client("secretsmanager", region_name=config.region()).create_secret(Name="portal/esignet-key", SecretString="from-secrets-manager")
    boto3.client("ssm", region_name=config.region()).put_parameter(Name="/portal/kc-secret", Value="from-ssm", Type="SecureString")
    assert read_secret("secretsmanager:portal/esignet-key") == "from-secrets-manager"
    assert read_secret("ssm:/portal/kc-secret") == "from-ssm"


def test_a_secrets_manager_secret_is_read_once_and_kept_when_it_changes(aws: None) -> None:
    secrets_manager = boto3.client("secretsmanager", region_name=config.region())
    secrets_manager.create_secret(Name="portal/kc-secret", SecretString="first")
    with record_aws_calls() as log:
        assert read_secret("secretsmanager:portal/kc-secret") == "first"
        secrets_manager.put_secret_value(SecretId="portal/kc-secret", SecretString="rotated")
        assert read_secret("secretsmanager:portal/kc-secret") == "first"
        assert read_secret("secretsmanager:portal/kc-secret") == "first"
    assert log.calls.count(("secretsmanager", "GetSecretValue")) == 1
    providers.forget_cached_secrets()  # what a new process (a cold Lambda) does
    assert read_secret("secretsmanager:portal/kc-secret") == "rotated"


def test_an_ssm_parameter_is_read_once_and_kept_when_it_changes(aws: None) -> None:
    ssm = boto3.client("ssm", region_name=config.region())
    ssm.put_parameter(Name="/portal/kc-secret", Value="first", Type="SecureString")
    with record_aws_calls() as log:
        assert read_secret("ssm:/portal/kc-secret") == "first"
        ssm.put_parameter(Name="/portal/kc-secret", Value="rotated", Type="SecureString", Overwrite=True)
        assert read_secret("ssm:/portal/kc-secret") == "first"
        assert read_secret("ssm:/portal/kc-secret") == "first"
    assert log.calls.count(("ssm", "GetParameter")) == 1
    providers.forget_cached_secrets()
    assert read_secret("ssm:/portal/kc-secret") == "rotated"


def _log_in(provider: ScriptedProvider, api: Api, provider_id: str) -> None:
    browser = Browser(api)
    query = parse_qs(urlsplit(browser.start_login(provider_id)).query)
    provider.answer_tokens(provider.id_token(query["nonce"][0]))
    answer = browser.callback(f"/api/auth/callback?{urlencode({'code': 'code-1', 'state': query['state'][0], 'iss': provider.issuer})}")
    assert answer.status == 302, answer.body
    assert browser.portal("/api/session").json["authenticated"] is True


@pytest.fixture
def scripted(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedProvider]:
    with scripted_provider() as provider:
        monkeypatch.setenv("SSP_PUBLIC_URL", "http://localhost:8000")
        yield provider
    oidc.forget_discovery()


def test_a_signing_key_in_secrets_manager_is_read_once_for_many_logins(scripted: ScriptedProvider, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    first, rotated = RSAKey.generate_key(2048, parameters={"kid": "first"}), RSAKey.generate_key(2048, parameters={"kid": "rotated"})
    secrets_manager = boto3.client("secretsmanager", region_name=config.region())
    secrets_manager.create_secret(Name="portal/esignet-key", SecretString=json.dumps(first.as_dict(private=True)))
    entry = {"id": "scripted", "discovery_url": scripted.discovery_url, "client_id": CLIENT_ID, "signing_key": "secretsmanager:portal/esignet-key"}
    monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([entry]))
    scripted.answer_userinfo_jwt()

    with record_aws_calls() as log:
        _log_in(scripted, api, "scripted")
        secrets_manager.put_secret_value(SecretId="portal/esignet-key", SecretString=json.dumps(rotated.as_dict(private=True)))
        _log_in(scripted, api, "scripted")
    assert log.calls.count(("secretsmanager", "GetSecretValue")) == 1
    for sent in scripted.token_requests:  # both signed with the key read first
        assert jwt.decode(sent["client_assertion"], first, algorithms=["RS256"]).header["kid"] == "first"


def test_a_client_secret_in_ssm_is_read_once_and_sent_in_the_form_with_client_secret_post(
    scripted: ScriptedProvider, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    ssm = boto3.client("ssm", region_name=config.region())
    ssm.put_parameter(Name="/portal/plain-secret", Value="s3cret value", Type="SecureString")
    entry = {
        "id": "plain",
        "profile": "oidc",
        "discovery_url": scripted.discovery_url,
        "client_id": CLIENT_ID,
        "client_auth": "client_secret_post",
        "client_secret": "ssm:/portal/plain-secret",
    }
    monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([entry]))
    scripted.answer_userinfo_json({"sub": "person-1", "name": "Jean-Baptiste Mbemba", "email": "jb.mbemba@example.org"})

    with record_aws_calls() as log:
        _log_in(scripted, api, "plain")
        ssm.put_parameter(Name="/portal/plain-secret", Value="rotated", Type="SecureString", Overwrite=True)
        _log_in(scripted, api, "plain")
    assert log.calls.count(("ssm", "GetParameter")) == 1
    for sent in scripted.token_requests:
        assert sent["client_id"] == CLIENT_ID and sent["client_secret"] == "s3cret value"
        assert sent["_authorization"] == ""  # in the form, not in a Basic header
        assert "client_assertion" not in sent


def test_client_secret_basic_form_encodes_the_id_and_secret_into_the_header(scripted: ScriptedProvider, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAIN_SECRET", "a:b/c d")
    entry = {"id": "plain", "profile": "oidc", "discovery_url": scripted.discovery_url, "client_id": CLIENT_ID, "client_secret": "env:PLAIN_SECRET"}
    monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([entry]))
    scripted.answer_userinfo_json({"sub": "person-1", "name": "Jean-Baptiste Mbemba"})
    _log_in(scripted, api, "plain")
    [sent] = scripted.token_requests
    assert "client_secret" not in sent
    scheme, _, encoded = sent["_authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == f"{CLIENT_ID}:a%3Ab%2Fc%20d"  # RFC 6749 section 2.3.1


def test_a_pem_key_gets_its_thumbprint_as_kid(tmp_path: Path) -> None:
    key = RSAKey.generate_key(2048)
    path = tmp_path / "key.pem"
    path.write_bytes(key.as_pem(private=True))
    loaded = load_private_key(f"file:{path}")
    assert loaded.kid == key.thumbprint()
    assert load_private_key(f"file:{path}", kid="registered-kid").kid == "registered-kid"


def test_an_ec_jwk_inline_is_a_usable_key() -> None:
    key = ECKey.generate_key("P-256", parameters={"kid": "ec-1"})
    loaded = load_private_key(key.as_dict(private=True))
    assert loaded.kid == "ec-1" and loaded.key_type == "EC"
    [entry] = parse_providers(json.dumps([{**ESIGNET, "signing_key": key.as_dict(private=True)}]))
    assert providers.signing_alg(entry, loaded) == "ES256"


def test_a_public_key_is_refused_as_a_signing_key() -> None:
    key = RSAKey.generate_key(2048)
    with pytest.raises(ProviderConfigError, match="no private part"):
        load_private_key(key.as_dict(private=False))


# --- claims and return paths ---------------------------------------------------------------------


def test_claims_map_to_profile_fields_and_localised_claims_are_understood() -> None:
    [esignet] = parse_providers(json.dumps([{**ESIGNET, "claims_locales": ["fr", "en"]}]))
    claims: dict[str, Any] = {"sub": "s", "name#en": "Jean-Baptiste", "name#fr": "Jean-Baptiste M.", "phone_number": "+242061234567", "picture": "data:..."}
    assert profile_claims(esignet, claims) == {"name": "Jean-Baptiste M.", "phone": "+242061234567"}


def test_names_are_never_split() -> None:
    [esignet] = parse_providers(json.dumps([ESIGNET]))
    assert profile_claims(esignet, {"name": "Amina Okafor"}) == {"name": "Amina Okafor"}


def test_the_consent_record_lists_claims_without_protocol_claims() -> None:
    claims = {"sub": "s", "iss": "i", "aud": "a", "name#en": "x", "birthdate": "y", "individual_id": "z"}
    assert consented_claims(claims) == ["birthdate", "individual_id", "name"]


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, "/"),
        ("", "/"),
        ("/", "/"),
        ("/programs", "/programs"),
        ("/programs/abc?tab=apply#form", "/programs/abc?tab=apply#form"),
        ("/me/documents", "/me/documents"),
        ("/programsfake", "/"),
        ("/api/auth/logout", "/"),
    ],
)
def test_a_relative_return_path_on_the_allow_list_is_kept_and_others_go_home(value: str | None, expected: str) -> None:
    assert checked_return_to(value) == expected


@pytest.mark.parametrize("value", ["//evil.example", "https://evil.example", "/\\evil", "/%0a/x\n", "/\x7f", "mailto:x@y", "/" + "a" * 600])
def test_a_return_path_that_could_leave_the_portal_is_refused(value: str) -> None:
    with pytest.raises(LoginRefused):
        checked_return_to(value)


# --- the staff console's sign-in settings ------------------------------------------------------


def test_the_staff_console_learns_where_staff_sign_in(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_STAFF_ISSUER", "http://127.0.0.1:8900")
    monkeypatch.setenv("SSP_STAFF_CLIENT_ID", "ssp-staff-console")
    answer = api.get("/api/auth/staff")
    assert answer.json == {
        "configured": True,
        "issuer": "http://127.0.0.1:8900",
        "discovery_url": "http://127.0.0.1:8900/.well-known/openid-configuration",
        "client_id": "ssp-staff-console",
        "audience": "ssp-staff",
        "scope": "openid",
    }


def test_without_a_staff_console_client_staff_sign_in_is_hidden(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSP_STAFF_CLIENT_ID", raising=False)
    assert api.get("/api/auth/staff").json == {"configured": False}


def test_without_providers_the_list_is_empty_and_login_is_not_found(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSP_OIDC_PROVIDERS", raising=False)
    assert api.get("/api/auth/providers").json == {"providers": []}
    assert api.get("/api/auth/login/esignet").status == 404
