"""`make dev` keeps the person's own login providers and staff settings beside the dev IdP's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.local.person_settings import BadProviders, merge

DEV = {"id": "esignet", "discovery_url": "http://127.0.0.1:8900/.well-known/openid-configuration", "client_id": "ssp-portal-local"}
OTHER = {"id": "keycloak", "discovery_url": "https://id.example.org/realms/x/.well-known/openid-configuration", "client_id": "portal"}


def _dev_env() -> dict[str, str]:
    return {"SSP_OIDC_PROVIDERS": json.dumps([DEV]), "SSP_STAFF_ISSUER": "http://127.0.0.1:8900", "SSP_MATCH_VERIFIER": "simulator"}


def test_given_providers_are_added_beside_the_dev_esignet_and_each_is_said_with_its_issuer() -> None:
    env = _dev_env()
    said = merge(env, {"SSP_OIDC_PROVIDERS": json.dumps([OTHER])})
    assert [p["id"] for p in json.loads(env["SSP_OIDC_PROVIDERS"])] == ["esignet", "keycloak"]
    assert "login provider esignet: http://127.0.0.1:8900 (dev IdP)" in said
    assert "login provider keycloak: https://id.example.org/realms/x (yours)" in said


def test_a_given_esignet_replaces_the_dev_one_and_a_file_works_too(tmp_path: Path) -> None:
    mine = {**DEV, "discovery_url": "https://esignet.example.gov/v1/esignet/.well-known/openid-configuration", "client_id": "mine"}
    (tmp_path / "providers.json").write_text(json.dumps([mine]))
    env = _dev_env()
    said = merge(env, {"SSP_OIDC_PROVIDERS": f"@{tmp_path / 'providers.json'}"})
    assert json.loads(env["SSP_OIDC_PROVIDERS"]) == [mine]
    assert said[0] == "login provider esignet: https://esignet.example.gov/v1/esignet (yours)"


def test_without_given_providers_only_the_dev_one_is_used() -> None:
    env = _dev_env()
    merge(env, {})
    assert json.loads(env["SSP_OIDC_PROVIDERS"]) == [DEV]


def test_the_persons_staff_and_verifier_settings_win_and_are_said() -> None:
    env = _dev_env()
    said = merge(env, {"SSP_STAFF_ISSUER": "https://staff.example.org", "SSP_MATCH_VERIFIER": "", "SSP_STAFF_ROLES_CLAIM": "groups", "HOME": "/x"})
    assert env["SSP_STAFF_ISSUER"] == "https://staff.example.org" and env["SSP_STAFF_ROLES_CLAIM"] == "groups"
    assert env["SSP_MATCH_VERIFIER"] == ""
    assert "SSP_STAFF_ISSUER=https://staff.example.org from your environment instead of the dev default 'http://127.0.0.1:8900'" in said
    assert not any("HOME" in line for line in said)


@pytest.mark.parametrize("raw", ["not json", '{"id": "x"}', '[{"no_id": 1}]', "@/no/such/file.json"])
def test_providers_that_cannot_be_used_are_explained(raw: str) -> None:
    with pytest.raises(BadProviders, match="SSP_OIDC_PROVIDERS"):
        merge(_dev_env(), {"SSP_OIDC_PROVIDERS": raw})
