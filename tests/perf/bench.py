"""``make bench``: figures, never assertions. Run it before and after a change and compare.

- Cold start: whole-process time of ``python -c "import app"`` against
  ``python -c "import boto3, pynamodb"`` (the AWS libraries any Lambda here pays for), median of
  several runs, as a ratio; then the heaviest imports under ``python -X importtime``.
- Request cost: median in-process latency and DynamoDB calls of a few registrant routes
  (Chalice test client + moto), to see the effect of a change, not to compare with production.
- The frontend's figures come from ``frontend/scripts/bench.mjs``, which ``make bench`` runs next.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUNS = 7


def _process_seconds(code: str) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cold_start() -> None:
    baseline = _process_seconds("import boto3, pynamodb")
    portal = _process_seconds("import app")
    interpreter = _process_seconds("pass")
    print(f"Cold start (median of {RUNS} whole-process runs)")
    print(f"  python -c pass                   {interpreter * 1000:7.1f} ms")
    print(f"  python -c 'import boto3, pynamodb' {baseline * 1000:5.1f} ms")
    print(f"  python -c 'import app'           {portal * 1000:7.1f} ms")
    print(f"  ratio app / AWS libraries        {portal / baseline:7.2f}")
    print(f"  ratio net of interpreter start   {(portal - interpreter) / (baseline - interpreter):7.2f}")


def import_profile(top: int = 12) -> None:
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", "import app"], cwd=REPO, capture_output=True, text=True, check=True)
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self_us, cumulative_us, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        rows.append((int(cumulative_us), name))
    print(f"\nHeaviest imports of `import app` (cumulative, top {top})")
    for cumulative, name in sorted(rows, reverse=True)[:top]:
        print(f"  {cumulative / 1000:7.1f} ms  {name}")


def request_costs() -> None:
    from tests.support import environment

    environment.apply()
    os.environ["SSP_LOG_LEVEL"] = "WARNING"
    from chalice.test import Client
    from moto import mock_aws

    from app import app
    from chalicelib.store.tables import create_missing_tables
    from tests.support.api import Api
    from tests.support.factories import logged_in

    print("\nRequest cost in-process (Chalice test client + moto; median of 50)")
    with mock_aws(), Client(app) as client:
        create_missing_tables()
        person = logged_in()
        api = Api(client)
        for path in ("/api/session", "/api/programs", "/api/applications", "/api/me"):
            timings, calls, status = [], 0, 0
            for _ in range(50):
                started = time.perf_counter()
                answer = api.get(path, as_=person)
                timings.append(time.perf_counter() - started)
                calls, status = len(answer.calls.dynamodb), answer.status
            print(f"  GET {path:<22} {statistics.median(timings) * 1000:6.2f} ms  {calls} DynamoDB call(s)  [{status}]")


if __name__ == "__main__":
    cold_start()
    import_profile()
    request_costs()
    # The frontend's bundle size and slow-3G figures follow: `make bench` runs frontend/scripts/bench.mjs.
