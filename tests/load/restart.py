"""How quickly the local stack comes back with many applications, and how much memory it holds.

    python -m tests.load.restart --applications 10000 [--data-dir .local/bench/10000]

Builds (once, then reuses) a snapshot of N submitted applications with a document each
(``tests/load/bulk.py``), copies it into a fresh data folder and measures, on that copy:

- the emulator alone: seconds from starting its process to the first answered DynamoDB call,
  its memory once ready, and how long it takes to stop;
- the whole stack (`make dev`'s launcher): seconds from start to the first answered API call,
  the peak memory of all its processes while it starts and a reviewer lists every application,
  and how long Ctrl-C takes;
- what is there: submitted applications counted through the admin API, documents available and
  objects stored counted in the emulator.

Figures are printed, never asserted on time (``tests/local/test_restart.py`` asserts what is there).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import psutil
import requests

from infra.local.idp.staff_token import mint
from infra.local.seed import PROGRAM_ID
from infra.local.snapshot import SNAPSHOT
from infra.local.snapshot import copy as copy_snapshot
from infra.local.snapshot import size as snapshot_size
from infra.local.stack import REPO, free_port
from tests.load.verify import submitted_applications

SETTLE_SECONDS = 10.0
CHILD_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("SSP_", "AWS_", "MOTO_"))}


@dataclass
class Figures:
    applications: int
    snapshot_mb: float = 0.0
    emulator_ready_s: float = 0.0
    emulator_mb: float = 0.0
    emulator_stop_s: float = 0.0
    stack_ready_s: float = 0.0
    stack_peak_mb: float = 0.0
    stack_peak_pss_mb: float = 0.0
    listed_in_emulator: int = 0
    first_page_s: float = 0.0
    first_page: int = 0
    applications_changed: bool = False
    stack_stop_s: float = 0.0
    listing_s: float = 0.0
    listed: list[dict[str, Any]] = field(default_factory=list)
    documents_available: int = 0
    objects_stored: int = 0


def ensure_snapshot(applications: int, folder: Path) -> Path:
    """The snapshot of ``applications`` applications in ``folder``, built once."""
    path = folder / SNAPSHOT
    if not path.exists():
        print(f"Building a snapshot of {applications} applications in {folder} (once; minutes for 10,000)...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "tests.load.bulk", "--applications", str(applications), "--data-dir", str(folder)], cwd=REPO, env=CHILD_ENV, check=True
        )  # noqa: S603
    return path


def fresh_copy(snapshot: Path, into: Path) -> Path:
    """A new data folder holding only the snapshot: a run never changes the one it was built as."""
    data = into / "data"
    data.mkdir(parents=True)
    copy_snapshot(snapshot, data / SNAPSHOT)
    return data


def memory(pid: int) -> tuple[int, int]:
    """Memory of ``pid`` and every process it started, in bytes: the sum of their resident sizes,
    and of their proportional sizes (PSS: a page shared by n processes counts 1/n in each). A
    forked snapshot writer shares almost all its pages with the emulator: RSS counts them twice."""
    try:
        root = psutil.Process(pid)
        infos = [p.memory_full_info() for p in [root, *root.children(recursive=True)]]
    except psutil.Error:
        return 0, 0
    return sum(i.rss for i in infos), sum(getattr(i, "pss", i.rss) for i in infos)


@contextmanager
def peak_memory(pid: int) -> Iterator[Callable[[], tuple[int, int]]]:
    """Samples ``pid``'s memory (with its children) every 0.1 s; yields a reader of the peaks."""
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            rss, pss = memory(pid)
            peak[:] = [max(peak[0], rss), max(peak[1], pss)]

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield lambda: (peak[0], peak[1])
    finally:
        done.set()
        sampler.join()


def dynamodb(url: str) -> Any:
    return boto3.client("dynamodb", endpoint_url=url, region_name="eu-west-1", aws_access_key_id="local", aws_secret_access_key="local")


def stop_within(process: subprocess.Popen[bytes], sig: int) -> float:
    started = time.perf_counter()
    process.send_signal(sig)
    process.wait(timeout=60)
    return time.perf_counter() - started


def measure_emulator(data: Path, figures: Figures) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "infra.local.emulator", "--port", str(port), "--data-dir", str(data)], cwd=REPO, env=CHILD_ENV)  # noqa: S603
    try:
        client = dynamodb(url)
        while True:
            try:
                client.describe_table(TableName="ssp-dev-applications")
                break
            except Exception:  # noqa: BLE001 - not listening yet, or still restoring
                if process.poll() is not None or time.perf_counter() - started > 120:
                    raise SystemExit("The emulator did not start.") from None
                time.sleep(0.05)
        figures.emulator_ready_s = time.perf_counter() - started
        figures.emulator_mb = memory(process.pid)[0] / 2**20
        figures.listed_in_emulator = count(client, "ssp-dev-applications", "submitted")
        figures.documents_available = count(client, "ssp-dev-documents", "available")
        figures.objects_stored = sum(page.get("KeyCount", 0) for page in stored_objects(url))
    finally:
        figures.emulator_stop_s = stop_within(process, signal.SIGTERM)


def count(client: Any, table: str, status: str) -> int:
    """Items of ``table`` with ``status`` (a Scan: fine for a measurement, never on a request path)."""
    total, start = 0, None
    while True:
        extra: dict[str, Any] = {"ExclusiveStartKey": start} if start else {}
        page = client.scan(
            TableName=table,
            Select="COUNT",
            FilterExpression="#s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": status}},
            **extra,
        )
        total += page["Count"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return total


def stored_objects(url: str) -> Iterator[dict[str, Any]]:
    s3 = boto3.client("s3", endpoint_url=url, region_name="eu-west-1", aws_access_key_id="local", aws_secret_access_key="local")
    yield from s3.get_paginator("list_objects_v2").paginate(Bucket="ssp-dev-documents", Prefix="documents/")


def measure_stack(data: Path, figures: Figures, through_api: bool) -> None:
    ready = data.parent / "ready.json"
    log = data.parent / "stack.log"
    argv = [sys.executable, "-m", "infra.local.launcher", "--free-ports", "--data-dir", str(data), "--ready-file", str(ready)]
    started = time.perf_counter()
    with open(log, "wb") as output:
        process = subprocess.Popen(argv, cwd=REPO, env=CHILD_ENV, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        with peak_memory(process.pid) as peak:
            base = _first_answer(process, ready, log, started)
            figures.stack_ready_s = time.perf_counter() - started
            page = time.perf_counter()
            first = requests.get(f"{base}/api/admin/programs/{PROGRAM_ID}/applications", params={"limit": 100}, headers=_bearer(data), timeout=120)
            figures.first_page_s = time.perf_counter() - page
            figures.first_page = len(first.json()["items"]) if first.status_code == 200 else -first.status_code
            figures.applications_changed = _change_one_application(json.loads(ready.read_text())["ports"]["aws"])
            time.sleep(max(0.0, SETTLE_SECONDS - (time.perf_counter() - page)))  # one snapshot interval, for the memory peak
            if through_api:
                listing = time.perf_counter()
                figures.listed = submitted_applications(base, mint("reviewer", data))
                figures.listing_s = time.perf_counter() - listing
        rss, pss = peak()
        figures.stack_peak_mb, figures.stack_peak_pss_mb = rss / 2**20, pss / 2**20
    finally:
        figures.stack_stop_s = stop_within(process, signal.SIGINT)


def _change_one_application(aws_port: int) -> bool:
    """One application changes (as a reviewer's decision would): the next snapshot writes the
    largest table again, so the peak measured is that of the costliest snapshot."""
    client, table = dynamodb(f"http://127.0.0.1:{aws_port}"), "ssp-dev-applications"
    item = client.scan(TableName=table, Limit=1)["Items"][0]
    key = {part["AttributeName"]: item[part["AttributeName"]] for part in client.describe_table(TableName=table)["Table"]["KeySchema"]}
    client.update_item(TableName=table, Key=key, UpdateExpression="SET measured_at = :now", ExpressionAttributeValues={":now": {"S": str(time.time())}})
    return True


def _bearer(data: Path) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint('reviewer', data)}"}


def _first_answer(process: subprocess.Popen[bytes], ready: Path, log: Path, started: float) -> str:
    while True:
        if ready.exists():
            base = str(json.loads(ready.read_text())["public_url"])
            try:
                with urllib.request.urlopen(base + "/api/programs", timeout=5) as answer:  # noqa: S310 - loopback only
                    if answer.status == 200:
                        return base
            except OSError:
                pass
        if process.poll() is not None or time.perf_counter() - started > 180:
            raise SystemExit(f"The local stack did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def measure(applications: int, snapshot: Path, through_api: bool = False) -> Figures:
    figures = Figures(applications, snapshot_mb=snapshot_size(snapshot) / 2**20)
    with tempfile.TemporaryDirectory(prefix="ssp-restart-") as scratch:
        measure_emulator(fresh_copy(snapshot, Path(scratch) / "emulator"), figures)
        measure_stack(fresh_copy(snapshot, Path(scratch) / "stack"), figures, through_api)
    return figures


def report(f: Figures) -> None:
    print(f"\nRestart with {f.applications} submitted applications, a document each (snapshot {f.snapshot_mb:.0f} MB)\n")
    print(f"  emulator alone: first answer after {f.emulator_ready_s:.1f} s, {f.emulator_mb:.0f} MB, stopped in {f.emulator_stop_s:.1f} s")
    print(f"  whole stack:    first API answer after {f.stack_ready_s:.1f} s, peak {f.stack_peak_pss_mb:.0f} MB PSS ({f.stack_peak_mb:.0f} MB RSS summed)")
    print(f"                  Ctrl-C took {f.stack_stop_s:.1f} s")
    print(f"  a reviewer's first page of 100 applications: {f.first_page} in {f.first_page_s:.1f} s")
    print(f"  one application changed meanwhile, so a snapshot wrote the largest table again: {f.applications_changed}")
    if f.listing_s:
        print(f"  a reviewer listed {len(f.listed)} submitted applications through the admin API in {f.listing_s:.1f} s")
    print(f"  in the emulator: {f.listed_in_emulator} applications submitted, {f.documents_available} documents available, {f.objects_stored} objects stored\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.load.restart", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--data-dir", type=Path, help="where the built snapshot is kept (default .local/bench/<N>)")
    parser.add_argument("--through-api", action="store_true", help="also list every application as a reviewer (slow: minutes at 10,000)")
    args = parser.parse_args(argv)
    folder = args.data_dir or REPO / ".local" / "bench" / str(args.applications)
    figures = measure(args.applications, ensure_snapshot(args.applications, folder), args.through_api)
    report(figures)
    found = [figures.listed_in_emulator, figures.documents_available, figures.objects_stored, *([len(figures.listed)] if args.through_api else [])]
    complete = all(n == args.applications for n in found)
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
