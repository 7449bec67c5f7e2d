"""What the local stack's services share: the context they start in, and port checks.

Every service binds 127.0.0.1. A service's start function (``start`` in ``aws``, ``idp``,
``sbi`` and ``portal``) gets the shared ``StackContext``, may add settings the portal runs with
to ``ctx.portal_env``, and returns a ``Running``. The launcher lists them in the order they
start (``infra/local/launcher.py``); this module imports none of them.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

REPO = Path(__file__).resolve().parents[2]

DEFAULT_PORTS = {"api": 8000, "aws": 4566, "idp": 8900, "sbi": 4501, "edge": 4700, "registry": 4900}


class PortInUse(Exception):
    def __init__(self, service: str, port: int) -> None:
        self.service = service
        self.port = port
        super().__init__(
            f"Port {port} is already in use, so the {service} cannot start. "
            f"Stop whatever uses it (is another `make dev` running?) or choose another port, "
            f"e.g. SSP_{service.upper()}_PORT={port + 1} make dev."
        )


@dataclass
class StackContext:
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    data_dir: Path = REPO / ".local"
    portal_env: dict[str, str] = field(default_factory=dict)
    synthetic_people: int = 0  # the dev IdP also knows this many generated people (load tests)

    @property
    def public_url(self) -> str:
        # "localhost", not the IP: Chromium treats http://localhost as a secure context, so the
        # Secure, __Host- session cookie works locally exactly as in production.
        return f"http://localhost:{self.ports['api']}"

    def url(self, service: str) -> str:
        return f"http://{self.host}:{self.ports[service]}"


class Running(Protocol):
    name: str
    url: str

    def stop(self) -> None: ...


def ensure_port_free(service: str, host: str, port: int) -> None:
    """Fail with a clear message, not a traceback, when a port is taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise PortInUse(service, port) from None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
