"""A person's activity log says when their data reached a ministry's system: once per accepted
delivery, with the application, never for a receiver that refused it, never twice for a replay."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.store.base import now
from tests.integrations.test_delivery import ENDPOINTS, register, submit, webhooks  # noqa: F401 - the fixture
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.integrations import Webhooks, receiving
from tests.support.programs import Portal


def sent_to_registry(api: Api, who: AsRegistrant) -> list[dict[str, Any]]:
    items = api.get("/api/me/activity", as_=who).json["items"]
    return [item for item in items if item["action"] == "sent_to_registry"]


def test_an_accepted_delivery_is_in_the_persons_activity_once_even_when_replayed(
    api: Api,
    portal: Portal,
    webhooks: Webhooks,  # noqa: F811 - the fixture
    admin: AsStaff,
    registrant: AsRegistrant,
    other_registrant: AsRegistrant,
    program: str,
) -> None:
    started = now() - timedelta(seconds=1)
    with receiving() as receiver:
        endpoint = register(api, admin, receiver.url)
        application_id = submit(portal, registrant, program)
        webhooks.fan_out()
        webhooks.drain()
        period = {"from": started.isoformat(), "to": (now() + timedelta(seconds=1)).isoformat()}
        assert api.post(f"{ENDPOINTS}/{endpoint['id']}/replay", period, as_=admin).status == 202
        webhooks.drain()

    assert len(receiver.received) == 2  # delivered, then replayed
    [entry] = sent_to_registry(api, registrant)
    assert entry["by"]["role"] == "system"
    assert entry["details"]["application_id"] == application_id
    assert sent_to_registry(api, other_registrant) == []


def test_a_delivery_the_receiver_refused_is_not_in_the_persons_activity(
    api: Api,
    portal: Portal,
    webhooks: Webhooks,  # noqa: F811 - the fixture
    admin: AsStaff,
    registrant: AsRegistrant,
    program: str,
) -> None:
    with receiving(["500"]) as receiver:
        register(api, admin, receiver.url)
        submit(portal, registrant, program)
        webhooks.fan_out()
        webhooks.drain(rounds=1)

    assert [r.answered for r in receiver.received] == ["500"]
    assert sent_to_registry(api, registrant) == []
