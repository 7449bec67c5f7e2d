"""``make bench``: figures, never assertions. Run it before and after a change and compare.

- Cold start: whole-process time of ``python -c "import app"`` against
  ``python -c "import boto3, pynamodb.models"`` (the AWS libraries any Lambda here pays for: a
  model is what the portal uses, and importing it loads pynamodb's connection and botocore's
  client), median of several runs, as a ratio; the same for the processes' CPU time, steadier on a
  busy machine; then the heaviest imports under ``python -X importtime``. app.py pauses the
  garbage collector while it imports, so the baseline does too: the ratio is the portal's own
  cost; the plain baseline's line shows what the pause itself saves. The portal's modules are
  compiled to bytecode first, as the libraries already are: without it (PYTHONDONTWRITEBYTECODE,
  set on this kind of machine) each run would measure compiling the portal, not importing it.
- Request cost: median in-process latency and DynamoDB calls of a few registrant routes
  (Chalice test client + moto), to see the effect of a change, not to compare with production.
- The opening day: the hottest partition keys and the cost per 1,000 applications, modelled from
  the DynamoDB operations one whole application really makes (``tests/perf/opening_day.py``).
- Messages: SMS and emails one run of applications sends, and their cost per 1,000 applications
  (``tests/perf/messages.py``, prices stated there).
- The frontend's figures come from ``frontend/scripts/bench.mjs``, which ``make bench`` runs next.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.perf import messages, opening_day

REPO = Path(__file__).resolve().parents[2]
RUNS = 15
PLAIN_BASELINE = "import boto3, pynamodb.models"
# app.py pauses the garbage collector while it imports (its libraries included): the baseline
# imports the same libraries the same way, so that the ratio is the portal's own cost.
BASELINE = "import gc; gc.disable(); import boto3, pynamodb.models; gc.freeze(); gc.enable()"


def _process_seconds(code: str) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of a whole ``python -c code`` process."""
    wall, cpu = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", code], cwd=REPO)
        _pid, status, usage = os.wait4(process.pid, 0)
        if status != 0:
            raise SystemExit(f"python -c {code!r} failed")
        wall.append(time.perf_counter() - started)
        cpu.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(wall), statistics.median(cpu)


def cold_start() -> None:
    compileall.compile_dir(REPO / "chalicelib", quiet=1)
    compileall.compile_file(REPO / "app.py", quiet=1)
    baseline = _process_seconds(BASELINE)
    plain = _process_seconds(PLAIN_BASELINE)
    portal = _process_seconds("import app")
    interpreter = _process_seconds("pass")
    print(f"Cold start (median of {RUNS} whole-process runs; wall clock, then CPU time)")
    rows = (
        ("python -c pass", interpreter),
        (f"python -c '{PLAIN_BASELINE}'", plain),
        ("the same, GC paused as app.py imports", baseline),
        ("python -c 'import app'", portal),
    )
    for label, (wall, cpu) in rows:
        print(f"  {label:<48} {wall * 1000:7.1f} ms {cpu * 1000:7.1f} ms")
    print(f"  {'ratio app / AWS libraries (GC paused in both)':<48} {portal[0] / baseline[0]:7.2f}    {portal[1] / baseline[1]:7.2f}     (bar: 1.30)")


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
    opening_day.main()
    messages.main()
    # The frontend's bundle size and slow-3G figures follow: `make bench` runs frontend/scripts/bench.mjs.
