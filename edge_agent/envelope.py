"""The agent's key and the envelope it signs around each device answer.

The key is EC P-256; its public half is enrolled with the portal, the private half never leaves
this PC. An envelope is a compact JWS (ES256, ``kid`` = the agent id) over the capture id, the
transaction, whom the officer named, and the device's request and answer exactly as exchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from edge_agent.home import write_private

ALG = "ES256"


def new_key() -> Any:
    from joserfc.jwk import ECKey

    return ECKey.generate_key("P-256", private=True)


def save_key(key: Any, path: Path) -> None:
    write_private(path, key.as_pem(private=True))


def load_key(path: Path) -> Any:
    from joserfc.jwk import ECKey

    return ECKey.import_key(path.read_bytes())


def public_jwk(key: Any) -> dict[str, str]:
    public = key.as_dict(private=False)
    return {name: public[name] for name in ("kty", "crv", "x", "y")}


def seal(key: Any, agent_id: str, payload: dict[str, Any]) -> str:
    from joserfc import jws

    header = {"alg": ALG, "kid": agent_id, "typ": "ssp-capture+jws"}
    return jws.serialize_compact(header, json.dumps(payload, separators=(",", ":")).encode(), key, algorithms=[ALG])
