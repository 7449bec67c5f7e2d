"""Webhook delivery as the ministry's receiver and the portal's administrator see it: signed,
retried with the same id, never redirected, paused after a day of failures, replayed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.integrations import delivery, subscriptions
from chalicelib.store.base import now
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.integrations import Receiver, Webhooks, body_of, receiving, signed_by
from tests.support.programs import Portal

ENDPOINTS = "/api/admin/integrations/endpoints"


class Clock:
    """The delivery code's ``now``, moved by the test."""

    def __init__(self) -> None:
        self.at = now()

    def __call__(self) -> datetime:
        return self.at

    def move(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def webhooks(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Webhooks]:
    queue = Webhooks()
    monkeypatch.setenv("SSP_WEBHOOK_QUEUE_URL", queue.queue_url)
    monkeypatch.setenv("SSP_WEBHOOK_ALLOW_LOCAL", "true")
    monkeypatch.setenv("SSP_WEBHOOK_BACKOFF_SECONDS", "0")  # a retry is visible again at once: drain() makes the next try
    monkeypatch.setenv("SSP_WEBHOOK_TIMEOUT_SECONDS", "0.5")
    monkeypatch.delenv("SSP_WEBHOOK_SECRETS", raising=False)  # Secrets Manager, as in AWS (the local stack's SSM: test_delivery_local)
    subscriptions.forget_cache()
    yield queue
    subscriptions.forget_cache()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moving = Clock()
    monkeypatch.setattr(delivery, "now", moving)
    return moving


def register(api: Api, admin: AsStaff, url: str, event_types: list[str] | None = None) -> dict[str, Any]:
    answer = api.post(ENDPOINTS, {"url": url, "event_types": event_types or ["application.submitted"], "description": "Social registry"}, as_=admin)
    assert answer.status == 201, answer.json
    return dict(answer.json)


def log_of(api: Api, admin: AsStaff, endpoint_id: str) -> list[dict[str, Any]]:
    answer = api.get(f"{ENDPOINTS}/{endpoint_id}/deliveries?limit=50", as_=admin)
    assert answer.status == 200, answer.json
    return list(answer.json["items"])


def submit(portal: Portal, who: AsRegistrant, program: str) -> str:
    return str(portal.submitted(who, program, {"name": "Someone"})["application_id"])


def test_a_receiver_failing_three_times_gets_one_accepted_delivery_with_the_same_webhook_id(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, program: str
) -> None:
    with receiving(["500", "500", "500", "200"]) as receiver:
        endpoint = register(api, admin, receiver.url)
        application_id = submit(portal, registrant, program)
        assert webhooks.fan_out() >= 1
        webhooks.drain()

    assert [r.answered for r in receiver.received] == ["500", "500", "500", "200"]
    ids = set(receiver.webhook_ids())
    assert len(ids) == 1
    assert all(signed_by(endpoint["secret"], r) for r in receiver.received)
    body = body_of(receiver.received[-1])
    assert body["type"] == "application.submitted"
    assert body["data"]["event_id"] == ids.pop()
    assert application_id in receiver.received[-1].body.decode()
    [line] = log_of(api, admin, endpoint["id"])
    assert (line["state"], line["attempts"], line["last_status"], line["last_error"]) == ("delivered", 4, 200, None)
    assert webhooks.waiting() == 0


def test_a_hanging_receiver_times_out_and_is_tried_again(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, program: str
) -> None:
    with receiving(["hang"], hang_seconds=2.0) as receiver:
        endpoint = register(api, admin, receiver.url)
        submit(portal, registrant, program)
        webhooks.fan_out()
        webhooks.drain(rounds=1)
        [line] = log_of(api, admin, endpoint["id"])
        assert (line["state"], line["last_error"], line["last_status"]) == ("retrying", "timeout", None)
        webhooks.drain()

    assert [r.answered for r in receiver.received] == ["hang", "200"]
    assert len(set(receiver.webhook_ids())) == 1
    assert log_of(api, admin, endpoint["id"])[0]["state"] == "delivered"


def test_a_receiver_trickling_its_answer_is_cut_off_and_tried_again(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, program: str
) -> None:
    with receiving(["trickle"], hang_seconds=5.0) as receiver:
        endpoint = register(api, admin, receiver.url)
        submit(portal, registrant, program)
        webhooks.fan_out()
        started = time.monotonic()
        webhooks.drain(rounds=1)
        took = time.monotonic() - started
        [line] = log_of(api, admin, endpoint["id"])
        webhooks.drain()

    assert (line["state"], line["last_error"]) == ("retrying", "timeout")
    assert took < 3  # twice the 0.5 s timeout, and the rest of the try; not the receiver's 5 s
    assert [r.answered for r in receiver.received] == ["trickle", "200"]


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, program: str
) -> None:
    with receiving(["redirect"]) as receiver:
        endpoint = register(api, admin, receiver.url)
        submit(portal, registrant, program)
        webhooks.fan_out()
        webhooks.drain(rounds=1)
        [line] = log_of(api, admin, endpoint["id"])
        webhooks.drain()

    assert (line["state"], line["last_status"], line["last_error"]) == ("retrying", 307, "redirect_not_followed")
    assert [r.answered for r in receiver.received] == ["redirect", "200"]  # the same endpoint again, never the Location
    assert log_of(api, admin, endpoint["id"])[0]["state"] == "delivered"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "https_required"),
        ("https://169.254.169.254/latest/meta-data/", "link_local_address"),
        ("https://[fd00:ec2::254]/", "link_local_address"),
        ("https://10.0.0.7/hooks", "private_address"),
        ("https://127.0.0.1:8443/hooks", "private_address"),
        ("https://user:pw@registry.example.org/hooks", "credentials_in_url"),
        ("https://registry.internal.example/hooks", "private_address"),  # resolves to 10.1.2.3 (below)
        ("not a url at all", "bad_url"),
    ],
)
def test_an_endpoint_on_a_private_or_metadata_address_is_refused_in_production(
    api: Api, aws: None, admin: AsStaff, monkeypatch: pytest.MonkeyPatch, url: str, reason: str
) -> None:
    monkeypatch.setenv("SSP_WEBHOOK_ALLOW_LOCAL", "false")
    monkeypatch.setattr("socket.getaddrinfo", fake_dns({"registry.internal.example": "10.1.2.3"}))
    answer = api.post(ENDPOINTS, {"url": url, "event_types": ["application.enrolled"]}, as_=admin)
    assert answer.status == 422, answer.json
    assert answer.json["error"]["code"] == "url_refused"
    assert answer.json["error"]["fields"] == {"/url": reason}
    assert api.get(ENDPOINTS, as_=admin).json["items"] == []


def test_localhost_is_refused_unless_the_local_stack_allows_it(api: Api, aws: None, admin: AsStaff, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_WEBHOOK_ALLOW_LOCAL", "false")
    assert api.post(ENDPOINTS, {"url": "http://localhost:4900/hooks", "event_types": ["application.enrolled"]}, as_=admin).json["error"]["fields"] == {
        "/url": "https_required"
    }
    monkeypatch.setenv("SSP_WEBHOOK_ALLOW_LOCAL", "true")
    monkeypatch.setenv("SSP_WEBHOOK_SECRETS", "ssm")
    assert api.post(ENDPOINTS, {"url": "http://localhost:4900/hooks", "event_types": ["application.enrolled"]}, as_=admin).status == 201
    # ... but never the portal itself, nor the metadata service
    monkeypatch.setenv("SSP_PUBLIC_URL", "http://localhost:8000")
    refused = api.post(ENDPOINTS, {"url": "http://127.0.0.1:8000/api/status", "event_types": ["application.enrolled"]}, as_=admin)
    assert refused.json["error"]["fields"] == {"/url": "portal_itself"}
    assert api.post(ENDPOINTS, {"url": "http://169.254.169.254/", "event_types": ["application.enrolled"]}, as_=admin).status == 422


def test_a_name_that_resolves_to_the_metadata_service_at_delivery_time_is_not_contacted(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSP_WEBHOOK_ALLOW_LOCAL", "false")
    names = {"registry.example.org": "93.184.216.34"}
    monkeypatch.setattr("socket.getaddrinfo", fake_dns(names))
    endpoint = register(api, admin, "https://registry.example.org/hooks")
    names["registry.example.org"] = "169.254.169.254"  # DNS rebinding after the check
    submit(portal, registrant, program)
    webhooks.fan_out()
    webhooks.drain(rounds=1)
    [line] = log_of(api, admin, endpoint["id"])
    assert (line["state"], line["last_error"], line["last_status"]) == ("retrying", "refused_link_local_address", None)


def test_a_replay_delivers_each_event_of_the_range_again_with_its_original_id(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, other_registrant: AsRegistrant, program: str
) -> None:
    started = now() - timedelta(seconds=1)
    with receiving() as receiver:
        endpoint = register(api, admin, receiver.url)
        submit(portal, registrant, program)
        submit(portal, other_registrant, program)
        webhooks.fan_out()
        webhooks.drain()
        first = receiver.webhook_ids()
        replayed = api.post(f"{ENDPOINTS}/{endpoint['id']}/replay", {"from": started.isoformat(), "to": (now() + timedelta(seconds=1)).isoformat()}, as_=admin)
        assert replayed.status == 202, replayed.json
        assert replayed.json["queued"] == 2
        webhooks.drain()

    assert len(first) == 2
    assert receiver.webhook_ids() == first + first
    assert [line["replays"] for line in log_of(api, admin, endpoint["id"])] == [1, 1]
    assert {line["state"] for line in log_of(api, admin, endpoint["id"])} == {"delivered"}


def test_an_endpoint_failing_for_a_day_is_paused_and_resumed_with_what_was_held(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, other_registrant: AsRegistrant, program: str, clock: Clock
) -> None:
    with receiving(["500"] * 5) as receiver:
        endpoint = register(api, admin, receiver.url)
        submit(portal, registrant, program)
        webhooks.fan_out()
        for _ in range(4):  # at 0, 6, 12 and 18 hours
            webhooks.drain(rounds=1)
            clock.move(hours=6)
        assert api.get(f"{ENDPOINTS}/{endpoint['id']}", as_=admin).json["state"] == "active"
        webhooks.drain(rounds=1)  # 24 hours after the first failure
        shown = api.get(f"{ENDPOINTS}/{endpoint['id']}", as_=admin).json
        assert (shown["state"], shown["paused_reason"]) == ("paused", "failing_for_a_day")

        submit(portal, other_registrant, program)  # while paused: held, not sent
        webhooks.fan_out()
        webhooks.drain()
        assert len(receiver.received) == 5
        assert [line["state"] for line in log_of(api, admin, endpoint["id"])] == ["paused", "paused"]

        resumed = api.post(f"{ENDPOINTS}/{endpoint['id']}/resume", as_=admin)
        assert resumed.status == 200, resumed.json
        assert (resumed.json["state"], resumed.json["queued"]) == ("active", 2)
        webhooks.drain()

    assert [r.answered for r in receiver.received[5:]] == ["200", "200"]
    assert receiver.webhook_ids()[5] == receiver.webhook_ids()[0]  # the held one first, with its id
    assert [line["state"] for line in log_of(api, admin, endpoint["id"])] == ["delivered", "delivered"]


def test_a_delivery_is_given_up_three_days_after_its_first_try(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, program: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSP_WEBHOOK_PAUSE_HOURS", "1000")
    with receiving(["500"] * 20) as receiver:
        endpoint = register(api, admin, receiver.url)
        submit(portal, registrant, program)
        webhooks.fan_out()
        for _ in range(13):  # every 6 hours: the 13th try is 72 hours after the first
            webhooks.drain(rounds=1)
            clock.move(hours=6)
        webhooks.drain()
    [line] = log_of(api, admin, endpoint["id"])
    assert (line["state"], line["attempts"], line["last_error"]) == ("failed", 13, "http_500")
    assert len(receiver.received) == 13
    assert webhooks.waiting() == 0


def test_the_backoff_doubles_from_30_seconds_up_to_6_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSP_WEBHOOK_BACKOFF_SECONDS", raising=False)
    waits = [delivery.backoff(n) for n in range(1, 13)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600]
    tries, elapsed = 1, 0
    while elapsed < 72 * 3600:
        elapsed += delivery.backoff(tries)
        tries += 1
    assert tries == 22  # within the three days a failing delivery is tried 22 times


def test_during_a_rotation_deliveries_are_signed_with_both_secrets(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, other_registrant: AsRegistrant, program: str, clock: Clock
) -> None:
    with receiving() as receiver:
        endpoint = register(api, admin, receiver.url)
        rotated = api.post(f"{ENDPOINTS}/{endpoint['id']}/secret/rotate", as_=admin)
        assert rotated.status == 200, rotated.json
        submit(portal, registrant, program)
        webhooks.fan_out()
        webhooks.drain()
        clock.move(hours=25)  # the overlap is over
        submit(portal, other_registrant, program)
        webhooks.fan_out()
        webhooks.drain()

    during, after = receiver.received
    assert signed_by(endpoint["secret"], during) and signed_by(rotated.json["secret"], during)
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert signed_by(rotated.json["secret"], after) and not signed_by(endpoint["secret"], after)


def test_the_log_and_the_endpoint_list_hold_no_payload_nor_secret(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, program: str
) -> None:
    with receiving() as receiver:
        endpoint = register(api, admin, receiver.url)
        submit(portal, registrant, program)
        webhooks.fan_out()
        webhooks.drain()
    [line] = log_of(api, admin, endpoint["id"])
    assert set(line) == {
        "event_id",
        "event_type",
        "state",
        "attempts",
        "last_status",
        "last_error",
        "first_attempt_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "replays",
    }
    listed = api.get(ENDPOINTS, as_=admin).json["items"]
    assert endpoint["secret"] not in str(listed)
    assert [e["id"] for e in listed] == [endpoint["id"]]


def test_the_log_pages_newest_first_over_its_shards(
    api: Api, portal: Portal, webhooks: Webhooks, admin: AsStaff, registrant: AsRegistrant, other_registrant: AsRegistrant, program: str
) -> None:
    with receiving() as receiver:
        endpoint = register(api, admin, receiver.url, ["application.submitted", "application.withdrawn"])
        for who in (registrant, other_registrant):
            application_id = submit(portal, who, program)
            assert api.post(f"/api/applications/{application_id}/withdraw", {}, as_=who).status == 200
        submit(portal, registrant, program)
        webhooks.fan_out()
        webhooks.drain()
    sent = receiver.webhook_ids()
    assert len(sent) == 5
    seen: list[str] = []
    cursor = ""
    for _ in range(5):
        page = api.get(f"{ENDPOINTS}/{endpoint['id']}/deliveries?limit=2{'&cursor=' + cursor if cursor else ''}", as_=admin)
        assert page.status == 200, page.json
        seen += [line["event_id"] for line in page.json["items"]]
        cursor = page.json["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(sent, reverse=True)
    withdrawn = api.get(f"{ENDPOINTS}/{endpoint['id']}/deliveries?state=delivered&limit=50", as_=admin).json["items"]
    assert [line["event_type"] for line in withdrawn].count("application.withdrawn") == 2


def test_bad_input_gets_a_clear_4xx(api: Api, webhooks: Webhooks, admin: AsStaff, reviewer: AsStaff) -> None:
    def code(answer: Any) -> tuple[int, str | None]:
        return answer.status, answer.error_code

    assert code(api.post(ENDPOINTS, {"url": "https://registry.example.org/", "event_types": ["application.approved"]}, as_=admin))[0] == 422
    assert code(api.post(ENDPOINTS, {"event_types": ["application.enrolled"]}, as_=admin))[0] in (400, 422)
    assert code(api.post(ENDPOINTS, {"url": "https://registry.example.org/", "event_types": []}, as_=admin))[0] == 422
    assert code(api.post(ENDPOINTS, {"url": "http://localhost:1/", "event_types": ["application.enrolled"]}, as_=reviewer))[0] == 403
    assert code(api.get(f"{ENDPOINTS}/ep_0000000000000000", as_=admin)) == (404, "endpoint_not_found")
    assert code(api.get(f"{ENDPOINTS}/{'x' * 2000}", as_=admin)) == (404, "endpoint_not_found")
    with Receiver() as receiver:
        endpoint = register(api, admin, receiver.url)
    replay = f"{ENDPOINTS}/{endpoint['id']}/replay"
    assert code(api.post(replay, {"from": "yesterday", "to": "today-ish"}, as_=admin))[0] == 422
    assert code(api.post(replay, {"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, as_=admin))[0] == 422
    assert code(api.post(replay, {"from": "2025-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, as_=admin))[0] == 422
    assert code(api.post(replay, {"from": "2026-01-01T00:00:00", "to": "2026-01-02T00:00:00Z"}, as_=admin))[0] == 422
    assert code(api.get(f"{ENDPOINTS}/{endpoint['id']}/deliveries?cursor=bm90LWEta2V5", as_=admin)) == (400, "bad_cursor")
    assert code(api.get(f"{ENDPOINTS}/{endpoint['id']}/deliveries?state=lost", as_=admin))[0] in (400, 422)
    assert code(api.post(f"{ENDPOINTS}/{endpoint['id']}/pause", as_=admin))[0] == 200
    assert code(api.post(replay, {"from": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"}, as_=admin)) == (409, "endpoint_paused")
    assert code(api.patch(f"{ENDPOINTS}/{endpoint['id']}", {"url": "https://10.0.0.1/"}, as_=admin)) == (422, "url_refused")
    assert code(api.patch(f"{ENDPOINTS}/{endpoint['id']}", {}, as_=admin))[0] in (400, 422)
    assert code(api.delete(f"{ENDPOINTS}/{endpoint['id']}", as_=admin))[0] == 204
    assert code(api.get(f"{ENDPOINTS}/{endpoint['id']}/deliveries", as_=admin)) == (404, "endpoint_not_found")


def test_the_api_cold_start_loads_no_delivery_code() -> None:
    """Signing, the HTTP client and the delivery loop load in the webhook functions only."""
    import subprocess
    import sys

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, app; print(' '.join(m for m in sys.modules if m.startswith(('standardwebhooks', 'chalicelib.integrations'))))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "chalicelib.integrations.routes" in loaded
    assert not {"standardwebhooks", "chalicelib.integrations.delivery", "chalicelib.integrations.signing", "chalicelib.integrations.transport"} & set(loaded)


def fake_dns(names: dict[str, str]) -> Any:
    import socket

    real = socket.getaddrinfo

    def resolve(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]
        return real(host, port, *args, **kwargs)

    return resolve
