"""Subscribe the sample registry to every public event, when the portal's process seeds its data.

Uses the integrations area's own functions (``subscriptions.register``, as an administrator's
``POST /api/admin/webhooks`` does), so the local stack's registry is an endpoint like any other:
same SSRF guard, same signing, same delivery log. Idempotent: on a later start the endpoint is
found by its description, its URL follows the registry's port, a paused one is resumed, and the
secrets that currently sign (two during a rotation) are written again for the registry to read.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from botocore.exceptions import ClientError

from chalicelib.errors import PortalError
from chalicelib.identity.callers import Actor
from chalicelib.integrations import payloads, replay, secrets, subscriptions
from chalicelib.store.base import now
from infra.local.registry import SECRETS_SETTING, URL_SETTING

DESCRIPTION = "Sample registry (local stack)"
SEEDER = Actor("admin", "local-stack-seed")


def subscribe_sample_registry() -> str | None:
    """The endpoint id of the sample registry's subscription; None outside the local stack, or
    when it could not be made (said on the console: the portal starts all the same)."""
    url = os.environ.get(URL_SETTING, "")
    secrets_file = os.environ.get(SECRETS_SETTING, "")
    if not url or not secrets_file:
        return None
    try:
        return _subscribe(url, Path(secrets_file))
    except (PortalError, ClientError, OSError) as error:
        code = getattr(error, "code", None) or type(error).__name__
        print(f"  The sample registry could not be subscribed ({code}); webhooks will not reach it.", file=sys.stderr, flush=True)
        return None


def _subscribe(url: str, secrets_file: Path) -> str:
    existing = next((e for e in subscriptions.list_endpoints() if e.description == DESCRIPTION), None)
    if existing is None:
        made = subscriptions.register(url, list(payloads.TYPES), DESCRIPTION, SEEDER)
        _write(secrets_file, [made["secret"]])
        return str(made["id"])
    endpoint_id = str(existing.sk)
    if existing.url != url or sorted(existing.event_types or []) != sorted(payloads.TYPES):
        subscriptions.update(endpoint_id, {"url": url, "event_types": list(payloads.TYPES)}, SEEDER)
    if existing.state != "active":
        # As an administrator's resume does: active again, and what was held meanwhile queued, in order.
        replay.resume(endpoint_id, SEEDER)
    _write(secrets_file, secrets.read(endpoint_id).valid(now()))
    return endpoint_id


def _write(path: Path, valid: list[str]) -> None:
    """Only this user may read the secrets (the data folder is the developer's own)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(valid))
    temporary.chmod(0o600)
    os.replace(temporary, path)
