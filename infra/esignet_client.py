"""Print what an operator sends to eSignet to register the portal as a client.

    python -m infra.esignet_client --public-url https://portal.gov.example --key private.jwk
    python -m infra.esignet_client --public-url https://portal.gov.example --new-key private.jwk

prints the JSON body of eSignet's ``POST /v1/esignet/client-mgmt/client``: the portal's public
JWK (with the ``kid`` the portal puts in its client assertions: the same computation as
``chalicelib.auth.providers.load_private_key``), its redirect URI (from the same code that
builds it at login), and the claims and login methods (acr values) the eSignet profile asks
for. ``--new-key`` first writes a fresh private key (an RSA 2048 JWK, readable only by you);
store that file in Secrets Manager and never anywhere else (docs/deploy.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")


def new_key(path: Path) -> None:
    from joserfc.jwk import RSAKey

    if path.exists():
        raise SystemExit(f"{path} exists: refusing to overwrite a key")
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump(key.as_dict(private=True), out)


def registration(public_url: str, key_reference: str, client_id: str, client_name: str, relying_party_id: str, logo_uri: str | None) -> dict[str, Any]:
    os.environ["SSP_PUBLIC_URL"] = public_url  # the redirect URI is built by the login code from it
    from chalicelib.auth.login import redirect_uri
    from chalicelib.auth.providers import PROFILES, load_private_key

    key = load_private_key(key_reference)
    profile = PROFILES["esignet"]
    public_jwk = {name: value for name, value in key.as_dict(private=False).items() if name not in PRIVATE_MEMBERS}
    public_jwk.setdefault("use", "sig")
    claims = profile["claims"] or {}
    acr_values = [acr for method in profile["methods"] for acr in method["acr_values"]]
    body: dict[str, Any] = {
        "clientId": client_id,
        "clientName": client_name,
        "relyingPartyId": relying_party_id,
        "publicKey": public_jwk,
        "redirectUris": [redirect_uri()],
        "userClaims": sorted(claims.get("userinfo", {})),
        "authContextRefs": list(dict.fromkeys(acr_values)),
        "grantTypes": ["authorization_code"],
        "clientAuthMethods": [profile["client_auth"]],
        "additionalConfig": {"userinfo_response_type": "JWS", "require_pkce": True},
    }
    body["logoUri"] = logo_uri or public_url.rstrip("/") + "/favicon.svg"
    return body


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
    args = parser.parse_args(argv)
    if not args.public_url.startswith("https://"):
        parser.error("--public-url must be https:// (eSignet refuses other redirect URIs in production)")
    path = args.new_key or args.key
    if args.new_key:
        new_key(args.new_key)
        print(f"wrote a new private key to {args.new_key}; put it in Secrets Manager (docs/deploy.md)", file=sys.stderr)
    body: dict[str, Any] = registration(args.public_url, f"file:{path}", args.client_id, args.client_name, args.relying_party_id, args.logo_uri)
    if args.wrapped:
        from datetime import UTC, datetime

        body = {"requestTime": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"), "request": body}
    print(json.dumps(body, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
