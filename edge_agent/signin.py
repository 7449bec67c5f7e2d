"""Getting the officer's staff token: pasted (the dev identity provider prints one), or the
OAuth 2.0 device authorization grant (RFC 8628) against the staff identity provider, for which
the officer confirms a short code in any browser."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, TextIO

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


class SignInFailed(Exception):
    pass


def pasted_token(token: str | None, token_file: str | None, stdin: TextIO = sys.stdin) -> str | None:
    if token == "-":
        return stdin.readline().strip() or None
    if token:
        return token.strip()
    if token_file:
        return Path(token_file).read_text().strip() or None
    return None


def device_code_token(issuer: str, client_id: str, scope: str, out: TextIO = sys.stdout, max_wait: float = 600.0) -> str:
    """Run the device flow; returns the access token once the officer has approved."""
    import requests

    try:
        discovery = requests.get(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=10).json()
        endpoint = discovery["device_authorization_endpoint"]
        token_endpoint = discovery["token_endpoint"]
        started: dict[str, Any] = requests.post(endpoint, data={"client_id": client_id, "scope": scope}, timeout=10).json()
    except (requests.RequestException, ValueError, KeyError, TypeError) as problem:
        raise SignInFailed(f"the identity provider does not offer device sign-in ({type(problem).__name__})") from None
    if "device_code" not in started:
        raise SignInFailed(f"the identity provider refused: {started.get('error', 'unknown error')}")
    where = started.get("verification_uri_complete") or started.get("verification_uri")
    out.write(f"To sign in, open {where} and enter the code {started.get('user_code')}\n")
    out.flush()
    interval = float(started.get("interval", 5))
    deadline = time.monotonic() + min(max_wait, float(started.get("expires_in", max_wait)))
    while time.monotonic() < deadline:
        time.sleep(interval)
        try:
            answer = requests.post(
                token_endpoint, data={"grant_type": DEVICE_GRANT, "device_code": started["device_code"], "client_id": client_id}, timeout=10
            ).json()
        except (requests.RequestException, ValueError):
            continue
        if "access_token" in answer:
            return str(answer["access_token"])
        error = answer.get("error")
        if error == "slow_down":
            interval += 5
        elif error != "authorization_pending":
            raise SignInFailed(f"sign-in did not complete: {error}")
    raise SignInFailed("sign-in was not confirmed in time")


def token_expiry(token: str) -> float | None:
    """``exp`` of a JWT, read without verifying (the portal verifies): to warn the officer early."""
    import base64
    import json

    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        return float(claims["exp"])
    except (ValueError, KeyError, TypeError):
        return None
