"""The form builder's autosave: a draft's PUT with ``If-Match`` (the revision last read) never
overwrites another administrator's save unseen; without it, the PUT behaves as before."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from infra.local.seed import FORM
from tests.support.api import Api, AsStaff
from tests.support.factories import as_staff

BUILT = json.loads((Path(__file__).parent / "builder_output.json").read_text(encoding="utf-8"))


@pytest.fixture
def admin() -> AsStaff:
    return as_staff("admin")


def test_a_stale_autosave_is_refused_and_a_fresh_one_saved(api: Api, admin: AsStaff) -> None:
    created = api.post("/api/admin/forms", {"form_id": "built", **copy.deepcopy(BUILT["type_household"])}, as_=admin)
    assert created.status == 201
    read = api.get("/api/admin/forms/built/versions/1", as_=admin)
    revision = read.json["revision"]
    assert read.headers["etag"] == f'"{revision}"'
    mine = copy.deepcopy(BUILT["phone_with_message"])
    saved = api.put("/api/admin/forms/built/versions/1", mine, as_=admin, headers={"If-Match": f'"{revision}"'})
    assert saved.status == 200 and saved.json["revision"] == revision + 1 and saved.headers["etag"] == f'"{revision + 1}"'
    theirs = copy.deepcopy(FORM)
    stale = api.put("/api/admin/forms/built/versions/1", theirs, as_=admin, headers={"If-Match": f'"{revision}"'})
    assert stale.status == 409 and stale.error_code == "stale_version"
    kept = api.get("/api/admin/forms/built/versions/1", as_=admin).json
    assert kept["ui_schema"]["fields"]["/phone"]["errors"]["wrong_format"]["en"] == "Enter a phone number, like 0712 345 678"
    assert api.put("/api/admin/forms/built/versions/1", theirs, as_=admin).status == 200  # no If-Match: as before
    bad = api.put("/api/admin/forms/built/versions/1", theirs, as_=admin, headers={"If-Match": "yesterday"})
    assert bad.status == 400
