"""The profile form: a default, an administrator's replacement, and PATCH /api/me validated by it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from chalicelib.registrants.profile_form import DEFAULT_LABELS, DEFAULT_SCHEMA, check_form
from tests.support.api import Api, AsRegistrant
from tests.support.factories import as_staff
from tests.support.registrants import patch_me


def with_field(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(DEFAULT_SCHEMA)
    schema["properties"][name] = spec
    return schema


def put_form(api: Api, body: dict[str, Any], version: str = '"0"', roles: tuple[str, ...] = ("admin",)) -> Any:
    return api.put("/api/admin/profile-form", body, as_=as_staff(*roles), headers={"If-Match": version})


def test_the_default_form_has_the_usual_demographic_fields(api: Api) -> None:
    answer = api.get("/api/profile-form")
    assert answer.status == 200
    assert answer.json["version"] == 0
    assert answer.json["fields"] == ["name", "gender", "birthdate", "phone", "email", "address", "preferred_language", "household_size"]
    assert answer.json["labels"]["birthdate"]["fr"] == "Date de naissance"


def test_the_default_form_passes_the_rules_an_admins_form_must_pass() -> None:
    assert check_form(DEFAULT_SCHEMA, DEFAULT_LABELS) == {}


def test_an_admin_adds_a_field_and_people_can_fill_it_in(api: Api, registrant: AsRegistrant) -> None:
    body = {"schema": with_field("disability", {"type": "boolean"}), "labels": {"disability": {"en": "Living with a disability"}}}
    answer = put_form(api, body)
    assert answer.status == 200, answer.json
    assert answer.json["version"] == 1
    me = api.get("/api/me", as_=registrant).json
    assert me["fields"]["disability"]["in_form"] is True
    assert me["profile_form"]["labels"]["disability"] == {"en": "Living with a disability"}
    assert patch_me(api, registrant, {"disability": True}).status == 200
    assert patch_me(api, registrant, {"disability": "yes"}).json["error"]["fields"] == {"/disability": "wrong_type"}


def test_a_removed_field_can_no_longer_be_changed_but_its_value_is_still_shown(api: Api, registrant: AsRegistrant) -> None:
    assert patch_me(api, registrant, {"household_size": 4}).status == 200
    schema = copy.deepcopy(DEFAULT_SCHEMA)
    del schema["properties"]["household_size"]
    assert put_form(api, {"schema": schema}).status == 200
    assert patch_me(api, registrant, {"household_size": 5}).json["error"]["fields"] == {"/household_size": "unknown_field"}
    shown = api.get("/api/me", as_=registrant).json["fields"]["household_size"]
    assert (shown["value"], shown["in_form"]) == (4, False)


def test_replacing_the_form_needs_the_version_edited(api: Api) -> None:
    assert put_form(api, {"schema": DEFAULT_SCHEMA}).status == 200
    stale = put_form(api, {"schema": DEFAULT_SCHEMA}, version='"0"')
    assert (stale.status, stale.error_code) == (409, "stale_version")
    assert put_form(api, {"schema": DEFAULT_SCHEMA}, version='"1"').status == 200
    missing = api.put("/api/admin/profile-form", {"schema": DEFAULT_SCHEMA}, as_=as_staff("admin"))
    assert (missing.status, missing.error_code) == (400, "if_match_required")


def test_only_admins_replace_the_form(api: Api, registrant: AsRegistrant) -> None:
    assert put_form(api, {"schema": DEFAULT_SCHEMA}, roles=("reviewer",)).status == 403
    assert api.put("/api/admin/profile-form", {"schema": DEFAULT_SCHEMA}, as_=registrant, headers={"If-Match": '"0"'}).status == 401


@pytest.mark.parametrize(
    ("schema", "pointer", "code"),
    [
        ({"type": "array"}, "/schema/type", "not_allowed_value"),
        (with_field("x", {"$ref": "https://evil.example/schema"}), "/schema/properties/x/type", "unsupported_type"),
        (with_field("x", {"type": "string", "$ref": "#/defs"}), "/schema/properties/x/$ref", "unsupported_keyword"),
        (with_field("x", {"type": "string", "format": "uri"}), "/schema/properties/x/format", "unsupported_format"),
        (with_field("x", {"type": "string", "pattern": "^(a+)+$"}), "/schema/properties/x/pattern", "regex_may_backtrack"),
        (with_field("x", {"type": "string", "pattern": "(unclosed"}), "/schema/properties/x/pattern", "invalid_regex"),
        (with_field("x", {"type": "string", "maxLength": "ten"}), "/schema", "invalid_schema"),
        (with_field("x", {"type": "string", "pattern": "^[a-z]*$", "maxLength": 1001}), "/schema/properties/x/maxLength", "too_long_for_pattern"),
        (
            with_field("x", {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[A-Z]+$", "maxLength": 5000}}}),
            "/schema/properties/x/properties/code/maxLength",
            "too_long_for_pattern",
        ),
        (with_field("Bad Name", {"type": "string"}), "/schema/properties/Bad Name", "bad_field_name"),
        (
            with_field("x", {"type": "object", "properties": {"y": {"type": "object", "properties": {}}}}),
            "/schema/properties/x/properties/y/type",
            "unsupported_type",
        ),
        ({**DEFAULT_SCHEMA, "additionalProperties": True}, "/schema/additionalProperties", "must_be_false"),
        ({**DEFAULT_SCHEMA, "allOf": []}, "/schema/allOf", "unsupported_keyword"),
        ({**DEFAULT_SCHEMA, "properties": {f"f{n}": {"type": "string"} for n in range(41)}}, "/schema/properties", "too_many"),
        (with_field("x", {"type": "string", "description": "x" * 40_000}), "/schema", "too_large"),
    ],
)
def test_a_malformed_form_gets_field_errors(api: Api, schema: dict[str, Any], pointer: str, code: str) -> None:
    answer = put_form(api, {"schema": schema})
    assert answer.status in (413, 422), answer.json
    if answer.status == 422:
        assert answer.json["error"]["fields"].get(pointer) == code, answer.json
    assert api.get("/api/profile-form").json["version"] == 0


def test_labels_must_name_fields_of_the_form(api: Api) -> None:
    answer = put_form(api, {"schema": DEFAULT_SCHEMA, "labels": {"ghost": {"en": "Ghost"}, "name": {"english": "Name"}}})
    assert answer.status == 422
    assert answer.json["error"]["fields"] == {"/labels/ghost": "unknown_field", "/labels/name": "bad_label"}


def test_a_field_with_a_pattern_is_saved_with_at_most_1000_characters(api: Api) -> None:
    schema = with_field("village_code", {"type": "string", "pattern": "^[A-Z]{2}-[0-9]{1,6}$"})
    schema["properties"]["address"]["properties"]["plot"] = {"type": "string", "pattern": "^[0-9]+$"}
    schema["properties"]["motto"] = {"type": "string", "pattern": "^[a-z ]*$", "maxLength": 80}
    answer = put_form(api, {"schema": schema})
    assert answer.status == 200, answer.json
    saved = api.get("/api/profile-form").json["schema"]["properties"]
    assert saved["village_code"]["maxLength"] == 1000
    assert saved["address"]["properties"]["plot"]["maxLength"] == 1000
    assert saved["motto"]["maxLength"] == 80  # a shorter limit of its own stays
    assert "maxLength" not in saved["gender"]  # no pattern: as the administrator wrote it


def test_a_value_longer_than_a_pattern_field_takes_is_too_long_before_its_pattern_runs(api: Api, registrant: AsRegistrant) -> None:
    from chalicelib.store.registrants import PROFILE_FORM_KEY, ProfileFormSetting

    # A form stored before the cap: a pattern field allowing 5000 characters.
    schema = with_field("motto", {"type": "string", "pattern": "^[a-z ]*$", "maxLength": 5000})
    ProfileFormSetting(registrant_id=PROFILE_FORM_KEY, schema=schema, labels={}).save()
    assert patch_me(api, registrant, {"motto": "a" * 1000}).status == 200
    refused = patch_me(api, registrant, {"motto": "A" * 1001})  # would also fail the pattern: the length is told first
    assert refused.status == 422 and refused.json["error"]["fields"] == {"/motto": "too_long"}
    # The built-in form's patterns without a limit of their own (phone, country) are cut the same way.
    ProfileFormSetting.get(PROFILE_FORM_KEY).delete()
    long_phone = patch_me(api, registrant, {"phone": "+" + "1" * 2000, "address": {"country": "X" * 1500}})
    assert long_phone.json["error"]["fields"] == {"/phone": "too_long", "/address/country": "too_long"}
