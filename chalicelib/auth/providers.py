"""Registrant identity providers, as configured in ``SSP_OIDC_PROVIDERS`` (a JSON list or ``@file``).

Each entry starts from a profile's defaults and overrides what it needs:

- ``esignet`` (the default): ``private_key_jwt``, the ``claims`` request of eSignet's mock
  relying party, login methods OTP / biometrics / wallet mapped to ``mosip:idp:acr:*``,
  userinfo that must be a signed JWT, ``individual_id`` kept when released.
- ``oidc``: a plain provider (Keycloak-like): ``client_secret_basic`` unless told otherwise,
  the standard scopes, JSON userinfo accepted (the ID token is always verified).

Keys and secrets are never written into the list itself but referenced: ``env:NAME``,
``file:path``, ``secretsmanager:<secret id>`` or ``ssm:<parameter name>``; a key may be a
PEM or a JWK. Each is read once per process and cached. See docs/login.md for every field.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any, NamedTuple

import boto3

from chalicelib import config
from chalicelib.auth.login_errors import UnknownProvider

CLIENT_AUTH_METHODS = ("private_key_jwt", "client_secret_basic", "client_secret_post")
USERINFO_MODES = ("jwt", "json", "none")
PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")

_ESIGNET_CLAIMS = {
    "userinfo": {
        "name": {"essential": True},
        "phone_number": {"essential": False},
        "email": {"essential": False},
        "gender": {"essential": False},
        "birthdate": {"essential": False},
        "address": {"essential": False},
        "individual_id": {"essential": False},
    },
    "id_token": {},
}

# claim -> profile field (the registrants area's field names). Names are never split: a
# provider that releases only ``name`` gives only ``name``.
_STANDARD_PROFILE_CLAIMS = {
    "name": "name",
    "gender": "gender",
    "birthdate": "birthdate",
    "phone_number": "phone",
    "email": "email",
    "address": "address",
}

PROFILES: dict[str, dict[str, Any]] = {
    "esignet": {
        "client_auth": "private_key_jwt",
        "scopes": ["openid", "profile"],
        "claims": _ESIGNET_CLAIMS,
        "methods": [
            {
                "id": "otp",
                "name": {"en": "One-time code", "fr": "Code à usage unique", "ar": "رمز لمرة واحدة"},
                "acr_values": ["mosip:idp:acr:generated-code"],
            },
            {
                "id": "biometrics",
                "name": {"en": "Fingerprint, face or iris", "fr": "Empreinte, visage ou iris", "ar": "البصمة أو الوجه أو القزحية"},
                "acr_values": ["mosip:idp:acr:biometrics"],
            },
            {
                "id": "wallet",
                "name": {"en": "Wallet app", "fr": "Application portefeuille", "ar": "تطبيق المحفظة"},
                "acr_values": ["mosip:idp:acr:linked-wallet"],
            },
        ],
        "profile_claims": _STANDARD_PROFILE_CLAIMS,
        "individual_id_claim": "individual_id",
        "userinfo": "jwt",
    },
    "oidc": {
        "client_auth": "client_secret_basic",
        "scopes": ["openid", "profile", "email", "phone", "address"],
        "claims": None,
        "methods": [{"id": "default", "name": {"en": "Log in", "fr": "Se connecter", "ar": "تسجيل الدخول"}, "acr_values": []}],
        "profile_claims": {**_STANDARD_PROFILE_CLAIMS, "locale": "preferred_language"},
        "individual_id_claim": None,
        "userinfo": "json",
    },
}


class ProviderConfigError(ValueError):
    """``SSP_OIDC_PROVIDERS`` does not describe usable providers (an operator's mistake)."""


class LoginMethod(NamedTuple):
    id: str
    name: dict[str, str]
    acr_values: tuple[str, ...]


class Provider(NamedTuple):
    id: str
    name: dict[str, str]
    profile: str
    discovery_url: str
    client_id: str
    client_auth: str
    methods: tuple[LoginMethod, ...]
    scopes: tuple[str, ...]
    claims: dict[str, Any] | None
    profile_claims: dict[str, str]
    individual_id_claim: str | None
    userinfo: str
    signing_key: Any = None  # a secret reference (str) or an inline JWK (dict)
    signing_alg: str | None = None
    signing_kid: str | None = None
    client_secret: str | None = None
    encryption_key: Any = None
    ui_locales: tuple[str, ...] = ()
    claims_locales: tuple[str, ...] = ()
    id_token_algs: tuple[str, ...] = ("RS256", "PS256", "ES256")
    prompt: str | None = None
    max_age: int | None = None

    def method(self, method_id: str | None) -> LoginMethod | None:
        if not method_id:
            return self.methods[0]
        return next((m for m in self.methods if m.id == method_id), None)

    def public_view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "methods": [{"id": m.id, "name": m.name} for m in self.methods],
            "login_url": f"/api/auth/login/{self.id}",
        }


_lock = threading.Lock()
_parsed: dict[str, tuple[Provider, ...]] = {}


def all_providers() -> tuple[Provider, ...]:
    raw = config.get("SSP_OIDC_PROVIDERS").strip()
    if raw.startswith("@"):
        raw = Path(raw[1:]).read_text()
    with _lock:
        cached = _parsed.get(raw)
    if cached is None:
        cached = parse_providers(raw)
        with _lock:
            _parsed[raw] = cached
    return cached


def provider(provider_id: str) -> Provider:
    found = next((p for p in all_providers() if p.id == provider_id), None)
    if found is None:
        raise UnknownProvider()
    return found


def parse_providers(raw: str) -> tuple[Provider, ...]:
    if not raw:
        return ()
    try:
        entries = json.loads(raw)
    except ValueError:
        raise ProviderConfigError("SSP_OIDC_PROVIDERS is not valid JSON") from None
    if not isinstance(entries, list):
        raise ProviderConfigError("SSP_OIDC_PROVIDERS must be a JSON list")
    providers = tuple(_parse_one(entry, index) for index, entry in enumerate(entries))
    ids = [p.id for p in providers]
    if len(set(ids)) != len(ids):
        raise ProviderConfigError("SSP_OIDC_PROVIDERS: provider ids must be unique")
    return providers


def _parse_one(entry: Any, index: int) -> Provider:
    where = f"SSP_OIDC_PROVIDERS[{index}]"
    if not isinstance(entry, dict):
        raise ProviderConfigError(f"{where} must be an object")
    profile = entry.get("profile", "esignet")
    if profile not in PROFILES:
        raise ProviderConfigError(f"{where}.profile must be one of {sorted(PROFILES)}")
    unknown = sorted(set(entry) - set(Provider._fields))
    if unknown:
        raise ProviderConfigError(f"{where} has unknown fields: {unknown}")
    merged = {**PROFILES[profile], **entry}
    for required in ("id", "discovery_url", "client_id"):
        if not isinstance(merged.get(required), str) or not merged[required]:
            raise ProviderConfigError(f"{where}.{required} is required")
    if not PROVIDER_ID.match(merged["id"]):
        raise ProviderConfigError(f"{where}.id must match {PROVIDER_ID.pattern}")
    if merged["client_auth"] not in CLIENT_AUTH_METHODS:
        raise ProviderConfigError(f"{where}.client_auth must be one of {CLIENT_AUTH_METHODS}")
    if merged["client_auth"] == "private_key_jwt" and not merged.get("signing_key"):
        raise ProviderConfigError(f"{where}.signing_key is required for private_key_jwt")
    if merged["client_auth"].startswith("client_secret") and not merged.get("client_secret"):
        raise ProviderConfigError(f"{where}.client_secret is required for {merged['client_auth']}")
    if merged["userinfo"] not in USERINFO_MODES:
        raise ProviderConfigError(f"{where}.userinfo must be one of {USERINFO_MODES}")
    methods = tuple(
        LoginMethod(id=str(m["id"]), name=dict(m.get("name") or {"en": str(m["id"])}), acr_values=tuple(m.get("acr_values") or ())) for m in merged["methods"]
    )
    if not methods:
        raise ProviderConfigError(f"{where}.methods must not be empty")
    return Provider(
        id=merged["id"],
        name=dict(merged.get("name") or {"en": merged["id"]}),
        profile=profile,
        discovery_url=merged["discovery_url"],
        client_id=merged["client_id"],
        client_auth=merged["client_auth"],
        methods=methods,
        scopes=tuple(merged["scopes"]),
        claims=merged.get("claims"),
        profile_claims=dict(merged["profile_claims"]),
        individual_id_claim=merged.get("individual_id_claim"),
        userinfo=merged["userinfo"],
        signing_key=merged.get("signing_key"),
        signing_alg=merged.get("signing_alg"),
        signing_kid=merged.get("signing_kid"),
        client_secret=merged.get("client_secret"),
        encryption_key=merged.get("encryption_key"),
        ui_locales=tuple(merged.get("ui_locales") or ()),
        claims_locales=tuple(merged.get("claims_locales") or ()),
        id_token_algs=tuple(merged.get("id_token_algs") or ("RS256", "PS256", "ES256")),
        prompt=merged.get("prompt"),
        max_age=merged.get("max_age"),
    )


# --- secrets and keys -------------------------------------------------------------------------

_secrets: dict[str, str] = {}
_keys: dict[str, Any] = {}


def read_secret(reference: Any) -> str:
    """The text a secret reference points at, read once per process.

    ``env:NAME``, ``file:path``, ``secretsmanager:<id>``, ``ssm:<name>``; a dict is an inline
    JWK; any other string is the value itself.
    """
    if isinstance(reference, dict):
        return json.dumps(reference)
    if not isinstance(reference, str) or not reference:
        raise ProviderConfigError("a key or secret reference is empty")
    with _lock:
        cached = _secrets.get(reference)
    if cached is not None:
        return cached
    scheme, _, name = reference.partition(":")
    if scheme == "env":
        value = _env_secret(name)
    elif scheme == "file":
        value = Path(name).read_text()
    elif scheme == "secretsmanager":
        value = _secrets_manager(name)
    elif scheme == "ssm":
        value = _ssm(name)
    else:
        value = reference
    with _lock:
        _secrets[reference] = value
    return value


def _env_secret(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ProviderConfigError(f"environment variable {name} is not set")
    return value


def _secrets_manager(secret_id: str) -> str:
    client = boto3.client("secretsmanager", region_name=config.region())
    return str(client.get_secret_value(SecretId=secret_id)["SecretString"])


def _ssm(name: str) -> str:
    client = boto3.client("ssm", region_name=config.region())
    return str(client.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"])


def load_private_key(reference: Any, kid: str | None = None) -> Any:
    """A joserfc private key from a PEM or a JWK (or a JWKS holding one key), with a ``kid``.

    Without a ``kid`` in the JWK or the config, the key's RFC 7638 thumbprint is its kid: the
    registration helper prints the same value, so what is registered matches what is sent.
    """
    cache_key = json.dumps([reference, kid], sort_keys=True, default=str)
    with _lock:
        cached = _keys.get(cache_key)
    if cached is not None:
        return cached
    key = _import_private_key(read_secret(reference))
    if kid:
        key = type(key).import_key(key.as_dict(private=True) | {"kid": kid})
    elif not key.kid:
        key = type(key).import_key(key.as_dict(private=True) | {"kid": key.thumbprint()})
    with _lock:
        _keys[cache_key] = key
    return key


def _import_private_key(text: str) -> Any:
    # joserfc and cryptography stay off the cold-start path.
    from joserfc.errors import JoseError
    from joserfc.jwk import JWKRegistry

    text = text.strip()
    key: Any = None
    if text.startswith("{"):
        data = json.loads(text)
        if "keys" in data:
            if len(data["keys"]) != 1:
                raise ProviderConfigError("a JWKS used as a private key must hold exactly one key")
            data = data["keys"][0]
        key = JWKRegistry.import_key(data)
    else:
        for key_type in ("RSA", "EC", "OKP"):
            try:
                key = JWKRegistry.import_key(text, key_type)
                break
            except (JoseError, ValueError, TypeError):
                continue
        if key is None:
            raise ProviderConfigError("the key is neither a PEM nor a JWK")
    if not key.is_private:
        raise ProviderConfigError("the key has no private part")
    return key


def signing_alg(provider_config: Provider, key: Any) -> str:
    if provider_config.signing_alg:
        return provider_config.signing_alg
    if key.get("alg"):
        return str(key.get("alg"))
    return {"RSA": "RS256", "EC": "ES256", "OKP": "EdDSA"}[key.key_type]


def forget_cached_secrets() -> None:
    """For tests and key rotation drills: read every secret and key again on next use."""
    with _lock:
        _secrets.clear()
        _keys.clear()
        _parsed.clear()
