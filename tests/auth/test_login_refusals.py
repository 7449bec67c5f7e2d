"""Everything a hostile or broken party can send during login gets a clear 4xx, never a 500."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from chalicelib.auth import jwks, login
from infra.local.idp import RunningIdp
from tests.auth.browser import Browser
from tests.auth.conftest import forget_provider_state
from tests.auth.scripted_provider import CLIENT_ID, ScriptedProvider, scripted_provider
from tests.support.api import Answer, Api, AsRegistrant
from tests.support.factories import SAMPLE_PEOPLE
from tests.support.logs import captured_logs

AMINA = SAMPLE_PEOPLE[0]


# --- state -------------------------------------------------------------------------------------


def test_a_callback_without_state_is_refused(browser: Browser) -> None:
    answer = browser.callback("/api/auth/callback?code=abc")
    assert answer.status == 400
    assert answer.error_code == "login_state_missing"


def test_a_callback_with_an_unknown_state_is_refused(browser: Browser) -> None:
    browser.start_login()
    answer = browser.callback("/api/auth/callback?code=abc&state=made-up")
    assert answer.status == 400
    assert answer.error_code == "login_state_unknown"


def test_a_callback_replayed_after_a_successful_login_is_refused(browser: Browser) -> None:
    authorize_url = browser.start_login()
    consent = browser.authenticate(authorize_url, AMINA["individual_id"])
    callback_url = browser.consent(authorize_url, consent)
    login_cookie = browser.cookies["__Host-ssp_login"]
    assert browser.callback(callback_url).status == 302

    browser.cookies["__Host-ssp_login"] = login_cookie
    replay = browser.callback(callback_url)
    assert replay.status == 400
    assert replay.error_code == "login_state_unknown"


def test_a_login_finished_after_its_time_is_refused(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    authorize_url = browser.start_login()
    consent = browser.authenticate(authorize_url, AMINA["individual_id"])
    callback_url = browser.consent(authorize_url, consent)
    later = login.now() + timedelta(minutes=11)
    monkeypatch.setattr(login, "now", lambda: later)

    answer = browser.callback(callback_url)
    assert answer.status == 400
    assert answer.error_code == "login_expired"


def test_a_callback_in_a_browser_that_did_not_start_the_login_is_refused(browser: Browser, api: Api) -> None:
    authorize_url = browser.start_login()
    consent = browser.authenticate(authorize_url, AMINA["individual_id"])
    callback_url = browser.consent(authorize_url, consent)

    victim = Browser(api)  # e.g. a callback link planted by an attacker
    answer = victim.callback(callback_url)
    assert answer.status == 400
    assert answer.error_code == "login_not_started_here"
    assert victim.portal("/api/session").json == {"authenticated": False}


@pytest.mark.parametrize("planted_cookie", [None, "own-login"], ids=["no-login-cookie", "another-logins-cookie"])
def test_a_callback_url_used_elsewhere_does_not_burn_the_login_of_the_browser_that_started_it(browser: Browser, api: Api, planted_cookie: str | None) -> None:
    authorize_url = browser.start_login(return_to="/programs")
    consent = browser.authenticate(authorize_url, AMINA["individual_id"])
    callback_url = browser.consent(authorize_url, consent)

    intruder = Browser(api)  # holds the callback URL (a leaked link, a shoulder-surfed redirect)
    if planted_cookie == "own-login":
        intruder.start_login()  # the intruder's own login cookie, for another transaction
    for _ in range(2):
        refused = intruder.callback(callback_url)
        assert refused.status == 400
        assert refused.error_code == "login_not_started_here"
    assert intruder.portal("/api/session").json == {"authenticated": False}

    # The person's own browser still finishes the login, once.
    answer = browser.callback(callback_url)
    assert answer.status == 302, answer.body
    assert answer.headers["location"] == "/programs"
    assert browser.portal("/api/session").json["name"] == AMINA["name"]
    assert intruder.callback(callback_url).error_code == "login_state_unknown"


@pytest.mark.parametrize(
    "planted",
    [
        "/api/auth/callback?state=planted-state&code=planted-code",  # another login's callback, or a made-up one
        "/api/auth/callback?code=planted-code",
        "/api/auth/login/esignet?return_to=//evil.example",
        "/api/auth/login/esignet?method=telepathy",
    ],
    ids=["unknown-state", "no-state", "hostile-return-to", "unknown-method"],
)
def test_a_planted_link_does_not_cancel_the_login_the_person_has_in_progress(browser: Browser, planted: str) -> None:
    browser.accept = "text/html"
    authorize_url = browser.start_login(return_to="/programs")
    consent = browser.authenticate(authorize_url, AMINA["individual_id"])
    callback_url = browser.consent(authorize_url, consent)

    refused = browser.portal(planted)  # followed in the same browser, before the person's own callback
    assert refused.status == 400
    assert "set-cookie" not in refused.headers  # the person's login cookie is left alone

    answer = browser.callback(callback_url)
    assert answer.status == 302, answer.body
    assert browser.portal("/api/session").json["name"] == AMINA["name"]


def test_a_callback_that_used_up_the_browsers_own_login_clears_its_cookie(browser: Browser) -> None:
    browser.accept = "text/html"
    authorize_url = browser.start_login()
    consent = browser.authenticate(authorize_url, AMINA["individual_id"])
    answer = browser.callback(browser.consent(authorize_url, consent, decision="deny"))
    assert answer.status == 400
    assert "__Host-ssp_login=;" in answer.headers["set-cookie"] and "Max-Age=0" in answer.headers["set-cookie"]
    assert "__Host-ssp_login" not in browser.cookies


def test_a_callback_naming_another_issuer_is_refused(browser: Browser) -> None:
    authorize_url = browser.start_login()
    consent = browser.authenticate(authorize_url, AMINA["individual_id"])
    callback_url = browser.consent(authorize_url, consent)
    parts = urlsplit(callback_url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["iss"] = "https://evil.example"

    answer = browser.callback(f"{parts.path}?{urlencode(query)}")
    assert answer.status == 400
    assert answer.error_code == "issuer_mismatch"


def test_a_callback_without_iss_from_a_provider_that_promises_it_is_refused(browser: Browser) -> None:
    authorize_url = browser.start_login()
    consent = browser.authenticate(authorize_url, AMINA["individual_id"])
    parts = urlsplit(browser.consent(authorize_url, consent))
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if k != "iss"}
    answer = browser.callback(f"{parts.path}?{urlencode(query)}")
    assert answer.status == 400
    assert answer.error_code == "issuer_mismatch"


def test_a_replayed_authorization_code_is_refused(browser: Browser) -> None:
    authorize_url = browser.start_login()
    consent = browser.authenticate(authorize_url, AMINA["individual_id"])
    used = parse_qs(urlsplit(browser.consent(authorize_url, consent)).query)
    assert browser.callback(f"/api/auth/callback?{urlencode({k: v[0] for k, v in used.items()})}").status == 302

    # A fresh login transaction, but the code that was already exchanged.
    state = parse_qs(urlsplit(browser.start_login()).query)["state"][0]
    answer = browser.callback(f"/api/auth/callback?{urlencode({'code': used['code'][0], 'state': state, 'iss': used['iss'][0]})}")
    assert answer.status == 400
    assert answer.error_code == "code_rejected"
    assert answer.json["error"]["provider_error"] == "invalid_grant"


def test_an_unexplained_provider_error_is_a_clear_refusal(browser: Browser) -> None:
    state = parse_qs(urlsplit(browser.start_login()).query)["state"][0]
    answer = browser.callback(f"/api/auth/callback?{urlencode({'error': 'server_error<script>', 'state': state})}")
    assert answer.status == 400
    assert answer.error_code == "provider_error"
    assert answer.json["error"]["provider_error"] == "server_errorscript"


@pytest.mark.parametrize(
    "query",
    [
        {"state": "x" * 5000},
        {"state": "", "code": ""},
        {"state": "s", "error": "x" * 3000},
        {"state": "\x00\x01"},
    ],
)
def test_odd_callback_parameters_are_refused_without_a_server_error(browser: Browser, query: dict[str, str]) -> None:
    answer = browser.callback("/api/auth/callback?" + urlencode(query))
    assert 400 <= answer.status < 500


def test_an_unknown_provider_is_not_found(browser: Browser) -> None:
    answer = browser.portal("/api/auth/login/nope")
    assert answer.status == 404
    assert answer.error_code == "unknown_provider"


def test_an_unknown_login_method_is_refused(browser: Browser) -> None:
    answer = browser.portal("/api/auth/login/esignet?method=telepathy")
    assert answer.status == 400
    assert answer.error_code == "unknown_method"


@pytest.mark.parametrize(
    "return_to",
    ["//evil.example", "https://evil.example/", "https:evil.example", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)", "programs"],
)
def test_a_return_path_leading_off_the_portal_is_refused(browser: Browser, return_to: str) -> None:
    answer = browser.portal("/api/auth/login/esignet?" + urlencode({"return_to": return_to}))
    assert answer.status == 400
    assert answer.error_code == "return_to_not_allowed"
    assert "location" not in answer.headers


def test_a_person_following_a_hostile_link_gets_a_page_not_a_redirect(browser: Browser) -> None:
    browser.accept = "text/html"
    answer = browser.portal("/api/auth/login/esignet?" + urlencode({"return_to": "//evil.example"}))
    assert answer.status == 400
    assert "This link cannot be used to log in" in answer.body.decode()
    assert "evil.example" not in answer.body.decode()


# --- what the provider answers -----------------------------------------------------------------


@pytest.fixture
def scripted(api: Api, portal_key_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedProvider]:
    with scripted_provider() as provider:
        entry = {"id": "scripted", "discovery_url": provider.discovery_url, "client_id": CLIENT_ID, "signing_key": f"file:{portal_key_file}"}
        monkeypatch.setenv("SSP_PUBLIC_URL", "http://localhost:8000")
        monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([entry]))
        yield provider
    forget_provider_state()


def _login_against(provider: ScriptedProvider, browser: Browser, id_token: str | None = None, **token_overrides: object) -> Answer:
    """Start a login, let the scripted provider answer with an ID token for the right nonce
    (or ``id_token``), and complete the callback."""
    query = parse_qs(urlsplit(browser.start_login("scripted")).query)
    nonce, state = query["nonce"][0], query["state"][0]
    provider.answer_tokens(id_token or provider.id_token(nonce, **token_overrides))
    return browser.callback(f"/api/auth/callback?{urlencode({'code': 'code-1', 'state': state, 'iss': provider.issuer})}")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_correct_answer_logs_the_person_in(scripted: ScriptedProvider, api: Api) -> None:
    scripted.answer_userinfo_jwt()
    browser = Browser(api)
    answer = _login_against(scripted, browser)
    assert answer.status == 302
    assert browser.portal("/api/session").json["name"] == "Amina Okafor"


def test_the_portal_authenticates_with_a_fresh_private_key_jwt_and_its_pkce_verifier(scripted: ScriptedProvider, api: Api, portal_client_key: RSAKey) -> None:
    scripted.answer_userinfo_jwt()
    browser = Browser(api)
    authorize_url = browser.start_login("scripted")
    query = parse_qs(urlsplit(authorize_url).query)
    scripted.answer_tokens(scripted.id_token(query["nonce"][0]))
    browser.callback(f"/api/auth/callback?{urlencode({'code': 'code-1', 'state': query['state'][0], 'iss': scripted.issuer})}")

    [sent] = scripted.token_requests
    assert sent["grant_type"] == "authorization_code" and sent["code"] == "code-1"
    assert sent["redirect_uri"] == "http://localhost:8000/api/auth/callback"
    challenge = _b64(hashlib.sha256(sent["code_verifier"].encode()).digest())
    assert challenge == query["code_challenge"][0]
    assert sent["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assertion = jwt.decode(sent["client_assertion"], portal_client_key, algorithms=["RS256"])
    assert assertion.header["kid"] == portal_client_key.kid
    claims = assertion.claims
    assert claims["iss"] == claims["sub"] == CLIENT_ID
    assert claims["aud"] == scripted.token_endpoint
    assert claims["jti"] and 0 < claims["exp"] - claims["iat"] <= 120
    assert scripted.userinfo_requests == [{"authorization": "Bearer access-1"}]


def test_each_token_request_uses_a_new_assertion_id(scripted: ScriptedProvider, api: Api, portal_client_key: RSAKey) -> None:
    scripted.answer_userinfo_jwt()
    _login_against(scripted, Browser(api))
    _login_against(scripted, Browser(api))
    first, second = (jwt.decode(r["client_assertion"], portal_client_key).claims["jti"] for r in scripted.token_requests)
    assert first != second


def test_an_id_token_with_a_bad_signature_is_refused(scripted: ScriptedProvider, api: Api) -> None:
    impostor = RSAKey.generate_key(2048, parameters={"kid": scripted.key.kid})
    scripted.answer_userinfo_jwt()
    browser = Browser(api)
    query = parse_qs(urlsplit(browser.start_login("scripted")).query)
    now = int(time.time())
    forged = scripted.sign(
        {"iss": scripted.issuer, "sub": "person-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": query["nonce"][0]}, key=impostor
    )
    scripted.answer_tokens(forged)
    answer = browser.callback(f"/api/auth/callback?{urlencode({'code': 'c', 'state': query['state'][0], 'iss': scripted.issuer})}")
    assert answer.status == 401
    assert answer.error_code == "id_token_invalid"


def test_an_id_token_signed_with_alg_none_is_refused(scripted: ScriptedProvider, api: Api) -> None:
    scripted.answer_userinfo_jwt()
    browser = Browser(api)
    query = parse_qs(urlsplit(browser.start_login("scripted")).query)
    now = int(time.time())
    header = _b64(json.dumps({"alg": "none", "kid": scripted.key.kid}).encode())
    payload = _b64(json.dumps({"iss": scripted.issuer, "sub": "person-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": query["nonce"][0]}).encode())
    scripted.answer_tokens(f"{header}.{payload}.")
    answer = browser.callback(f"/api/auth/callback?{urlencode({'code': 'c', 'state': query['state'][0], 'iss': scripted.issuer})}")
    assert answer.status == 401
    assert answer.error_code == "id_token_invalid"


def test_an_id_token_hmac_signed_with_the_providers_public_key_is_refused(scripted: ScriptedProvider, api: Api) -> None:
    scripted.answer_userinfo_jwt()
    browser = Browser(api)
    query = parse_qs(urlsplit(browser.start_login("scripted")).query)
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "kid": scripted.key.kid}).encode())
    payload = _b64(json.dumps({"iss": scripted.issuer, "sub": "person-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": query["nonce"][0]}).encode())
    public_pem = scripted.key.as_pem(private=False)
    signature = _b64(hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    scripted.answer_tokens(f"{header}.{payload}.{signature}")
    answer = browser.callback(f"/api/auth/callback?{urlencode({'code': 'c', 'state': query['state'][0], 'iss': scripted.issuer})}")
    assert answer.status == 401
    assert answer.error_code == "id_token_invalid"


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "someone-else"},
        {"aud": [CLIENT_ID, "someone-else"]},  # several audiences without azp
        {"exp": int(time.time()) - 3600},
        {"iat": int(time.time()) + 3600},
        {"nonce": "not-the-nonce-we-sent"},
        {"nonce": None},
        {"iss": "https://evil.example"},
        {"sub": None},
        {"at_hash": "wrong-hash"},
    ],
    ids=["wrong-aud", "extra-aud-without-azp", "expired", "issued-in-the-future", "wrong-nonce", "no-nonce", "wrong-iss", "no-sub", "wrong-at-hash"],
)
def test_an_id_token_with_wrong_claims_is_refused(scripted: ScriptedProvider, api: Api, overrides: dict[str, object]) -> None:
    scripted.answer_userinfo_jwt()
    browser = Browser(api)
    answer = _login_against(scripted, browser, **overrides)
    assert answer.status == 401
    assert answer.error_code == "id_token_invalid"
    assert browser.portal("/api/session").json == {"authenticated": False}


def test_unsigned_userinfo_is_refused_from_an_esignet_provider(scripted: ScriptedProvider, api: Api) -> None:
    scripted.answer_userinfo_json({"sub": "person-1", "name": "Mallory"})
    answer = _login_against(scripted, Browser(api))
    assert answer.status == 401
    assert answer.error_code == "userinfo_invalid"


def test_userinfo_signed_by_an_unknown_key_is_refused(scripted: ScriptedProvider, api: Api) -> None:
    stranger = RSAKey.generate_key(2048, parameters={"kid": "stranger-1"})
    scripted.answer_userinfo_jwt(key=stranger)
    fetches_before = scripted.jwks_fetches
    answer = _login_against(scripted, Browser(api))
    assert answer.status == 401
    assert answer.error_code == "userinfo_invalid"
    assert scripted.jwks_fetches - fetches_before <= 2  # fetched again once at most, not in a loop


def test_userinfo_signed_with_alg_none_is_refused(scripted: ScriptedProvider, api: Api) -> None:
    header = _b64(json.dumps({"alg": "none"}).encode())
    payload = _b64(json.dumps({"sub": "person-1", "name": "Mallory"}).encode())
    scripted.userinfo_answer = (200, "application/jwt", f"{header}.{payload}.".encode())
    answer = _login_against(scripted, Browser(api))
    assert answer.status == 401
    assert answer.error_code == "userinfo_invalid"


def test_userinfo_about_someone_else_is_refused(scripted: ScriptedProvider, api: Api) -> None:
    scripted.answer_userinfo_jwt({"sub": "person-2", "name": "Someone Else"})
    answer = _login_against(scripted, Browser(api))
    assert answer.status == 401
    assert answer.error_code == "userinfo_invalid"


@pytest.mark.parametrize("claim, value", [("iss", "https://evil.example"), ("aud", "another-client"), ("aud", ["another-client", "third"])])
def test_userinfo_meant_for_another_issuer_or_client_is_refused_with_a_reason_in_the_log(
    scripted: ScriptedProvider, api: Api, claim: str, value: object
) -> None:
    scripted.answer_userinfo_jwt({"sub": "person-1", "name": "Amina Okafor", "individual_id": "8267411571", claim: value})
    with captured_logs() as logs:
        answer = _login_against(scripted, Browser(api))
    assert answer.status == 401
    assert answer.error_code == "userinfo_invalid"
    [refusal] = [json.loads(line) for line in logs.getvalue().splitlines() if '"userinfo_rejected"' in line]
    assert refusal["reason"] == claim and refusal["provider"] == "scripted"
    assert "evil.example" not in logs.getvalue() and "another-client" not in logs.getvalue()  # the reason, never the values


def test_an_encrypted_userinfo_without_a_portal_key_is_refused(scripted: ScriptedProvider, api: Api) -> None:
    scripted.userinfo_answer = (200, "application/jwt", b"a.b.c.d.e")
    answer = _login_against(scripted, Browser(api))
    assert answer.status == 401
    assert answer.error_code == "userinfo_invalid"


def test_a_provider_that_is_down_gives_a_clear_error(scripted: ScriptedProvider, api: Api) -> None:
    scripted.answer_userinfo_jwt()
    browser = Browser(api)
    query = parse_qs(urlsplit(browser.start_login("scripted")).query)
    scripted.token_answer = (503, {})
    answer = browser.callback(f"/api/auth/callback?{urlencode({'code': 'c', 'state': query['state'][0], 'iss': scripted.issuer})}")
    assert answer.status == 502
    assert answer.error_code == "provider_unavailable"


@pytest.mark.parametrize(
    "jwks_answer",
    [
        (200, "application/json", b'{"keys": [{"kty": "foo"}]}'),
        (200, "application/json", b"{}"),
        (200, "application/json", b'{"keys": "not-a-list"}'),
        (200, "application/json", b'{"keys": [{"kty": "RSA", "n": "!!", "e": "AQAB"}]}'),
        (200, "text/html", b"<html><body>Maintenance</body></html>"),
        (200, "application/json", b"[]"),
        (500, "application/json", b'{"error": "server_error"}'),
        (404, "text/plain", b"not found"),
    ],
    ids=["unknown-key-type", "empty-object", "keys-not-a-list", "malformed-key", "not-json", "json-list", "http-500", "http-404"],
)
def test_a_provider_key_set_the_portal_cannot_read_is_a_provider_fault_not_a_server_error(
    scripted: ScriptedProvider, api: Api, jwks_answer: tuple[int, str, bytes]
) -> None:
    scripted.jwks_answer = jwks_answer
    scripted.answer_userinfo_jwt()
    browser = Browser(api)
    answer = _login_against(scripted, browser)
    assert answer.status == 502
    error = answer.json["error"]
    assert (error["code"], error["provider"], error["method"]) == ("provider_unavailable", "scripted", "otp")
    assert error["message"]
    assert browser.portal("/api/session").json == {"authenticated": False}

    browser.accept = "text/html"  # a person gets the page that offers to try again
    page = _login_against(scripted, browser)
    assert page.status == 502 and page.headers["content-type"].startswith("text/html")


def test_a_key_set_with_one_unreadable_key_among_good_ones_still_works(scripted: ScriptedProvider, api: Api) -> None:
    good = scripted.key.as_dict(private=False)
    scripted.jwks_answer = (200, "application/json", json.dumps({"keys": [{"kty": "EC", "crv": "P-999", "x": "a", "y": "b"}, {"kty": "foo"}, good]}).encode())
    scripted.answer_userinfo_jwt()
    browser = Browser(api)
    assert _login_against(scripted, browser).status == 302
    assert browser.portal("/api/session").json["name"] == "Amina Okafor"


def test_two_logins_in_a_row_fetch_the_providers_key_set_once(scripted: ScriptedProvider, api: Api) -> None:
    scripted.answer_userinfo_jwt()
    for _ in range(2):
        browser = Browser(api)
        assert _login_against(scripted, browser).status == 302
        assert browser.portal("/api/session").json["authenticated"] is True
    # Two ID tokens and two signed userinfo answers verified, the key set fetched once.
    assert scripted.jwks_fetches == 1


def test_a_provider_key_rotated_under_the_same_kid_is_fetched_again_and_accepted(scripted: ScriptedProvider, api: Api) -> None:
    scripted.answer_userinfo_jwt()
    assert _login_against(scripted, Browser(api)).status == 302
    assert scripted.jwks_fetches == 1

    # The provider restarts with a new key under the old kid (a key generated at start-up).
    scripted.key = RSAKey.generate_key(2048, parameters={"kid": str(scripted.key.kid), "use": "sig"})
    scripted.answer_userinfo_jwt()
    jwks.REMOTE_KEYS.clock = _later(jwks.REFETCH_MIN_INTERVAL_SECONDS + 1)
    browser = Browser(api)
    assert _login_against(scripted, browser).status == 302
    assert browser.portal("/api/session").json["name"] == "Amina Okafor"
    assert scripted.jwks_fetches == 2  # fetched again once, then both the ID token and the userinfo verified


def test_forged_signatures_under_a_known_kid_fetch_the_key_set_at_most_once_per_interval(scripted: ScriptedProvider, api: Api) -> None:
    scripted.answer_userinfo_jwt()
    assert _login_against(scripted, Browser(api)).status == 302
    forger = RSAKey.generate_key(2048, parameters={"kid": str(scripted.key.kid)})
    jwks.REMOTE_KEYS.clock = _later(jwks.REFETCH_MIN_INTERVAL_SECONDS + 1)
    for _ in range(3):
        browser = Browser(api)
        query = parse_qs(urlsplit(browser.start_login("scripted")).query)
        scripted.answer_tokens(scripted.sign(_claims(scripted, query["nonce"][0]), forger))
        answer = browser.callback(f"/api/auth/callback?{urlencode({'code': 'c', 'state': query['state'][0], 'iss': scripted.issuer})}")
        assert answer.error_code == "id_token_invalid"
    assert scripted.jwks_fetches == 2  # one refetch for three forged tokens inside the interval


def _claims(provider: ScriptedProvider, nonce: str) -> dict[str, object]:
    now = int(time.time())
    return {"iss": provider.issuer, "sub": "person-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": nonce}


def _later(seconds: float) -> Callable[[], float]:
    """A clock for the key set cache that runs ``seconds`` ahead of the real one."""
    return lambda: time.monotonic() + seconds


@pytest.fixture(autouse=True)
def _real_key_set_clock() -> Iterator[None]:
    yield
    jwks.REMOTE_KEYS.clock = time.monotonic


def test_logout_offers_the_providers_end_session_url_when_it_has_one(scripted: ScriptedProvider, api: Api) -> None:
    scripted.extra_discovery["end_session_endpoint"] = scripted.issuer + "/logout"
    scripted.answer_userinfo_jwt()
    browser = Browser(api)
    _login_against(scripted, browser)
    session = browser.portal("/api/session").json
    answer = api.post(
        "/api/auth/logout", {}, headers={"Cookie": f"__Host-ssp_session={browser.cookies['__Host-ssp_session']}", "X-CSRF-Token": session["csrf_token"]}
    )
    url = urlsplit(answer.json["end_session_url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == scripted.issuer + "/logout"
    query = parse_qs(url.query)
    assert query["post_logout_redirect_uri"] == ["http://localhost:8000/"]
    assert query["client_id"] == [CLIENT_ID]
    # The provider's tokens never reach the browser, not even as a logout hint.
    assert "id_token_hint" not in query
    assert set(query) == {"client_id", "post_logout_redirect_uri"}


def test_logout_without_an_end_session_endpoint_offers_none(browser: Browser, login_setup: RunningIdp, api: Api) -> None:
    browser.log_in(AMINA["individual_id"])
    csrf = browser.portal("/api/session").json["csrf_token"]
    answer = api.post("/api/auth/logout", {}, headers={"Cookie": f"__Host-ssp_session={browser.cookies['__Host-ssp_session']}", "X-CSRF-Token": csrf})
    assert answer.status == 200
    assert "end_session_url" not in answer.json


# --- the session cookie and CSRF ---------------------------------------------------------------


def test_a_forged_session_cookie_is_refused(api: Api, registrant: AsRegistrant) -> None:
    forged = AsRegistrant(registrant.registrant_id, "A" * 43, registrant.csrf_token)
    assert api.get("/api/me", as_=forged).status == 401
    assert api.post("/api/auth/logout", {}, as_=forged).status == 401


def test_an_expired_session_cookie_is_refused(api: Api, registrant: AsRegistrant, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.auth import sessions

    later = sessions.now() + timedelta(hours=13)
    monkeypatch.setattr(sessions, "now", lambda: later)
    answer = api.get("/api/me", as_=registrant)
    assert answer.status == 401
    assert answer.error_code == "not_authenticated"


def test_a_session_past_its_absolute_lifetime_is_refused_even_if_active(api: Api, registrant: AsRegistrant, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.auth import sessions

    start = sessions.now()
    for minutes in range(0, 13 * 60, 25):  # a request every 25 minutes keeps it from idling out
        moment = start + timedelta(minutes=minutes)
        monkeypatch.setattr(sessions, "now", lambda moment=moment: moment)
        still_in = api.get("/api/session", as_=registrant).json["authenticated"]
        if minutes >= 12 * 60:
            assert still_in is False
            break
        assert still_in is True


def test_a_logged_out_session_cookie_is_refused(api: Api, registrant: AsRegistrant) -> None:
    assert api.post("/api/auth/logout", {}, as_=registrant).status == 200
    assert api.get("/api/me", as_=registrant).status == 401
    assert api.post("/api/auth/logout", {}, as_=registrant).status == 401


@pytest.mark.parametrize("csrf", [None, "", "wrong-token"])
def test_a_state_changing_call_without_the_right_csrf_token_is_refused(api: Api, registrant: AsRegistrant, csrf: str | None) -> None:
    headers = {"Cookie": f"__Host-ssp_session={registrant.session_id}"}
    if csrf is not None:
        headers["X-CSRF-Token"] = csrf
    answer = api.post("/api/auth/logout", {}, headers=headers)
    assert answer.status == 403
    assert answer.error_code == "csrf_failed"
    assert api.get("/api/session", as_=registrant).json["authenticated"] is True


def test_another_sessions_csrf_token_does_not_work(api: Api, registrant: AsRegistrant, other_registrant: AsRegistrant) -> None:
    headers = {"Cookie": f"__Host-ssp_session={registrant.session_id}", "X-CSRF-Token": other_registrant.csrf_token}
    answer = api.post("/api/auth/logout", {}, headers=headers)
    assert answer.status == 403
