"""Verifying signed JWTs against a remote JWKS: keys by ``kid``, cached, refetched once when a
token names an unknown ``kid`` or fails its signature (a key rotated under the same ``kid``).

Registrant ID tokens, signed userinfo answers and staff bearer tokens all go through
``verify_signed_jwt``. The algorithm comes from the token's header but must be on the caller's
allow-list, which never holds ``none`` or an HMAC algorithm (an HS256 token "signed" with a
provider's public key is refused before any key is looked at).

A key set the issuer publishes but we cannot read (not ``{"keys": [...]}``, or no key in it we
understand) is the issuer's fault, like an issuer that does not answer: ``ProviderUnavailable``
(502), never a 500. One malformed key among good ones is skipped, as RFC 7517 section 5 asks
for keys of an unknown type.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from typing import Any

from chalicelib.auth.login_errors import ProviderUnavailable
from chalicelib.auth.provider_http import get_json
from chalicelib.observability import logger

ASYMMETRIC_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
JWKS_MAX_AGE_SECONDS = 600
# A token naming a key we do not know, or failing its signature, makes us fetch the JWKS again,
# but not more often than this: staff tokens come from anyone on the internet, and each could
# name a random kid or carry a forged signature.
REFETCH_MIN_INTERVAL_SECONDS = 10.0


class SignatureRejected(Exception):
    """The JWT is malformed, uses a refused algorithm, names no known key or fails its signature."""


class KeySetCache:
    """The key sets of remote issuers, by JWKS URL, for the life of the process."""

    def __init__(self, fetch: Callable[[str], dict[str, Any]], clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self.clock = clock
        self._sets: dict[str, tuple[float, Any]] = {}
        self._last_fetch: dict[str, float] = {}
        self._lock = threading.Lock()

    def key_set(self, url: str, refresh: bool = False) -> Any:
        with self._lock:
            cached = self._sets.get(url)
            fresh = cached is not None and self.clock() - cached[0] < JWKS_MAX_AGE_SECONDS
            if cached is not None and fresh and not refresh:
                return cached[1]
            if cached is not None and refresh and self.clock() - self._last_fetch.get(url, 0.0) < REFETCH_MIN_INTERVAL_SECONDS:
                return cached[1]
        keys = import_remote_key_set(self._fetch(url))
        with self._lock:
            self._sets[url] = (self.clock(), keys)
            self._last_fetch[url] = self.clock()
        return keys

    def clear(self) -> None:
        with self._lock:
            self._sets.clear()
            self._last_fetch.clear()


def import_remote_key_set(document: Any) -> Any:
    """A joserfc KeySet of the keys in a published JWKS that we can use; ``ProviderUnavailable``
    when the document is not a JWKS or holds no key we can read."""
    # joserfc (and cryptography under it) is imported when a key set is first read, not at cold start.
    from joserfc.errors import JoseError
    from joserfc.jwk import JWKRegistry, KeySet

    published = document.get("keys") if isinstance(document, dict) else None
    keys = []
    for entry in published if isinstance(published, list) else []:
        if not isinstance(entry, dict):
            continue
        try:
            keys.append(JWKRegistry.import_key(entry))
        except (JoseError, ValueError, TypeError, KeyError, AttributeError):
            continue  # a key type or parameter we do not understand: not one we can verify with
    if not keys:
        logger.warning("provider_jwks_unusable", extra={"published_keys": len(published) if isinstance(published, list) else None})
        raise ProviderUnavailable()
    return KeySet(keys)


REMOTE_KEYS = KeySetCache(get_json)


def read_header(token: str) -> dict[str, Any]:
    """The protected header of a compact JWS, without verifying anything."""
    from joserfc import jws  # off the cold-start path, like every joserfc import here
    from joserfc.errors import JoseError

    try:
        return dict(jws.extract_compact(token.encode()).headers())
    except (JoseError, ValueError, TypeError, UnicodeError) as error:
        raise SignatureRejected("malformed") from error


def verify_signed_jwt(token: str, key_source: Callable[[bool], Any], algorithms: Collection[str]) -> dict[str, Any]:
    """The claims of ``token`` once its signature checks out with a key from ``key_source``.

    ``key_source(refresh)`` returns a joserfc KeySet; it is asked again with ``refresh=True``
    (once, and the cache rate-limits it) when the token's ``kid`` is not in the set or its
    signature fails with the key we hold: a provider may rotate its key under a new ``kid`` or,
    after a restart, under the same one.
    """

    if token.count(".") != 2:
        raise SignatureRejected("not a compact JWS")
    header = read_header(token)
    alg = header.get("alg")
    allowed = [a for a in algorithms if a in ASYMMETRIC_ALGS]
    if not isinstance(alg, str) or alg not in allowed:
        raise SignatureRejected("algorithm not allowed")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise SignatureRejected("bad kid")
    key = _find_key(key_source(False), kid, alg)
    refreshed = key is None
    if refreshed:
        key = _find_key(key_source(True), kid, alg)
    if key is None:
        raise SignatureRejected("unknown key")
    claims = _decoded(token, key, alg)
    if claims is None and not refreshed:
        renewed = _find_key(key_source(True), kid, alg)
        if renewed is not None and renewed.as_dict(private=False) != key.as_dict(private=False):
            claims = _decoded(token, renewed, alg)
    if claims is None:
        raise SignatureRejected("bad signature")
    return claims


def _decoded(token: str, key: Any, alg: str) -> dict[str, Any] | None:
    """The token's claims if ``key`` verifies its signature, else None."""
    from joserfc import jwt  # off the cold-start path
    from joserfc.errors import JoseError

    try:
        return dict(jwt.decode(token, key, algorithms=[alg]).claims)
    except (JoseError, ValueError, TypeError):
        return None


def _find_key(key_set: Any, kid: str | None, alg: str) -> Any:
    wanted = _key_type(alg)
    candidates = [k for k in key_set if k.key_type == wanted and _usable_for_signing(k)]
    if kid is not None:
        candidates = [k for k in candidates if k.kid == kid]
    elif len(candidates) != 1:
        return None  # without a kid, only an unambiguous single key will do
    return candidates[0] if candidates else None


def _usable_for_signing(key: Any) -> bool:
    return key.get("use") in (None, "sig")


def _key_type(alg: str) -> str:
    if alg.startswith(("RS", "PS")):
        return "RSA"
    if alg.startswith("ES"):
        return "EC"
    return "OKP"
