"""The sample registry: "the ministry's system" in the local stack, receiving the portal's signed
webhooks and showing each enrolled person with their household and answers.

``start(ctx)`` serves it in the launcher's process on ``SSP_REGISTRY_PORT`` (default 4900; another
free port if that one is taken) and tells the portal where it is (``SSP_LOCAL_REGISTRY_URL``) and
where to write the signing secret it is given (``SSP_LOCAL_REGISTRY_SECRETS``); the portal's
process subscribes it when it seeds (``infra.local.registry.subscribe``). Its data lives in
``<data dir>/registry``. Tests start one with ``RunningRegistry`` on a free port.
"""

from __future__ import annotations

from infra.local.registry.server import RunningRegistry
from infra.local.stack import PortInUse, StackContext, ensure_port_free, free_port

NAME = "sample registry (ministry)"
DEFAULT_PORT = 4900
URL_SETTING = "SSP_LOCAL_REGISTRY_URL"
SECRETS_SETTING = "SSP_LOCAL_REGISTRY_SECRETS"


def start(ctx: StackContext) -> RunningRegistry:
    port = ctx.ports.get("registry") or DEFAULT_PORT  # the launcher reads SSP_REGISTRY_PORT (stack.DEFAULT_PORTS)
    try:
        ensure_port_free("registry", ctx.host, port)
    except PortInUse:
        port = free_port(ctx.host)  # another stack's registry: this one takes any free port
    folder = ctx.data_dir / "registry"
    secrets_file = folder / "secrets.json"
    running = RunningRegistry(NAME, ctx.host, port, folder, secrets_file)
    ctx.ports["registry"] = running.port
    ctx.portal_env.setdefault(URL_SETTING, running.webhook_url)
    ctx.portal_env.setdefault(SECRETS_SETTING, str(secrets_file))
    ctx.portal_env.setdefault("SSP_WEBHOOK_ALLOW_LOCAL", "true")
    return running


__all__ = ["NAME", "RunningRegistry", "start"]
