"""What an operator sends to eSignet to register the portal as a client, and a key to start with.

    python -m chalicelib.auth.registration generate-key portal-client-key.json
    SSP_OIDC_PROVIDERS=@providers.json SSP_PUBLIC_URL=https://portal.example \\
        python -m chalicelib.auth.registration request esignet

``request`` prints the body of eSignet's ``POST /v1/esignet/client-mgmt/client`` for a configured
provider: the portal's public JWK (with the same ``kid`` the portal puts in its assertions),
the redirect URI, the claims and acr values it asks for. Nothing here runs in Lambda.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from chalicelib import config
from chalicelib.auth.login import CALLBACK_PATH
from chalicelib.auth.providers import load_private_key, provider


def registration_request(provider_id: str, client_name: str = "Self-Service Portal", logo_uri: str = "") -> dict[str, Any]:
    chosen = provider(provider_id)
    if chosen.client_auth != "private_key_jwt":
        raise SystemExit(f"{provider_id} uses {chosen.client_auth}: register a client secret with that provider instead.")
    key = load_private_key(chosen.signing_key, chosen.signing_kid)
    claims = sorted((chosen.claims or {}).get("userinfo", {}))
    acrs = sorted({acr for method in chosen.methods for acr in method.acr_values})
    body: dict[str, Any] = {
        "clientId": chosen.client_id,
        "clientName": client_name,
        "publicKey": key.as_dict(private=False),
        "relyingPartyId": chosen.client_id,
        "userClaims": claims,
        "authContextRefs": acrs,
        "logoUri": logo_uri,
        "redirectUris": [config.get("SSP_PUBLIC_URL").rstrip("/") + CALLBACK_PATH],
        "grantTypes": ["authorization_code"],
        "clientAuthMethods": ["private_key_jwt"],
        "additionalConfig": {"userinfo_response_type": "JWE" if chosen.encryption_key else "JWS", "require_pkce": True},
    }
    if chosen.encryption_key:
        body["encryptionPublicKey"] = load_private_key(chosen.encryption_key).as_dict(private=False)
    return body


def generate_key(path: str) -> dict[str, Any]:
    """Write a new RSA private JWK (readable by its owner only) and return its public half."""
    from joserfc.jwk import RSAKey

    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"})
    key = RSAKey.import_key(key.as_dict(private=True) | {"kid": key.thumbprint()})
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(json.dumps(key.as_dict(private=True)))
    return dict(key.as_dict(private=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.auth.registration", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    request = commands.add_parser("request", help="print the client registration request for a configured provider")
    request.add_argument("provider", help="the provider id in SSP_OIDC_PROVIDERS")
    request.add_argument("--client-name", default="Self-Service Portal")
    request.add_argument("--logo-uri", default="")
    generate = commands.add_parser("generate-key", help="write a new private JWK for private_key_jwt and print its public half")
    generate.add_argument("path")
    args = parser.parse_args(argv)
    if args.command == "request":
        print(json.dumps(registration_request(args.provider, args.client_name, args.logo_uri), indent=2))
    else:
        print(json.dumps(generate_key(args.path), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
