"""References a person can read out on the phone."""

from __future__ import annotations

from chalicelib.programs.references import ALPHABET, check_character, new_reference, normalise


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
