"""The portal's device routes as the agent calls them, with the officer's bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TIMEOUT = 20.0


class CloudUnreachable(Exception):
    """No answer (network down, portal down, timeout, 5xx): worth trying again later."""


@dataclass
class CloudAnswer(Exception):
    """A definitive answer that is not a success (4xx), with the portal's error code."""

    status: int
    code: str
    message: str
    body: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.message} ({self.code})"


class Cloud:
    def __init__(self, origin: str, token: str | None) -> None:
        self.origin = origin.rstrip("/")
        self.token = token

    def register_agent(self, name: str, public_key: dict[str, str]) -> dict[str, Any]:
        return self._post("/api/devices/agents", {"name": name, "public_key": public_key})

    def agent(self, agent_id: str) -> dict[str, Any]:
        return self._call("GET", f"/api/devices/agents/{agent_id}", None)

    def open_transaction(self, agent_id: str, registrant: str, modality: str) -> dict[str, Any]:
        return self._post("/api/devices/transactions", {"agent_id": agent_id, "registrant": registrant, "modality": modality})

    def relay(self, envelope: str) -> dict[str, Any]:
        return self._post("/api/devices/captures", {"envelope": envelope})

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", path, body)

    def _call(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        import requests

        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = requests.request(method, self.origin + path, json=body, headers=headers, timeout=TIMEOUT)
        except requests.RequestException as problem:
            raise CloudUnreachable(type(problem).__name__) from None
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code >= 500 or response.status_code in (408, 429) or not isinstance(answer, dict):
            raise CloudUnreachable(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            error: dict[str, Any] = answer["error"] if isinstance(answer.get("error"), dict) else {}
            raise CloudAnswer(response.status_code, str(error.get("code", "error")), str(error.get("message", "The portal refused.")), answer)
        return answer
