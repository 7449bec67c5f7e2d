"""What people type is accepted as the browser accepts it: digits of an Arabic keyboard, a phone
number with spaces, dashes and brackets (the same examples as the browser's tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.forms import typed

EXAMPLES: dict[str, Any] = json.loads((Path(__file__).parents[2] / "frontend/src/text/typed_examples.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("typed_in", "expected"), EXAMPLES["digits"])
def test_arabic_indic_and_persian_digits_become_ascii(typed_in: str, expected: str) -> None:
    assert typed.ascii_digits(typed_in) == expected


@pytest.mark.parametrize(("typed_in", "expected"), EXAMPLES["phones"])
def test_a_phone_number_loses_its_separators_and_keeps_its_plus(typed_in: str, expected: str) -> None:
    assert typed.phone_number(typed_in) == expected
    assert typed.typed_value("phone", {"type": "string"}, typed_in) == expected


@pytest.mark.parametrize(("typed_in", "expected"), EXAMPLES["dates"])
def test_a_date_typed_with_arabic_digits_is_a_date(typed_in: str, expected: str) -> None:
    assert typed.typed_value("when", {"type": "string", "format": "date"}, typed_in) == expected


def test_which_questions_are_phone_numbers() -> None:
    text = {"type": "string"}
    assert typed.is_phone("phone", text)
    assert typed.is_phone("mobile_number", text)
    assert typed.is_phone("contact", text, {"autocomplete": "tel"})
    assert typed.is_phone("contact", text, {"autocomplete": "section-home tel-national"})
    assert not typed.is_phone("telephone_owner", text, {"autocomplete": "name"})
    assert not typed.is_phone("phone_type", {"type": "string", "enum": ["mobile", "landline"]})
    assert not typed.is_phone("phone", {"type": "integer"})
    assert not typed.is_phone("full_name", text)


def test_free_text_is_left_as_typed() -> None:
    assert typed.typed_value("notes", {"type": "string"}, " ١٢ (note) ") == " ١٢ (note) "
    assert typed.typed_value("size", {"type": "integer"}, 3) == 3
