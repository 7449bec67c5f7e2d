"""A request's AWS calls fit inside the Lambda's time, however slowly AWS answers.

A call that stalls is retried; with pynamodb's defaults (15 s connect, 30 s read, 3 retries) one
stalled call outlived the Lambda's 29 s and API Gateway answered a 504 outside our error shape.
The bound is arithmetic over the settings the clients really hold, so it is checked exactly."""

from __future__ import annotations

import json
from pathlib import Path

from chalicelib.store.programs import Program
from chalicelib.store.transactions import _connection, _connection_key

REPO = Path(__file__).resolve().parents[2]
CALLS_PER_REGISTRANT_ROUTE = 3  # DESIGN.md section 15, counted route by route in the tests
BACKOFF_ALLOWANCE_SECONDS = 1  # botocore's standard retry mode sleeps well under a second in all


def _lambda_timeout() -> int:
    return int(json.loads((REPO / ".chalice" / "config.json").read_text())["lambda_timeout"])


def _worst_case(client: object) -> float:
    settings = client.meta.config  # type: ignore[attr-defined]
    return float(settings.retries["total_max_attempts"]) * (settings.connect_timeout + settings.read_timeout)


def test_a_routes_dynamodb_calls_finish_within_the_lambda_even_when_each_stalls(aws: None) -> None:
    table_client = Program._get_connection().connection.client
    transaction_client = _connection(*_connection_key()).client
    worst = max(_worst_case(table_client), _worst_case(transaction_client))
    assert CALLS_PER_REGISTRANT_ROUTE * worst + BACKOFF_ALLOWANCE_SECONDS < _lambda_timeout()
