"""An assisted session opened for a person writes its event with the capture's own transaction,
so the person is told an officer is acting for them (issue 17)."""

from __future__ import annotations

from chalicelib.store.events import OutboxEvent
from tests.support.devices import CaptureKit
from tests.support.factories import SAMPLE_PEOPLE, logged_in

AMINA = SAMPLE_PEOPLE[0]


def test_a_verified_capture_opening_a_session_writes_its_event(kit: CaptureKit) -> None:
    amina = logged_in(AMINA)
    agent = kit.enrol()
    answer = kit.verified(agent, AMINA["individual_id"])
    assert answer.status == 201, answer.json
    session_id = answer.json["assisted_session"]["session_id"]
    found = [(e.type, e.registrant_id, e.actor_role, e.data) for e in OutboxEvent.scan()]
    assert found == [("assisted_session.opened", amina.registrant_id, "officer", {"assisted_session_id": session_id})]
