"""References a person can read out on the phone."""

from __future__ import annotations

import pytest

from chalicelib.programs import service
from chalicelib.programs.references import ALPHABET, check_character, new_reference, normalise
from tests.support.api import AsRegistrant
from tests.support.programs import Portal


def test_a_reference_has_three_groups_without_look_alike_characters() -> None:
    for _ in range(200):
        reference = new_reference()
        groups = reference.split("-")
        assert [len(g) for g in groups] == [3, 3, 3]
        assert not set(reference.replace("-", "")) & set("01OILU")
        assert normalise(reference) == reference


def test_case_spaces_and_hyphens_do_not_matter() -> None:
    reference = new_reference()
    assert normalise(reference.lower().replace("-", " ")) == reference


def test_every_single_wrong_character_is_caught() -> None:
    body = "K7MQ2XP4"
    reference = body + check_character(body)
    for position in range(len(reference)):
        for char in ALPHABET:
            if char != reference[position]:
                assert normalise(reference[:position] + char + reference[position + 1 :]) is None


def test_swapping_neighbours_is_caught() -> None:
    body = "K7MQ2XP4"
    reference = body + check_character(body)
    for position in range(len(reference) - 1):
        swapped = list(reference)
        swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
        if swapped != list(reference):
            assert normalise("".join(swapped)) is None


def test_what_is_not_a_reference_is_refused() -> None:
    for text in ("", "K7M-Q2X", "K7M-Q2X-P4H-X", "O0O-111-III", "K7M-Q2X-P4!"):
        assert normalise(text) is None


def test_a_submission_that_draws_a_taken_reference_draws_again_and_succeeds(
    portal: Portal, registrant: AsRegistrant, other_registrant: AsRegistrant, program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = portal.submitted(registrant, program, {"name": "Amina"})
    drawn: list[str] = []
    fresh = iter([first["reference"], new_reference()])

    def colliding() -> str:
        drawn.append(next(fresh))
        return drawn[-1]

    monkeypatch.setattr(service, "new_reference", colliding)
    draft = portal.draft(other_registrant, program, {"name": "Baraka"})
    answer = portal.submit(other_registrant, draft["application_id"])
    assert answer.status == 200, answer.json
    assert drawn[0] == first["reference"] and answer.json["reference"] == drawn[1] != first["reference"]
    assert normalise(answer.json["reference"]) == answer.json["reference"]
    assert portal.api.get(f"/api/applications/{first['application_id']}", as_=registrant).json["reference"] == first["reference"]
