"""Run the SBI simulator alone: ``python -m infra.local.sbi [--port 4501] [--data-dir .local]``."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from infra.local.sbi.server import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m infra.local.sbi", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4501, help="first port to try (default 4501)")
    parser.add_argument("--data-dir", type=Path, default=Path(".local"), help="keys are kept in <data-dir>/sbi")
    args = parser.parse_args()
    simulator = serve(args.host, args.port, data_dir=args.data_dir)
    print(f"SBI simulator on {simulator.url} (trust store: {simulator.pki.trust_store_path})", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    simulator.stop()


if __name__ == "__main__":
    main()
