"""Run the sample registry alone: ``python -m infra.local.registry --port 4900 --data-dir .local``.

It verifies deliveries with the secrets in ``<data dir>/registry/secrets.json`` (a JSON list,
written when the local stack seeds its subscription), until Ctrl-C.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from infra.local.registry import DEFAULT_PORT, NAME, RunningRegistry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.local.registry", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--data-dir", type=Path, default=Path(".local"))
    args = parser.parse_args(argv)
    folder = args.data_dir / "registry"
    running = RunningRegistry(NAME, args.host, args.port, folder, folder / "secrets.json")
    print(f"{NAME}: {running.url} (deliveries to {running.webhook_url})", flush=True)
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    running.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
