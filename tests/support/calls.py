"""Counting the AWS calls a request makes (every botocore client, pynamodb's included)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import botocore.client

_listeners: list["CallLog"] = []
# Called with (service, operation, parameters) for every call; tests/infra/recorder.py uses it.
observers: list[Callable[[str, str, dict[str, Any]], None]] = []
_original = botocore.client.BaseClient._make_api_call


def _recording_make_api_call(self: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
    service = self.meta.service_model.service_name
    for log in _listeners:
        log.calls.append((service, operation_name))
    for observe in observers:
        observe(service, operation_name, api_params)
    return _original(self, operation_name, api_params)


botocore.client.BaseClient._make_api_call = _recording_make_api_call  # type: ignore[method-assign]


@dataclass(eq=False)  # removed from _listeners by identity: two logs with the same calls are not the same log
class CallLog:
    calls: list[tuple[str, str]] = field(default_factory=list)

    @property
    def dynamodb(self) -> list[str]:
        return [op for service, op in self.calls if service == "dynamodb"]

    def assert_dynamodb_at_most(self, limit: int) -> None:
        assert "Scan" not in self.dynamodb, f"a Scan on a request path: {self.dynamodb}"
        assert len(self.dynamodb) <= limit, f"{len(self.dynamodb)} DynamoDB calls, at most {limit} allowed: {self.dynamodb}"


@contextmanager
def record_aws_calls() -> Iterator[CallLog]:
    log = CallLog()
    _listeners.append(log)
    try:
        yield log
    finally:
        _listeners.remove(log)
