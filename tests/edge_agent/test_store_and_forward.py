"""Store and forward: a capture survives the agent being killed mid-send and the network going
away; each is sent until acknowledged and applied by the portal exactly once."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import pytest

from edge_agent.outbox import Outbox
from infra.local.sbi import Simulator
from tests.edge_agent.conftest import Cloud, Proxy, agent_process, enrolled, officer_token, ports_of, run_agent, wait_for
from tests.support.factories import SAMPLE_PEOPLE

pytestmark = pytest.mark.xdist_group("edge-agent")

AMINA = SAMPLE_PEOPLE[0]["individual_id"]


def _sessions(cloud: Cloud, subject: str) -> list[str]:
    answer = cloud.call("GET", "/api/assisted/sessions", officer_token(subject))
    return [s["session_id"] for s in answer.json()["items"]]


def _queue(home: Path) -> dict[str, int]:
    outbox = Outbox(home / "outbox.sqlite3")
    try:
        return outbox.counts()
    finally:
        outbox.close()


def test_killing_the_agent_mid_send_loses_nothing_and_duplicates_nothing(tmp_path: Path, cloud: Cloud, simulator: Simulator, proxy: Proxy) -> None:
    officer = "officer-kill"
    enrolled(tmp_path, proxy.url, subject=officer)
    proxy.hold_captures = True  # the portal handles the relay; the agent never hears back
    agent = agent_process(tmp_path, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA, "--wait", "20")
    try:
        wait_for(lambda: proxy.forwarded_captures == 1, seconds=20)
    finally:
        agent.send_signal(signal.SIGKILL)
        agent.wait(timeout=10)
    assert agent.returncode == -signal.SIGKILL
    proxy.release()
    proxy.hold_captures = False
    assert _queue(tmp_path)["pending"] == 1  # written before it was sent, still there after the kill
    first_sessions = _sessions(cloud, officer)
    assert len(first_sessions) == 1  # the portal did apply it once

    resent = run_agent(tmp_path, "send", "--wait", "10", "--json")
    assert resent.code == 0, resent.err
    delivery = json.loads(resent.out.splitlines()[0])
    assert delivery["state"] == "delivered" and delivery["answer"]["duplicate"] is True
    assert delivery["answer"]["assisted_session"]["session_id"] == first_sessions[0]
    assert _sessions(cloud, officer) == first_sessions  # and only once
    assert _queue(tmp_path) == {"pending": 0, "delivered": 1, "rejected": 0}


def test_a_capture_made_while_the_network_is_down_is_sent_when_it_returns(tmp_path: Path, cloud: Cloud, simulator: Simulator, proxy: Proxy) -> None:
    officer = "officer-outage"
    enrolled(tmp_path, proxy.url, subject=officer)
    proxy.drop_captures = True
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA, "--wait", "1")
    assert captured.code == 4, captured.err + captured.out
    assert "will be sent when the network returns" in captured.out
    status = json.loads(run_agent(tmp_path, "status", "--json").out)
    assert status["queue"]["pending"] == 1 and "unreachable" in status["last_error"]["error"]
    assert _sessions(cloud, officer) == []

    proxy.stop()  # not even a connection now
    assert run_agent(tmp_path, "send", "--wait", "0").code == 4
    proxy.drop_captures = False
    proxy.start()  # the network is back
    sent = run_agent(tmp_path, "send", "--wait", "10")
    assert sent.code == 0, sent.err
    assert len(_sessions(cloud, officer)) == 1
    assert _queue(tmp_path) == {"pending": 0, "delivered": 1, "rejected": 0}


def test_the_agent_retries_with_backoff_and_delivers_once_the_network_returns(tmp_path: Path, cloud: Cloud, simulator: Simulator, proxy: Proxy) -> None:
    officer = "officer-backoff"
    enrolled(tmp_path, proxy.url, subject=officer)
    proxy.drop_captures = True
    threading.Timer(2.0, lambda: setattr(proxy, "drop_captures", False)).start()
    started = time.monotonic()
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA, "--wait", "20", "--json")
    assert captured.code == 0, captured.err + captured.out
    assert captured.json["answer"]["outcome"] == "verified"
    assert time.monotonic() - started >= 2.0  # it did wait for the network
    assert proxy.answered_captures == 1 and len(_sessions(cloud, officer)) == 1


def test_a_killed_capture_is_resent_by_the_next_command_and_its_envelope_erased_once_answered(
    tmp_path: Path, cloud: Cloud, simulator: Simulator, proxy: Proxy
) -> None:
    officer = "officer-erase"
    enrolled(tmp_path, proxy.url, subject=officer)
    proxy.hold_captures = True
    agent = agent_process(tmp_path, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA)
    try:
        wait_for(lambda: proxy.forwarded_captures == 1, seconds=20)
    finally:
        agent.kill()
        agent.wait(timeout=10)
    proxy.release()
    proxy.hold_captures = False
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    try:
        [pending] = outbox.pending()
        assert pending.envelope  # kept on disk until answered
    finally:
        outbox.close()
    # The officer's next capture first sends what is still waiting.
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA, "--json")
    assert captured.code == 0, captured.err
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    try:
        answered = outbox.get(pending.capture_id)
        assert answered is not None and answered.state == "delivered" and answered.envelope == ""
    finally:
        outbox.close()
    assert len(_sessions(cloud, officer)) == 2  # one per capture, none twice


def test_a_capture_cannot_start_without_the_portal_and_says_so(tmp_path: Path, cloud: Cloud, simulator: Simulator, proxy: Proxy) -> None:
    enrolled(tmp_path, proxy.url, subject="officer-offline")
    proxy.stop()
    captured = run_agent(tmp_path, "capture", "--registrant", AMINA, "--ports", ports_of(simulator), "--simulated-person", AMINA)
    assert captured.code == 5 and "could not be reached" in captured.err
    assert _queue(tmp_path)["pending"] == 0
