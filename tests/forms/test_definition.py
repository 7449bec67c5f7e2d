"""The form subset: what an administrator's definition may hold, and the field-level refusals."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from chalicelib.forms.definition import check_definition, normalise
from chalicelib.forms.patterns import _CATEGORIES, _DISJOINT_CATEGORIES, MAX_BACKTRACKING_STEPS, MAX_PATTERN_SUBJECT, backtracking_steps, pattern_problem
from chalicelib.registrants.profile_form import DEFAULT_SCHEMA as PROFILE_SCHEMA
from infra.local.seed import FORM
from tests.support.factories import simple_ui


def _definition(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"title": {"en": "Form"}, "schema": schema, "ui_schema": simple_ui(schema), **extra}


def _with_field(field: dict[str, Any], **root: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"answer": field}, **root}


def test_the_sample_form_is_inside_the_subset() -> None:
    assert check_definition(copy.deepcopy(FORM)) == {}


@pytest.mark.parametrize(
    ("schema", "pointer", "code"),
    [
        (_with_field({"$ref": "https://evil.example/schema.json"}), "/schema/properties/answer/$ref", "ref_outside_document"),
        (_with_field({"$ref": "other.json#/$defs/x"}), "/schema/properties/answer/$ref", "ref_outside_document"),
        (_with_field({"$ref": "#"}), "/schema/properties/answer/$ref", "ref_outside_document"),
        (_with_field({"$ref": "#/$defs/missing"}), "/schema/properties/answer/$ref", "ref_not_found"),
        (_with_field({"type": "string", "format": "uri"}), "/schema/properties/answer/format", "unsupported_format"),
        (_with_field({"type": "string", "format": "ipv4"}), "/schema/properties/answer/format", "unsupported_format"),
        (_with_field({"type": "string", "pattern": "^(a+)+$"}), "/schema/properties/answer/pattern", "regex_may_backtrack"),
        (_with_field({"type": "string", "pattern": "(?P<x>a)"}), "/schema/properties/answer/pattern", "unsupported_regex_syntax"),
        (_with_field({"type": "string", "pattern": "("}), "/schema/properties/answer/pattern", "invalid_regex"),
        (_with_field({"type": "string", "pattern": "^a+$", "maxLength": 50000}), "/schema/properties/answer/maxLength", "too_long_for_pattern"),
        (_with_field({"type": "string", "requird": True}), "/schema/properties/answer/requird", "unsupported_keyword"),
        (_with_field({"type": "string"}, unevaluatedProperties=False), "/schema/unevaluatedProperties", "unsupported_keyword"),
        (_with_field({"type": "string"}, additionalProperties=True), "/schema/additionalProperties", "must_be_false"),
        (_with_field({"oneOf": [{"type": "string"}]}), "/schema/properties/answer/type", "required"),
        (_with_field({"type": ["string", "null"]}), "/schema/properties/answer/type", "unsupported_type"),
        (_with_field({"type": "array", "items": {"type": "boolean"}}), "/schema/properties/answer/items", "items_must_be_choices"),
        (_with_field({"type": "array", "items": {"type": "object"}}), "/schema/properties/answer/items/properties", "required"),
        (_with_field({"type": "string", "minLength": -1}), "/schema/properties/answer/minLength", "invalid_schema"),
        (_with_field({"type": "string"}, required=["other"]), "/schema/required/0", "undeclared_field"),
        (_with_field({"type": "string"}, **{"if": {"required": ["answer"]}, "then": {"required": ["ghost"]}}), "/schema/then/required/0", "undeclared_field"),
        (
            _with_field({"type": "string"}, **{"if": {"properties": {"answer": {"pattern": "^a"}}}, "then": {}}),
            "/schema/if/properties/answer/pattern",
            "unsupported_keyword",
        ),
        (_with_field({"type": "string"}, then={"required": ["answer"]}), "/schema/then", "needs_if"),
        ({"type": "array"}, "/schema/type", "root_must_be_object"),
        (_with_field({"type": "string"}, **{"$schema": "http://json-schema.org/draft-07/schema#"}), "/schema/$schema", "unsupported_dialect"),
    ],
)
def test_definitions_outside_the_subset_are_refused_at_the_offending_pointer(schema: dict[str, Any], pointer: str, code: str) -> None:
    definition = {"title": {"en": "Form"}, "schema": schema, "ui_schema": {"pages": [], "fields": {}}}
    problems = check_definition(definition)
    assert problems.get(pointer) == code, problems


def test_a_definition_that_reaches_itself_through_ref_is_refused() -> None:
    schema = {
        "type": "object",
        "$defs": {"person": {"type": "object", "properties": {"guardian": {"$ref": "#/$defs/person"}}}},
        "properties": {"applicant": {"$ref": "#/$defs/person"}},
    }
    assert check_definition(_definition({"type": "object", "properties": {}}) | {"schema": schema})["/schema/$defs/person"] == "ref_cycle"


def test_excessive_depth_and_size_are_refused() -> None:
    deep: dict[str, Any] = {"type": "string"}
    for _ in range(8):
        deep = {"type": "object", "properties": {"inner": deep}}
    assert "too_deep" in check_definition(_definition({"type": "object", "properties": {"outer": deep}})).values()
    nested: Any = "x"
    for _ in range(200):
        nested = [nested]
    assert check_definition({"title": {"en": "F"}, "schema": {"type": "object", "properties": {}, "examples": nested}, "ui_schema": {}}) == {"/": "too_deep"}
    huge = {f"q{i}": {"type": "string", "description": "x" * 500} for i in range(200)}
    assert check_definition(_definition({"type": "object", "properties": huge})) == {"/": "too_large"}


def test_the_ui_schema_must_cover_every_question_with_a_widget_that_fits() -> None:
    schema = {
        "type": "object",
        "properties": {
            "age": {"type": "integer"},
            "colour": {"type": "string", "enum": ["red", "blue"]},
            "born": {"type": "string", "format": "date"},
        },
    }
    ui = {
        "pages": [{"id": "one", "title": {"en": "One"}, "fields": ["/age", "/colour", "/nowhere"]}],
        "fields": {
            "/age": {"widget": "date", "label": {"en": "Age"}},
            "/colour": {"widget": "radio", "label": {"english": "Colour"}, "options": {"red": {"en": "Red"}}},
        },
    }
    problems = check_definition({"title": {"en": "F"}, "schema": schema, "ui_schema": ui})
    assert problems == {
        "/ui_schema/fields/~1age/widget": "widget_does_not_fit_type",
        "/ui_schema/fields/~1colour/label/english": "unknown_locale",
        "/ui_schema/fields/~1colour/options": "options_must_match_choices",
        "/ui_schema/fields/~1born": "required",
        "/ui_schema/pages/0/fields/2": "unknown_field",
        "/ui_schema/pages": "field_not_on_any_page",
    }


def test_prefill_comes_only_from_the_profile_into_known_questions() -> None:
    definition = copy.deepcopy(FORM)
    definition["prefill"] = {"/name": "session.token", "/nowhere": "profile.name", "/birthdate": {"from": "profile.birthdate", "editable": "yes"}}
    assert check_definition(definition) == {
        "/prefill/~1name": "unknown_source",
        "/prefill/~1nowhere": "unknown_field",
        "/prefill/~1birthdate": "unsupported_keyword",
    }


def test_normalising_closes_objects_and_bounds_free_text() -> None:
    stored = normalise(copy.deepcopy(FORM))
    assert stored["schema"]["additionalProperties"] is False
    assert stored["schema"]["properties"]["phone"]["maxLength"] == 1000
    assert stored["schema"]["properties"]["name"]["maxLength"] == 200  # the form's own limit stays
    assert stored["prefill"]["/name"] == {"from": "profile.name", "editable": False}


ORDINARY_PATTERNS = [
    "^\\+?[0-9 ]{7,20}$",
    "^[A-Z]{2}[0-9]{6}$",
    "(\\d{3}-){2}\\d{4}",
    "^\\d+(\\.\\d{1,2})?$",
    "^[A-Za-z .'-]+$",
    # Near misses of the refused shapes below: bounded repetitions that cannot match the same text
    # one after the other, or only two of them, or anchored so that only one start is tried.
    "[^@\\s]{1,64}@[^@\\s.]{1,63}\\.[^@\\s]{2,63}",
    "a{0,30}a{0,30}b",
    "^a{0,30}a{0,30}a{0,30}b",
    "[a-z]{0,10}[0-9]{0,10}[a-z]{0,10}!",
    "^\\w{1,20}\\s\\w{1,20}$",
    "^(?=.*\\d)[A-Za-z\\d]{8,20}$",
    "\\b\\d{4}\\b",
    "\\d+(\\.\\d{1,2})?",
]
SEEDED_PATTERNS = [
    FORM["schema"]["properties"]["phone"]["pattern"],
    *(field["pattern"] for field in PROFILE_SCHEMA["properties"].values() if "pattern" in field),
    *(field["pattern"] for field in PROFILE_SCHEMA["properties"]["address"]["properties"].values() if "pattern" in field),
]


@pytest.mark.parametrize("pattern", ORDINARY_PATTERNS + SEEDED_PATTERNS)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert pattern_problem(pattern) is None
    assert backtracking_steps(pattern) <= MAX_BACKTRACKING_STEPS


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)*$", "^(\\w+\\s?)*$", "(.*a){12}", "a*a*b", "(a)\\1", "\\Aabc\\Z", "(?i)abc", "a*+b"])
def test_patterns_that_backtrack_or_only_python_understands_are_refused(pattern: str) -> None:
    assert pattern_problem(pattern) is not None


@pytest.mark.parametrize(
    "pattern",
    [
        "a{0,30}a{0,30}a{0,30}a{0,30}a{0,30}b",  # 62 s on 1,000 characters, measured
        "\\w{0,40}" * 6 + "!",  # 203 s on 100 characters, measured
        "a{0,30}a{0,30}a{0,30}b",
        "\\s{0,50}[a-z]{0,100}\\s{0,50}!",
        "(.|a)*b",  # one character under a repetition, but two ways to match it: exponential
        "(.|a){0,30}b",
        "\\d{0,9}" * 5 + "x",
    ],
)
def test_bounded_repetitions_that_multiply_are_refused(pattern: str) -> None:
    assert pattern_problem(pattern) == "regex_may_backtrack"
    assert backtracking_steps(pattern) > MAX_BACKTRACKING_STEPS


def test_a_form_with_a_chain_of_bounded_repetitions_is_refused_at_its_pattern() -> None:
    schema = _with_field({"type": "string", "maxLength": 1000, "pattern": "a{0,30}a{0,30}a{0,30}a{0,30}a{0,30}b"})
    assert check_definition(_definition(schema)) == {"/schema/properties/answer/pattern": "regex_may_backtrack"}


def test_every_field_with_a_pattern_gets_a_length_its_search_was_judged_on() -> None:
    schema = _with_field({"type": "string", "format": "email", "pattern": "^[^@]{1,64}@[^@]{1,200}$"})
    assert check_definition(_definition(schema)) == {}
    assert normalise(_definition(schema))["schema"]["properties"]["answer"]["maxLength"] == MAX_PATTERN_SUBJECT


def test_the_character_classes_the_rule_tells_apart_share_no_character() -> None:
    """``_DISJOINT_CATEGORIES`` lets ``\\w{1,20}\\s`` count as one way: checked over all of Unicode."""
    import re

    classes = {name: re.compile(expression) for name, expression in _CATEGORIES.items()}
    for pair in _DISJOINT_CATEGORIES:
        first, second = (classes[name] for name in sorted(pair))
        both = next((code for code in range(0x110000) if first.match(chr(code)) and second.match(chr(code))), None)
        assert both is None, (pair, both)
