"""Administrators run programs: details per locale, window, policy, documents, form mapping, lifecycle."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.programs import service
from chalicelib.store.applications import REVIEW_SHARDS
from tests.programs.test_setup import COMPLETE
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.factories import make_form
from tests.support.programs import Portal, simple_program


def _create(api: Api, admin: AsStaff, **fields: Any) -> Any:
    body = {"name": {"en": "Medical Assistance", "fr": "Aide médicale"}, **fields}
    return api.post("/api/admin/programs", body, as_=admin)


def test_a_program_goes_from_draft_to_open_to_closed_to_archived(api: Api, admin: AsStaff, registrant: AsRegistrant) -> None:
    created = _create(api, admin, program_id="medical-aid", policy={"kind": "repeat", "cooldown_days": 14})
    assert created.status == 201 and created.json["state"] == "draft"
    assert api.get("/api/programs/medical-aid").status == 404  # nobody sees a draft
    no_form = api.post("/api/admin/programs/medical-aid/open", as_=admin)
    assert no_form.status == 409 and no_form.error_code == "program_incomplete"  # what else a person needs: tests/programs/test_setup.py
    assert api.patch("/api/admin/programs/medical-aid", COMPLETE, as_=admin).status == 200
    form = make_form()
    assert api.put("/api/admin/programs/medical-aid/form", {"form_id": form.form_id, "version": 1}, as_=admin).status == 200
    assert api.post("/api/admin/programs/medical-aid/open", as_=admin).json["state"] == "open"
    assert [p["program_id"] for p in api.get("/api/programs").json["items"]] == ["medical-aid"]
    assert api.post("/api/admin/programs/medical-aid/archive", as_=admin).error_code == "transition_not_allowed"
    assert api.post("/api/admin/programs/medical-aid/close", as_=admin).json["state"] == "closed"
    assert api.get("/api/programs").json["items"] == []
    assert api.get("/api/programs/medical-aid").json["accepting"] is False
    assert api.post("/api/admin/programs/medical-aid/archive", as_=admin).json["state"] == "archived"
    assert api.get("/api/programs/medical-aid").status == 404
    assert api.patch("/api/admin/programs/medical-aid", {"name": {"en": "X"}}, as_=admin).error_code == "program_archived"
    archived = api.get("/api/admin/programs?state=archived", as_=admin).json["items"]
    assert [p["program_id"] for p in archived] == ["medical-aid"]


def test_editing_a_program_checks_its_details(api: Api, admin: AsStaff) -> None:
    program_id = _create(api, admin).json["program_id"]
    edited = api.patch(
        f"/api/admin/programs/{program_id}",
        {
            "opens_at": "2030-01-01T00:00:00+00:00",
            "closes_at": "2030-03-31T23:59:59+00:00",
            "eligibility": {"en": "Residents with a medical prescription."},
            "documents": [{"kind": "prescription", "label": {"en": "Prescription"}, "content_types": ["application/pdf"], "max_bytes": 2000000}],
        },
        as_=admin,
    )
    assert edited.status == 200, edited.json
    assert edited.json["opens_at"].startswith("2030-01-01")
    assert service.document_rules(program_id) == [
        {"kind": "prescription", "label": {"en": "Prescription"}, "required": True, "content_types": ["application/pdf"], "max_bytes": 2000000}
    ]
    bad = api.patch(f"/api/admin/programs/{program_id}", {"opens_at": "2030-05-01T00:00:00+00:00", "closes_at": "2030-04-01T00:00:00+00:00"}, as_=admin)
    assert bad.status == 422 and bad.json["error"]["fields"] == {"/closes_at": "before_opening"}
    naive = api.patch(f"/api/admin/programs/{program_id}", {"opens_at": "2030-05-01T00:00:00"}, as_=admin)
    assert naive.status == 422 and naive.json["error"]["fields"] == {"/opens_at": "wrong_format"}  # RFC 3339 needs the offset
    stale = api.patch(f"/api/admin/programs/{program_id}", {"name": {"en": "Y"}, "version": 1}, as_=admin)
    assert stale.status == 409 and stale.error_code == "changed_meanwhile"


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"name": {}}, "/name"),
        ({"name": {"english": "X"}}, "/name"),
        ({"name": {"en": "X"}, "policy": {"kind": "twice"}}, "/policy/kind"),
        ({"name": {"en": "X"}, "policy": {"kind": "repeat", "cooldown_days": -1}}, "/policy/cooldown_days"),
        ({"name": {"en": "X"}, "documents": [{"kind": "id", "label": {"en": "ID"}, "content_types": ["text/html"]}]}, "/documents/0/content_types/0"),
        ({"name": {"en": "X"}, "documents": [{"kind": "id", "label": {"en": "ID"}, "max_bytes": 10**9}]}, "/documents/0/max_bytes"),
        ({"name": {"en": "X"}, "program_id": "Has Spaces"}, "/program_id"),
        ({"name": {"en": "X"}, "colour": "red"}, "/colour"),
    ],
)
def test_a_malformed_program_is_refused_field_by_field(api: Api, admin: AsStaff, body: dict[str, Any], pointer: str) -> None:
    answer = api.post("/api/admin/programs", body, as_=admin)
    assert answer.status == 422
    assert pointer in answer.json["error"]["fields"]


def test_a_taken_program_id_is_a_conflict(api: Api, admin: AsStaff) -> None:
    assert _create(api, admin, program_id="taken").status == 201
    assert _create(api, admin, program_id="taken").error_code == "program_exists"


def test_only_a_published_form_version_can_be_mapped(api: Api, admin: AsStaff) -> None:
    program_id = _create(api, admin).json["program_id"]
    draft_form = make_form(published=False)
    answer = api.put(f"/api/admin/programs/{program_id}/form", {"form_id": draft_form.form_id, "version": 1}, as_=admin)
    assert answer.status == 422 and answer.json["error"]["fields"] == {"/version": "not_published"}


def test_remapping_the_form_keeps_drafts_on_the_version_they_started_with(
    api: Api, portal: Portal, admin: AsStaff, registrant: AsRegistrant, program: str
) -> None:
    old = portal.draft(registrant, program, {"name": "Amina"})
    newer = make_form(schema={"type": "object", "properties": {"name": {"type": "string"}, "village": {"type": "string"}}, "required": ["name", "village"]})
    assert api.put(f"/api/admin/programs/{program}/form", {"form_id": newer.form_id, "version": 1}, as_=admin).status == 200
    assert portal.submit(registrant, old["application_id"]).status == 200  # the old form did not ask for a village
    fresh = portal.draft(registrant, program, {"name": "Amina"})
    assert fresh["form_id"] == newer.form_id
    assert portal.submit(registrant, fresh["application_id"]).json["error"]["fields"] == {"/answers/village": "required"}


def test_reviewers_page_through_a_programs_queue_oldest_first(api: Api, portal: Portal, reviewer: AsStaff, registrant: AsRegistrant) -> None:
    program_id = simple_program(policy={"kind": "repeat"})
    submitted = [portal.submitted(registrant, program_id, {"name": "Amina"})["application_id"] for _ in range(5)]
    portal.draft(registrant, program_id)  # drafts are the person's own
    seen: list[str] = []
    cursor = None
    while True:
        path = f"/api/admin/programs/{program_id}/applications?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(path, as_=reviewer)
        page.calls.assert_dynamodb_at_most(REVIEW_SHARDS)  # one Query per shard of the review index
        seen += [a["application_id"] for a in page.json["items"]]
        cursor = page.json["next_cursor"]
        if not cursor:
            break
    assert seen == submitted  # the longest waiting first
    assert api.get(f"/api/admin/programs/{program_id}/applications?status=draft", as_=reviewer).status == 400


def test_a_reviewer_finds_an_application_by_the_reference_read_out_on_the_phone(
    api: Api, portal: Portal, reviewer: AsStaff, registrant: AsRegistrant, program: str
) -> None:
    application = portal.submitted(registrant, program, {"name": "Amina"})
    spoken = application["reference"].replace("-", "").lower()
    found = api.get(f"/api/admin/references/{spoken}", as_=reviewer)
    assert found.status == 200 and found.json["application_id"] == application["application_id"]
    typo = application["reference"][:-1] + ("2" if application["reference"][-1] != "2" else "3")
    assert api.get(f"/api/admin/references/{typo}", as_=reviewer).error_code == "unknown_reference"


def test_a_reviewer_cannot_open_a_draft(api: Api, portal: Portal, reviewer: AsStaff, registrant: AsRegistrant, program: str) -> None:
    draft = portal.draft(registrant, program)
    assert api.get(f"/api/admin/applications/{draft['application_id']}", as_=reviewer).status == 404


def test_counts_per_status(api: Api, portal: Portal, admin: AsStaff, reviewer: AsStaff, registrant: AsRegistrant, other_registrant: AsRegistrant) -> None:
    program_id = simple_program(policy={"kind": "repeat"})
    portal.draft(registrant, program_id)
    first = portal.submitted(registrant, program_id, {"name": "A"})
    portal.submitted(other_registrant, program_id, {"name": "B"})
    portal.decide(reviewer, first["application_id"], "under_review", reason=None)
    counts = api.get(f"/api/admin/programs/{program_id}/counts", as_=admin).json["counts"]
    assert {k: v for k, v in counts.items() if v} == {"draft": 1, "submitted": 1, "under_review": 1}
    assert api.get("/api/admin/programs/nope/counts", as_=admin).status == 404
