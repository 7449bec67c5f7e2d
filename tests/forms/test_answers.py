"""Answers against a published form: conditional questions, dependent questions, groups, prefill, messages."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from chalicelib.forms import answers
from chalicelib.forms.definition import normalise
from chalicelib.forms.messages import KIND_MESSAGES, LOCALES, MESSAGES
from infra.local.seed import FORM


def _form(schema: dict[str, Any], prefill: dict[str, Any] | None = None, form_id: str = "f") -> dict[str, Any]:
    stored = normalise({"title": {"en": "F"}, "schema": schema, "ui_schema": {}, "prefill": prefill or {}})
    return {"form_id": form_id, "version": 1, **stored}


SAMPLE = {"form_id": "sample", "version": 1, **normalise(FORM)}


def test_the_conditional_questions_show_only_when_their_condition_holds() -> None:
    assert answers.hidden_fields(SAMPLE, {"receives_other_support": True}) == set()
    assert answers.hidden_fields(SAMPLE, {"receives_other_support": False}) == {"/support_kinds", "/other_support_details"}
    assert answers.hidden_fields(SAMPLE, {}) == {"/support_kinds", "/other_support_details"}


def test_dependent_questions_and_conditions_inside_groups_and_all_of() -> None:
    form = _form(
        {
            "type": "object",
            "properties": {
                "phone": {"type": "string"},
                "phone_type": {"type": "string", "enum": ["mobile", "landline"]},
                "address": {
                    "type": "object",
                    "properties": {"country": {"type": "string"}, "province": {"type": "string"}},
                    "allOf": [{"if": {"properties": {"country": {"const": "KE"}}, "required": ["country"]}, "then": {"required": ["province"]}}],
                },
            },
            "dependentRequired": {"phone": ["phone_type"]},
        },
        form_id="groups",
    )
    assert answers.hidden_fields(form, {}) == {"/phone_type", "/address/province"}
    assert answers.hidden_fields(form, {"phone": "+254", "address": {"country": "KE"}}) == set()
    assert answers.check_answers(form, {"phone": "+254", "address": {"country": "KE"}}, complete=True) == {
        "/phone_type": "required",
        "/address/province": "required",
    }
    assert answers.without_hidden(form, {"phone_type": "mobile", "address": {"country": "FR", "province": "x"}}) == {"address": {"country": "FR"}}


def test_drafts_refuse_only_what_cannot_be_stored() -> None:
    draft = {"household_size": 3, "youngest_child_birthdate": "not yet", "phone": "12"}
    assert answers.check_answers(SAMPLE, draft, complete=False) == {}
    assert answers.check_answers(SAMPLE, {"household_size": "3"}, complete=False) == {"/household_size": "wrong_type"}
    full = answers.check_answers(SAMPLE, draft, complete=True)
    assert full["/youngest_child_birthdate"] == "not_a_date" and full["/phone"] == "wrong_format"


def test_lengths_are_checked_before_any_pattern_runs() -> None:
    problems = answers.check_answers(SAMPLE, {"phone": "1" * 100_000}, complete=True)
    assert problems == {"/phone": "too_long"}


def test_a_pattern_never_runs_over_more_characters_than_it_was_judged_on() -> None:
    # Stored before saving gave every pattern a maxLength: an email question with a pattern had none.
    older = {
        "form_id": "older",
        "version": 1,
        "schema": {
            "type": "object",
            "properties": {
                "email": {"type": "string", "format": "email", "pattern": "^[^@]{1,64}@[^@]{1,200}$"},
                "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"], "pattern": "^[ab]$"}},
            },
        },
    }
    problems = answers.check_answers(older, {"email": "a" * 5000, "tags": ["a", "b" * 5000]}, complete=True)
    assert problems == {"/email": "too_long", "/tags/1": "too_long"}


def test_prefill_uses_profile_values_that_fit_and_locks_the_verified_ones() -> None:
    profile = {
        "name": {"value": "Amina Okafor", "verified": True},
        "birthdate": {"value": "1987/04/12", "verified": True},  # not a date the form accepts: left for the person
    }
    start, locked = answers.prefill(SAMPLE, profile)
    assert start == {"name": "Amina Okafor"} and locked == {"/name": "Amina Okafor"}
    editable = _form({"type": "object", "properties": {"name": {"type": "string"}}}, {"/name": {"from": "profile.name", "editable": True}}, form_id="e")
    assert answers.prefill(editable, profile) == ({"name": "Amina Okafor"}, {})
    unverified = {"name": {"value": "Amina", "verified": False}}
    assert answers.prefill(SAMPLE, unverified) == ({"name": "Amina"}, {})
    nested = _form({"type": "object", "properties": {"town": {"type": "string"}}}, {"/town": "profile.address.locality"}, form_id="n")
    assert answers.prefill(nested, {"address": {"value": {"locality": "Kisumu"}, "verified": True}}) == ({"town": "Kisumu"}, {"/town": "Kisumu"})


def test_merge_follows_json_merge_patch() -> None:
    assert answers.merge({"a": 1, "g": {"x": 1, "y": 2}}, {"a": None, "g": {"y": None, "z": 3}, "b": [1]}) == {"g": {"x": 1, "z": 3}, "b": [1]}


def test_answers_nested_deeper_than_any_form_are_refused() -> None:
    deep: Any = "x"
    for _ in range(50):
        deep = {"a": deep}
    assert answers.shape_problems({"q": deep}) == {"/": "too_deep"}


def test_every_code_has_a_message_in_every_locale() -> None:
    for code, texts in MESSAGES.items():
        assert set(texts) == set(LOCALES), code
    assert answers.messages({"/answers/x": "no_such_code"})["/answers/x"]["en"] == "Check this answer."


def test_a_phone_and_a_date_typed_with_an_arabic_keyboard_are_accepted_and_stored_in_ascii() -> None:
    typed_answers = {"name": "Amina", "phone": "+٢١٢ ٦٠٠-٣٣-٤٤-٥٥", "birthdate": "١٩٩٠-٠٣-٢٧"}
    assert answers.check_answers(SAMPLE, typed_answers, complete=False) == {}
    assert typed_answers["phone"] == "+212600334455"
    assert typed_answers["birthdate"] == "1990-03-27"


def test_a_date_of_birth_in_the_future_is_refused_at_submission_only() -> None:
    draft = {"birthdate": "2031-06-05", "youngest_child_birthdate": "2030-01-01"}
    assert answers.check_answers(SAMPLE, dict(draft), complete=False, today=date(2026, 12, 6)) == {}
    problems = answers.check_answers(SAMPLE, dict(draft), complete=True, today=date(2026, 12, 6))
    assert problems["/birthdate"] == "in_future"
    assert problems["/youngest_child_birthdate"] == "in_future"
    assert "/birthdate" not in answers.check_answers(SAMPLE, {"birthdate": "2026-12-06"}, complete=True, today=date(2026, 12, 6))


def test_messages_say_what_each_kind_of_question_expects_and_prefer_the_forms_own() -> None:
    shown = answers.messages({"/answers/phone": "wrong_format", "/answers/household_size": "wrong_type", "/documents/id": "required_document_missing"}, SAMPLE)
    assert shown["/answers/phone"]["en"] == "Enter a phone number, like 0712 345 678."
    assert shown["/answers/household_size"]["fr"] == "Saisissez un nombre entier, par exemple 3."
    assert shown["/documents/id"]["en"] == MESSAGES["required_document_missing"]["en"]
    own = {
        **SAMPLE,
        "ui_schema": {
            **SAMPLE["ui_schema"],
            "fields": {"/phone": {"widget": "text", "label": {"en": "Phone"}, "errors": {"wrong_format": {"en": "Enter your Safaricom number"}}}},
        },
    }
    mine = answers.messages({"/answers/phone": "wrong_format"}, own)["/answers/phone"]
    assert mine["en"] == "Enter your Safaricom number"
    assert mine["ar"] == "أدخل رقم هاتف، مثل \u20660712 345 678\u2069."  # a locale the form leaves out: the general words


def test_french_messages_put_a_space_before_a_colon() -> None:
    texts = [texts["fr"] for texts in [*MESSAGES.values(), *KIND_MESSAGES.values()]]
    assert [text for text in texts if re.search(r"[^\s\u00a0\u202f]:(?!//)", text)] == []
