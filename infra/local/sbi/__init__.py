"""The SBI simulator: a finger, a face and an iris device speaking MOSIP's SBI on 127.0.0.1.

``start(ctx)`` plugs it into the local stack (``infra/local/stack.py``); ``serve(host,
first_port)`` starts one anywhere (tests pass a free base port so they never meet ``make dev``).
"""

from __future__ import annotations

from infra.local.sbi.server import NoFreePort, Simulator, serve
from infra.local.stack import PortInUse, StackContext


def start(ctx: StackContext) -> Simulator:
    """Start on the first free port from ``ctx.ports["sbi"]``; tell the portal how to trust it.

    The portal learns the device-provider CA (trust store), that captures are verified by the
    simulator verifier, and where that verifier's key is; the data directory keeps the keys
    across restarts so an agent's view of the devices never changes.
    """
    first = int(ctx.ports.get("sbi", 4501))
    try:
        simulator = serve(ctx.host, first, data_dir=ctx.data_dir)
    except NoFreePort:
        raise PortInUse("sbi", first) from None
    ctx.ports["sbi"] = simulator.port
    ctx.portal_env.setdefault("SSP_DEVICE_TRUST_STORE", f"@{simulator.pki.trust_store_path}")
    ctx.portal_env.setdefault("SSP_MATCH_VERIFIER", "simulator")
    ctx.portal_env.setdefault("SSP_SIMULATOR_VERIFIER_KEY", f"@{simulator.pki.verifier_key_path}")
    ctx.portal_env.setdefault("SSP_CAPTURE_ENV", "Developer")
    return simulator


__all__ = ["Simulator", "serve", "start"]
