"""`make load`: N people apply at once on a fresh local stack; per-step figures, then a check.

    .venv/bin/python -m tests.load [--people 200] [--data-dir DIR]

Starts the stack (`make dev`'s launcher, free ports, a temporary data folder unless given) with
the dev identity provider serving N generated people, runs N locust users at once through the
real HTTP flow (tests/load/applicant.py), prints per step p50/p95/max, errors and throughput,
and the stack's peak memory; then checks through the admin API (a reviewer's token from the dev
IdP) that every application a person was told was submitted is stored once with their answers.
Exits 1 when any error, lost, duplicated or altered application is found.
"""

from __future__ import annotations

# isort: off
# locust patches the standard library for gevent when imported: it goes first.
import locust  # noqa: F401
# isort: on

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import gevent
import psutil
from locust.env import Environment

from infra.local.idp.staff_token import mint
from infra.local.stack import REPO
from tests.load.applicant import OUTCOMES, STEPS, Applicant
from tests.load.verify import verify


def start_stack(data_dir: Path, people: int, single_threaded: bool = False) -> tuple[subprocess.Popen[bytes], dict[str, Any], Path]:
    data_dir.mkdir(parents=True, exist_ok=True)
    ready = data_dir.parent / "ready.json"
    ready.unlink(missing_ok=True)
    log = data_dir.parent / "stack.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSP_", "AWS_", "MOTO_"))}
    if single_threaded:
        env["SSP_AWS_SINGLE_THREADED"] = "1"
    argv = [sys.executable, "-m", "infra.local.launcher", "--free-ports", "--data-dir", str(data_dir), "--ready-file", str(ready)]
    with open(log, "wb") as output:
        process = subprocess.Popen([*argv, "--synthetic-people", str(people)], cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 120
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"The local stack did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    return process, json.loads(ready.read_text()), log


def stack_memory(launcher: int) -> int:
    """Resident memory of the launcher and every process it started, in bytes."""
    try:
        root = psutil.Process(launcher)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    except psutil.Error:
        return 0


def run(base: str, people: int, spawn_rate: float, launcher: int) -> tuple[Environment, float, int]:
    environment = Environment(user_classes=[Applicant], host=base)
    runner = environment.create_local_runner()
    peak = 0
    started = time.monotonic()
    runner.start(people, spawn_rate=spawn_rate)
    while len(OUTCOMES) < people or runner.user_count > 0:
        gevent.sleep(0.5)
        peak = max(peak, stack_memory(launcher))
        if time.monotonic() - started > 900:
            print("Gave up after 15 minutes.", file=sys.stderr)
            break
    elapsed = time.monotonic() - started
    runner.quit()
    return environment, elapsed, peak


def report(environment: Environment, elapsed: float, people: int, peak: int) -> int:
    print(f"\n{people} applicants at once, {elapsed:.1f} s in all\n")
    print(f"  {'step':<20} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    entries = {name: entry for (name, _method), entry in environment.stats.entries.items()}
    for step in STEPS:
        entry = entries.get(step)
        if entry is None:
            print(f"  {step:<20} {0:>8}")
            continue
        p50, p95 = entry.get_response_time_percentile(0.5), entry.get_response_time_percentile(0.95)
        print(f"  {step:<20} {entry.num_requests:>8} {entry.num_failures:>6} {p50:>8.0f} {p95:>8.0f} {entry.max_response_time:>8.0f}")
    total = environment.stats.total
    finished = sum(1 for o in OUTCOMES if o.reference)
    print(f"\n  requests {total.num_requests}, failed {total.num_failures}, {total.num_requests / elapsed:.1f} requests/s")
    print(f"  applications submitted {finished} of {people}, {finished / elapsed:.2f} per second")
    print(f"  the stack's peak memory (all its processes) {peak / 2**20:.0f} MB")
    failed = [o for o in OUTCOMES if o.failure]
    for outcome in failed[:10]:
        print(f"  person {outcome.person}: {outcome.failure}")
    return len(failed) + total.num_failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=0, help="people started per second (default: all at once)")
    parser.add_argument("--data-dir", type=Path, help="the stack's data folder (default: a new temporary one)")
    parser.add_argument("--single-threaded-emulator", action="store_true", help="the emulator serves one connection at a time instead of threads and a lock")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ssp-load-")) / "data"
    process, ready, log = start_stack(data_dir, args.people, args.single_threaded_emulator)
    try:
        environment, elapsed, peak = run(ready["public_url"], args.people, args.spawn_rate or args.people, process.pid)
        print(f"\n  the AWS emulator {'served one connection at a time' if args.single_threaded_emulator else 'ran threads behind one lock'}")
        errors = report(environment, elapsed, args.people, peak)
        verdict = verify(ready["public_url"], mint("reviewer", data_dir), OUTCOMES)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    print(f"\n  checked through the admin API: {verdict.submitted} told submitted, {verdict.stored} stored")
    print(f"  errors {errors}, lost {len(verdict.lost)}, duplicated {len(verdict.duplicated)}, answers or reference differ {len(verdict.wrong)}")
    for who in (verdict.lost + verdict.duplicated + verdict.wrong)[:10]:
        print(f"    {who}")
    print(f"  data: {data_dir}; the stack's output: {log}\n")
    bad = errors + len(verdict.lost) + len(verdict.duplicated) + len(verdict.wrong)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
