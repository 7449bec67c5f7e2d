"""Fixtures of the edge agent tests: the SBI simulator on a free base port, the portal in a
process of its own (moto's server + Chalice's local server), a proxy in front of the portal that
can drop or hold traffic, and a way to run the agent as the officer would.

Every server binds 127.0.0.1 on free ports, so a running ``make dev`` is never touched.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from edge_agent.cli import main as agent_main
from infra.local.sbi import Simulator, serve
from infra.local.stack import REPO, free_port
from tests.support.environment import TEST_ENVIRONMENT
from tests.support.factories import staff_token

pytestmark = pytest.mark.xdist_group("edge-agent")

CLOUD_START_SECONDS = 60


@dataclass
class Cloud:
    url: str
    program_id: str
    registrants: dict[str, str]

    def call(self, method: str, path: str, token: str, body: Any = None) -> requests.Response:
        return requests.request(method, self.url + path, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=20)


@pytest.fixture(scope="session")
def sbi_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(tmp_path_factory.mktemp("sbi-data"))


@pytest.fixture
def simulator(sbi_data: Path) -> Iterator[Simulator]:
    """A fresh simulator (default device settings) from a free base port."""
    running = serve("127.0.0.1", free_port(), data_dir=sbi_data)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def cloud(sbi_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    from infra.local.sbi.pki import load_or_create

    pki = load_or_create(sbi_data / "sbi")
    ready = Path(tmp_path_factory.mktemp("cloud")) / "ready.json"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SSP_"))},
        **TEST_ENVIRONMENT,
        "SSP_DEVICE_TRUST_STORE": f"@{pki.trust_store_path}",
        "SSP_MATCH_VERIFIER": "simulator",
        "SSP_SIMULATOR_VERIFIER_KEY": f"@{pki.verifier_key_path}",
        "SSP_CAPTURE_ENV": "Developer",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.edge_agent.cloud_process", str(ready)],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + CLOUD_START_SECONDS
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the portal did not start: {process.stderr.read().decode()[-3000:] if process.stderr else ''}")
        time.sleep(0.1)
    info = json.loads(ready.read_text())
    try:
        yield Cloud(info["api"], info["program_id"], info["registrants"])
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# --- a proxy in front of the portal, to cut the network or hold an answer --------------------


class Proxy:
    """Forwards to the portal. ``drop_captures``: capture relays fail as if the network were down
    (nothing reaches the portal). ``hold_captures``: the portal gets and handles the relay, but
    the answer is held back until ``release()`` (an agent killed meanwhile never sees it).
    ``paths`` lists what the agent asked, in order; ``before_forward(path)`` runs before each
    request goes on (to change the world between two steps of the agent)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.paths: list[str] = []
        self.before_forward: Callable[[str], None] | None = None
        self.drop_captures = False
        self.hold_captures = False
        self.forwarded_captures = 0
        self.answered_captures = 0
        self._released = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.paths.append(self.path)
                if proxy.before_forward is not None:
                    proxy.before_forward(self.path)
                capture = self.path == "/api/devices/captures"
                if capture and proxy.drop_captures:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() in {"authorization", "content-type"}}
                answer = requests.request(self.command, proxy.upstream + self.path, data=body, headers=headers, timeout=30)
                if capture:
                    proxy.forwarded_captures += 1
                    if proxy.hold_captures:
                        proxy._released.wait(30)
                        self.close_connection = True
                        return
                    proxy.answered_captures += 1
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PATCH = _forward

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """The network is gone: nothing listens on the proxy's port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def release(self) -> None:
        self._released.set()


@pytest.fixture
def proxy(cloud: Cloud) -> Iterator[Proxy]:
    running = Proxy(cloud.url)
    running.start()
    yield running
    running.release()
    running.stop()


# --- running the agent ----------------------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out.strip().splitlines()[-1])


def officer_token(subject: str = "officer-1") -> str:
    return staff_token("officer", subject=subject, expires_in=3600)


def ports_of(simulator: Simulator) -> str:
    return f"{simulator.port}-{simulator.port + 2}"


def run_agent(home: Path, *args: str) -> Run:
    """The agent's CLI in this process (it only talks HTTP to the simulator and the portal)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        code = agent_main(["--home", str(home), *args], out=out)
    return Run(code, out.getvalue(), err.getvalue())


def agent_process(home: Path, *args: str) -> subprocess.Popen[str]:
    """The agent as a separate program, for killing it."""
    return subprocess.Popen(
        [sys.executable, "-m", "edge_agent", "--home", str(home), *args],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k != "SSP_AGENT_TOKEN"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Polls ``condition`` until it holds; fails the test after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def enrolled(home: Path, cloud_url: str, subject: str = "officer-1") -> str:
    result = run_agent(home, "enrol", "--cloud", cloud_url, "--token", officer_token(subject), "--name", "Test PC")
    assert result.code == 0, result.err
    enrolment = json.loads((home / "agent.json").read_text())
    return str(enrolment["agent_id"])
