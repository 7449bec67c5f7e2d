"""Repeating groups in the form subset: what an administrator may save, refused field by field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from chalicelib.forms.groups import GROUP_ANSWER_BUDGET, worst_case_bytes
from tests.support import households
from tests.support.api import Api, AsStaff
from tests.support.factories import as_staff


@pytest.fixture
def admin() -> AsStaff:
    return as_staff("admin")


def _save(api: Api, admin: AsStaff, definition: dict[str, Any], form_id: str = "household") -> Any:
    return api.post("/api/admin/forms", {"form_id": form_id, **definition}, as_=admin)


def _with_child(**changes: Any) -> dict[str, Any]:
    definition = households.definition()
    definition["schema"]["properties"]["children"].update(changes)
    return definition


def test_a_group_is_saved_closed_and_bounded(api: Api, admin: AsStaff) -> None:
    definition = households.definition()
    del definition["schema"]["properties"]["children"]["maxItems"]
    del definition["schema"]["properties"]["children"]["items"]["properties"]["relationship_other"]["maxLength"]
    saved = _save(api, admin, definition)
    assert saved.status == 201, saved.json
    group = saved.json["schema"]["properties"]["children"]
    assert group["maxItems"] == 30
    assert group["items"]["additionalProperties"] is False  # an unknown field in a member is refused
    assert group["items"]["properties"]["relationship_other"]["maxLength"] == 200  # free text in a group is shorter


def _broken_group_inside() -> dict[str, Any]:
    definition = households.definition()
    item = definition["schema"]["properties"]["children"]["items"]
    item["properties"]["pets"] = {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}
    return definition


def _object_inside() -> dict[str, Any]:
    definition = households.definition()
    definition["schema"]["properties"]["children"]["items"]["properties"]["school"] = {"type": "object", "properties": {"name": {"type": "string"}}}
    return definition


def _group_in_object() -> dict[str, Any]:
    definition = households.definition()
    children = definition["schema"]["properties"].pop("children")
    definition["schema"]["properties"]["household"] = {"type": "object", "properties": {"children": children}}
    definition["schema"]["required"] = ["name"]
    return definition


def _ui(pointer: str, **changes: Any) -> dict[str, Any]:
    definition = households.definition()
    spec = definition["ui_schema"]["fields"][pointer]
    for key, value in changes.items():
        if value is None:
            spec.pop(key, None)
        else:
            spec[key] = value
    return definition


def _condition_on_other_field() -> dict[str, Any]:
    definition = households.definition()
    definition["schema"]["properties"]["children"]["items"]["then"] = {"required": ["name_of_parent"]}
    return definition


def _item_question_on_a_page() -> dict[str, Any]:
    definition = households.definition()
    definition["ui_schema"]["pages"][1]["fields"].append("/children/name")
    return definition


def _item_question_without_ui() -> dict[str, Any]:
    definition = households.definition()
    del definition["ui_schema"]["fields"]["/children/birth_date"]
    return definition


def _group_with_another_question() -> dict[str, Any]:
    definition = households.definition()
    definition["ui_schema"]["pages"][1]["fields"].insert(0, "/name")
    del definition["ui_schema"]["pages"][0]
    return definition


def _too_large() -> dict[str, Any]:
    definition = households.definition()
    item = definition["schema"]["properties"]["children"]["items"]
    for index in range(6):
        item["properties"][f"note{index}"] = {"type": "string", "maxLength": 1000}
        definition["ui_schema"]["fields"][f"/children/note{index}"] = {"widget": "textarea", "label": {"en": "Note"}}
    return definition


@pytest.mark.parametrize(
    ("definition", "pointer", "code"),
    [
        (_with_child(maxItems=31), "/schema/properties/children/maxItems", "too_many_items"),
        (_with_child(minItems=5, maxItems=3), "/schema/properties/children/minItems", "min_above_max"),
        (_with_child(uniqueItems=True), "/schema/properties/children/uniqueItems", "unsupported_keyword"),
        (_broken_group_inside(), "/schema/properties/children/items/properties/pets", "group_in_group"),
        (_object_inside(), "/schema/properties/children/items/properties/school", "group_in_group"),
        (_group_in_object(), "/schema/properties/household/properties/children", "group_not_at_top_level"),
        (_condition_on_other_field(), "/schema/properties/children/items/then/required/0", "undeclared_field"),
        (_ui("/children", summary_field=None), "/ui_schema/fields/~1children/summary_field", "required"),
        (_ui("/children", summary_field="nickname"), "/ui_schema/fields/~1children/summary_field", "unknown_field"),
        (_ui("/children", summary_field="birth_date"), "/ui_schema/fields/~1children/summary_field", "summary_must_be_text"),
        (_ui("/children", item_label=None), "/ui_schema/fields/~1children/item_label", "required"),
        (_ui("/children", widget="text"), "/ui_schema/fields/~1children/widget", "widget_does_not_fit_type"),
        (_ui("/children/name", widget="group"), "/ui_schema/fields/~1children~1name/widget", "widget_does_not_fit_type"),
        (_item_question_on_a_page(), "/ui_schema/pages/1/fields/1", "unknown_field"),
        (_item_question_without_ui(), "/ui_schema/fields/~1children~1birth_date", "required"),
        (_too_large(), "/schema/properties/children", "group_too_large"),
        (_group_with_another_question(), "/ui_schema/pages/0/fields", "group_alone_on_page"),
        (_ui("/children", items_label={"en": ""}), "/ui_schema/fields/~1children/items_label/en", "required"),
    ],
)
def test_a_group_outside_the_subset_is_refused_and_nothing_is_stored(api: Api, admin: AsStaff, definition: dict[str, Any], pointer: str, code: str) -> None:
    refused = _save(api, admin, definition)
    assert refused.status == 422 and refused.error_code == "invalid_form", refused.json
    assert refused.json["error"]["fields"].get(pointer) == code, refused.json["error"]["fields"]
    assert api.get("/api/admin/forms/household", as_=admin).status == 404


def test_a_saved_group_stays_within_its_byte_budget() -> None:
    group = copy.deepcopy(households.SCHEMA["properties"]["children"])
    assert worst_case_bytes(group, {"/birth_certificate"}) < GROUP_ANSWER_BUDGET
    group["maxItems"] = 30
    group["items"]["properties"]["note"] = {"type": "string", "maxLength": 1000}
    # One more long answer per member is 30 x 1000 characters, each up to 12 bytes as stored.
    assert worst_case_bytes(group, {"/birth_certificate"}) > 30 * 1000 * 12
