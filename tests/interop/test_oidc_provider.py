"""The portal's login against a certified OpenID provider we did not write (npm oidc-provider 8).

The provider is configured like eSignet (private_key_jwt only, PKCE required, the claims
parameter, signed userinfo, mosip acr values coming back as the ID token's acr, pairwise
subjects), and as a plain Keycloak-like provider (JSON userinfo, public subjects) for clients
authenticating with client_secret_basic, client_secret_post and private_key_jwt. Its own dev
interaction pages are driven headlessly, as a person would click through them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from joserfc import jws

from chalicelib.auth import oidc, providers
from chalicelib.auth.sessions import resolve_session
from tests.auth.browser import Browser
from tests.interop.conftest import PLAIN_CLIENT_SECRET, PUBLIC_URL, CertifiedProvider
from tests.support.api import Answer, Api
from tests.support.factories import SAMPLE_PEOPLE

pytestmark = pytest.mark.xdist_group("interop")

AMINA, JEAN = SAMPLE_PEOPLE[0], SAMPLE_PEOPLE[1]
CALLBACK = PUBLIC_URL + "/api/auth/callback"


@pytest.fixture
def portal(certified_provider: CertifiedProvider, api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    key_file = tmp_path / "portal-key.json"
    key_file.write_text(json.dumps(certified_provider.portal_key.as_dict(private=True)))
    monkeypatch.setenv("PLAIN_SECRET", PLAIN_CLIENT_SECRET)
    monkeypatch.setenv("SSP_PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setenv(
        "SSP_OIDC_PROVIDERS",
        json.dumps(
            [
                {
                    "id": "esignet",
                    "profile": "esignet",
                    "discovery_url": certified_provider.discovery_url,
                    "client_id": "ssp-portal-esignet",
                    "signing_key": f"file:{key_file}",
                },
                {
                    "id": "keycloak",
                    "profile": "oidc",
                    "discovery_url": certified_provider.discovery_url,
                    "client_id": "ssp-portal-plain",
                    "client_secret": "env:PLAIN_SECRET",
                    "scopes": ["openid", "profile", "email"],
                },
                {
                    "id": "keycloak-post",
                    "profile": "oidc",
                    "discovery_url": certified_provider.discovery_url,
                    "client_id": "ssp-portal-plain-post",
                    "client_auth": "client_secret_post",
                    "client_secret": "env:PLAIN_SECRET",
                    "scopes": ["openid", "profile", "email"],
                },
                {
                    "id": "keycloak-pkjwt",
                    "profile": "oidc",
                    "discovery_url": certified_provider.discovery_url,
                    "client_id": "ssp-portal-plain-pkjwt",
                    "client_auth": "private_key_jwt",
                    "signing_key": f"file:{key_file}",
                    "scopes": ["openid", "profile", "email", "phone"],
                },
            ]
        ),
    )
    yield api
    providers.forget_cached_secrets()
    oidc.forget_discovery()


def click_through(authorize_url: str, login: str, abort: bool = False) -> str:
    """Drive oidc-provider's dev interaction pages (login, then consent) like a person; return
    the URL the provider finally sends the browser to (the portal's callback)."""
    session = requests.Session()
    url = authorize_url
    for _ in range(15):
        if url.startswith(CALLBACK):
            return url
        page = session.get(url, allow_redirects=False, timeout=10)
        if page.status_code in (302, 303):
            url = urljoin(url, page.headers["Location"])
            continue
        assert page.status_code == 200, page.text[:2000]
        if abort:
            cancel = re.search(r'href="([^"]+/abort)"', page.text)
            assert cancel, page.text[:2000]
            url = urljoin(url, cancel.group(1))
            continue
        action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
        prompt = re.search(r'name="prompt" value="([^"]+)"', page.text)
        assert action and prompt, page.text[:2000]
        form = {"prompt": prompt.group(1)}
        if prompt.group(1) == "login":
            form |= {"login": login, "password": "any"}
        answer = session.post(urljoin(url, action.group(1)), data=form, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), answer.text[:2000]
        url = urljoin(url, answer.headers["Location"])
    raise AssertionError("the provider never sent the browser back to the portal")


def log_in(browser: Browser, provider: str, person: dict[str, str], **query: str) -> Answer:
    return browser.callback(click_through(browser.start_login(provider, **query), person["individual_id"]))


def test_a_person_logs_in_through_a_certified_provider_configured_like_esignet(portal: Api, certified_provider: CertifiedProvider) -> None:
    browser = Browser(portal)
    authorize_url = browser.start_login("esignet", method="otp", return_to="/programs")
    callback = click_through(authorize_url, AMINA["individual_id"])
    assert parse_qs(urlsplit(callback).query)["iss"] == [certified_provider.issuer]

    answer = browser.callback(callback)
    assert answer.status == 302, answer.body
    assert answer.headers["location"] == "/programs"
    session = browser.portal("/api/session").json
    assert session["authenticated"] is True and session["name"] == AMINA["name"]

    me = browser.portal("/api/me").json
    assert me["individual_id"] == AMINA["individual_id"]
    assert me["fields"]["birthdate"]["value"] == "1987-04-12"
    assert me["fields"]["phone"]["value"] == AMINA["phone_number"]

    id_token = resolve_session(browser.cookies["__Host-ssp_session"]).data["id_token"]  # type: ignore[union-attr]
    token = jws.extract_compact(id_token.encode())
    assert token.headers()["alg"] == "PS256"
    assert json.loads(token.payload)["sub"] != AMINA["individual_id"]  # pairwise, not the national ID


def test_the_same_person_is_recognised_on_the_next_login(portal: Api) -> None:
    first, second = Browser(portal), Browser(portal)
    log_in(first, "esignet", AMINA)
    log_in(second, "esignet", AMINA)
    other = Browser(portal)
    log_in(other, "esignet", JEAN)
    ids = [b.portal("/api/session").json["registrant_id"] for b in (first, second, other)]
    assert ids[0] == ids[1] != ids[2]


def _logged_in_through(portal: Api, provider: str, person: dict[str, str], **query: str) -> tuple[Browser, Answer]:
    """A browser logged in through `provider`: the callback redirects, and the session names the person and the provider."""
    browser = Browser(portal)
    answer = log_in(browser, provider, person, **query)
    assert answer.status == 302, answer.body
    session = browser.portal("/api/session").json
    assert session["name"] == person["name"] and session["provider"] == provider
    return browser, answer


def test_a_plain_oidc_provider_works_with_configuration_alone(portal: Api) -> None:
    browser, _ = _logged_in_through(portal, "keycloak", JEAN)
    assert browser.portal("/api/me").json["fields"]["email"]["value"] == JEAN["email"]


def _id_token_claims(browser: Browser) -> dict[str, object]:
    session = resolve_session(browser.cookies["__Host-ssp_session"])
    assert session is not None
    return dict(json.loads(jws.extract_compact(session.data["id_token"].encode()).payload))


def test_a_plain_oidc_provider_works_with_private_key_jwt_and_json_userinfo(portal: Api, certified_provider: CertifiedProvider) -> None:
    discovery = requests.get(certified_provider.discovery_url, timeout=10).json()
    assert "private_key_jwt" in discovery["token_endpoint_auth_methods_supported"]
    browser, answer = _logged_in_through(portal, "keycloak-pkjwt", JEAN, return_to="/me")
    assert answer.headers["location"] == "/me"
    me = browser.portal("/api/me").json
    assert me["fields"]["email"]["value"] == JEAN["email"]
    assert me["fields"]["phone"]["value"] == JEAN["phone_number"]
    assert _id_token_claims(browser)["sub"] == JEAN["individual_id"]  # public subjects: a plain provider, not the eSignet-like client


def test_the_plain_client_without_private_key_jwt_cannot_get_tokens_from_an_assertion(portal: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same login, but the portal is told to use private_key_jwt for a client registered with
    # a client secret: the certified provider refuses the assertion (so the test above proves
    # the assertion was checked, not ignored).
    config = json.loads(os.environ["SSP_OIDC_PROVIDERS"])
    pkjwt = next(p for p in config if p["id"] == "keycloak-pkjwt")
    monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([{**pkjwt, "client_id": "ssp-portal-plain"}]))
    answer = log_in(Browser(portal), "keycloak-pkjwt", JEAN)
    assert answer.status == 400
    assert (answer.error_code, answer.json["error"]["provider_error"]) == ("code_rejected", "invalid_client")


def test_a_plain_oidc_provider_works_with_client_secret_post(portal: Api) -> None:
    _logged_in_through(portal, "keycloak-post", AMINA)


@pytest.mark.parametrize(
    "method, acr",
    [("otp", "mosip:idp:acr:generated-code"), ("biometrics", "mosip:idp:acr:biometrics"), ("wallet", "mosip:idp:acr:linked-wallet")],
)
def test_the_acr_asked_for_comes_back_in_the_id_token(portal: Api, method: str, acr: str) -> None:
    browser = Browser(portal)
    authorize_url = browser.start_login("esignet", method=method)
    assert parse_qs(urlsplit(authorize_url).query)["acr_values"] == [acr]
    assert browser.callback(click_through(authorize_url, AMINA["individual_id"])).status == 302
    assert _id_token_claims(browser)["acr"] == acr
    session = resolve_session(browser.cookies["__Host-ssp_session"])
    assert session is not None and session.data["acr"] == acr and session.data["method"] == method


def test_a_person_who_cancels_at_the_provider_is_told_and_can_try_again(portal: Api) -> None:
    browser = Browser(portal)
    browser.accept = "text/html"
    answer = browser.callback(click_through(browser.start_login("esignet"), AMINA["individual_id"], abort=True))
    assert answer.status == 400
    assert "You cancelled the login" in answer.body.decode()
    assert browser.portal("/api/session").json == {"authenticated": False}


def test_a_code_the_provider_already_redeemed_is_refused(portal: Api) -> None:
    browser = Browser(portal)
    callback = click_through(browser.start_login("esignet"), AMINA["individual_id"])
    used = {k: v[0] for k, v in parse_qs(urlsplit(callback).query).items()}
    assert browser.callback(callback).status == 302
    state = parse_qs(urlsplit(browser.start_login("esignet")).query)["state"][0]
    answer = browser.callback("/api/auth/callback?" + urlencode({"code": used["code"], "state": state, "iss": used["iss"]}))
    assert answer.status == 400
    assert answer.error_code == "code_rejected"


def test_logout_offers_the_providers_end_session_endpoint(portal: Api, certified_provider: CertifiedProvider) -> None:
    browser = Browser(portal)
    log_in(browser, "esignet", AMINA)
    csrf = browser.portal("/api/session").json["csrf_token"]
    answer = portal.post("/api/auth/logout", {}, headers={"Cookie": f"__Host-ssp_session={browser.cookies['__Host-ssp_session']}", "X-CSRF-Token": csrf})
    end_session = answer.json["end_session_url"]
    discovery = requests.get(certified_provider.discovery_url, timeout=10).json()
    assert end_session.startswith(discovery["end_session_endpoint"] + "?")
    assert requests.get(end_session, timeout=10).status_code == 200  # the provider accepts our id_token_hint and redirect
