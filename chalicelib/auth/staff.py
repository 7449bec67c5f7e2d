"""Staff bearer tokens: JWTs from the staff identity provider, verified against its JWKS."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from chalicelib import config
from chalicelib.errors import NotAuthenticated

ALLOWED_ALGS = ["RS256", "PS256", "ES256"]
JWKS_MAX_AGE_SECONDS = 600


@dataclass(frozen=True)
class StaffCaller:
    ref: str  # opaque reference shown to registrants instead of a name
    subject: str
    roles: frozenset[str]


_jwks_cache: dict[str, tuple[float, Any]] = {}


def _key_set(refresh: bool = False) -> Any:
    from joserfc.jwk import KeySet

    inline = config.get("SSP_STAFF_JWKS")
    if inline:
        return KeySet.import_key_set(json.loads(inline))
    url = config.get("SSP_STAFF_JWKS_URL")
    if not url:
        raise NotAuthenticated("Staff sign-in is not configured.", code="staff_auth_not_configured")
    cached = _jwks_cache.get(url)
    if cached and not refresh and time.monotonic() - cached[0] < JWKS_MAX_AGE_SECONDS:
        return cached[1]
    import requests

    keys = KeySet.import_key_set(requests.get(url, timeout=5).json())
    _jwks_cache[url] = (time.monotonic(), keys)
    return keys


def verify_staff_token(token: str) -> StaffCaller:
    """Verify signature (alg allow-list, key by kid), iss, aud, exp, nbf; read the roles."""
    from joserfc import jwt
    from joserfc.errors import JoseError

    invalid = NotAuthenticated("Your sign-in is not valid. Please sign in again.", code="invalid_token")
    try:
        try:
            decoded = jwt.decode(token, _key_set(), algorithms=ALLOWED_ALGS)
        except JoseError:
            # One refetch covers a key rotated since we cached the JWKS.
            decoded = jwt.decode(token, _key_set(refresh=True), algorithms=ALLOWED_ALGS)
        registry = jwt.JWTClaimsRegistry(
            leeway=30,
            iss={"essential": True, "value": config.get("SSP_STAFF_ISSUER")},
            aud={"essential": True, "value": config.get("SSP_STAFF_AUDIENCE")},
            exp={"essential": True},
            sub={"essential": True},
        )
        registry.validate(decoded.claims)
    except (JoseError, ValueError, TypeError, KeyError):
        raise invalid from None
    claims = decoded.claims
    roles = _claim_path(claims, config.get("SSP_STAFF_ROLES_CLAIM"))
    if isinstance(roles, str):
        roles = roles.split()
    if not isinstance(roles, list):
        roles = []
    subject = str(claims["sub"])
    ref = "staff-" + hashlib.sha256(f"{claims['iss']}#{subject}".encode()).hexdigest()[:12]
    return StaffCaller(ref=ref, subject=subject, roles=frozenset(str(r) for r in roles))


def _claim_path(claims: dict[str, Any], path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
