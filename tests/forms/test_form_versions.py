"""Administrators write forms in versions; a published version never changes; anyone may read it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from infra.local.seed import FORM
from tests.support.api import Api, AsStaff
from tests.support.factories import as_staff


@pytest.fixture
def admin() -> AsStaff:
    # Made per test: a token made at import would expire during a long run of the suite.
    return as_staff("admin")


def _create(api: Api, admin: AsStaff, **extra: Any) -> Any:
    return api.post("/api/admin/forms", {"form_id": "family", **copy.deepcopy(FORM), **extra}, as_=admin)


def test_a_form_is_drafted_published_and_then_never_changes(api: Api, admin: AsStaff) -> None:
    created = _create(api, admin)
    assert created.status == 201 and created.json["version"] == 1 and created.json["status"] == "draft"
    assert api.get("/api/forms/family/versions/1").status == 404  # drafts are not public
    changed = copy.deepcopy(FORM)
    changed["title"]["en"] = "Family support"
    assert api.put("/api/admin/forms/family/versions/1", changed, as_=admin).json["title"]["en"] == "Family support"
    published = api.post("/api/admin/forms/family/versions/1/publish", as_=admin)
    assert published.status == 200 and published.json["published_at"]
    assert api.post("/api/admin/forms/family/versions/1/publish", as_=admin).json == published.json
    refused = api.put("/api/admin/forms/family/versions/1", FORM, as_=admin)
    assert refused.status == 409 and refused.error_code == "form_version_published"
    public = api.get("/api/forms/family/versions/1")
    assert public.status == 200 and public.json["title"]["en"] == "Family support"
    assert public.json["schema"]["additionalProperties"] is False


def test_a_new_version_copies_the_latest_or_takes_a_new_definition(api: Api, admin: AsStaff) -> None:
    _create(api, admin)
    api.post("/api/admin/forms/family/versions/1/publish", as_=admin)
    copied = api.post("/api/admin/forms/family/versions", as_=admin, json_body={})
    assert copied.status == 201 and copied.json["version"] == 2 and copied.json["status"] == "draft"
    assert copied.json["schema"] == api.get("/api/forms/family/versions/1").json["schema"]
    fresh = copy.deepcopy(FORM)
    fresh["schema"]["properties"]["village"] = {"type": "string"}
    fresh["ui_schema"]["fields"]["/village"] = {"widget": "text", "label": {"en": "Village"}}
    fresh["ui_schema"]["pages"][0]["fields"].append("/village")
    third = api.post("/api/admin/forms/family/versions", fresh, as_=admin)
    assert third.status == 201 and third.json["version"] == 3
    versions = api.get("/api/admin/forms/family", as_=admin).json["versions"]
    assert [(v["version"], v["status"]) for v in versions] == [(3, "draft"), (2, "draft"), (1, "published")]


def test_a_malformed_form_definition_gets_field_errors_not_a_server_error(api: Api, admin: AsStaff) -> None:
    broken = copy.deepcopy(FORM)
    broken["schema"]["properties"]["phone"]["pattern"] = "^(\\d+)+$"
    broken["schema"]["properties"]["household_size"]["$ref"] = "https://evil.example/x.json"
    broken["ui_schema"]["fields"]["/caregiver_role"]["widget"] = "slider"
    answer = api.post("/api/admin/forms", {"form_id": "broken", **broken}, as_=admin)
    assert answer.status == 422 and answer.error_code == "invalid_form"
    assert answer.json["error"]["fields"] == {
        "/schema/properties/phone/pattern": "regex_may_backtrack",
        "/schema/properties/household_size/$ref": "ref_outside_document",
        "/schema/properties/household_size/type": "unsupported_beside_ref",
        "/schema/properties/household_size/minimum": "unsupported_beside_ref",
        "/schema/properties/household_size/maximum": "unsupported_beside_ref",
    }
    no_schema = api.post("/api/admin/forms", {"title": {"en": "F"}, "ui_schema": {"pages": [{}], "fields": {}}}, as_=admin)
    assert no_schema.status == 422 and no_schema.json["error"]["fields"] == {"/schema": "required"}
    not_json = api.request("POST", "/api/admin/forms", raw_body=b"{", as_=admin, headers={"Content-Type": "application/json"})
    assert not_json.status == 400


def test_form_ids_and_versions_are_checked(api: Api, admin: AsStaff) -> None:
    assert _create(api, admin).status == 201
    assert _create(api, admin).error_code == "form_exists"
    assert _create(api, admin, form_id="Not A Slug").status == 422
    assert api.get("/api/admin/forms/family/versions/abc", as_=admin).status == 404
    assert api.get("/api/admin/forms/nothing", as_=admin).status == 404
    assert api.post("/api/admin/forms/nothing/versions", {}, as_=admin).status == 404


def test_only_admins_write_forms(api: Api) -> None:
    assert api.post("/api/admin/forms", FORM).status == 401
    assert api.post("/api/admin/forms", FORM, as_=as_staff("reviewer")).status == 403
