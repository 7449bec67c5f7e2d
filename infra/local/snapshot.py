"""The AWS emulator's state on disk: one consistent snapshot of moto's backends, never requests.

A snapshot pickles every moto backend in use (DynamoDB tables with their items and indexes, S3
buckets with their objects, ...) as they are at one instant, and is written to a temporary file
then atomically renamed over the previous one: a crash while writing leaves the previous
snapshot whole. Restoring puts the unpickled backends back in moto's registries before the
emulator serves its first request. A request that failed changed nothing, so it is in no
snapshot and is never replayed.

Only the emulator's own process writes or reads these files (``infra/local/emulator.py``), and a
test or the bulk builder (``tests/load/bulk.py``) that runs moto in-process.
"""

from __future__ import annotations

import copyreg
import gc
import io
import os
import pickle
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import moto
from moto.backends import get_backend
from moto.core.base_backend import BackendDict
from moto.dynamodb.models.dynamo_type import LimitedSizeDict
from moto.s3.models import FakeKey

SNAPSHOT = "aws-snapshot.pickle"
FORMAT = 1


class UnreadableSnapshot(Exception):
    """The snapshot was written by another moto version, or is damaged."""


@dataclass(frozen=True)
class Restored:
    written_at: float
    services: list[str]


def capture() -> bytes:
    """moto's state now, as bytes. The caller makes sure no request is being served meanwhile."""
    backends = {registry.service_name: {account: dict(regions) for account, regions in registry.items()} for registry in _in_use()}
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, LimitedSizeDict: _reduce_item_attributes, FakeKey: _reduce_stored_object}
    pickler.dump({"format": FORMAT, "moto": moto.__version__, "written_at": time.time(), "backends": backends})
    return out.getvalue()


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


def write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: a reader sees the old file or the new one."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


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


def restore(path: Path) -> Restored:
    """Put the snapshot at ``path`` back into moto's registries (which should be empty)."""
    # Unpickling makes millions of objects, none of them garbage: the collector would walk the
    # growing heap again and again for nothing (most of the restore time). Afterwards the restored
    # state is frozen out of later collections, which would otherwise walk it on every pass.
    gc.disable()
    try:
        state: dict[str, Any] = pickle.loads(path.read_bytes())  # noqa: S301 - our own file, in our own data folder
    except Exception as error:  # noqa: BLE001 - any failure to read means the same to the person
        raise UnreadableSnapshot(f"{type(error).__name__}: {error}") from error
    finally:
        gc.enable()
    gc.freeze()
    if state.get("format") != FORMAT or state.get("moto") != moto.__version__:
        raise UnreadableSnapshot(f"written by moto {state.get('moto')}, this is moto {moto.__version__}")
    for service, accounts in state["backends"].items():
        registry = get_backend(service)
        for account, regions in accounts.items():
            for region, backend in regions.items():
                registry[account][region] = backend
    return Restored(float(state["written_at"]), sorted(state["backends"]))
