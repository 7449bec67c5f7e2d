"""Reviewers limited to some programs by their token's programs claim reach only those programs;
anything else answers exactly as for something that does not exist. Admins are never limited."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.programs.references import new_reference
from tests.support.api import Answer, Api, AsRegistrant, AsStaff
from tests.support.factories import as_staff
from tests.support.programs import HOUSEHOLD, Portal, simple_program


def _same_404(first: Answer, second: Answer) -> None:
    assert first.status == second.status == 404, (first.json, second.json)
    assert {k: v for k, v in first.json["error"].items() if k != "request_id"} == {k: v for k, v in second.json["error"].items() if k != "request_id"}


@pytest.fixture
def two_programs(portal: Portal, registrant: AsRegistrant, sample: str) -> dict[str, Any]:
    """A submitted application in a program the reviewer runs and one, with a document, in another."""
    theirs = simple_program(policy={"kind": "repeat"})
    mine_application = portal.submitted(registrant, theirs, {"name": "Amina"})
    draft = portal.draft(registrant, sample, HOUSEHOLD)
    document_id = portal.attach(registrant, draft["application_id"])
    other_application = portal.submit(registrant, draft["application_id"]).json
    return {"in": theirs, "out": sample, "in_application": mine_application, "out_application": other_application, "out_document": document_id}


def test_a_reviewer_limited_to_a_program_reaches_its_queue_counts_and_applications(api: Api, two_programs: dict[str, Any]) -> None:
    reviewer = as_staff("reviewer", subject="reviewer-a", claims={"programs": [two_programs["in"]]})
    program_id, application = two_programs["in"], two_programs["in_application"]
    queue = api.get(f"/api/admin/programs/{program_id}/applications", as_=reviewer)
    assert queue.status == 200 and [a["application_id"] for a in queue.json["items"]] == [application["application_id"]]
    assert api.get(f"/api/admin/programs/{program_id}/counts", as_=reviewer).json["counts"]["submitted"] == 1
    assert api.get(f"/api/admin/programs/{program_id}", as_=reviewer).status == 200
    assert api.get(f"/api/admin/applications/{application['application_id']}", as_=reviewer).status == 200
    assert api.get(f"/api/admin/references/{application['reference']}", as_=reviewer).status == 200
    listed = api.get("/api/admin/programs", as_=reviewer).json["items"]
    assert [p["program_id"] for p in listed] == [program_id]


def test_a_reviewer_limited_to_a_program_meets_every_other_as_if_it_did_not_exist(api: Api, portal: Portal, two_programs: dict[str, Any]) -> None:
    reviewer = as_staff("reviewer", subject="reviewer-a", claims={"programs": [two_programs["in"]]})
    out, application = two_programs["out"], two_programs["out_application"]
    missing_program, missing_application = "prg-nothing", f"{out}_{'a' * 26}"
    for path in ("applications", "counts"):
        _same_404(api.get(f"/api/admin/programs/{out}/{path}", as_=reviewer), api.get(f"/api/admin/programs/{missing_program}/{path}", as_=reviewer))
    _same_404(api.get(f"/api/admin/programs/{out}", as_=reviewer), api.get(f"/api/admin/programs/{missing_program}", as_=reviewer))
    _same_404(
        api.get(f"/api/admin/applications/{application['application_id']}", as_=reviewer),
        api.get(f"/api/admin/applications/{missing_application}", as_=reviewer),
    )
    _same_404(
        portal.decide(reviewer, application["application_id"], "under_review"),
        portal.decide(reviewer, missing_application, "under_review"),
    )
    _same_404(api.get(f"/api/admin/references/{application['reference']}", as_=reviewer), api.get(f"/api/admin/references/{new_reference()}", as_=reviewer))
    # The documents area's staff routes ask programs whether the reviewer may see the application.
    _same_404(api.get(f"/api/admin/documents/{two_programs['out_document']}", as_=reviewer), api.get(f"/api/admin/documents/{'f' * 32}", as_=reviewer))
    _same_404(
        api.get(f"/api/admin/documents?application_id={application['application_id']}", as_=reviewer),
        api.get(f"/api/admin/documents?application_id={missing_application}", as_=reviewer),
    )
    assert api.get(f"/api/admin/applications/{application['application_id']}", as_=as_staff("reviewer")).json["status"] == "submitted"  # untouched


def test_without_the_claim_a_reviewer_sees_every_program_and_admins_are_never_limited(api: Api, two_programs: dict[str, Any]) -> None:
    out, application = two_programs["out"], two_programs["out_application"]
    everyone = as_staff("reviewer", subject="reviewer-all")
    assert api.get(f"/api/admin/programs/{out}/applications", as_=everyone).json["items"][0]["application_id"] == application["application_id"]
    assert api.get(f"/api/admin/documents/{two_programs['out_document']}", as_=everyone).status == 200
    admin = as_staff("admin", subject="admin-a", claims={"programs": [two_programs["in"]]})
    assert api.get(f"/api/admin/programs/{out}/counts", as_=admin).json["counts"]["submitted"] == 1
    assert api.get(f"/api/admin/programs/{out}", as_=admin).status == 200


@pytest.mark.parametrize("claim", [5, {"prg": True}, None, [1, 2], []])
def test_a_programs_claim_that_cannot_be_read_limits_to_none(api: Api, two_programs: dict[str, Any], claim: Any) -> None:
    reviewer = as_staff("reviewer", subject="reviewer-x", claims={"programs": claim})
    program_id = two_programs["in"]
    assert api.get(f"/api/admin/programs/{program_id}/applications", as_=reviewer).status == 404
    assert api.get(f"/api/admin/applications/{two_programs['in_application']['application_id']}", as_=reviewer).status == 404


def test_the_programs_claim_is_found_where_the_setting_points(api: Api, two_programs: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_STAFF_PROGRAMS_CLAIM", "ssp.programs")
    nested = as_staff("reviewer", subject="reviewer-n", claims={"ssp": {"programs": two_programs["in"]}})  # a space-separated string works too
    assert api.get(f"/api/admin/programs/{two_programs['in']}/applications", as_=nested).status == 200
    assert api.get(f"/api/admin/programs/{two_programs['out']}/applications", as_=nested).status == 404
    top_level_only = as_staff("reviewer", subject="reviewer-t", claims={"programs": [two_programs["in"]]})
    assert api.get(f"/api/admin/programs/{two_programs['out']}/applications", as_=top_level_only).status == 200  # not the claim in use


def test_a_reviewer_with_several_programs_sees_each(api: Api, two_programs: dict[str, Any]) -> None:
    reviewer: AsStaff = as_staff("reviewer", subject="reviewer-b", claims={"programs": f"{two_programs['in']},{two_programs['out']}"})
    for program_id in (two_programs["in"], two_programs["out"]):
        assert api.get(f"/api/admin/programs/{program_id}/applications", as_=reviewer).json["items"]
