"""The portal's device routes as the agent calls them, with the officer's bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TIMEOUT = 20.0
RETRIED = (408, 429)  # request timeout, too many requests: even from the portal, try again later


class CloudUnreachable(Exception):
    """No decision from the portal itself (network down, portal down, timeout, 5xx, 408, 429, or
    a refusal by something in between, such as a proxy's 407): worth trying again later."""


@dataclass
class CloudAnswer(Exception):
    """The portal's own refusal (4xx in its error shape, with a code): a definitive answer."""

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
        if response.status_code >= 500 or response.status_code in RETRIED or not isinstance(answer, dict):
            raise CloudUnreachable(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            error = answer.get("error")
            if not isinstance(error, dict) or not isinstance(error.get("code"), str) or not error["code"]:
                # Not the portal's error shape: a proxy, gateway or firewall on the way refused,
                # which says nothing about the capture. Try again rather than give it up.
                raise CloudUnreachable(f"HTTP {response.status_code} from something between this PC and the portal")
            raise CloudAnswer(response.status_code, error["code"], str(error.get("message", "The portal refused.")), answer)
        return answer
