"""The UI schema's own error messages (``errors``), input purposes (``autocomplete``) and text-only
statements: what the form builder writes, accepted and refused at the pointer that is wrong."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from chalicelib.forms.definition import AUTOCOMPLETE, ERROR_CODES, check_definition, normalise
from chalicelib.forms.messages import MESSAGES


def _form() -> dict[str, Any]:
    return {
        "title": {"en": "Form"},
        "schema": {
            "type": "object",
            "properties": {
                "phone": {"type": "string", "pattern": "^\\+?[0-9 ]{7,20}$", "maxLength": 20},
                "birth": {"type": "string", "format": "date"},
                "agree": {"type": "boolean"},
            },
            "required": ["phone"],
        },
        "ui_schema": {
            "pages": [{"id": "one", "title": {"en": "One"}, "fields": ["/intro", "/phone", "/birth", "/agree"]}],
            "fields": {
                "/intro": {"widget": "statement", "label": {"en": "Before you start"}, "text": {"en": "Have your ID card at hand.", "fr": "Ayez votre carte."}},
                "/phone": {
                    "widget": "text",
                    "label": {"en": "Phone number"},
                    "autocomplete": "tel",
                    "errors": {"wrong_format": {"en": "Enter a phone number, like 0712 345 678", "fr": "Saisissez un numéro, comme 0712 345 678"}},
                },
                "/birth": {"widget": "date", "label": {"en": "Date of birth"}, "autocomplete": "bday"},
                "/agree": {"widget": "radio", "label": {"en": "Agree?"}},
            },
        },
    }


def test_errors_autocomplete_and_statements_are_inside_the_subset_and_stored_as_written() -> None:
    form = _form()
    assert check_definition(form) == {}
    stored = normalise(copy.deepcopy(form))
    assert stored["ui_schema"]["fields"]["/intro"] == form["ui_schema"]["fields"]["/intro"]
    assert stored["ui_schema"]["fields"]["/phone"]["errors"]["wrong_format"]["en"].startswith("Enter a phone number")
    assert "intro" not in stored["schema"]["properties"]  # a statement takes no answer


def test_every_error_code_a_form_may_word_is_one_the_server_answers_with() -> None:
    assert ERROR_CODES <= set(MESSAGES)
    assert "tel" in AUTOCOMPLETE and "cc-number" not in AUTOCOMPLETE and "new-password" not in AUTOCOMPLETE


def _edit(path: list[str], value: Any) -> dict[str, Any]:
    form = _form()
    node = form
    for key in path[:-1]:
        node = node[key]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return form


@pytest.mark.parametrize(
    ("path", "value", "pointer", "code"),
    [
        (["ui_schema", "fields", "/phone", "autocomplete"], "cc-number", "/ui_schema/fields/~1phone/autocomplete", "unknown_autocomplete"),
        (["ui_schema", "fields", "/phone", "autocomplete"], ["tel"], "/ui_schema/fields/~1phone/autocomplete", "unknown_autocomplete"),
        (["ui_schema", "fields", "/birth", "autocomplete"], "tel", "/ui_schema/fields/~1birth/autocomplete", "autocomplete_does_not_fit"),
        (["ui_schema", "fields", "/agree", "autocomplete"], "name", "/ui_schema/fields/~1agree/autocomplete", "autocomplete_does_not_fit"),
        (["ui_schema", "fields", "/phone", "errors"], {"pattern": {"en": "x"}}, "/ui_schema/fields/~1phone/errors/pattern", "unknown_error_code"),
        (["ui_schema", "fields", "/phone", "errors"], {"wrong_format": {"en": " "}}, "/ui_schema/fields/~1phone/errors/wrong_format/en", "required"),
        (["ui_schema", "fields", "/phone", "errors"], {"wrong_format": "Enter"}, "/ui_schema/fields/~1phone/errors/wrong_format", "wrong_type"),
        (["ui_schema", "fields", "/phone", "errors"], {}, "/ui_schema/fields/~1phone/errors", "wrong_type"),
        (["ui_schema", "fields", "/intro", "text"], None, "/ui_schema/fields/~1intro/text", "required"),
        (["ui_schema", "fields", "/intro", "hint"], {"en": "x"}, "/ui_schema/fields/~1intro/hint", "unsupported_keyword"),
        (["ui_schema", "fields", "/intro", "text"], {"english": "x"}, "/ui_schema/fields/~1intro/text/english", "unknown_locale"),
        (["ui_schema", "pages", 0, "fields"], ["/phone", "/birth", "/agree"], "/ui_schema/pages", "field_not_on_any_page"),
    ],
)
def test_a_wrong_error_message_input_purpose_or_statement_is_refused_where_it_is(path: list[Any], value: Any, pointer: str, code: str) -> None:
    assert check_definition(_edit(path, value)).get(pointer) == code


def test_a_statement_cannot_share_a_question_name_nor_sit_inside_a_group() -> None:
    form = _form()
    form["ui_schema"]["fields"]["/phone"] = {"widget": "statement", "text": {"en": "x"}}
    assert check_definition(form)["/ui_schema/fields/~1phone/widget"] == "unsupported_widget"
    form = _form()
    form["schema"]["properties"]["kids"] = {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}
    form["ui_schema"]["pages"].append({"id": "kids", "title": {"en": "Kids"}, "fields": ["/kids"]})
    form["ui_schema"]["fields"].update(
        {
            "/kids": {
                "widget": "group",
                "label": {"en": "Kids"},
                "item_label": {"en": "kid"},
                "summary_field": "name",
                "errors": {"too_few": {"en": "Add a child"}},
            },
            "/kids/name": {"widget": "text", "label": {"en": "Name"}},
        }
    )
    assert check_definition(form) == {}
    form["ui_schema"]["fields"]["/kids/note"] = {"widget": "statement", "text": {"en": "x"}}
    assert check_definition(form)["/ui_schema/fields/~1kids~1note"] == "unknown_field"


def test_a_nested_object_may_have_a_section_heading_per_locale() -> None:
    form = _form()
    form["schema"]["properties"]["address"] = {
        "type": "object",
        "title": "Home address",
        "properties": {"street_address": {"type": "string"}, "postal_code": {"type": "string", "pattern": "^[0-9]{5}$"}},
    }
    form["ui_schema"]["pages"][0]["fields"] += ["/address/street_address", "/address/postal_code"]
    form["ui_schema"]["fields"].update(
        {
            "/address": {"widget": "section", "label": {"en": "Home address", "fr": "Adresse"}},
            "/address/street_address": {"widget": "text", "label": {"en": "Street"}, "autocomplete": "street-address"},
            "/address/postal_code": {"widget": "text", "label": {"en": "Postal code"}, "autocomplete": "postal-code"},
        }
    )
    assert check_definition(form) == {}
    form["ui_schema"]["fields"]["/address"] = {"widget": "text", "label": {"en": "Home address"}}
    assert check_definition(form) == {"/ui_schema/fields/~1address/widget": "widget_does_not_fit_type"}
    form["ui_schema"]["fields"]["/address"] = {"widget": "section", "label": {"en": "x"}, "options": {}}
    assert check_definition(form) == {"/ui_schema/fields/~1address/options": "unsupported_keyword"}
