"""The OpenAPI document describes exactly the app's routes, with the schemas they validate with."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from app import app
from chalicelib.apidoc.document import build_document
from tests.support.api import Api


def _routes_of_app() -> set[tuple[str, str]]:
    return {(path, method.lower()) for path, methods in app.routes.items() for method in methods}


def _routes_of_document() -> set[tuple[str, str]]:
    return {(path, method) for path, item in build_document()["paths"].items() for method in item}


def test_every_route_is_documented_and_every_documented_route_exists() -> None:
    assert _routes_of_app() - _routes_of_document() == set(), "routes missing from the OpenAPI document"
    assert _routes_of_document() - _routes_of_app() == set(), "documented routes the app does not have"


def test_request_bodies_are_valid_json_schemas() -> None:
    for path, item in build_document()["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody")
            if body:
                Draft202012Validator.check_schema(body["content"]["application/json"]["schema"]), (path, method)


def test_the_document_is_served_and_is_openapi_3_1(api: Api) -> None:
    answer = api.get("/api/openapi.json")
    assert answer.status == 200
    assert answer.json["openapi"] == "3.1.0"
    assert "/api/session" in answer.json["paths"]
    assert answer.json["paths"]["/api/auth/logout"]["post"]["requestBody"]["content"]["application/json"]["schema"]["type"] == ["object", "null"]
