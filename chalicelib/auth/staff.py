"""Staff bearer tokens: JWTs from the staff identity provider, verified against its JWKS.

Keys are found by ``kid`` in the issuer's JWKS (cached; fetched again once, rate-limited, when a
token names an unknown key), the algorithm must be on the allow-list (never ``none`` or HMAC),
and ``iss``, ``aud``, ``exp`` (and ``nbf``/``iat`` when present) must hold. Roles are read from
the claim configured in ``SSP_STAFF_ROLES_CLAIM`` (a dotted path: ``roles``, ``groups``,
``cognito:groups``, ``realm_access.roles``).

A reviewer may be limited to some programs: when the token carries the claim named by
``SSP_STAFF_PROGRAMS_CLAIM`` (default ``programs``, a dotted path too) holding program ids, the
reviewer sees only those programs' queues, applications, counts and documents. Without the
claim a reviewer sees every program (a ministry that wants per-program reviewers releases the
claim from its identity provider); a claim that is present but unreadable limits to none.
Admins are never limited.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from chalicelib import config
from chalicelib.auth.jwks import REMOTE_KEYS, SignatureRejected, verify_signed_jwt
from chalicelib.errors import NotAuthenticated
from chalicelib.identity.callers import StaffCaller
from chalicelib.observability import logger

ALLOWED_ALGS = ["RS256", "PS256", "ES256"]
CLOCK_LEEWAY_SECONDS = 30


def _key_set(refresh: bool = False) -> Any:
    from joserfc.jwk import KeySet

    inline = config.get("SSP_STAFF_JWKS")
    if inline:
        return KeySet.import_key_set(json.loads(inline))
    url = config.get("SSP_STAFF_JWKS_URL")
    if not url:
        raise NotAuthenticated("Staff sign-in is not configured.", code="staff_auth_not_configured")
    return REMOTE_KEYS.key_set(url, refresh)


def verify_staff_token(token: str) -> StaffCaller:
    """Verify signature (alg allow-list, key by kid), iss, aud, exp, nbf; read the roles."""
    from joserfc import jwt
    from joserfc.errors import JoseError

    invalid = NotAuthenticated(
        "Your sign-in is not valid. Please sign in again.", code="invalid_token", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
    )
    if len(token) > 16_384:
        raise invalid
    try:
        claims = verify_signed_jwt(token, _key_set, ALLOWED_ALGS)
        registry = jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_SECONDS,
            iss={"essential": True, "value": config.get("SSP_STAFF_ISSUER")},
            aud={"essential": True, "value": config.get("SSP_STAFF_AUDIENCE")},
            exp={"essential": True},
            sub={"essential": True},
        )
        registry.validate(claims)
    except SignatureRejected as rejected:
        logger.info("staff_token_rejected", extra={"reason": str(rejected)})
        raise invalid from None
    except (JoseError, ValueError, TypeError, KeyError) as error:
        logger.info("staff_token_rejected", extra={"reason": type(error).__name__})
        raise invalid from None
    roles = _claim_path(claims, config.get("SSP_STAFF_ROLES_CLAIM"))
    if isinstance(roles, str):
        roles = roles.split()
    if not isinstance(roles, list):
        roles = []
    subject = str(claims["sub"])
    ref = "staff-" + hashlib.sha256(f"{claims['iss']}#{subject}".encode()).hexdigest()[:12]
    return StaffCaller(ref=ref, subject=subject, roles=frozenset(str(r) for r in roles), programs=_programs(claims))


def _programs(claims: dict[str, Any]) -> frozenset[str] | None:
    """The program ids of the programs claim; None when the token does not carry it."""
    value = _claim_path(claims, config.get("SSP_STAFF_PROGRAMS_CLAIM"), missing=_MISSING)
    if value is _MISSING:
        return None
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        logger.info("staff_programs_claim_unreadable", extra={"type": type(value).__name__})
        return frozenset()  # present but not a list of ids: limited to none rather than to all
    return frozenset(value)


_MISSING = object()


def _claim_path(claims: dict[str, Any], path: str, missing: Any = None) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return missing
        value = value[part]
    return value
