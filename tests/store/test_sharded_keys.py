"""The keys spread over shards for the opening day read back whole and in order: the events feed
(every event once, in id order, across shards and days), and a session touched at most every few
minutes (one call either way, a write only when stale)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from chalicelib.auth import sessions
from chalicelib.events.outbox import EventType, add_event
from chalicelib.store.events import FEED_SHARDS, OutboxEvent, read_feed
from chalicelib.store.sessions import SessionItem
from chalicelib.store.transactions import transaction
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.calls import record_aws_calls
from tests.support.programs import Portal, simple_program


def _events(days: list[datetime], per_day: int) -> list[str]:
    ids = []
    for day in days:
        for n in range(per_day):
            with transaction() as writes:
                event = add_event(writes, EventType.APPLICATION_SUBMITTED, registrant_id=f"r{n}", actor_role="registrant", at=day + timedelta(seconds=n))
            ids.append(event.event_id)
    return ids


def test_the_feed_hands_out_every_event_once_in_order_across_shards_and_days(aws: None) -> None:
    first = datetime(2026, 12, 4, 9, tzinfo=UTC)
    written = _events([first, first + timedelta(days=1)], 9)
    assert len({event.feed_day for event in OutboxEvent.scan()}) > 2  # spread over shard keys
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        with record_aws_calls() as log:
            page = read_feed(after, 4, today=first + timedelta(days=2), oldest=first - timedelta(days=1))
        pages += 1
        assert len(log.dynamodb) <= FEED_SHARDS * 4 and "Scan" not in log.dynamodb
        if not page.events:
            break
        seen += [event.event_id for event in page.events]
        after = page.after
    assert seen == sorted(written) and pages == 6  # 18 events, 4 a page, then an empty page


def test_a_session_is_written_only_when_its_last_touch_is_stale(aws: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    started = sessions.create_session("someone")
    key = "session#" + hashlib.sha256(started.raw_id.encode()).hexdigest()
    before = SessionItem.get(key, consistent_read=True)
    with record_aws_calls() as log:
        assert sessions.resolve_session(started.raw_id) is not None
    assert log.dynamodb == ["UpdateItem"]
    assert SessionItem.get(key, consistent_read=True).expires_at == before.expires_at  # touched just now: nothing written
    later = sessions.now() + timedelta(seconds=sessions.touch_seconds() + 1)
    monkeypatch.setattr(sessions, "now", lambda: later)
    with record_aws_calls() as log:
        assert sessions.resolve_session(started.raw_id) is not None
    assert log.dynamodb == ["UpdateItem"]
    assert SessionItem.get(key, consistent_read=True).expires_at > before.expires_at  # stale: the idle expiry slid forward
    sessions.end_session(key)
    assert sessions.resolve_session(started.raw_id) is None


def test_counts_cost_one_call_and_follow_every_transition(api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, admin: AsStaff) -> None:
    program_id = simple_program(policy={"kind": "repeat"})
    ids = [portal.submitted(registrant, program_id, {"name": "Amina"})["application_id"] for _ in range(3)]
    portal.draft(registrant, program_id, {"name": "Amina"})
    withdrawn = portal.draft(registrant, program_id, {"name": "Amina"})["application_id"]
    assert api.post(f"/api/applications/{withdrawn}/withdraw", {}, as_=registrant).status == 200  # a draft given up: counted nowhere
    assert portal.decide(reviewer, ids[0], "under_review").status == 200
    assert portal.decide(reviewer, ids[0], "approved", enrol=True).status == 200
    answer = api.get(f"/api/admin/programs/{program_id}/counts", as_=admin)
    assert {k: v for k, v in answer.json["counts"].items() if v} == {"draft": 1, "submitted": 2, "enrolled": 1}
    answer.calls.assert_dynamodb_at_most(2)  # the program (404 for an unknown one) and one BatchGetItem of the counters
