"""Changes to moto inside the local stack's emulator process, so it stays small and quick and
its state can be kept in a snapshot.

- moto keeps every model object it ever makes for its dashboard (``instances_tracked``),
  including the copies each transaction takes: memory without bound (GBs after a few thousand
  writes). The local stack has no dashboard: objects are no longer tracked.
- ``TransactWriteItems`` deep-copies every table it touches so it can put the copy back when the
  transaction fails: time and memory that grow with the table (seconds per transaction at 10,000
  applications). The backup here copies the table's item index (a dict of references) and deep
  copies only the items the transaction names; putting it back restores exactly what moto's
  would. Safe because the emulator serves one request at a time.
- SSM keeps its tags in a ``defaultdict`` made by a lambda, which ``pickle`` cannot write, so no
  snapshot could be taken once a parameter existed (the webhooks' secrets live in SSM locally).
  The same dict is made by a module function instead.

``apply()`` is called once, before the emulator serves.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

import moto.dynamodb.models as dynamodb_models
from moto.core.common_models import BaseModel
from moto.core.model_instances import model_data
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.ssm.models import SimpleSystemManagerBackend


def apply() -> None:
    _stop_tracking_instances()
    _cheap_transaction_backups()
    picklable_ssm_tags()


def _tags_of_a_kind() -> defaultdict[str, dict[str, str]]:
    return defaultdict(dict)


def picklable_ssm_tags() -> None:
    original = SimpleSystemManagerBackend.__init__

    def init(self: SimpleSystemManagerBackend, region_name: str, account_id: str) -> None:
        original(self, region_name, account_id)
        self._resource_tags = defaultdict(_tags_of_a_kind, self._resource_tags)  # noqa: SLF001

    SimpleSystemManagerBackend.__init__ = init  # type: ignore[method-assign]


def _stop_tracking_instances() -> None:
    def untracked(cls: type, *_args: Any, **_kwargs: Any) -> Any:
        return object.__new__(cls)

    BaseModel.__new__ = staticmethod(untracked)  # type: ignore[method-assign]
    for models in model_data.values():
        for model in models.values():
            model.instances_tracked.clear()  # type: ignore[attr-defined]


class TransactionBackups:
    """Stands in for the ``copy`` module inside moto's DynamoDB backend: ``deepcopy`` of a
    ``Table`` makes the cheap backup described above; everything else is ``copy``'s own."""

    def __init__(self) -> None:
        self.keys: dict[str, list[dict[str, Any]]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        if isinstance(value, Table):
            return self.backup(value)
        return copy.deepcopy(value, memo)

    def backup(self, table: Table) -> Table:
        saved = copy.copy(table)
        items = table.items
        index: Any = defaultdict(dict) if isinstance(items, defaultdict) else {}
        for hash_key, entry in items.items():
            index[hash_key] = dict(entry) if isinstance(entry, dict) else entry
        for key in self.keys.get(table.name, []):
            hash_key = DynamoType(key[table.hash_key_attr])
            if table.range_key_attr is None:
                if hash_key in index:
                    index[hash_key] = copy.deepcopy(index[hash_key])
                continue
            range_key = DynamoType(key[table.range_key_attr])
            if hash_key in index and range_key in index[hash_key]:
                index[hash_key][range_key] = copy.deepcopy(index[hash_key][range_key])
        saved.items = index
        return saved


def _cheap_transaction_backups() -> None:
    backend = dynamodb_models.DynamoDBBackend
    original = backend.transact_write_items
    backups = TransactionBackups()

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        backups.keys = {}
        for entry in transact_items:
            for kind, op in entry.items():
                name = op.get("TableName")
                if name not in self.tables:
                    continue
                table = self.tables[name]
                if kind == "Put":
                    key = {attr: op["Item"][attr] for attr in (table.hash_key_attr, table.range_key_attr) if attr and attr in op["Item"]}
                else:
                    key = op.get("Key") or {}
                if table.hash_key_attr in key and (table.range_key_attr is None or table.range_key_attr in key):
                    backups.keys.setdefault(name, []).append(key)
        dynamodb_models.copy = backups  # type: ignore[assignment]
        try:
            original(self, transact_items)
        finally:
            dynamodb_models.copy = copy

    backend.transact_write_items = transact_write_items  # type: ignore[method-assign]
