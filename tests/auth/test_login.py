"""A registrant logs in with their national ID through the dev identity provider (eSignet's contract)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc.jwk import RSAKey

from chalicelib.auth import jwks
from infra.local.idp import RunningIdp, serve
from tests.auth.browser import Browser
from tests.auth.conftest import idp_settings, provider_entry
from tests.support.api import Api
from tests.support.factories import SAMPLE_PEOPLE

AMINA = SAMPLE_PEOPLE[0]


def test_a_person_logs_in_with_their_national_id_and_lands_where_they_started(browser: Browser, api: Api) -> None:
    answer = browser.log_in(AMINA["individual_id"], return_to="/programs/child-support?tab=apply")

    assert answer.status == 302
    assert answer.headers["location"] == "/programs/child-support?tab=apply"
    session_cookie = next(c for c in answer.headers["set-cookie"] if c.startswith("__Host-ssp_session="))
    for flag in ("Path=/", "HttpOnly", "Secure", "SameSite=Lax"):
        assert flag in session_cookie
    assert "__Host-ssp_login" not in browser.cookies  # the login cookie is cleared

    session = browser.portal("/api/session")
    assert session.json["authenticated"] is True
    assert session.json["name"] == AMINA["name"]
    assert session.json["provider"] == "esignet"
    session.calls.assert_dynamodb_at_most(1)


def test_with_insecure_cookies_for_scripts_the_cookies_lose_secure_and_the_host_prefix_together(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    # Browsers and curl refuse a __Host- cookie without Secure; SSP_COOKIE_SECURE=false (a script
    # on a plain-HTTP local stack) therefore drops both, and the login still works.
    monkeypatch.setenv("SSP_COOKIE_SECURE", "false")
    answer = browser.log_in(AMINA["individual_id"])
    assert answer.status == 302
    for set_cookie in answer.headers["set-cookie"]:
        assert not set_cookie.startswith("__Host-") and "Secure" not in set_cookie
    assert set(browser.cookies) == {"ssp_session"}
    assert browser.portal("/api/session").json["name"] == AMINA["name"]


def test_the_browser_never_sees_the_providers_tokens(browser: Browser) -> None:
    answer = browser.log_in(AMINA["individual_id"])
    session = browser.portal("/api/session")
    assert "id_token" not in json.dumps(session.json) and "access_token" not in json.dumps(session.json)
    assert set(browser.cookies) == {"__Host-ssp_session"}
    assert answer.body == b""


def test_the_login_request_carries_pkce_state_nonce_claims_and_acr_values(browser: Browser) -> None:
    url = browser.start_login("esignet", method="biometrics", locale="fr")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}

    assert query["response_type"] == "code"
    assert query["client_id"] == "ssp-portal-test"
    assert query["redirect_uri"] == "http://localhost:8000/api/auth/callback"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 43 and len(query["nonce"]) >= 43
    assert query["acr_values"] == "mosip:idp:acr:biometrics"
    assert query["ui_locales"] == "fr"
    assert "openid" in query["scope"].split()
    claims = json.loads(query["claims"])
    assert claims["userinfo"]["name"] == {"essential": True}
    assert claims["userinfo"]["individual_id"] == {"essential": False}
    assert browser.cookies["__Host-ssp_login"]  # binds the login to this browser


def test_two_logins_never_share_state_nonce_or_verifier(browser: Browser) -> None:
    first = parse_qs(urlsplit(browser.start_login()).query)
    second = parse_qs(urlsplit(browser.start_login()).query)
    for name in ("state", "nonce", "code_challenge"):
        assert first[name] != second[name]


def test_the_providers_are_listed_with_their_login_methods(api: Api, login_setup: RunningIdp) -> None:
    answer = api.get("/api/auth/providers")
    assert answer.status == 200
    [esignet] = answer.json["providers"]
    assert esignet["id"] == "esignet"
    assert esignet["login_url"] == "/api/auth/login/esignet"
    assert [m["id"] for m in esignet["methods"]] == ["otp", "biometrics", "wallet"]
    assert esignet["methods"][0]["name"]["en"] == "One-time code"
    assert "client_id" not in json.dumps(answer.json) and "signing_key" not in json.dumps(answer.json)


def test_biometric_login_asks_the_provider_for_a_capture_and_succeeds(browser: Browser) -> None:
    authorize_url = browser.start_login(method="biometrics")
    page = browser.idp.get(authorize_url)
    assert "Capture fingerprint" in page.text
    consent = browser.authenticate(authorize_url, AMINA["individual_id"], secret="")
    assert browser.callback(browser.consent(authorize_url, consent)).status == 302
    assert browser.portal("/api/session").json["name"] == AMINA["name"]


def test_logging_in_again_finds_the_same_person_and_refreshes_their_verified_details(browser: Browser, login_setup: RunningIdp) -> None:
    browser.log_in(AMINA["individual_id"])
    first = browser.portal("/api/me").json
    assert first["fields"]["email"]["value"] == AMINA["email"]
    assert first["fields"]["birthdate"]["value"] == "1987-04-12"

    login_setup.provider.settings.people[AMINA["individual_id"]].claims["email"] = "amina.new@example.org"
    browser.cookies.clear()
    browser.log_in(AMINA["individual_id"])

    second = browser.portal("/api/me").json
    assert second["registrant_id"] == first["registrant_id"]
    assert second["fields"]["email"]["value"] == "amina.new@example.org"
    assert second["fields"]["email"]["verified"] is True


def test_the_national_id_is_kept_and_only_the_claims_the_person_shared_are_recorded(browser: Browser) -> None:
    authorize_url = browser.start_login()
    consent_page = browser.authenticate(authorize_url, AMINA["individual_id"])
    assert "Full name (required)" in consent_page.text
    shared = ["birthdate", "individual_id", "gender"]
    browser.callback(browser.consent(authorize_url, consent_page, share=shared))

    me = browser.portal("/api/me").json
    assert me["individual_id"] == AMINA["individual_id"]
    assert "email" not in me["fields"] or me["fields"]["email"]["value"] is None
    consents = browser.portal("/api/me/consents").json["items"]
    [login_consent] = [c for c in consents if c.get("kind") == "id_provider"]
    assert login_consent["provider"] == "esignet"
    assert login_consent["claims"] == sorted(["name", *shared])


def test_a_person_who_declines_to_share_sees_a_page_offering_to_try_again(browser: Browser) -> None:
    browser.accept = "text/html,application/xhtml+xml"
    authorize_url = browser.start_login(method="otp", return_to="/programs")
    consent_page = browser.authenticate(authorize_url, AMINA["individual_id"])
    answer = browser.callback(browser.consent(authorize_url, consent_page, decision="deny"))

    assert answer.status == 400
    assert answer.headers["content-type"].startswith("text/html")
    page = answer.body.decode()
    assert "You cancelled the login" in page
    assert 'href="/api/auth/login/esignet?method=otp&amp;return_to=%2Fprograms"' in page
    assert "login_cancelled" in page
    assert browser.portal("/api/session").json == {"authenticated": False}


def test_a_declined_login_answers_json_to_a_script(browser: Browser) -> None:
    authorize_url = browser.start_login()
    consent_page = browser.authenticate(authorize_url, AMINA["individual_id"])
    answer = browser.callback(browser.consent(authorize_url, consent_page, decision="deny"))
    assert answer.status == 400
    assert answer.error_code == "login_cancelled"
    assert answer.json["error"]["provider"] == "esignet"


def test_the_error_page_speaks_the_persons_language(browser: Browser) -> None:
    browser.accept = "text/html"
    answer = browser.portal("/api/auth/callback?state=unknown-state", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert answer.status == 400
    assert "Cette connexion a expiré" in answer.body.decode()


def test_a_wrong_code_at_the_provider_keeps_the_person_on_its_login_page(browser: Browser) -> None:
    authorize_url = browser.start_login()
    answer = browser.authenticate(authorize_url, AMINA["individual_id"], secret="000000")
    assert answer.status_code == 200
    assert "do not match" in answer.text


def test_a_person_logs_in_with_their_pin_when_the_provider_offers_it(
    browser: Browser, login_setup: RunningIdp, portal_key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    methods = [{"id": "pin", "name": {"en": "PIN"}, "acr_values": ["mosip:idp:acr:static-code"]}]
    monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([provider_entry(login_setup, portal_key_file, methods=methods)]))
    login_setup.provider.clients["ssp-portal-test"].registration.acr_values.append("mosip:idp:acr:static-code")
    authorize_url = browser.start_login(method="pin")
    assert "do not match" in browser.authenticate(authorize_url, AMINA["individual_id"], secret="000000").text
    consent = browser.authenticate(authorize_url, AMINA["individual_id"], secret=AMINA["pin"])
    assert "Share your details" in consent.text
    assert browser.callback(browser.consent(authorize_url, consent)).status == 302


def test_each_device_has_its_own_session_and_logging_out_one_leaves_the_others(api: Api, login_setup: RunningIdp) -> None:
    phone, laptop = Browser(api), Browser(api)
    phone.log_in(AMINA["individual_id"])
    laptop.log_in(AMINA["individual_id"])
    assert phone.cookies["__Host-ssp_session"] != laptop.cookies["__Host-ssp_session"]
    csrf = phone.portal("/api/session").json["csrf_token"]

    answer = api.post("/api/auth/logout", {}, headers={"Cookie": f"__Host-ssp_session={phone.cookies['__Host-ssp_session']}", "X-CSRF-Token": csrf})

    assert answer.status == 200 and answer.json["everywhere"] is False
    assert phone.portal("/api/session").json == {"authenticated": False}
    assert laptop.portal("/api/session").json["authenticated"] is True


def test_logging_out_everywhere_ends_every_session_of_the_person_only(api: Api, login_setup: RunningIdp) -> None:
    phone, laptop, other_person = Browser(api), Browser(api), Browser(api)
    phone.log_in(AMINA["individual_id"])
    laptop.log_in(AMINA["individual_id"])
    other_person.log_in(SAMPLE_PEOPLE[1]["individual_id"])
    csrf = phone.portal("/api/session").json["csrf_token"]

    answer = api.post(
        "/api/auth/logout", {"everywhere": True}, headers={"Cookie": f"__Host-ssp_session={phone.cookies['__Host-ssp_session']}", "X-CSRF-Token": csrf}
    )

    assert answer.status == 200 and answer.json["everywhere"] is True
    assert "Max-Age=0" in answer.headers["set-cookie"]
    assert phone.portal("/api/session").json == {"authenticated": False}
    assert laptop.portal("/api/session").json == {"authenticated": False}
    assert other_person.portal("/api/session").json["authenticated"] is True


@pytest.mark.parametrize("return_to", ["/api/admin/documents", "/unknown-page", "/programsx"])
def test_a_return_path_off_the_allow_list_lands_on_the_home_page(browser: Browser, return_to: str) -> None:
    assert browser.log_in(AMINA["individual_id"], return_to=return_to).headers["location"] == "/"


@pytest.mark.parametrize(
    "return_to, location",
    [
        ("/programs?q=منحة", "/programs?q=%D9%85%D9%86%D8%AD%D8%A9"),  # an Arabic search
        ("/programs/café", "/programs/caf%C3%A9"),  # Latin-1 would otherwise go out as a raw byte
        ("/programs/／／x", "/programs/%EF%BC%8F%EF%BC%8Fx"),  # full-width solidus: a path, never a host
        ("/programs/caf%C3%A9?q=a%20b", "/programs/caf%C3%A9?q=a%20b"),  # already encoded: unchanged
        ('/programs/"<x>', "/programs/%22%3Cx%3E"),
    ],
)
def test_a_return_path_with_any_characters_lands_percent_encoded_on_the_portal(browser: Browser, return_to: str, location: str) -> None:
    answer = browser.log_in(AMINA["individual_id"], return_to=return_to)
    assert answer.status == 302
    assert answer.headers["location"] == location
    assert answer.headers["location"].isascii()
    assert browser.portal("/api/session").json["authenticated"] is True


@pytest.mark.parametrize("foreign", ["theme=dark mode", 'prefs="{"a":1}"', "a=b=c", "=x", "broken", "lang=ar; ;;"])
def test_a_malformed_cookie_of_another_app_neither_breaks_login_nor_logs_the_person_out(browser: Browser, foreign: str) -> None:
    name, _, value = foreign.partition("=")
    browser.cookies[name] = value  # sent first, before the portal's own cookies
    answer = browser.log_in(AMINA["individual_id"], return_to="/programs")
    assert answer.status == 302, answer.body
    session = browser.portal("/api/session").json
    assert session["authenticated"] is True and session["name"] == AMINA["name"]


def test_a_rotated_provider_key_is_fetched_once_and_accepted(browser: Browser, login_setup: RunningIdp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jwks, "REFETCH_MIN_INTERVAL_SECONDS", 0.0)
    browser.log_in(AMINA["individual_id"])
    login_setup.provider.rotate_signing_key(keep_old=False)
    browser.cookies.clear()
    assert browser.log_in(AMINA["individual_id"]).status == 302
    assert browser.portal("/api/session").json["authenticated"] is True


def test_userinfo_encrypted_for_the_portal_is_decrypted_then_verified(
    api: Api, idp_signing_key: RSAKey, portal_client_key: RSAKey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encryption_key = RSAKey.generate_key(2048, parameters={"kid": "portal-enc-1", "use": "enc"})
    running = serve(
        lambda issuer: idp_settings(
            issuer, idp_signing_key, portal_client_key, userinfo_response_type="JWE", encryption_jwk=encryption_key.as_dict(private=False)
        )
    )
    try:
        key_file = tmp_path / "signing.json"
        key_file.write_text(json.dumps(portal_client_key.as_dict(private=True)))
        entry = provider_entry(running, key_file, encryption_key=encryption_key.as_dict(private=True))
        monkeypatch.setenv("SSP_PUBLIC_URL", "http://localhost:8000")
        monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([entry]))
        browser = Browser(api)
        assert browser.log_in(AMINA["individual_id"]).status == 302
        assert browser.portal("/api/session").json["name"] == AMINA["name"]
    finally:
        running.stop()


def test_an_issuer_under_a_path_works_as_with_esignet_up_to_1_7(
    api: Api, idp_signing_key: RSAKey, portal_client_key: RSAKey, portal_key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = serve(lambda issuer: idp_settings(issuer, idp_signing_key, portal_client_key), path="/v1/esignet")
    try:
        assert running.issuer.endswith("/v1/esignet")
        monkeypatch.setenv("SSP_PUBLIC_URL", "http://localhost:8000")
        monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([provider_entry(running, portal_key_file)]))
        browser = Browser(api)
        assert browser.log_in(AMINA["individual_id"]).status == 302
        assert browser.portal("/api/session").json["name"] == AMINA["name"]
    finally:
        running.stop()
