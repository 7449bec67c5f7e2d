"""The staff console's document sizes come from the server: the largest a programme rule may
allow is the portal's own cap, which programs also enforce (issue 21: the console offered 20 MB
while uploads stopped at 10 MB)."""

from __future__ import annotations

import pytest

from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.factories import as_staff


def _rule(max_bytes: int) -> dict[str, object]:
    return {"kind": "photo", "label": {"en": "Photo"}, "content_types": ["image/jpeg"], "max_bytes": max_bytes}


def test_an_admin_reads_the_largest_document_a_rule_may_allow_and_one_byte_more_is_refused(api: Api, admin: AsStaff) -> None:
    limits = api.get("/api/admin/document-limits", as_=admin)
    assert limits.status == 200
    assert limits.json == {"max_bytes": 10 * 1024 * 1024, "default_max_bytes": 5 * 1024 * 1024}  # SSP_DOCUMENT_MAX_BYTES's default
    program_id = api.post("/api/admin/programs", {"name": {"en": "Medical Assistance"}}, as_=admin).json["program_id"]
    largest = limits.json["max_bytes"]
    assert api.patch(f"/api/admin/programs/{program_id}", {"documents": [_rule(largest)]}, as_=admin).status == 200
    above = api.patch(f"/api/admin/programs/{program_id}", {"documents": [_rule(largest + 1)]}, as_=admin)
    assert (above.status, above.json["error"]["fields"]) == (422, {"/documents/0/max_bytes": "too_large"})


def test_a_smaller_cap_set_for_the_portal_is_what_the_console_is_told(api: Api, admin: AsStaff, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_DOCUMENT_MAX_BYTES", str(3 * 1024 * 1024))
    assert api.get("/api/admin/document-limits", as_=admin).json == {"max_bytes": 3 * 1024 * 1024, "default_max_bytes": 3 * 1024 * 1024}


def test_only_an_admin_reads_the_limits(api: Api, registrant: AsRegistrant) -> None:
    assert api.get("/api/admin/document-limits").status == 401
    assert api.get("/api/admin/document-limits", as_=registrant).status == 401
    assert api.get("/api/admin/document-limits", as_=as_staff("reviewer")).status == 403
