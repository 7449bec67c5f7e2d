"""The local stack's AWS emulator process: moto's server, one request at a time, kept as snapshots.

    python -m infra.local.emulator --port 4566 --data-dir .local [--snapshot-seconds 5]

moto is not safe under threads (a transaction deep-copies the tables it touches and puts the
copy back when it fails; a conditional put checks then writes), so every request runs under one
lock. Request bodies are read before taking it and responses are written after releasing it, so
a slow upload never holds up the others. Threads still accept connections and keep them alive.

State is written as a snapshot (``infra/local/snapshot.py``) every ``--snapshot-seconds`` when
something changed, by a forked copy of the process so requests wait only for the fork (pickling
again only the DynamoDB tables that changed: ``tables_changed``), and on a
clean stop (SIGTERM or SIGINT), where the forked copy finishes on its own and the next start
waits for it; it is restored before the first request (docs/local-stack.md has the details).
A marker file says the emulator is running: finding it at start means the last run crashed,
and losing at most the changes of its last interval is said out loud. A recording written by the
former recorder-based persistence (``aws-recording.jsonl``) is replayed once into the first
snapshot, then kept aside as ``aws-recording.jsonl.migrated``.

``GET /_ssp/status`` answers whether the emulator is ready and when its last snapshot was written.
"""

from __future__ import annotations

import argparse
import fcntl
import gc
import io
import json
import logging
import os
import signal
import stat
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from infra.local import moto_fixes, snapshot
from infra.local.aws import DEFAULT_SNAPSHOT_SECONDS, STATUS_PATH
from infra.local.processes import watch_parent

RECORDING = "aws-recording.jsonl"
RUNNING_MARKER = "aws-running"
WRITER_LOCK = "aws-snapshot.lock"
SINGLE_THREADED = "SSP_AWS_SINGLE_THREADED"

# Requests that change nothing, by DynamoDB target or HTTP method.
_DYNAMODB_READS = {
    *("GetItem", "BatchGetItem", "TransactGetItems", "Query", "Scan", "DescribeTable", "ListTables", "DescribeTimeToLive", "DescribeContinuousBackups"),
    # DynamoDB Streams, read every second by the launcher's outbox poller: without these, every
    # poll counted as a change and the whole state was snapshotted every interval, idle or not.
    *("DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"),
    # SQS: the webhook poller looks at its queue every second (infra/local/queues.py) and receives only when something waits.
    *("GetQueueAttributes", "GetQueueUrl"),
}

StartResponse = Callable[..., Any]


def changes_nothing(method: str, target: str) -> bool:
    """Whether a request only reads (so the state needs no new snapshot)."""
    if target:
        return target.rsplit(".", 1)[-1] in _DYNAMODB_READS
    return method in {"GET", "HEAD", "OPTIONS"}


class SerializedApp:
    """moto's WSGI app behind one lock, counting changes since the last snapshot."""

    def __init__(self, moto_app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]) -> None:
        self.moto_app = moto_app
        self.lock = threading.Lock()
        self.changes = 0
        self.ready = False
        self.snapshot_at: float | None = None
        # The DynamoDB tables changed since the last snapshot, whose files it rewrites (None: not
        # known, so all of them).
        self.changed_tables: set[str] | None = set()

    def _changed(self, tables: frozenset[str] | None) -> None:
        if tables is None or self.changed_tables is None:
            self.changed_tables = None
        else:
            self.changed_tables |= tables

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == STATUS_PATH:
            return self._status(start_response)
        _buffer_body(environ)
        captured: list[Any] = []

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], Any]:
            captured[:] = [status, headers, exc_info]
            return lambda _data: None

        body_in = environ["wsgi.input"].getvalue() if isinstance(environ.get("wsgi.input"), io.BytesIO) else None
        with self.lock:
            result = self.moto_app(environ, remember)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            target = environ.get("HTTP_X_AMZ_TARGET", "")
            if not changes_nothing(environ.get("REQUEST_METHOD", ""), target):
                self.changes += 1
                self._changed(tables_changed(target, body_in))
        start_response(*captured)
        return [body]

    def _status(self, start_response: StartResponse) -> Iterable[bytes]:
        body = json.dumps({"ready": self.ready, "snapshot_at": self.snapshot_at, "pid": os.getpid()}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def save(self, path: Path, force: bool = False, aside: bool = False) -> float | None:
        """Write a snapshot if anything changed since the last one (or ``force``); seconds taken.

        With ``aside`` the state is written by a forked copy of this process (as Redis's
        BGSAVE): requests wait only for the fork, not for pickling, which takes seconds at
        10,000 applications. The copy is consistent: it is taken under the lock. Only the tables
        changed since the last snapshot are pickled again (``snapshot.save``).
        """
        started = time.perf_counter()
        with self.lock:
            if not self.changes and not force:
                return None
            changes, self.changes = self.changes, 0
            changed, self.changed_tables = (None if force else self.changed_tables), set()
            taken_at = time.time()
            written = path.with_name(f"{path.name}.{os.getpid()}-{changes}")
            if aside:
                writer = _fork_writer(path, written, changed)
            else:
                snapshot.save(path, changed, written)
        if aside:
            _pid, status = os.waitpid(writer, 0)
            if status != 0:
                with self.lock:
                    self.changes += changes
                    self._changed(None if changed is None else frozenset(changed))
                raise OSError(f"the process writing the snapshot exited with status {status}")
        snapshot.place(written, path)  # only now: a copy left writing by a killed emulator never lands
        self.snapshot_at = taken_at
        return time.perf_counter() - started

    def hand_over(self, path: Path, marker: Path) -> int | None:
        """On a clean stop: the last changes are written by a forked copy that also puts the
        snapshot in place and removes the running marker, while this process exits at once (so
        Ctrl-C stays quick when pickling takes seconds). The next start waits for that copy.
        The copy's pid, or None when nothing changed since the last snapshot."""
        with self.lock:
            if not self.changes:
                return None
            self.changes = 0
            return _fork_writer(path, path.with_name(f"{path.name}.{os.getpid()}-last"), self.changed_tables, place=True, marker=marker)


def tables_changed(target: str, body: bytes | None) -> frozenset[str] | None:
    """The DynamoDB tables a changing request names: empty for another service's request, None
    when it cannot be told (a PartiQL statement, a body that is not JSON)."""
    if not target.startswith("DynamoDB_"):
        return frozenset()
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return None
    if not isinstance(request, dict):
        return None
    names: list[Any] = [request.get("TableName"), request.get("ResourceArn"), *(request.get("RequestItems") or {})]
    for item in request.get("TransactItems") or []:
        names.extend(operation.get("TableName") for operation in item.values() if isinstance(operation, dict))
    tables = frozenset(_table_name(name) for name in names if name is not None)
    return tables if tables and all(tables) else None


def _table_name(name: Any) -> str:
    """A table's name from its name or ARN (``arn:aws:dynamodb:...:table/NAME[/index/...]``)."""
    if not isinstance(name, str):
        return ""
    return name.split(":table/", 1)[1].split("/", 1)[0] if ":table/" in name else name


def _fork_writer(path: Path, written: Path, changed: set[str] | None, place: bool = False, marker: Path | None = None) -> int:
    """Fork; the child writes the snapshot of the state it was born with, its main file to
    ``written`` (then, if asked, puts it in place at ``path`` and removes ``marker``) and exits.

    Called under the lock, so no other thread is inside moto at the fork: the child (which has
    only this thread) finds moto's objects whole. It holds the writer lock until it exits, closes
    the server's sockets at once (a port or a connection is never kept open by it), and never
    returns into the server's code.
    """
    held = os.open(path.with_name(WRITER_LOCK), os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(held, fcntl.LOCK_EX)
    pid = os.fork()
    if pid:
        os.close(held)  # the child's copy keeps the lock until it exits
        return pid
    code = 1
    try:
        _close_sockets()
        gc.disable()  # a collection would touch (so copy) every page of the parent's heap
        snapshot.save(path, changed, written)
        if place:
            snapshot.place(written, path)
        if marker is not None:
            marker.unlink(missing_ok=True)
        code = 0
    except BaseException:  # noqa: BLE001 - said here, since this copy never returns to say it
        traceback.print_exc()
    finally:
        os._exit(code)


def _close_sockets() -> None:
    for name in os.listdir("/proc/self/fd"):
        try:
            if stat.S_ISSOCK(os.fstat(int(name)).st_mode):
                os.close(int(name))
        except OSError:
            continue


def wait_for_writer(data_dir: Path) -> float:
    """Wait until no copy of a previous emulator is still writing its snapshot; seconds waited."""
    started = time.perf_counter()
    with open(data_dir / WRITER_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
    return time.perf_counter() - started


def _buffer_body(environ: dict[str, Any]) -> None:
    """Read the whole request body now, outside the lock (a browser's upload may be slow)."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return
    length = environ.get("CONTENT_LENGTH") or ""
    if length.isdigit():
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        return
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))


def _say(message: str) -> None:
    print(f"  [aws] {message}", flush=True)


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))


def restore_state(data_dir: Path, interval: float) -> tuple[bool, float | None]:
    """Load the last snapshot; say so, and say what a crash lost. (migrate?, snapshot time)."""
    path = data_dir / snapshot.SNAPSHOT
    waited = wait_for_writer(data_dir)
    if waited > 0.5:
        _say(f"waited {waited:.1f} s for the last run's emulator to finish saving its data.")
    crashed = (data_dir / RUNNING_MARKER).exists()
    for unfinished in data_dir.glob(f"{snapshot.SNAPSHOT}.*"):
        if not unfinished.name.startswith(f"{snapshot.SNAPSHOT}.unreadable") and unfinished.name != WRITER_LOCK:
            unfinished.unlink(missing_ok=True)  # a copy a killed emulator was still writing
    snapshot.tidy(path)  # and the table files such a copy wrote
    written_at: float | None = None
    if path.exists():
        started = time.perf_counter()
        try:
            restored = snapshot.restore(path)
        except snapshot.UnreadableSnapshot as error:
            aside = snapshot.put_aside(path, f"unreadable-{int(time.time())}")
            _say(f"could not read the saved AWS data ({error}); it is kept as {aside.name} and the emulator starts empty.")
        else:
            written_at = restored.written_at
            _say(f"restored the AWS data saved at {_when(written_at)} in {time.perf_counter() - started:.1f} s.")
    if crashed:
        since = f"after {_when(written_at)}" if written_at else "since it started"
        _say(f"the AWS emulator did not stop cleanly last time: changes made {since} (at most the last {interval:g} s of work) were lost.")
    migrate = written_at is None and (data_dir / RECORDING).exists()
    return migrate, written_at


def migrate_recording(data_dir: Path, url: str) -> int:
    """Replay the former recording's writes (reads dropped) into this emulator, once."""
    from moto.moto_api import recorder

    recording = data_dir / RECORDING
    lines = [line for line in recording.read_text().splitlines() if line.strip()]
    writes = [line for line in lines if not _recorded_read(json.loads(line))]
    compacted = recording.with_name(RECORDING + ".writes")
    compacted.write_text("".join(f"{line}\n" for line in writes))
    recorder._location = str(compacted)  # noqa: SLF001 - moto's recorder reads its file from here
    recorder.replay_recording(target_host=url)
    compacted.unlink()
    recording.replace(recording.with_name(RECORDING + ".migrated"))
    return len(writes)


def _recorded_read(entry: dict[str, Any]) -> bool:
    headers = {k.lower(): v for k, v in (entry.get("headers") or {}).items()}
    return changes_nothing(str(entry.get("method", "")), str(headers.get("x-amz-target", "")))


def serve(host: str, port: int, data_dir: Path, interval: float, threaded: bool = True, parent: int | None = None) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per emulated AWS call is noise
    moto_fixes.apply()
    path = data_dir / snapshot.SNAPSHOT
    migrate, written_at = restore_state(data_dir, interval)
    app = SerializedApp(DomainDispatcherApplication(create_backend_app))
    app.snapshot_at = written_at
    try:
        server: BaseWSGIServer = make_server(host, port, app, threaded=threaded, request_handler=MotoRequestHandler)
    except OSError as error:
        _say(f"cannot listen on {host}:{port}: {error}")
        return 2
    (data_dir / RUNNING_MARKER).write_text(str(os.getpid()))
    stopping = threading.Event()

    def stop(*_: Any) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if parent:
        watch_parent(parent, stop)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="moto", daemon=True)
    serving.start()
    if migrate:
        count = migrate_recording(data_dir, f"http://{host}:{port}")
        app.save(path, force=True)
        _say(f"moved {count} recorded changes from {RECORDING} into a snapshot, once; the recording is kept as {RECORDING}.migrated.")
    app.ready = True
    while not stopping.wait(interval):
        try:
            app.save(path, aside=True)
        except OSError as error:
            _say(f"could not save the AWS data: {error}")
    serving.join(timeout=3)
    writer = app.hand_over(path, data_dir / RUNNING_MARKER)
    if writer is None:
        (data_dir / RUNNING_MARKER).unlink(missing_ok=True)
    else:
        _say(f"the last changes are being saved by process {writer}; a restart waits until they are.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.local.emulator", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    parser.add_argument("--data-dir", type=Path, default=Path(".local"))
    parser.add_argument("--snapshot-seconds", type=float, default=DEFAULT_SNAPSHOT_SECONDS, help="how often changes are saved (default 5)")
    parser.add_argument(
        "--single-threaded",
        action="store_true",
        default=os.environ.get(SINGLE_THREADED, "") == "1",
        help=f"serve one connection at a time instead of threads and a lock (for measuring; or {SINGLE_THREADED}=1)",
    )
    parser.add_argument("--parent", type=int, help="stop when this process (the launcher) is gone")
    args = parser.parse_args(argv)
    return serve(args.host, args.port, args.data_dir, args.snapshot_seconds, threaded=not args.single_threaded, parent=args.parent)


if __name__ == "__main__":
    sys.exit(main())
