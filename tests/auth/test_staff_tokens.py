"""Every staff route refuses a missing, expired, wrongly signed or wrong-role bearer token.

The routes are read from ``chalicelib.web.OPERATIONS``, so a staff route added anywhere is
checked here without anyone touching this file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator

import pytest
from chalice.test import Client
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from app import app as chalice_app
from chalicelib.auth import jwks
from chalicelib.auth.staff import verify_staff_token
from chalicelib.errors import NotAuthenticated
from chalicelib.web import OPERATIONS, Operation
from infra.local.idp import RunningIdp
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.aws import portal_aws
from tests.support.environment import OTHER_KEY, STAFF_AUDIENCE, STAFF_ISSUER, STAFF_KEY
from tests.support.factories import logged_in, staff_token

KNOWN_ROLES = ("admin", "reviewer", "officer", "integration")
STAFF_OPERATIONS = [op for op in OPERATIONS if op.access.kind == "staff"]


def test_there_are_staff_routes_to_check() -> None:
    assert len(STAFF_OPERATIONS) >= 1


@pytest.fixture(scope="module")
def staff_api() -> Iterator[Api]:
    """One AWS mock for the whole module: the guard refuses before any handler reads a table,
    and the few calls that get past it only read (or fail validation)."""
    with portal_aws(), Client(chalice_app) as client:
        yield Api(client)


@pytest.fixture(scope="module")
def module_registrant(staff_api: Api) -> AsRegistrant:
    return logged_in()


def _path(op: Operation) -> str:
    return re.sub(r"{[^}]+}", "00000000-0000-0000-0000-000000000000", op.path)


def _call(api: Api, op: Operation, headers: dict[str, str]) -> tuple[int, str | None, dict[str, str]]:
    answer = api.request(op.method, _path(op), headers=headers)
    return answer.status, answer.error_code, answer.headers


def _wrong_roles(op: Operation) -> list[str]:
    return [r for r in KNOWN_ROLES if r not in op.access.roles] or ["registrant"]


@pytest.fixture(params=STAFF_OPERATIONS, ids=lambda op: f"{op.method} {op.path}")
def staff_route(request: pytest.FixtureRequest) -> Operation:
    return request.param  # type: ignore[no-any-return]


def test_a_staff_route_refuses_a_call_without_a_token(staff_api: Api, staff_route: Operation) -> None:
    status, code, headers = _call(staff_api, staff_route, {})
    assert (status, code) == (401, "missing_token")
    assert headers["www-authenticate"].startswith("Bearer")


def test_a_staff_route_refuses_a_registrant_session_instead_of_a_token(staff_api: Api, staff_route: Operation, module_registrant: AsRegistrant) -> None:
    status, code, _ = _call(staff_api, staff_route, module_registrant.headers(staff_route.method))
    assert (status, code) == (401, "missing_token")


def test_a_staff_route_refuses_an_expired_token(staff_api: Api, staff_route: Operation) -> None:
    token = staff_token(*staff_route.access.roles, expires_in=-120)
    status, code, _ = _call(staff_api, staff_route, AsStaff(token).headers(staff_route.method))
    assert (status, code) == (401, "invalid_token")


def test_a_staff_route_refuses_a_wrongly_signed_token(staff_api: Api, staff_route: Operation) -> None:
    token = staff_token(*staff_route.access.roles, key=OTHER_KEY)  # same kid, another key
    status, code, _ = _call(staff_api, staff_route, AsStaff(token).headers(staff_route.method))
    assert (status, code) == (401, "invalid_token")


def test_a_staff_route_refuses_a_token_with_the_wrong_role(staff_api: Api, staff_route: Operation) -> None:
    token = staff_token(*_wrong_roles(staff_route))
    status, code, _ = _call(staff_api, staff_route, AsStaff(token).headers(staff_route.method))
    assert (status, code) == (403, "wrong_role")


def test_a_staff_route_refuses_a_token_without_roles(staff_api: Api, staff_route: Operation) -> None:
    status, code, _ = _call(staff_api, staff_route, AsStaff(staff_token()).headers(staff_route.method))
    assert (status, code) == (403, "wrong_role")


def test_a_staff_route_lets_the_right_role_past_the_guard(staff_api: Api, staff_route: Operation) -> None:
    status, code, _ = _call(staff_api, staff_route, AsStaff(staff_token(staff_route.access.roles[0])).headers(staff_route.method))
    assert code not in ("missing_token", "invalid_token", "wrong_role"), status


# --- the verifier itself -------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {"iss": STAFF_ISSUER, "aud": STAFF_AUDIENCE, "sub": "staff-1", "iat": now, "exp": now + 300, "roles": ["admin"]}
    claims.update(overrides)
    return claims


def _refused(token: str) -> None:
    with pytest.raises(NotAuthenticated) as refused:
        verify_staff_token(token)
    assert refused.value.code == "invalid_token"


def test_a_valid_token_names_the_staff_member_and_their_roles() -> None:
    caller = verify_staff_token(staff_token("reviewer", "officer", subject="staff-42"))
    assert caller.subject == "staff-42"
    assert caller.roles == frozenset({"reviewer", "officer"})
    assert caller.ref.startswith("staff-") and "42" not in caller.ref


@pytest.mark.parametrize(
    "overrides",
    [{"iss": "https://other-issuer.test"}, {"aud": "another-api"}, {"sub": None}, {"exp": None}, {"nbf": int(time.time()) + 3600}],
    ids=["wrong-issuer", "wrong-audience", "no-subject", "no-expiry", "not-yet-valid"],
)
def test_a_token_with_wrong_claims_is_refused(overrides: dict[str, object]) -> None:
    claims = {k: v for k, v in _claims(**overrides).items() if v is not None}
    _refused(jwt.encode({"alg": "RS256", "kid": STAFF_KEY.kid}, claims, STAFF_KEY))


def test_a_token_signed_with_alg_none_is_refused() -> None:
    header = _b64(json.dumps({"alg": "none", "kid": STAFF_KEY.kid}).encode())
    _refused(f"{header}.{_b64(json.dumps(_claims()).encode())}.")


def test_a_token_hmac_signed_with_the_issuers_public_key_is_refused() -> None:
    header = _b64(json.dumps({"alg": "HS256", "kid": STAFF_KEY.kid}).encode())
    payload = _b64(json.dumps(_claims()).encode())
    signature = _b64(hmac.new(STAFF_KEY.as_pem(private=False), f"{header}.{payload}".encode(), hashlib.sha256).digest())
    _refused(f"{header}.{payload}.{signature}")


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c", "a.b.c.d.e", "x" * 20000])
def test_garbage_is_refused(token: str) -> None:
    _refused(token)


def test_a_token_signed_by_a_key_the_issuer_never_published_is_refused() -> None:
    stranger = ECKey.generate_key("P-256", parameters={"kid": "stranger"})
    _refused(jwt.encode({"alg": "ES256", "kid": "stranger"}, _claims(), stranger))


@pytest.mark.parametrize(
    "claim_path, claims",
    [
        ("groups", {"groups": ["reviewer"]}),
        ("cognito:groups", {"cognito:groups": ["reviewer"]}),
        ("realm_access.roles", {"realm_access": {"roles": ["reviewer"]}}),
        ("scope_roles", {"scope_roles": "reviewer auditor"}),
    ],
)
def test_roles_are_read_from_the_configured_claim(monkeypatch: pytest.MonkeyPatch, claim_path: str, claims: dict[str, object]) -> None:
    monkeypatch.setenv("SSP_STAFF_ROLES_CLAIM", claim_path)
    token = jwt.encode({"alg": "RS256", "kid": STAFF_KEY.kid}, _claims(roles=None) | claims, STAFF_KEY)
    assert "reviewer" in verify_staff_token(token).roles


# --- against the dev IdP's JWKS URL ----------------------------------------------------------


@pytest.fixture
def staff_issuer(dev_idp: RunningIdp, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningIdp]:
    monkeypatch.delenv("SSP_STAFF_JWKS", raising=False)
    monkeypatch.setenv("SSP_STAFF_ISSUER", dev_idp.issuer)
    monkeypatch.setenv("SSP_STAFF_AUDIENCE", "ssp-staff")
    monkeypatch.setenv("SSP_STAFF_JWKS_URL", dev_idp.jwks_url)
    yield dev_idp
    jwks.REMOTE_KEYS.clear()


def test_a_dev_idp_staff_token_is_accepted_through_its_jwks_url(staff_issuer: RunningIdp) -> None:
    caller = verify_staff_token(staff_issuer.provider.staff_token("reviewer"))
    assert caller.roles == frozenset({"reviewer"})


def test_a_rotated_staff_issuer_key_is_fetched_again_once(staff_issuer: RunningIdp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jwks, "REFETCH_MIN_INTERVAL_SECONDS", 0.0)
    verify_staff_token(staff_issuer.provider.staff_token("admin"))
    staff_issuer.provider.rotate_signing_key()
    assert verify_staff_token(staff_issuer.provider.staff_token("admin")).roles == frozenset({"admin"})


def test_tokens_naming_unknown_keys_do_not_make_the_portal_hammer_the_issuer(staff_issuer: RunningIdp) -> None:
    fetches: list[str] = []
    original = jwks.REMOTE_KEYS._fetch
    monkeypatched = jwks.KeySetCache(lambda url: fetches.append(url) or original(url))
    stranger = RSAKey.generate_key(2048, parameters={"kid": "unknown-kid"})
    claims = {"iss": staff_issuer.issuer, "aud": "ssp-staff", "sub": "x", "exp": int(time.time()) + 60}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jwks, "REMOTE_KEYS", monkeypatched)
        patch.setattr("chalicelib.auth.staff.REMOTE_KEYS", monkeypatched)
        for _ in range(20):
            _refused(jwt.encode({"alg": "RS256", "kid": "unknown-kid"}, claims, stranger))
    assert len(fetches) <= 2


@pytest.mark.parametrize("jwks_body", [b'{"keys": [{"kty": "foo"}]}', b"{}", b"<html>down</html>"], ids=["unknown-key-type", "empty-object", "not-json"])
def test_a_staff_issuer_key_set_the_portal_cannot_read_is_a_502_not_a_500(staff_api: Api, monkeypatch: pytest.MonkeyPatch, jwks_body: bytes) -> None:
    from tests.auth.scripted_provider import scripted_provider

    with scripted_provider() as issuer:
        issuer.jwks_answer = (200, "application/json", jwks_body)
        monkeypatch.delenv("SSP_STAFF_JWKS", raising=False)
        monkeypatch.setenv("SSP_STAFF_JWKS_URL", issuer.issuer + "/jwks")
        op = STAFF_OPERATIONS[0]
        try:
            status, code, _ = _call(staff_api, op, AsStaff(staff_token(*op.access.roles)).headers(op.method))
        finally:
            jwks.REMOTE_KEYS.clear()
    assert (status, code) == (502, "provider_unavailable")
