"""The consents page names the ID provider as people know it, not by its configuration id."""

from __future__ import annotations

import json

import pytest

from tests.registrants.test_consents import logged_in_through_provider
from tests.support.api import Api

NAME = {"en": "National ID", "fr": "Identité nationale", "ar": "الهوية الوطنية"}


def test_a_login_consent_carries_the_providers_display_name(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = {
        "id": "esignet",
        "name": NAME,
        "discovery_url": "https://idp.test/.well-known/openid-configuration",
        "client_id": "portal",
        "signing_key": "file:/none",
    }
    monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([entry]))
    person = logged_in_through_provider()
    (consent,) = api.get("/api/me/consents", as_=person).json["items"]
    assert consent["provider"] == "esignet"
    assert consent["provider_name"] == NAME


def test_a_provider_no_longer_configured_is_named_by_nothing_rather_than_failing(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_OIDC_PROVIDERS", "[]")
    person = logged_in_through_provider()
    answer = api.get("/api/me/consents", as_=person)
    assert answer.status == 200
    assert answer.json["items"][0]["provider_name"] is None
