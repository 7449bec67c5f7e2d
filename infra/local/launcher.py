"""``make dev``: start the whole portal locally, watch over it, and print where to open it.

Ports come from ``SSP_API_PORT``, ``SSP_AWS_PORT``, ``SSP_IDP_PORT``, ``SSP_SBI_PORT``, ``SSP_EDGE_PORT`` and
``SSP_REGISTRY_PORT`` (defaults 8000, 4566, 8900, 4501, 4700, 4900) and data lives in ``SSP_DATA_DIR`` (default ``.local``).
The AWS emulator and the portal run in their own processes (so neither starves the other);
the dev identity provider and the SBI simulator run in this one. If a process dies, the
launcher says which, and starts it again on its data; meanwhile the portal answers 503
``service_busy``. Ctrl-C stops everything within a few seconds, and no port stays taken.
Tests start the same stack with ``start_stack`` on free ports and a temporary data folder.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from infra.local import aws, edge, idp, person_settings, portal, queues, registry, sbi, streams
from infra.local.processes import ChildService, DidNotStart, stop_together
from infra.local.stack import DEFAULT_PORTS, REPO, PortInUse, Running, StackContext, free_port

STOP_SECONDS = 4.0  # children get this long after SIGTERM; Ctrl-C must be done within 5 s
WATCH_SECONDS = 0.5


def _portal(ctx: StackContext) -> Running:
    """The portal, once the person's own settings are merged over the dev ones."""
    for line in person_settings.merge(ctx.portal_env, os.environ):
        print(f"  {line}", flush=True)
    return portal.start(ctx)


SERVICES: list[tuple[str, Callable[[StackContext], Running]]] = [
    ("aws", aws.start),
    ("idp", idp.start),
    ("sbi", sbi.start),
    ("edge", edge.start),
    ("registry", registry.start),  # before the portal, which subscribes it when it seeds
    ("webhooks", queues.start),  # before the portal: it gives the portal the queue and its settings
    ("portal", _portal),
    ("outbox", streams.start),
]
"""The services in the order they start (each may need the settings of those before it)."""


@dataclass
class Stack:
    ctx: StackContext
    running: list[Running]
    stopping: threading.Event = field(default_factory=threading.Event)
    changing: threading.Lock = field(default_factory=threading.Lock)

    @property
    def children(self) -> list[ChildService]:
        return [service for service in self.running if isinstance(service, ChildService)]

    def stop(self) -> None:
        self.stopping.set()
        with self.changing:
            killed = stop_together(self.children, STOP_SECONDS)
            for name in killed:
                print(f"  {name} did not stop in {STOP_SECONDS:g} s and was killed.", file=sys.stderr)
            for service in reversed(self.running):
                if isinstance(service, ChildService):
                    continue
                try:
                    service.stop()
                except Exception as error:  # noqa: BLE001 - stopping the rest matters more
                    print(f"  could not stop {service.name} cleanly: {type(error).__name__}", file=sys.stderr)
            self.running.clear()

    def supervise(self) -> None:
        """Start again, on its data, any child process that died; say which and when it is back."""
        while not self.stopping.wait(WATCH_SECONDS):
            for child in self.children:
                code = child.exit_code()
                if code is None or self.stopping.is_set():
                    continue
                with self.changing:
                    if self.stopping.is_set():
                        return
                    self._restart(child, code)

    def _restart(self, child: ChildService, code: int) -> None:
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        print(f"\n{child.name} stopped unexpectedly ({how}); the portal answers 503 service_busy until it is back. Restarting it on its data...", flush=True)
        started = time.monotonic()
        try:
            child.launch()
        except DidNotStart as error:
            print(f"  {error} Trying again.", flush=True)
            return
        child.restarts += 1
        print(f"{child.name} is back after {time.monotonic() - started:.1f} s.\n", flush=True)


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


def count_from_environment(variable: str, environ: Mapping[str, str]) -> int:
    raw = environ.get(variable, "").strip()
    if not raw:
        return 0
    if not raw.isdigit():
        raise BadSetting(f"{variable}={raw!r} is not a number of people: give a whole number such as 200.")
    return int(raw)


def context_from(args: argparse.Namespace) -> StackContext:
    ports = {name: port_from_environment(name, default) for name, default in DEFAULT_PORTS.items()}
    if args.free_ports:
        ports = {name: free_port() for name in ports}
    data_dir = Path(args.data_dir or os.environ.get("SSP_DATA_DIR") or REPO / ".local")
    synthetic = args.synthetic_people if args.synthetic_people is not None else count_from_environment(idp.SYNTHETIC_PEOPLE, os.environ)
    try:
        aws.snapshot_seconds()
    except ValueError:
        raise BadSetting(f"SSP_AWS_SNAPSHOT_SECONDS={os.environ['SSP_AWS_SNAPSHOT_SECONDS']!r} is not a number of seconds.") from None
    return StackContext(ports=ports, data_dir=data_dir, synthetic_people=synthetic)


def how_to_log_in(ctx: StackContext) -> str:
    people = json.loads((REPO / "infra/local/sample_people.json").read_text())["people"]
    sample = ", ".join(f"{p['individual_id']} ({p['name']})" for p in people[:3])
    generated = ""
    if ctx.synthetic_people:
        generated = f"\nThe dev IdP also knows {ctx.synthetic_people} generated people: ID numbers {idp.synthetic_range(ctx.synthetic_people)}."
    return f"Log in with eSignet (dev): ID number {sample}; OTP 111111.{generated}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make dev", description=__doc__)
    parser.add_argument("--data-dir", help="where the local stack keeps its data (default .local)")
    parser.add_argument("--free-ports", action="store_true", help="pick free ports instead of the defaults")
    parser.add_argument("--ready-file", help="write the stack's URLs as JSON to this file once it is up")
    parser.add_argument("--synthetic-people", type=int, help=f"the dev IdP also serves this many generated people (or {idp.SYNTHETIC_PEOPLE})")
    args = parser.parse_args(argv)
    try:
        ctx = context_from(args)
    except BadSetting as error:
        print(f"\n{error}\n", file=sys.stderr)
        return 2
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    try:
        stack = start_stack(ctx)
    except (PortInUse, DidNotStart, person_settings.BadProviders) as error:
        print(f"\n{error}\n", file=sys.stderr)
        return 2
    print("\nSelf-Service Portal is running.\n")
    for service in stack.running:
        print(f"  {service.name:<28} {service.url}")
    print(f"\nOpen {ctx.public_url} in your browser.\n{how_to_log_in(ctx)}")
    print(f"Data is kept in {ctx.data_dir} (remove it, or `make clean-local`, to start afresh). Ctrl-C stops everything.\n", flush=True)
    if args.ready_file:
        Path(args.ready_file).write_text(json.dumps({"ports": ctx.ports, "public_url": ctx.public_url}))
    threading.Thread(target=stack.supervise, name="supervisor", daemon=True).start()
    stopped.wait()
    print("\nStopping...", flush=True)
    started = time.monotonic()
    stack.stop()
    print(f"Stopped in {time.monotonic() - started:.1f} s.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
