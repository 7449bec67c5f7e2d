"""Where the agent keeps its identity on the officer's PC: the agent's private key and enrolment
(``agent.json``), the officer's token, and the outbox. Files that hold secrets are created with
mode 0600 inside a 0700 folder."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_HOME = Path.home() / ".ssp-edge-agent"


def home_from(value: str | None) -> Path:
    return Path(value or os.environ.get("SSP_AGENT_HOME") or DEFAULT_HOME).expanduser()


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` so only the owner can read it, replacing any earlier file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


@dataclass
class Enrolment:
    agent_id: str
    cloud: str  # the portal's origin, e.g. http://localhost:8000
    name: str


class AgentHome:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def key_path(self) -> Path:
        return self.root / "agent-key.pem"

    @property
    def enrolment_path(self) -> Path:
        return self.root / "agent.json"

    @property
    def token_path(self) -> Path:
        return self.root / "officer-token"

    @property
    def outbox_path(self) -> Path:
        return self.root / "outbox.sqlite3"

    @property
    def trust_store_path(self) -> Path:
        """Device-provider certificates (PEM) the agent checks devices' signed info against."""
        return self.root / "device-providers.pem"

    def enrolment(self) -> Enrolment | None:
        if not self.enrolment_path.exists():
            return None
        data: dict[str, Any] = json.loads(self.enrolment_path.read_text())
        return Enrolment(data["agent_id"], data["cloud"], data.get("name", ""))

    def save_enrolment(self, enrolment: Enrolment) -> None:
        write_private(self.enrolment_path, json.dumps(enrolment.__dict__, indent=2).encode())

    def token(self) -> str | None:
        env = os.environ.get("SSP_AGENT_TOKEN")
        if env:
            return env.strip()
        if self.token_path.exists():
            return self.token_path.read_text().strip() or None
        return None

    def save_token(self, token: str) -> None:
        write_private(self.token_path, token.strip().encode())
