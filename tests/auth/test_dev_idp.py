"""The dev identity provider keeps eSignet's contract, so the portal works the same against both."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.etree import ElementTree

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from infra.local.idp import RunningIdp, portal_settings, serve, start
from infra.local.idp.directory import load_directory
from infra.local.idp.server import ClientRegistration, IdpSettings
from infra.local.idp.staff_token import mint
from infra.local.stack import StackContext, free_port
from tests.auth.browser import _TX
from tests.auth.conftest import CLIENT_ID, PUBLIC_URL
from tests.support.factories import SAMPLE_PEOPLE

AMINA = SAMPLE_PEOPLE[0]
REDIRECT = PUBLIC_URL + "/api/auth/callback"
OTHER_REDIRECT = "https://other-service.example/callback"
STAFF_REDIRECT = PUBLIC_URL + "/staff/callback"


@pytest.fixture(scope="module")
def client_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "rp-1", "use": "sig"})


@pytest.fixture(scope="module")
def idp(client_key: RSAKey) -> Iterator[RunningIdp]:
    signing = RSAKey.generate_key(2048, parameters={"kid": "idp-1", "use": "sig"})
    people, staff = load_directory()

    def build(issuer: str) -> IdpSettings:
        return IdpSettings(
            issuer=issuer,
            signing_keys=[signing],
            pairwise_salt="salt",
            people=people,
            staff=staff,
            clients=[
                ClientRegistration(CLIENT_ID, [REDIRECT], public_jwk=client_key.as_dict(private=False)),
                ClientRegistration("other-service", [OTHER_REDIRECT], public_jwk=client_key.as_dict(private=False), user_claims=["name"]),
                ClientRegistration("ssp-staff-console", [], kind="staff", redirect_prefixes=[PUBLIC_URL + "/staff"]),
            ],
            allowed_origins=[PUBLIC_URL],
        )

    running = serve(build)
    yield running
    running.stop()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class RelyingParty:
    """A minimal client of the IdP, written from eSignet's documentation (not the portal's code)."""

    def __init__(self, idp: RunningIdp, key: RSAKey | None, client_id: str = CLIENT_ID, redirect_uri: str = REDIRECT) -> None:
        self.idp, self.key, self.client_id, self.redirect_uri = idp, key, client_id, redirect_uri
        self.discovery = requests.get(idp.discovery_url, timeout=5).json()
        self.verifier = secrets.token_urlsafe(48)
        self.nonce = secrets.token_urlsafe(16)
        self.session = requests.Session()

    def authorize_url(self, **extra: str) -> str:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid profile",
            "state": "state-1",
            "nonce": self.nonce,
            "code_challenge": _b64(hashlib.sha256(self.verifier.encode()).digest()),
            "code_challenge_method": "S256",
            "claims": json.dumps({"userinfo": {"name": {"essential": True}, "birthdate": {"essential": False}, "individual_id": {"essential": False}}}),
            **extra,
        }
        return self.discovery["authorization_endpoint"] + "?" + urlencode({k: v for k, v in params.items() if v != ""})

    def log_in(self, url: str, form: dict[str, str], consent: bool = True, share: tuple[str, ...] = ("birthdate", "individual_id")) -> requests.Response:
        page = self.session.get(url, allow_redirects=False)
        if page.status_code != 200:
            return page
        tx = _TX.search(page.text)
        assert tx, page.text
        answer = self.session.post(url, data={"tx": tx.group(1), "step": "login", **form}, allow_redirects=False)
        if answer.status_code == 200 and consent and "Share your details" in answer.text:
            shared = list(share)
            answer = self.session.post(url, data={"tx": tx.group(1), "step": "consent", "decision": "allow", "share": shared}, allow_redirects=False)
        return answer

    def code_from(self, redirect: requests.Response) -> str:
        assert redirect.status_code == 302, redirect.text
        return parse_qs(urlsplit(redirect.headers["Location"]).query)["code"][0]

    def assertion(self, **overrides: Any) -> str:
        assert self.key is not None
        now = int(time.time())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": self.discovery["token_endpoint"],
            "iat": now,
            "exp": now + 60,
            "jti": secrets.token_urlsafe(8),
        }
        claims.update(overrides)
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)

    def token(self, code: str, assertion: str | None = None, **form: str) -> requests.Response:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": self.verifier,
            "client_id": self.client_id,
        }
        if self.key is not None:
            data |= {"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": assertion or self.assertion()}
        data.update(form)
        return requests.post(self.discovery["token_endpoint"], data=data, timeout=5)

    def keys(self) -> KeySet:
        return KeySet.import_key_set(requests.get(self.discovery["jwks_uri"], timeout=5).json())


def _full_login(rp: RelyingParty, **extra: str) -> dict[str, Any]:
    code = rp.code_from(rp.log_in(rp.authorize_url(**extra), {"individual_id": AMINA["individual_id"], "secret": "111111"}))
    answer = rp.token(code)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_discovery_advertises_what_esignet_advertises(idp: RunningIdp) -> None:
    document = requests.get(idp.discovery_url, timeout=5).json()
    assert document["issuer"] == idp.issuer
    assert document["token_endpoint"].endswith("/v1/esignet/oauth/v2/token")
    assert document["userinfo_endpoint"].endswith("/v1/esignet/oidc/userinfo")
    assert document["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["subject_types_supported"] == ["pairwise"]
    assert document["claims_parameter_supported"] is True
    assert document["authorization_response_iss_parameter_supported"] is True
    assert {"mosip:idp:acr:generated-code", "mosip:idp:acr:biometrics", "mosip:idp:acr:linked-wallet"} <= set(document["acr_values_supported"])
    assert "individual_id" in document["claims_supported"] and "given_name" not in document["claims_supported"]


def test_a_full_login_gives_a_verified_id_token_and_signed_userinfo(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key)
    tokens = _full_login(rp, acr_values="mosip:idp:acr:generated-code")
    assert tokens["token_type"] == "Bearer"
    id_token = jwt.decode(tokens["id_token"], rp.keys(), algorithms=["RS256"])
    assert id_token.header["kid"] == "idp-1"
    claims = id_token.claims
    assert claims["iss"] == idp.issuer and claims["aud"] == CLIENT_ID and claims["nonce"] == rp.nonce
    assert claims["acr"] == "mosip:idp:acr:generated-code"
    assert {"auth_time", "at_hash", "iat", "exp"} <= set(claims)
    assert "name" not in claims  # personal claims come from userinfo only

    answer = requests.get(rp.discovery["userinfo_endpoint"], headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=5)
    assert answer.headers["Content-Type"] == "application/jwt"
    userinfo = jwt.decode(answer.text, rp.keys(), algorithms=["RS256"]).claims
    assert userinfo["sub"] == claims["sub"]
    assert userinfo["name"] == AMINA["name"]
    assert userinfo["birthdate"] == AMINA["birthdate"]  # YYYY/MM/DD, as eSignet's mock identity system
    assert userinfo["individual_id"] == AMINA["individual_id"]
    assert "email" not in userinfo and "picture" not in userinfo  # not asked for


def test_every_sample_person_has_a_small_photo() -> None:
    people, _ = load_directory()
    pictures = {}
    for person in people.values():
        picture = person.claims["picture"]
        assert picture.startswith("data:image/svg+xml;base64,")
        assert len(picture) < 1024  # a few hundred bytes: generated, no image files in the repository
        svg = ElementTree.fromstring(base64.b64decode(picture.split(",", 1)[1]))
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        initials = "".join(part[0] for part in person.claims["name"].replace("-", " ").split()[:2])
        assert "".join(svg.itertext()) == initials.upper()
        pictures[person.individual_id] = picture
    assert len(set(pictures.values())) == len(people) >= 5
    again, _ = load_directory()
    assert {i: p.claims["picture"] for i, p in again.items()} == pictures  # the same photo at every start


def _userinfo(rp: RelyingParty, tokens: dict[str, Any]) -> dict[str, Any]:
    answer = requests.get(rp.discovery["userinfo_endpoint"], headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=5)
    return dict(jwt.decode(answer.text, rp.keys(), algorithms=["RS256"]).claims)


def test_the_photo_is_released_from_userinfo_when_asked_for_and_shared(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key)
    url = rp.authorize_url(claims=json.dumps({"userinfo": {"name": {"essential": True}, "picture": {"essential": False}}}))
    consent_page = rp.log_in(url, {"individual_id": AMINA["individual_id"], "secret": "111111"}, consent=False)
    assert 'name="share" value="picture"' in consent_page.text and "Photo" in consent_page.text

    code = rp.code_from(rp.log_in(url, {"individual_id": AMINA["individual_id"], "secret": "111111"}, share=("picture",)))
    answer = rp.token(code)
    assert answer.status_code == 200, answer.text
    people, _ = load_directory()
    assert _userinfo(rp, answer.json())["picture"] == people[AMINA["individual_id"]].claims["picture"]


def test_the_photo_is_not_released_when_the_person_does_not_share_it(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key)
    url = rp.authorize_url(claims=json.dumps({"userinfo": {"name": {"essential": True}, "picture": {"essential": False}}}))
    code = rp.code_from(rp.log_in(url, {"individual_id": AMINA["individual_id"], "secret": "111111"}, share=()))
    userinfo = _userinfo(rp, rp.token(code).json())
    assert userinfo["name"] == AMINA["name"] and "picture" not in userinfo


def test_the_photo_comes_with_the_profile_scope_when_no_claims_are_requested(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key)
    url = rp.authorize_url(claims="", scope="openid profile")
    code = rp.code_from(rp.log_in(url, {"individual_id": AMINA["individual_id"], "secret": "111111"}, share=("name", "picture")))
    assert _userinfo(rp, rp.token(code).json())["picture"].startswith("data:image/")


def test_subjects_are_pairwise_per_client(idp: RunningIdp, client_key: RSAKey) -> None:
    ours = jwt.decode(_full_login(RelyingParty(idp, client_key))["id_token"], RelyingParty(idp, client_key).keys()).claims["sub"]
    theirs_rp = RelyingParty(idp, client_key, client_id="other-service", redirect_uri=OTHER_REDIRECT)
    theirs = jwt.decode(_full_login(theirs_rp)["id_token"], theirs_rp.keys()).claims["sub"]
    assert ours != theirs
    assert AMINA["individual_id"] not in (ours, theirs)


def test_claims_a_client_is_not_registered_for_are_silently_dropped(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key, client_id="other-service", redirect_uri=OTHER_REDIRECT)
    page = rp.log_in(rp.authorize_url(), {"individual_id": AMINA["individual_id"], "secret": "111111"}, consent=False)
    assert "Full name" in page.text and "Date of birth" not in page.text


def test_the_token_endpoint_accepts_only_private_key_jwt(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key)
    code = rp.code_from(rp.log_in(rp.authorize_url(), {"individual_id": AMINA["individual_id"], "secret": "111111"}))
    without = requests.post(
        rp.discovery["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": rp.verifier,
            "client_id": CLIENT_ID,
            "client_secret": "x",
        },
        timeout=5,
    )
    assert without.status_code in (400, 401) and without.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    "overrides",
    [{"aud": "https://elsewhere.example/token"}, {"exp": int(time.time()) - 60}, {"iss": "someone-else"}, {"iat": None}],
    ids=["wrong-aud", "expired", "iss-not-sub", "no-iat"],
)
def test_a_bad_client_assertion_is_refused(idp: RunningIdp, client_key: RSAKey, overrides: dict[str, Any]) -> None:
    rp = RelyingParty(idp, client_key)
    code = rp.code_from(rp.log_in(rp.authorize_url(), {"individual_id": AMINA["individual_id"], "secret": "111111"}))
    now = int(time.time())
    claims = {"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": rp.discovery["token_endpoint"], "iat": now, "exp": now + 60, "jti": secrets.token_urlsafe(8)}
    claims.update(overrides)
    assertion = jwt.encode({"alg": "RS256", "kid": client_key.kid}, {k: v for k, v in claims.items() if v is not None}, client_key)
    assert rp.token(code, assertion=assertion).json()["error"] == "invalid_client"


def test_a_client_assertion_works_only_once(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key)
    assertion = rp.assertion()
    first_code = rp.code_from(rp.log_in(rp.authorize_url(), {"individual_id": AMINA["individual_id"], "secret": "111111"}))
    assert rp.token(first_code, assertion=assertion).status_code == 200
    rp2 = RelyingParty(idp, client_key)
    second_code = rp2.code_from(rp2.log_in(rp2.authorize_url(), {"individual_id": AMINA["individual_id"], "secret": "111111"}))
    assert rp2.token(second_code, assertion=assertion).json()["error"] == "invalid_client"


def test_a_code_works_once_and_only_with_its_verifier(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key)
    code = rp.code_from(rp.log_in(rp.authorize_url(), {"individual_id": AMINA["individual_id"], "secret": "111111"}))
    wrong = rp.token(code, code_verifier=secrets.token_urlsafe(48))
    assert wrong.json()["error"] == "invalid_grant"
    rp2 = RelyingParty(idp, client_key)
    code = rp2.code_from(rp2.log_in(rp2.authorize_url(), {"individual_id": AMINA["individual_id"], "secret": "111111"}))
    assert rp2.token(code).status_code == 200
    assert rp2.token(code).json()["error"] == "invalid_grant"


@pytest.mark.parametrize("pkce", [{"code_challenge_method": "plain"}, {"code_challenge": "", "code_challenge_method": ""}], ids=["plain", "none"])
def test_authorization_without_pkce_s256_is_sent_back_with_an_error(idp: RunningIdp, client_key: RSAKey, pkce: dict[str, str]) -> None:
    rp = RelyingParty(idp, client_key)
    answer = rp.session.get(rp.authorize_url(**pkce), allow_redirects=False)
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.headers["Location"]).query)["error"] == ["invalid_request"]


def test_an_unregistered_redirect_uri_is_never_redirected_to(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key, redirect_uri="https://evil.example/callback")
    answer = rp.session.get(rp.authorize_url(), allow_redirects=False)
    assert answer.status_code == 400
    assert "Location" not in answer.headers


def test_userinfo_without_a_valid_token_answers_401_like_esignet(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key)
    answer = requests.get(rp.discovery["userinfo_endpoint"], headers={"Authorization": "Bearer nope"}, timeout=5)
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
    assert answer.content == b""


def test_cancelling_at_the_login_page_returns_an_error_to_the_client(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key)
    url = rp.authorize_url()
    tx = _TX.search(rp.session.get(url).text)
    assert tx
    answer = rp.session.post(url, data={"tx": tx.group(1), "step": "cancel"}, allow_redirects=False)
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["state-1"] and query["iss"] == [idp.issuer]


def _staff_sign_in(idp: RunningIdp, username: str) -> tuple[RelyingParty, requests.Response]:
    """The staff console's sign-in (a public client with PKCE): the IdP's pages, then the code exchange."""
    rp = RelyingParty(idp, None, client_id="ssp-staff-console", redirect_uri=STAFF_REDIRECT)
    answer = rp.log_in(rp.authorize_url(scope="openid", claims=""), {"username": username, "secret": "111111"})
    exchange = {"grant_type": "authorization_code", "code": rp.code_from(answer), "redirect_uri": STAFF_REDIRECT, "code_verifier": rp.verifier}
    tokens = requests.post(rp.discovery["token_endpoint"], data={**exchange, "client_id": "ssp-staff-console"}, headers={"Origin": PUBLIC_URL}, timeout=5)
    return rp, tokens


def test_the_staff_console_signs_in_with_pkce_and_gets_a_token_with_roles(idp: RunningIdp) -> None:
    rp, tokens = _staff_sign_in(idp, "reviewer")
    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["Access-Control-Allow-Origin"] == PUBLIC_URL
    access = jwt.decode(tokens.json()["access_token"], rp.keys(), algorithms=["RS256"]).claims
    assert access["aud"] == "ssp-staff" and access["roles"] == ["reviewer"] and access["iss"] == idp.issuer


def test_the_sample_reviewer_limited_to_one_program_gets_the_programs_claim(idp: RunningIdp) -> None:
    from chalicelib.auth.staff import _programs
    from chalicelib.identity.callers import StaffCaller

    rp, tokens = _staff_sign_in(idp, "reviewer-csg")
    access = jwt.decode(tokens.json()["access_token"], rp.keys(), algorithms=["RS256"]).claims
    assert access["roles"] == ["reviewer"] and access["programs"] == ["child-support-grant"]
    limited = StaffCaller(ref="r", subject=access["sub"], roles=frozenset(access["roles"]), programs=_programs(access))
    assert limited.may_see_program("child-support-grant") and not limited.may_see_program("another-program")
    unlimited = jwt.decode(idp.provider.staff_token("reviewer"), rp.keys(), algorithms=["RS256"]).claims
    assert "programs" not in unlimited  # the plain reviewer sees every program


def test_a_staff_member_with_a_wrong_code_is_not_signed_in(idp: RunningIdp) -> None:
    rp = RelyingParty(idp, None, client_id="ssp-staff-console", redirect_uri=STAFF_REDIRECT)
    answer = rp.log_in(rp.authorize_url(scope="openid", claims=""), {"username": "admin", "secret": "123456"})
    assert answer.status_code == 200 and "do not match" in answer.text


def test_the_local_stack_points_the_portal_at_the_dev_idp_and_keeps_its_keys(tmp_path: Path) -> None:
    ctx = StackContext(ports={"api": free_port(), "idp": free_port()}, data_dir=tmp_path)
    first = start(ctx)
    try:
        providers = json.loads(ctx.portal_env["SSP_OIDC_PROVIDERS"])
        assert providers[0]["id"] == "esignet" and providers[0]["discovery_url"] == first.discovery_url
        assert providers[0]["signing_key"].startswith("file:") and Path(providers[0]["signing_key"][5:]).exists()
        assert ctx.portal_env["SSP_STAFF_ISSUER"] == first.issuer
        assert ctx.portal_env["SSP_STAFF_JWKS_URL"] == first.jwks_url
        assert requests.get(first.jwks_url, timeout=5).json()["keys"][0]["kid"].startswith("idp-")
        kid = first.provider.signing_key.kid
        token = mint("officer", tmp_path)
    finally:
        first.stop()
    assert jwt.decode(token, first.provider.signing_key).claims["roles"] == ["officer"]
    second = start(StackContext(ports=ctx.ports, data_dir=tmp_path))
    try:
        assert second.provider.signing_key.kid == kid  # a restart keeps the keys
    finally:
        second.stop()


def test_portal_settings_name_the_staff_console(idp: RunningIdp, tmp_path: Path) -> None:
    settings = portal_settings(idp, tmp_path / "key.json")
    assert settings["SSP_STAFF_CLIENT_ID"] == "ssp-staff-console"
    assert settings["SSP_STAFF_AUDIENCE"] == "ssp-staff"


def test_the_login_pages_may_only_post_to_the_idp_and_redirect_to_its_clients(idp: RunningIdp, client_key: RSAKey) -> None:
    rp = RelyingParty(idp, client_key)
    page = rp.session.get(rp.authorize_url())
    policy = page.headers["Content-Security-Policy"]
    assert "form-action 'self' http://localhost:8000 https://other-service.example;" in policy
    assert "script-src" not in policy and "default-src 'none'" in policy
