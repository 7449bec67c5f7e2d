"""The edge agent's local service (``edge_agent serve``) in the local stack, beside the SBI
simulator, so the whole assisted journey runs from the browser.

It answers only the portal's origin (``ctx.public_url``), scans only the stack's simulator, trusts
its device-provider CA, and keeps its key, pairings and queue in ``<data dir>/edge-agent``.
Pairing codes are printed on the launcher's terminal and shown on the agent's status page.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from edge_agent.home import AgentHome
from edge_agent.serve import Agent, Service
from edge_agent.serve import start as start_service
from infra.local.stack import PortInUse, StackContext

DEFAULT_PORT = 4700


class _Prefixed:
    """The agent's lines on the launcher's terminal, marked as the agent's."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        for line in text.splitlines():
            self.out.write(f"  [edge agent] {line}\n")
        return len(text)

    def flush(self) -> None:
        self.out.flush()


class EdgeAgent:
    name = "edge agent (staff console)"

    def __init__(self, service: Service) -> None:
        self.service = service
        self.url = service.url + "/"

    def stop(self) -> None:
        self.service.stop()


def start(ctx: StackContext) -> EdgeAgent:
    port = int(ctx.ports.setdefault("edge", DEFAULT_PORT))
    trust_store = ctx.portal_env.get("SSP_DEVICE_TRUST_STORE", "").removeprefix("@") or None
    sbi_port = int(ctx.ports.get("sbi", 4501))
    out: Any = _Prefixed(sys.stdout)
    agent = Agent(AgentHome(Path(ctx.data_dir) / "edge-agent"), ctx.public_url, [sbi_port], trust_store, 12.0, "make dev PC", out)
    try:
        service = start_service(agent, port)
    except OSError:
        raise PortInUse("edge agent", port) from None
    return EdgeAgent(service)
