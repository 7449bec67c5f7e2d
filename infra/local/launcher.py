"""``make dev``: start the whole portal locally and print where to open it.

Ports come from ``SSP_API_PORT``, ``SSP_AWS_PORT``, ``SSP_IDP_PORT`` and ``SSP_SBI_PORT``
(defaults 8000, 4566, 8900, 4501) and data lives in ``SSP_DATA_DIR`` (default ``.local``).
Ctrl-C stops every service; all of them run in this one process, so none is left behind.
Tests start the same stack with ``start_stack`` on free ports and a temporary data folder.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from infra.local.stack import DEFAULT_PORTS, REPO, SERVICES, PortInUse, Running, StackContext, free_port


@dataclass
class Stack:
    ctx: StackContext
    running: list[Running]

    def stop(self) -> None:
        for service in reversed(self.running):
            try:
                service.stop()
            except Exception as error:  # noqa: BLE001 - stopping the rest matters more
                print(f"  could not stop {service.name} cleanly: {type(error).__name__}", file=sys.stderr)
        self.running.clear()


def start_stack(ctx: StackContext) -> Stack:
    stack = Stack(ctx, [])
    try:
        for _name, start in SERVICES:
            stack.running.append(start(ctx))
    except BaseException:
        stack.stop()
        raise
    return stack


class BadSetting(ValueError):
    """An environment variable of the launcher holds something it cannot use."""


def port_from_environment(name: str, default: int) -> int:
    variable = f"SSP_{name.upper()}_PORT"
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise BadSetting(f"{variable}={raw!r} is not a port: give a number from 1 to 65535 (default {default}).")
    return int(raw)


def context_from(args: argparse.Namespace) -> StackContext:
    ports = {name: port_from_environment(name, default) for name, default in DEFAULT_PORTS.items()}
    if args.free_ports:
        ports = {name: free_port() for name in ports}
    data_dir = Path(args.data_dir or os.environ.get("SSP_DATA_DIR") or REPO / ".local")
    return StackContext(ports=ports, data_dir=data_dir)


def how_to_log_in() -> str:
    people = json.loads((REPO / "infra/local/sample_people.json").read_text())["people"]
    sample = ", ".join(f"{p['individual_id']} ({p['name']})" for p in people[:3])
    return f"Log in with eSignet (dev): ID number {sample}; OTP 111111."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make dev", description=__doc__)
    parser.add_argument("--data-dir", help="where the local stack keeps its data (default .local)")
    parser.add_argument("--free-ports", action="store_true", help="pick free ports instead of the defaults")
    parser.add_argument("--ready-file", help="write the stack's URLs as JSON to this file once it is up")
    args = parser.parse_args(argv)
    try:
        ctx = context_from(args)
    except BadSetting as error:
        print(f"\n{error}\n", file=sys.stderr)
        return 2
    try:
        stack = start_stack(ctx)
    except PortInUse as error:
        print(f"\n{error}\n", file=sys.stderr)
        return 2
    print("\nSelf-Service Portal is running.\n")
    for service in stack.running:
        print(f"  {service.name:<28} {service.url}")
    print(f"\nOpen {ctx.public_url} in your browser.\n{how_to_log_in()}")
    print(f"Data is kept in {ctx.data_dir} (remove it, or `make clean-local`, to start afresh). Ctrl-C stops everything.\n", flush=True)
    if args.ready_file:
        Path(args.ready_file).write_text(json.dumps({"ports": ctx.ports, "public_url": ctx.public_url}))
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    print("\nStopping...", flush=True)
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
