"""Keys of the local stack's login, kept under the data folder so that restarts change nothing.

- ``idp-signing-key.json``: the dev IdP's signing key (ID tokens, userinfo, staff tokens);
  its public half is the IdP's JWKS.
- ``portal-client-key.json``: the portal's own client key for ``private_key_jwt``; its public
  half is registered with the dev IdP, as an operator registers it with eSignet.
- ``idp.json``: the issuer and the pairwise-subject salt, read by ``staff_token``.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

IDP_KEY_FILE = "idp-signing-key.json"
PORTAL_KEY_FILE = "portal-client-key.json"
STATE_FILE = "idp.json"


def idp_dir(data_dir: Path) -> Path:
    path = data_dir / "idp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_or_create_rsa_key(path: Path, kid_prefix: str) -> Any:
    """An RSA private key (joserfc) from ``path``, created there (mode 600) on first use."""
    from joserfc.jwk import RSAKey

    if path.exists():
        return RSAKey.import_key(json.loads(path.read_text()))
    key = RSAKey.generate_key(2048, parameters={"use": "sig"})
    key = RSAKey.import_key(key.as_dict(private=True) | {"kid": f"{kid_prefix}-{key.thumbprint()[:16]}"})
    _write_private(path, json.dumps(key.as_dict(private=True)))
    return key


def load_or_create_state(data_dir: Path, issuer: str) -> dict[str, str]:
    path = idp_dir(data_dir) / STATE_FILE
    state = json.loads(path.read_text()) if path.exists() else {}
    state.setdefault("pairwise_salt", secrets.token_urlsafe(32))
    state["issuer"] = issuer
    _write_private(path, json.dumps(state, indent=2))
    return state


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    tmp.replace(path)
