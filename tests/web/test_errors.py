"""Every error leaves the API in one JSON shape with the right status; nothing leaks on a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalice import Chalice
from chalice.test import Client

from chalicelib import errors
from chalicelib.web import OPERATIONS, ApiBlueprint, http_middleware
from tests.support.logs import captured_logs

SECRET = "Amina Okafor 8267411571"


def _build_app() -> Chalice:
    """A small app wired exactly as app.py wires the real one, with routes that misbehave."""
    bp = ApiBlueprint(__name__, tag="test")
    before = len(OPERATIONS)

    @bp.api("/raise/{status}", "GET", summary="raises the error family member for a status")
    def raise_status(status: str) -> Any:
        raise errors.STATUS_ERRORS[int(status)]()

    @bp.api("/crash", "GET", summary="fails with an exception carrying personal data")
    def crash() -> Any:
        raise RuntimeError(SECRET)

    @bp.api(
        "/echo",
        "POST",
        summary="validates a body",
        body={
            "type": "object",
            "properties": {"name": {"type": "string", "maxLength": 5}, "age": {"type": "integer"}},
            "required": ["name"],
            "additionalProperties": False,
        },
    )
    def echo(body: dict[str, Any]) -> Any:
        return body

    del OPERATIONS[before:]  # keep the real app's OpenAPI document free of these
    app = Chalice(app_name="errors-test")
    app.register_blueprint(bp, url_prefix="/api")

    @app.middleware("http")
    def _http(event: Any, get_response: Any) -> Any:
        return http_middleware(event, get_response, app.lambda_context)

    return app


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with Client(_build_app()) as test_client:
        yield test_client


def _error(response: Any) -> dict[str, Any]:
    body = json.loads(response.body)
    assert set(body) == {"error"}
    return body["error"]


@pytest.mark.parametrize("status", sorted(s for s in errors.STATUS_ERRORS if s != 500))
def test_each_error_of_the_family_has_its_status_and_shape(client: Client, status: int) -> None:
    response = client.http.get(f"/api/raise/{status}")
    assert response.status_code == status
    error = _error(response)
    assert error["code"] == errors.STATUS_ERRORS[status].code
    assert error["message"]
    assert error["request_id"] == response.headers["X-Request-Id"]


def test_an_unexpected_exception_is_a_bare_500_and_its_message_is_not_logged(client: Client) -> None:
    with captured_logs() as logged:
        response = client.http.get("/api/crash")
    assert response.status_code == 500
    error = _error(response)
    assert error["code"] == "internal_error"
    assert SECRET not in response.body.decode()
    logs = logged.getvalue()
    assert "unhandled_exception" in logs and "RuntimeError" in logs
    assert error["request_id"] in logs
    assert "Amina" not in logs and "8267411571" not in logs


def test_malformed_json_is_400(client: Client) -> None:
    response = client.http.post("/api/echo", body=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert _error(response)["code"] == "malformed_json"


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e400", b"[1E999]"])
def test_numbers_json_cannot_hold_are_400(client: Client, number: bytes) -> None:
    # Python's json reads these; stored, they would come back as a body no client can parse.
    response = client.http.post("/api/echo", body=b'{"name": "a", "age": ' + number + b"}", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert _error(response)["code"] == "malformed_json"


def test_ordinary_numbers_still_reach_the_view(client: Client) -> None:
    response = client.http.post("/api/echo", body=b'{"name": "a", "age": 2.5e-1}', headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and _error(response)["fields"] == {"/age": "wrong_type"}
    response = client.http.post("/api/echo", body=b'{"name": "a", "age": 7}', headers={"Content-Type": "application/json"})
    assert response.status_code == 200 and json.loads(response.body) == {"name": "a", "age": 7}


def test_absurdly_nested_json_is_400_not_a_crash(client: Client) -> None:
    response = client.http.post("/api/echo", body=b"[" * 100_000, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert _error(response)["code"] == "malformed_json"


def test_a_body_that_is_not_json_is_415(client: Client) -> None:
    response = client.http.post("/api/echo", body=b"name=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert _error(response)["code"] == "unsupported_media_type"


def test_a_body_over_the_limit_is_413(client: Client) -> None:
    big = json.dumps({"name": "x" * 1_000_000}).encode()
    response = client.http.post("/api/echo", body=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_schema_violations_are_422_with_a_code_per_json_pointer(client: Client) -> None:
    body = json.dumps({"name": "too long a name", "age": "ten", "extra": 1}).encode()
    response = client.http.post("/api/echo", body=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert _error(response)["fields"] == {"/name": "too_long", "/age": "wrong_type", "/extra": "unknown_field"}


def test_a_missing_required_field_points_at_the_field(client: Client) -> None:
    response = client.http.post("/api/echo", body=b"{}", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert _error(response)["fields"] == {"/name": "required"}


def test_a_valid_body_reaches_the_view(client: Client) -> None:
    response = client.http.post("/api/echo", body=b'{"name": "Ana"}', headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert json.loads(response.body) == {"name": "Ana"}


def test_a_method_the_route_does_not_take_is_405_in_our_shape(client: Client) -> None:
    response = client.http.delete("/api/echo")
    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"
