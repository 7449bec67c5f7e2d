"""Building what an edge agent would send, for the cloud-side tests: an enrolled agent, a capture
transaction, a device answer from the SBI simulator's own code, and the agent's envelope (made
by the edge agent's own ``envelope.seal``, so both sides are held to the same format)."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from edge_agent import envelope
from infra.local.sbi.devices import SimulatedDevices
from infra.local.sbi.pki import SimulatorPki
from tests.support.api import Answer, Api, AsStaff
from tests.support.factories import as_staff

SIMULATOR_MODALITY = {"finger": ("Finger", "1"), "face": ("Face", "2"), "iris": ("Iris", "3")}


@dataclass
class Agent:
    officer: AsStaff
    agent_id: str
    key: Any


class CaptureKit:
    def __init__(self, api: Api, pki: SimulatorPki) -> None:
        self.api = api
        self.pki = pki
        self.devices = SimulatedDevices(pki)

    def officer(self, subject: str = "officer-1") -> AsStaff:
        return as_staff("officer", subject=subject)

    def enrol(self, officer: AsStaff | None = None) -> Agent:
        officer = officer or self.officer()
        key = envelope.new_key()
        answer = self.api.post("/api/devices/agents", {"name": "Field PC", "public_key": envelope.public_jwk(key)}, as_=officer)
        assert answer.status == 201, answer.json
        return Agent(officer, answer.json["agent_id"], key)

    def transaction(self, agent: Agent, individual_id: str, modality: str = "finger") -> dict[str, Any]:
        answer = self.api.post("/api/devices/transactions", {"agent_id": agent.agent_id, "registrant": individual_id, "modality": modality}, as_=agent.officer)
        assert answer.status == 201, answer.json
        return dict(answer.json)

    def device_answer(
        self,
        transaction_id: str,
        person: str | None,
        modality: str = "finger",
        env: str = "Developer",
        method: str = "Auth",
        devices: SimulatedDevices | None = None,
    ) -> dict[str, Any]:
        bio_type, device_id = SIMULATOR_MODALITY[modality]
        request = self.request(transaction_id, modality, env, method)
        answer = (devices or self.devices).capture({**request, "customOpts": {"simulatedPerson": person} if person else None}, method)
        return {"request": request, "response": answer}

    @staticmethod
    def request(transaction_id: str, modality: str = "finger", env: str = "Developer", purpose: str = "Auth") -> dict[str, Any]:
        bio_type, device_id = SIMULATOR_MODALITY[modality]
        bio = {"type": bio_type, "count": 1, "requestedScore": 60, "deviceId": device_id, "deviceSubId": 0, "previousHash": ""}
        return {
            "env": env,
            "purpose": purpose,
            "specVersion": "0.9.5",
            "timeout": 30000,
            "captureTime": "2024-01-01T00:00:00Z",
            "domainUri": "http://localhost:8000",
            "transactionId": transaction_id,
            "bio": [bio],
        }

    def payload(self, agent: Agent, txn: dict[str, Any], individual_id: str, exchange: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        return {
            "capture_id": str(uuid.uuid4()),
            "agent_id": agent.agent_id,
            "transaction_id": txn["transaction_id"],
            "registrant": individual_id,
            "modality": txn["modality"],
            "captured_at": "2024-01-01T00:00:00+00:00",
            "device": {"type": "Finger"},
            **exchange,
            **overrides,
        }

    def seal(self, agent: Agent, payload: dict[str, Any]) -> str:
        return str(envelope.seal(agent.key, agent.agent_id, payload))

    def relay(self, officer: AsStaff, sealed: str) -> Answer:
        return self.api.post("/api/devices/captures", {"envelope": sealed}, as_=officer)

    def verified(self, agent: Agent, individual_id: str, modality: str = "finger") -> Answer:
        """The whole happy path: a transaction, a matching capture, relayed."""
        txn = self.transaction(agent, individual_id, modality)
        payload = self.payload(agent, txn, individual_id, self.device_answer(txn["transaction_id"], individual_id, modality))
        return self.relay(agent.officer, self.seal(agent, payload))


def tamper_payload(sealed: str, change: dict[str, Any]) -> str:
    """The same signature over a changed payload."""
    header, payload, signature = sealed.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    decoded.update(change)
    changed = base64.urlsafe_b64encode(json.dumps(decoded, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"{header}.{changed}.{signature}"
