"""The AWS emulator's state on disk: one consistent snapshot of moto's backends, never requests.

A snapshot is a main file (``aws-snapshot.pickle``) and, beside it, one file per DynamoDB table
(``aws-snapshot.tables/``). The main file holds a small header naming each table's file, then
every moto backend in use (S3 buckets with their objects, IAM, ...) with each DynamoDB table
replaced by a reference to its file. A table that no request changed since the last snapshot
keeps its file, so writing a snapshot pickles only the tables that changed: at 10,000
applications the forked writer touches (so copies) the pages of those tables, not of the whole
emulator (docs/local-stack.md, "Measured").

Tables are written to new files first, then the main file to a temporary name, which is
atomically renamed over the previous one: that rename is the moment the new snapshot exists. A
crash before it leaves the previous snapshot whole (new table files are then unreferenced and
removed by ``tidy``). Restoring puts the unpickled backends back in moto's registries before
the emulator serves its first request. A request that failed changed nothing, so it is in no
snapshot and is never replayed. A snapshot of the former single-file format is still restored.

Only the emulator's own process writes or reads these files (``infra/local/emulator.py``), and a
test or the bulk builder (``tests/load/bulk.py``) that runs moto in-process.
"""

from __future__ import annotations

import copyreg
import gc
import io
import os
import pickle
import secrets
import shutil
import threading
import time
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import moto
from moto.backends import get_backend
from moto.core.base_backend import BackendDict
from moto.dynamodb.models.dynamo_type import LimitedSizeDict
from moto.dynamodb.models.table import Table
from moto.s3.models import FakeKey
from moto.ssm.models import ParameterDict

SNAPSHOT = "aws-snapshot.pickle"
TABLES = "aws-snapshot.tables"
FORMAT = 2
# The main file starts with these bytes; a file without them is of the former format (everything
# in one pickle, as written before December 2026), still restored.
MAGIC = b"ssp-aws-snapshot 2\n"


class UnreadableSnapshot(Exception):
    """The snapshot was written by another moto version, or is damaged."""


@dataclass(frozen=True)
class Restored:
    written_at: float
    services: list[str]


def save(path: Path, changed_tables: Set[str] | None = None, written: Path | None = None) -> None:
    """Write moto's state now as the snapshot at ``path``. The caller makes sure no request is
    being served meanwhile (or runs in a forked copy of the emulator).

    ``changed_tables`` names the tables changed since the snapshot at ``path`` was written (None:
    unknown, so every table is written). With ``written`` the main file goes there and the caller
    puts it in place later with ``place``.
    """
    folder = tables_folder(path)
    folder.mkdir(exist_ok=True)
    kept = _header(path).get("tables", {})
    files: dict[str, str] = {}

    def table_file(table: Any) -> str | None:
        if not isinstance(table, Table):
            return None
        key = f"{table.account_id}/{table.region_name}/{table.name}"
        if key not in files:
            previous = kept.get(key)
            if previous and changed_tables is not None and table.name not in changed_tables and (folder / previous).exists():
                files[key] = previous
            else:
                files[key] = f"{key.replace('/', '-')}.{secrets.token_hex(4)}.pickle"
                _write(folder / files[key], lambda handle: _pickler(handle).dump(table))
        return key

    backends = {registry.service_name: {account: dict(regions) for account, regions in registry.items()} for registry in _in_use()}
    rest = io.BytesIO()
    pickler = _pickler(rest)
    pickler.persistent_id = table_file  # type: ignore[method-assign]
    pickler.dump(backends)
    header = {"format": FORMAT, "moto": moto.__version__, "written_at": time.time(), "tables": files}

    def main(handle: IO[bytes]) -> None:
        handle.write(MAGIC)
        pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
        handle.write(rest.getbuffer())

    _write(written or path, main)


def place(written: Path, path: Path) -> None:
    """Make the main file ``written`` (by ``save``) the snapshot at ``path``; remove what it left."""
    written.replace(path)
    tidy(path)


def tidy(path: Path) -> None:
    """Remove the table files the snapshot at ``path`` does not name (a replaced table, or one a
    writer wrote before it was stopped)."""
    folder = tables_folder(path)
    header = _header(path)
    if not folder.is_dir() or (path.exists() and not header):
        return  # a main file that cannot be read names nothing: its tables are kept with it
    named = set(header.get("tables", {}).values())
    for file in folder.iterdir():
        if file.name not in named:
            file.unlink(missing_ok=True)


def copy(path: Path, to: Path) -> None:
    """Copy the snapshot at ``path`` (main file and tables) to ``to``."""
    named = _header(path).get("tables", {}).values()
    tables_folder(to).mkdir(parents=True, exist_ok=True)
    for name in named:
        shutil.copyfile(tables_folder(path) / name, tables_folder(to) / name)
    shutil.copyfile(path, to)


def tables_folder(path: Path) -> Path:
    return path.with_name(TABLES)


def put_aside(path: Path, suffix: str) -> Path:
    """Rename an unreadable snapshot (its tables too) out of the way, keeping it; the new name."""
    aside = path.with_name(f"{path.name}.{suffix}")
    path.replace(aside)
    if tables_folder(path).is_dir():
        tables_folder(path).replace(tables_folder(path).with_name(f"{TABLES}.{suffix}"))
    return aside


def size(path: Path) -> int:
    """Bytes on disk of the snapshot at ``path``, its tables included."""
    return path.stat().st_size + sum((tables_folder(path) / name).stat().st_size for name in _header(path).get("tables", {}).values())


def restore(path: Path) -> Restored:
    """Put the snapshot at ``path`` back into moto's registries (which should be empty)."""
    # Unpickling makes millions of objects, none of them garbage: the collector would walk the
    # growing heap again and again for nothing (most of the restore time). Afterwards the restored
    # state is frozen out of later collections, which would otherwise walk it on every pass.
    gc.disable()
    try:
        with open(path, "rb") as handle:
            if handle.read(len(MAGIC)) != MAGIC:
                handle.seek(0)
            header: dict[str, Any] = pickle.load(handle)  # noqa: S301 - our own file, in our own data folder
            if header.get("format") not in (1, FORMAT) or header.get("moto") != moto.__version__:
                raise UnreadableSnapshot(f"written by moto {header.get('moto')}, this is moto {moto.__version__}")
            backends: dict[Any, Any] = header["backends"] if header["format"] == 1 else _backends(handle, path, header["tables"])
    except UnreadableSnapshot:
        raise
    except Exception as error:  # noqa: BLE001 - any failure to read means the same to the person
        raise UnreadableSnapshot(f"{type(error).__name__}: {error}") from error
    finally:
        gc.enable()
    gc.freeze()
    for service, accounts in backends.items():
        registry = get_backend(service)
        for account, regions in accounts.items():
            for region, backend in regions.items():
                registry[account][region] = backend
    return Restored(float(header["written_at"]), sorted(backends))


def _backends(handle: IO[bytes], path: Path, files: dict[str, str]) -> dict[str, Any]:
    folder = tables_folder(path)

    def table(key: str) -> Table:
        with open(folder / files[key], "rb") as table_handle:
            return pickle.load(table_handle)  # noqa: S301 - our own file

    unpickler = pickle.Unpickler(handle)  # noqa: S301 - our own file, in our own data folder
    unpickler.persistent_load = table  # type: ignore[method-assign]
    return unpickler.load()


def _header(path: Path) -> dict[str, Any]:
    """The header of the main file, naming the table files ({} for none, or for a file of the
    former format, which is not read: its one pickle is the whole state)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(MAGIC)) != MAGIC:
                return {}
            header = pickle.load(handle)  # noqa: S301 - our own file, in our own data folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}
    return header if isinstance(header, dict) and header.get("format") == FORMAT else {}


def _pickler(handle: IO[bytes]) -> pickle.Pickler:
    pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {
        **copyreg.dispatch_table,
        LimitedSizeDict: _reduce_item_attributes,
        FakeKey: _reduce_stored_object,
        # A lock guards a structure while a request runs (SQS keeps one per queue); none is held
        # in a snapshot, which is taken between requests, so a new one takes its place.
        type(threading.Lock()): lambda _lock: (threading.Lock, ()),
        type(threading.RLock()): lambda _lock: (threading.RLock, ()),
        ParameterDict: _reduce_parameters,
    }
    return pickler


def _write(path: Path, fill: Any) -> None:
    """Write ``path`` through a temporary file renamed over it: a reader sees the old or the new."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        fill(handle)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


def _reduce_item_attributes(attributes: LimitedSizeDict) -> tuple[Any, tuple[dict[str, Any]]]:
    return _item_attributes, (dict(attributes),)


def _item_attributes(attributes: dict[str, Any]) -> LimitedSizeDict:
    """An item's attributes as moto keeps them, without re-checking the item's size once per
    attribute as moto's own ``__setitem__`` does (which made restoring 10,000 applications take
    most of a minute): the size was checked when the item was written."""
    restored = LimitedSizeDict.__new__(LimitedSizeDict)
    dict.update(restored, attributes)
    return restored


def _in_use() -> list[BackendDict[Any]]:
    """moto's own list of the backends that hold something."""
    return list(BackendDict._instances)  # type: ignore[misc]  # noqa: SLF001


def _reduce_stored_object(stored: FakeKey) -> tuple[Any, tuple[dict[str, Any]]]:
    return _stored_object, (stored.__getstate__(),)


def _stored_object(state: dict[str, Any]) -> FakeKey:
    """An S3 object as moto keeps it. moto's own ``__setstate__`` copies the body into a new
    spooled temporary file; a body below its spill size stays in memory there anyway, so it is
    wrapped as it is (a quarter of the restore time of 10,000 documents otherwise)."""
    value = state.pop("value")
    if len(value) > state["_max_buffer_size"]:
        restored: FakeKey = object.__new__(FakeKey)
        restored.__setstate__({**state, "value": value})
        return restored
    restored = object.__new__(FakeKey)
    restored.__dict__.update(state)
    restored._value_buffer = io.BytesIO(value)  # type: ignore[assignment]  # noqa: SLF001
    restored.lock = threading.Lock()
    return restored


def _reduce_parameters(parameters: ParameterDict) -> tuple[Any, tuple[Any, ...]]:
    """SSM's parameters: a ``defaultdict`` whose constructor takes other arguments than the one
    ``pickle`` gives a ``defaultdict`` back."""
    return _parameters, (parameters.account_id, parameters.region_name, dict(parameters), dict(vars(parameters)))


def _parameters(account_id: str, region_name: str, items: dict[str, Any], attributes: dict[str, Any]) -> ParameterDict:
    restored = ParameterDict(account_id, region_name)
    restored.update(items)
    vars(restored).update(attributes)
    return restored
