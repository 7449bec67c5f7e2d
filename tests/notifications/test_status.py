"""Checking a status without logging in: the status and the next step, nothing else; a wrong
reference and a wrong date answer alike; tries are limited and logged."""

from __future__ import annotations

from typing import Any

from tests.notifications.conftest import Stream, person
from tests.support.api import Api, AsRegistrant
from tests.support.factories import SAMPLE_PEOPLE
from tests.support.programs import Portal


def activity(api: Api, who: AsRegistrant) -> list[dict[str, Any]]:
    return list(api.get("/api/me/activity?limit=100", as_=who).json["items"])


BIRTHDATE = SAMPLE_PEOPLE[0]["birthdate"].replace("/", "-")


def test_the_reference_and_date_of_birth_give_the_status_and_next_step_only(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    amina = person(0)
    submitted = portal.submitted(amina, program, {"name": "Amina"})
    typed = submitted["reference"].lower().replace("-", " ")
    answer = api.post("/api/status", {"reference": typed, "date_of_birth": BIRTHDATE})
    assert answer.status == 200, answer.json
    assert answer.json == {"reference": submitted["reference"], "status": "submitted", "next_step": "wait_for_review"}
    (logged,) = [e for e in activity(api, amina) if e["action"].startswith("status_")]
    assert logged["action"] == "status_checked" and logged["by"]["role"] == "public"


def test_a_wrong_date_and_a_wrong_reference_answer_alike(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    amina = person(0)
    reference = portal.submitted(amina, program, {"name": "Amina"})["reference"]
    wrong_date = api.post("/api/status", {"reference": reference, "date_of_birth": "1990-01-01"})
    other = portal.submitted(person(1), program, {"name": "Jean"})["reference"]
    wrong_reference = api.post("/api/status", {"reference": other, "date_of_birth": BIRTHDATE})
    no_reference = api.post("/api/status", {"reference": "AAA-AAA-AAA", "date_of_birth": BIRTHDATE})
    assert wrong_date.status == wrong_reference.status == no_reference.status == 404
    shown = [(a.json["error"]["code"], a.json["error"]["message"], sorted(a.json["error"])) for a in (wrong_date, wrong_reference, no_reference)]
    assert shown[0] == shown[1] == shown[2]
    assert [e["action"] for e in activity(api, amina) if e["action"].startswith("status_")] == ["status_check_failed"]


def test_twenty_wrong_dates_are_throttled_logged_and_give_no_hint(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    amina = person(0)
    reference = portal.submitted(amina, program, {"name": "Amina"})["reference"]
    answers = [api.post("/api/status", {"reference": reference, "date_of_birth": f"1990-01-{day:02d}"}) for day in range(1, 21)]
    assert [a.status for a in answers] == [404] * 5 + [429] * 15
    assert answers[-1].json["error"]["code"] == "too_many_attempts" and answers[-1].headers["retry-after"] == "3600"
    # Throttled now even with the right date: the limit does not tell the right answer apart.
    assert api.post("/api/status", {"reference": reference, "date_of_birth": BIRTHDATE}).status == 429
    actions = [e["action"] for e in activity(api, amina) if e["action"].startswith("status_")]
    assert actions.count("status_check_failed") == 5 and actions.count("status_check_throttled") == 16
    assert "1990-01" not in str(answers[0].json)


def test_one_client_trying_many_references_is_throttled(api: Api, stream: Stream) -> None:
    statuses = [api.post("/api/status", {"reference": f"AAA-AAA-A{c}A", "date_of_birth": BIRTHDATE}).status for c in "ABCDEFGHJKMNPQRSTVWXYZ2"]
    assert statuses[:20] == [404] * 20 and set(statuses[20:]) == {429}


def test_bad_status_bodies_are_422(api: Api, stream: Stream) -> None:
    assert api.post("/api/status", {"reference": "K7M-Q2X-P4H"}).status == 422
    assert api.post("/api/status", {"reference": "K7M-Q2X-P4H", "date_of_birth": "12/04/1987"}).status == 422
    assert api.post("/api/status", {"reference": "x" * 100, "date_of_birth": BIRTHDATE}).status == 422
