"""The server never refuses what the form builder makes: every question type, answer format,
error message, input purpose, prefill and condition kind the builder writes
(``frontend/src/staff/builder/model.ts``), as checked in by its vitest
(``model.test.ts`` keeps ``builder_output.json`` equal to what the builder writes today)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.forms.answers import check_answers, messages
from chalicelib.forms.definition import check_definition, normalise

FIXTURES: dict[str, dict[str, Any]] = json.loads((Path(__file__).parent / "builder_output.json").read_text(encoding="utf-8"))


def test_the_fixtures_cover_every_question_type_and_condition_kind() -> None:
    types = "short_text long_text whole_number number date email phone yes_no choose_one choose_several address document household statement".split()
    assert {f"type_{t}" for t in types} <= set(FIXTURES)
    levels = [form["schema"] for form in FIXTURES.values()]
    levels += [group["items"] for form in FIXTURES.values() for group in form["schema"]["properties"].values() if "items" in group]
    rules = [rule["if"]["properties"] for level in levels for rule in level.get("allOf", [])]
    kinds = {next(iter(check)) for test in rules for check in test.values()}
    assert kinds == {"const", "not", "enum"}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_the_server_accepts_what_the_builder_writes(name: str) -> None:
    definition = copy.deepcopy(FIXTURES[name])
    assert check_definition(definition) == {}
    stored = normalise(definition)
    assert check_definition(copy.deepcopy(stored)) == {}  # and once saved, it can be saved again as it reads back


def test_a_person_reads_the_words_the_builder_gave_an_error_in_their_language() -> None:
    form = {**normalise(copy.deepcopy(FIXTURES["phone_with_message"])), "form_id": "built-phone", "version": 1}
    problems = check_answers(form, {"phone": "call me"}, complete=True)
    assert problems == {"/phone": "wrong_format"}
    said = messages({f"/answers{pointer}": code for pointer, code in problems.items()}, form)["/answers/phone"]
    assert said["en"] == "Enter a phone number, like 0712 345 678" and said["ar"] == "Enter a phone number, like 0712 345 678 (ar)"
