"""A thin JSON client over ``chalice.test.Client`` that can act as a registrant or staff."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalice.test import Client

from tests.support.calls import CallLog, record_aws_calls


@dataclass(frozen=True)
class AsRegistrant:
    registrant_id: str
    session_id: str
    csrf_token: str

    def headers(self, method: str) -> dict[str, str]:
        headers = {"Cookie": f"__Host-ssp_session={self.session_id}"}
        if method != "GET":
            headers["X-CSRF-Token"] = self.csrf_token
        return headers


@dataclass(frozen=True)
class AsStaff:
    token: str

    def headers(self, method: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    calls: CallLog

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def error_code(self) -> str | None:
        body = self.json
        return body.get("error", {}).get("code") if isinstance(body, dict) else None


class Api:
    def __init__(self, client: Client) -> None:
        self.client = client

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        raw_body: bytes | None = None,
        as_: AsRegistrant | AsStaff | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = dict(as_.headers(method) if as_ else {})
        body = raw_body
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        with record_aws_calls() as calls:
            response = self.client.http.request(method, path, headers=sent, body=body or b"")
        return Answer(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.body, calls)

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json_body: Any = None, **kwargs: Any) -> Answer:
        return self.request("POST", path, json_body=json_body, **kwargs)

    def put(self, path: str, json_body: Any = None, **kwargs: Any) -> Answer:
        return self.request("PUT", path, json_body=json_body, **kwargs)

    def patch(self, path: str, json_body: Any = None, **kwargs: Any) -> Answer:
        return self.request("PATCH", path, json_body=json_body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Answer:
        return self.request("DELETE", path, **kwargs)
