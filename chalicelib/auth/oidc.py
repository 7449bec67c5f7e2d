"""The relying-party side of OpenID Connect, as eSignet expects it (and any OIDC provider accepts).

Everything is read from the provider's discovery document (eSignet's issuer string differs
between versions). The portal authenticates with ``private_key_jwt`` (or a client secret for a
plain provider), always uses PKCE S256, and verifies what comes back itself: the ID token
(signature by ``kid``, algorithm allow-list, iss, aud, azp, exp, iat, nonce, at_hash) and the
userinfo answer (a JWS, decrypted from a JWE first when the portal has an encryption key).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

from chalicelib.auth.jwks import REMOTE_KEYS, SignatureRejected, read_header, verify_signed_jwt
from chalicelib.auth.login_errors import LoginNotVerified, LoginRefused, ProviderUnavailable
from chalicelib.auth.provider_http import get_json, request
from chalicelib.auth.providers import LoginMethod, Provider, load_private_key, read_secret, signing_alg
from chalicelib.observability import logger

DISCOVERY_MAX_AGE_SECONDS = 3600
CLOCK_LEEWAY_SECONDS = 60
ID_TOKEN_MAX_AGE_SECONDS = 600
ASSERTION_LIFETIME_SECONDS = 60
# Claims that describe the token, not the person: never "shared data" in the consent record.
PROTOCOL_CLAIMS = frozenset({"sub", "iss", "aud", "azp", "exp", "iat", "nbf", "jti", "nonce", "auth_time", "acr", "amr", "at_hash", "c_hash", "sid", "s_hash"})
JWE_ALGS = ["RSA-OAEP-256", "RSA-OAEP", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A256KW", "A128GCM", "A192GCM", "A256GCM", "A128CBC-HS256", "A256CBC-HS512"]


class Discovery(NamedTuple):
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    end_session_endpoint: str | None
    iss_parameter_supported: bool


class Tokens(NamedTuple):
    id_token: str
    access_token: str


class VerifiedLogin(NamedTuple):
    issuer: str
    subject: str
    id_token: str
    acr: str | None
    claims: dict[str, Any]  # userinfo claims (or the ID token's when there is no userinfo)


_discovery_lock = threading.Lock()
_discovered: dict[str, tuple[float, Discovery]] = {}


def discover(provider: Provider) -> Discovery:
    """The provider's discovery document, cached for an hour per process."""
    with _discovery_lock:
        cached = _discovered.get(provider.discovery_url)
    if cached and time.monotonic() - cached[0] < DISCOVERY_MAX_AGE_SECONDS:
        return cached[1]
    document = get_json(provider.discovery_url)
    try:
        discovery = Discovery(
            issuer=_url(document, "issuer"),
            authorization_endpoint=_url(document, "authorization_endpoint"),
            token_endpoint=_url(document, "token_endpoint"),
            jwks_uri=_url(document, "jwks_uri"),
            userinfo_endpoint=_url(document, "userinfo_endpoint", required=False),
            end_session_endpoint=_url(document, "end_session_endpoint", required=False),
            iss_parameter_supported=document.get("authorization_response_iss_parameter_supported") is True,
        )
    except ValueError:
        logger.warning("provider_discovery_unusable", extra={"provider": provider.id})
        raise ProviderUnavailable() from None
    with _discovery_lock:
        _discovered[provider.discovery_url] = (time.monotonic(), discovery)
    return discovery


def _url(document: dict[str, Any], name: str, required: bool = True) -> Any:
    value = document.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise ValueError(name)
    return value


def forget_discovery() -> None:
    with _discovery_lock:
        _discovered.clear()
    REMOTE_KEYS.clear()


# --- authorization request --------------------------------------------------------------------


def new_pkce_verifier() -> str:
    return secrets.token_urlsafe(64)  # 86 characters of [A-Za-z0-9_-]: inside RFC 7636's 43..128


def pkce_challenge(verifier: str) -> str:
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def authorization_url(
    provider: Provider,
    discovery: Discovery,
    method: LoginMethod,
    *,
    state: str,
    nonce: str,
    verifier: str,
    redirect_uri: str,
    locale: str | None,
) -> str:
    params: dict[str, str] = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(provider.scopes),
        "state": state,
        "nonce": nonce,
        "code_challenge": pkce_challenge(verifier),
        "code_challenge_method": "S256",
    }
    if provider.claims is not None:
        params["claims"] = json.dumps(provider.claims, separators=(",", ":"))
    if method.acr_values:
        params["acr_values"] = " ".join(method.acr_values)
    ui_locales = list(dict.fromkeys([*([locale] if locale else []), *provider.ui_locales]))
    if ui_locales:
        params["ui_locales"] = " ".join(ui_locales)
    if provider.claims_locales:
        params["claims_locales"] = " ".join(provider.claims_locales)
    if provider.prompt:
        params["prompt"] = provider.prompt
    if provider.max_age is not None:
        params["max_age"] = str(provider.max_age)
    separator = "&" if "?" in discovery.authorization_endpoint else "?"
    return discovery.authorization_endpoint + separator + urlencode(params, quote_via=quote)


# --- token request ----------------------------------------------------------------------------


def client_assertion(provider: Provider, audience: str) -> str:
    """A single-use private_key_jwt assertion: iss = sub = client_id, aud = the token endpoint."""
    from joserfc import jwt  # joserfc and cryptography stay off the cold-start path

    key = load_private_key(provider.signing_key, provider.signing_kid)
    alg = signing_alg(provider, key)
    issued = int(time.time())
    claims = {
        "iss": provider.client_id,
        "sub": provider.client_id,
        "aud": audience,
        "jti": secrets.token_urlsafe(24),
        "iat": issued,
        "exp": issued + ASSERTION_LIFETIME_SECONDS,
    }
    return jwt.encode({"alg": alg, "kid": key.kid, "typ": "JWT"}, claims, key, algorithms=[alg])


def exchange_code(provider: Provider, discovery: Discovery, code: str, verifier: str, redirect_uri: str) -> Tokens:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
        "client_id": provider.client_id,
    }
    auth: tuple[str, str] | None = None
    if provider.client_auth == "private_key_jwt":
        data["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        data["client_assertion"] = client_assertion(provider, discovery.token_endpoint)
    elif provider.client_auth == "client_secret_post":
        data["client_secret"] = read_secret(provider.client_secret).strip()
    else:
        # RFC 6749 2.3.1: both parts are form-encoded before they go into the Basic header.
        auth = (quote(provider.client_id, safe=""), quote(read_secret(provider.client_secret).strip(), safe=""))
    response = request("POST", discovery.token_endpoint, data=data, auth=auth, headers={"Accept": "application/json"})
    body = response.json()
    if response.status >= 500:
        raise ProviderUnavailable()
    if response.status != 200:
        provider_error = body.get("error") if isinstance(body, dict) else None
        logger.info("login_code_rejected", extra={"provider": provider.id, "status": response.status, "provider_error": safe_code(provider_error)})
        raise LoginRefused(
            "The identity provider did not accept this login. Please log in again.",
            code="code_rejected",
            details={"provider_error": safe_code(provider_error)},
        )
    if not isinstance(body, dict) or not isinstance(body.get("id_token"), str) or not isinstance(body.get("access_token"), str):
        raise ProviderUnavailable()
    if str(body.get("token_type", "")).lower() != "bearer":
        raise ProviderUnavailable()
    return Tokens(id_token=body["id_token"], access_token=body["access_token"])


def safe_code(value: Any) -> str:
    """A provider's error code, reduced to something safe to log and to show."""
    if not isinstance(value, str):
        return "unknown"
    cleaned = "".join(c for c in value[:64] if c.isascii() and (c.isalnum() or c in "_-."))
    return cleaned or "unknown"


# --- verification -----------------------------------------------------------------------------


def _keys(discovery: Discovery) -> Any:
    return lambda refresh: REMOTE_KEYS.key_set(discovery.jwks_uri, refresh)


def verify_id_token(provider: Provider, discovery: Discovery, tokens: Tokens, nonce: str) -> dict[str, Any]:
    """The ID token's claims once signature, iss, aud/azp, exp, iat, nonce and at_hash all hold."""
    invalid = LoginNotVerified(code="id_token_invalid")
    try:
        claims = verify_signed_jwt(tokens.id_token, _keys(discovery), provider.id_token_algs)
    except SignatureRejected as rejected:
        logger.warning("id_token_rejected", extra={"provider": provider.id, "reason": str(rejected)})
        raise invalid from None
    problem = _id_token_problem(provider, discovery, claims, nonce, tokens)
    if problem:
        logger.warning("id_token_rejected", extra={"provider": provider.id, "reason": problem})
        raise invalid
    return claims


def _id_token_problem(provider: Provider, discovery: Discovery, claims: dict[str, Any], nonce: str, tokens: Tokens) -> str | None:
    now = time.time()
    if claims.get("iss") != discovery.issuer:
        return "iss"
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if provider.client_id not in audiences:
        return "aud"
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        return "azp"
    if "azp" in claims and claims["azp"] != provider.client_id:
        return "azp"
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or isinstance(exp, bool) or exp < now - CLOCK_LEEWAY_SECONDS:
        return "exp"
    if not isinstance(iat, int | float) or isinstance(iat, bool) or iat > now + CLOCK_LEEWAY_SECONDS or iat < now - ID_TOKEN_MAX_AGE_SECONDS:
        return "iat"
    presented = claims.get("nonce")
    if not isinstance(presented, str) or not hmac.compare_digest(presented.encode(), nonce.encode()):
        return "nonce"
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        return "sub"
    at_hash = claims.get("at_hash")
    if at_hash is not None:
        expected = _half_hash(tokens.access_token, str(read_header(tokens.id_token).get("alg")))
        if expected is None or not isinstance(at_hash, str) or not hmac.compare_digest(at_hash, expected):
            return "at_hash"
    return None


def _half_hash(value: str, alg: str) -> str | None:
    digest = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}.get(alg[-3:])
    if alg == "EdDSA":
        digest = hashlib.sha512
    if digest is None:
        return None
    full = digest(value.encode("ascii")).digest()
    return _b64url(full[: len(full) // 2])


def fetch_userinfo(provider: Provider, discovery: Discovery, tokens: Tokens, subject: str) -> dict[str, Any]:
    """The person's claims from the userinfo endpoint, verified as the provider's profile demands."""
    invalid = LoginNotVerified(code="userinfo_invalid")
    if discovery.userinfo_endpoint is None:
        raise ProviderUnavailable()
    headers = {"Authorization": f"Bearer {tokens.access_token}", "Accept": "application/jwt, application/json"}
    response = request("GET", discovery.userinfo_endpoint, headers=headers)
    if response.status >= 500:
        raise ProviderUnavailable()
    if response.status != 200:
        logger.warning("userinfo_rejected", extra={"provider": provider.id, "reason": f"status {response.status}"})
        raise invalid
    text = response.body.decode("utf-8", errors="replace").strip()
    if response.content_type == "application/jwt" or (text.count(".") in (2, 4) and not text.startswith("{")):
        claims = _verified_userinfo_jwt(provider, discovery, text, invalid)
    elif provider.userinfo == "json" and response.content_type == "application/json" and isinstance(response.json(), dict):
        claims = dict(response.json())
    else:
        logger.warning("userinfo_rejected", extra={"provider": provider.id, "reason": "unsigned"})
        raise invalid
    if claims.get("sub") != subject:
        logger.warning("userinfo_rejected", extra={"provider": provider.id, "reason": "sub"})
        raise invalid
    return claims


def _verified_userinfo_jwt(provider: Provider, discovery: Discovery, text: str, invalid: LoginNotVerified) -> dict[str, Any]:
    if text.count(".") == 4:
        text = _decrypt_userinfo(provider, text, invalid)
    try:
        claims = verify_signed_jwt(text, _keys(discovery), provider.id_token_algs)
    except SignatureRejected as rejected:
        logger.warning("userinfo_rejected", extra={"provider": provider.id, "reason": str(rejected)})
        raise invalid from None
    problem = _userinfo_problem(provider, discovery, claims)
    if problem:
        logger.warning("userinfo_rejected", extra={"provider": provider.id, "reason": problem})
        raise invalid
    return claims


def _userinfo_problem(provider: Provider, discovery: Discovery, claims: dict[str, Any]) -> str | None:
    """Which claim of a signed userinfo says it was not meant for us (by name only: no values)."""
    if "iss" in claims and claims["iss"] != discovery.issuer:
        return "iss"
    if "aud" in claims:
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if provider.client_id not in audiences:
            return "aud"
    return None


def _decrypt_userinfo(provider: Provider, text: str, invalid: LoginNotVerified) -> str:
    # joserfc and cryptography stay off the cold-start path.
    from joserfc import jwe
    from joserfc.errors import JoseError

    if not provider.encryption_key:
        logger.warning("userinfo_rejected", extra={"provider": provider.id, "reason": "encrypted but no key"})
        raise invalid
    key = load_private_key(provider.encryption_key)
    try:
        plaintext = jwe.decrypt_compact(text, key, algorithms=JWE_ALGS).plaintext or b""
        return plaintext.decode("ascii").strip()
    except (JoseError, ValueError, TypeError, UnicodeError):
        logger.warning("userinfo_rejected", extra={"provider": provider.id, "reason": "undecryptable"})
        raise invalid from None


def verify_login(provider: Provider, discovery: Discovery, tokens: Tokens, nonce: str) -> VerifiedLogin:
    id_claims = verify_id_token(provider, discovery, tokens, nonce)
    subject = str(id_claims["sub"])
    if provider.userinfo == "none":
        claims = id_claims
    else:
        claims = fetch_userinfo(provider, discovery, tokens, subject)
    acr = id_claims.get("acr")
    return VerifiedLogin(
        issuer=discovery.issuer,
        subject=subject,
        id_token=tokens.id_token,
        acr=acr if isinstance(acr, str) else None,
        claims=claims,
    )


def end_session_url(provider: Provider, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser to end the session at the provider too, when it offers that.

    RP-Initiated Logout 1.0 with ``client_id`` and the registered ``post_logout_redirect_uri``,
    never ``id_token_hint``: the provider's tokens do not reach the browser (the URL would sit in
    its history). A provider may then ask the person to confirm that they want to log out there.
    """
    try:
        discovery = discover(provider)
    except ProviderUnavailable:
        return None
    if not discovery.end_session_endpoint:
        return None
    params = {"client_id": provider.client_id, "post_logout_redirect_uri": post_logout_redirect_uri}
    separator = "&" if "?" in discovery.end_session_endpoint else "?"
    return discovery.end_session_endpoint + separator + urlencode(params, quote_via=quote)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
