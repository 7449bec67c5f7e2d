"""What the person running ``make dev`` set, merged over the dev stack's own portal settings.

- ``SSP_OIDC_PROVIDERS`` (a JSON list, or ``@file``): the dev IdP's ``esignet`` entry stays and
  the given providers are added beside it; a given provider with id ``esignet`` replaces it.
- ``SSP_STAFF_*`` and ``SSP_MATCH_VERIFIER``: the person's value wins over the dev default.

Every other portal setting the stack makes (the emulator's endpoint, the device trust store,
...) is the stack's: the portal could not work against it otherwise. ``merge`` returns the lines
the launcher prints, so the person sees which providers and which of their values are in use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROVIDERS = "SSP_OIDC_PROVIDERS"
WINNING_PREFIXES = ("SSP_STAFF_",)
WINNING_NAMES = ("SSP_MATCH_VERIFIER",)
DISCOVERY_SUFFIX = "/.well-known/openid-configuration"


class BadProviders(ValueError):
    """``SSP_OIDC_PROVIDERS`` in the person's environment cannot be used."""


def merge(portal_env: dict[str, str], environ: Mapping[str, str]) -> list[str]:
    """Apply the person's settings to ``portal_env`` (the dev defaults); what to tell them."""
    said: list[str] = []
    given = environ.get(PROVIDERS, "").strip()
    dev_providers = json.loads(portal_env.get(PROVIDERS) or "[]")
    providers = merge_providers(dev_providers, read_providers(given)) if given else dev_providers
    portal_env[PROVIDERS] = json.dumps(providers)
    for entry in providers:
        origin = "yours" if given and entry not in dev_providers else "dev IdP"
        said.append(f"login provider {entry['id']}: {issuer_of(entry)} ({origin})")
    for name in sorted(environ):
        if name.startswith(WINNING_PREFIXES) or name in WINNING_NAMES:
            value = environ[name]
            if portal_env.get(name) != value:
                default = portal_env.get(name)
                portal_env[name] = value
                instead = f" instead of the dev default {default!r}" if default else ""
                said.append(f"{name}={_shown(name, value)} from your environment{instead}")
    return said


def read_providers(raw: str) -> list[dict[str, Any]]:
    text = raw
    if raw.startswith("@"):
        try:
            text = Path(raw[1:]).read_text(encoding="utf-8")
        except OSError as error:
            raise BadProviders(f"{PROVIDERS}={raw}: cannot read that file ({error.strerror}).") from None
    try:
        entries = json.loads(text)
    except ValueError:
        raise BadProviders(f"{PROVIDERS} is not valid JSON: give a JSON list of providers, or @path to a file holding one.") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in entries):
        raise BadProviders(f'{PROVIDERS} must be a JSON list of objects, each with an "id" (see docs/login.md).')
    return entries


def merge_providers(dev: list[dict[str, Any]], given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The dev providers, each replaced by a given one with its id, then the other given ones."""
    by_id = {entry["id"]: entry for entry in given}
    merged = [by_id.pop(entry["id"], entry) for entry in dev]
    return merged + [entry for entry in given if entry["id"] in by_id]


def issuer_of(entry: dict[str, Any]) -> str:
    issuer = entry.get("issuer")
    if isinstance(issuer, str) and issuer:
        return issuer
    discovery = str(entry.get("discovery_url", ""))
    return discovery.removesuffix(DISCOVERY_SUFFIX) if discovery.endswith(DISCOVERY_SUFFIX) else discovery


def _shown(name: str, value: str) -> str:
    """Inline JWKS or keys are long and not for a terminal: show their size, not them."""
    if value.startswith("@") or len(value) <= 80:
        return value
    return f"<{len(value)} characters>"
