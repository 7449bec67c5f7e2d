"""Print what an operator sends to eSignet (or any OIDC provider) to register the portal as a client.

    python -m infra.esignet_client --public-url https://portal.gov.example --key private.jwk
    python -m infra.esignet_client --public-url https://portal.gov.example --new-key private.jwk
    python -m infra.esignet_client --public-url http://localhost:8000 --key .local/idp/portal-client-key.json --format oidc

prints the JSON body of eSignet's ``POST /v1/esignet/client-mgmt/client``: the portal's public
JWK (with the ``kid`` the portal puts in its client assertions: the same computation as
``chalicelib.auth.providers.load_private_key``), its redirect URI (from the same code that
builds it at login), and the claims and login methods (acr values) the eSignet profile asks
for. ``--format oidc`` prints the same client as standard OpenID Connect client metadata
(Dynamic Client Registration 1.0 / RFC 7591: ``redirect_uris``, ``post_logout_redirect_uris``,
``jwks``, ``token_endpoint_auth_method: private_key_jwt``, ...), for any other provider: POST it
to the provider's ``registration_endpoint``, or copy it into the provider's client settings.
``--new-key`` first writes a fresh private key (an RSA 2048 JWK, readable only by you);
store that file in Secrets Manager and never anywhere else (docs/deploy.md).

The public URL must be ``https://``, except a local stack's ``http://localhost`` or
``http://127.0.0.1`` (with any port).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from chalicelib.auth.login import post_logout_redirect_uri, redirect_uri
from chalicelib.auth.providers import PROFILES, load_private_key

PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def new_key(path: Path) -> None:
    from joserfc.jwk import RSAKey  # only --new-key needs it

    if path.exists():
        raise SystemExit(f"{path} exists: refusing to overwrite a key")
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump(key.as_dict(private=True), out)


def registration(public_url: str, key_reference: str, client_id: str, client_name: str, relying_party_id: str, logo_uri: str | None) -> dict[str, Any]:
    """The body of eSignet's client-management request."""
    client = _client(public_url, key_reference)
    profile = PROFILES["esignet"]
    body: dict[str, Any] = {
        "clientId": client_id,
        "clientName": client_name,
        "relyingPartyId": relying_party_id,
        "publicKey": client["public_jwk"],
        "redirectUris": [client["redirect_uri"]],
        "userClaims": client["claims"],
        "authContextRefs": client["acr_values"],
        "grantTypes": ["authorization_code"],
        "clientAuthMethods": [profile["client_auth"]],
        "additionalConfig": {"userinfo_response_type": "JWS", "require_pkce": True},
    }
    body["logoUri"] = logo_uri or public_url.rstrip("/") + "/favicon.svg"
    return body


def client_metadata(public_url: str, key_reference: str, client_id: str, client_name: str, logo_uri: str | None) -> dict[str, Any]:
    """The same client as standard OpenID Connect client metadata, for any other provider.

    It asks for what the portal's default (``esignet``) profile expects: the code flow,
    ``private_key_jwt`` with the printed key, and a signed userinfo answer. A provider entry
    with ``"profile": "oidc"`` also accepts JSON userinfo: drop ``userinfo_signed_response_alg``.
    """
    client = _client(public_url, key_reference)
    return {
        "client_id": client_id,
        "client_name": client_name,
        "application_type": "web",
        "redirect_uris": [client["redirect_uri"]],
        "post_logout_redirect_uris": [client["post_logout_redirect_uri"]],
        "response_types": ["code"],
        "grant_types": ["authorization_code"],
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": client["signing_alg"],
        "jwks": {"keys": [client["public_jwk"]]},
        "userinfo_signed_response_alg": "RS256",
        "scope": " ".join(PROFILES["esignet"]["scopes"]),
        "default_acr_values": client["acr_values"],
        "logo_uri": logo_uri or public_url.rstrip("/") + "/favicon.svg",
    }


def _client(public_url: str, key_reference: str) -> dict[str, Any]:
    """What both formats say: the public key, the portal's URIs, the claims and acr values asked for."""
    os.environ["SSP_PUBLIC_URL"] = public_url  # the URIs are built by the login code from it
    key = load_private_key(key_reference)
    profile = PROFILES["esignet"]
    public_jwk = {name: value for name, value in key.as_dict(private=False).items() if name not in PRIVATE_MEMBERS}
    public_jwk.setdefault("use", "sig")
    claims = profile["claims"] or {}
    return {
        "public_jwk": public_jwk,
        "signing_alg": str(key.get("alg") or {"RSA": "RS256", "EC": "ES256", "OKP": "EdDSA"}[key.key_type]),
        "redirect_uri": redirect_uri(),
        "post_logout_redirect_uri": post_logout_redirect_uri(),
        "claims": sorted(claims.get("userinfo", {})),
        "acr_values": list(dict.fromkeys(acr for method in profile["methods"] for acr in method["acr_values"])),
    }


def allowed_public_url(url: str) -> bool:
    """https://, or plain http:// on the local stack's loopback host (any port)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    if not parts.hostname or parts.username is not None or parts.path.strip("/") or parts.query or parts.fragment:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.esignet_client", description=__doc__.splitlines()[0])
    parser.add_argument("--public-url", required=True, help="the portal's origin, https://<DomainName>")
    keys = parser.add_mutually_exclusive_group(required=True)
    keys.add_argument("--key", type=Path, help="the portal's private key (PEM or JWK)")
    keys.add_argument("--new-key", type=Path, help="write a new private RSA JWK to this file first")
    parser.add_argument("--client-id", default="ssp-portal", help="client id to ask eSignet for (default: ssp-portal)")
    parser.add_argument("--client-name", default="Self-Service Portal")
    parser.add_argument("--relying-party-id", default="ssp", help="eSignet's relying party id for the ministry")
    parser.add_argument("--logo-uri", help="logo eSignet shows on its login page (default: the portal's favicon)")
    parser.add_argument("--wrapped", action="store_true", help='print it inside MOSIP\'s {"requestTime", "request"} wrapper, as the API takes it')
    parser.add_argument(
        "--format",
        choices=("esignet", "oidc"),
        default="esignet",
        help="esignet: eSignet's client-management body (default); oidc: standard OIDC client metadata for any other provider",
    )
    args = parser.parse_args(argv)
    if not allowed_public_url(args.public_url):
        parser.error("--public-url must be an https:// origin (providers refuse others), or http://localhost or http://127.0.0.1 for a local stack")
    path = args.new_key or args.key
    if args.new_key:
        new_key(args.new_key)
        print(f"wrote a new private key to {args.new_key}; put it in Secrets Manager (docs/deploy.md)", file=sys.stderr)
    if args.format == "oidc":
        print(json.dumps(client_metadata(args.public_url, f"file:{path}", args.client_id, args.client_name, args.logo_uri), indent=2, ensure_ascii=False))
        return 0
    body: dict[str, Any] = registration(args.public_url, f"file:{path}", args.client_id, args.client_name, args.relying_party_id, args.logo_uri)
    if args.wrapped:
        body = {"requestTime": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"), "request": body}
    print(json.dumps(body, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
