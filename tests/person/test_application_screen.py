"""GET /api/applications/{id}/screen: one request for everything an application's screens show,
at a bounded DynamoDB cost, with upload limits never above the portal's own cap."""

from __future__ import annotations

import pytest

from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.programs import Portal, simple_program

MB = 1024 * 1024


def _rule(max_bytes: int) -> dict[str, object]:
    return {"kind": "id_card", "label": {"en": "ID card"}, "required": True, "content_types": ["image/jpeg", "application/pdf"], "max_bytes": max_bytes}


def test_screen_holds_the_application_its_form_its_rules_and_its_documents(api: Api, portal: Portal, registrant: AsRegistrant) -> None:
    program_id = simple_program(documents=[_rule(5 * MB)])
    application = portal.draft(registrant, program_id, {"name": "Amina"})
    document_id = portal.attach(registrant, application["application_id"], kind="id_card")
    screen = api.get(f"/api/applications/{application['application_id']}/screen", as_=registrant)
    assert screen.status == 200, screen.json
    assert screen.json["application"]["answers"] == {"name": "Amina"}
    assert screen.json["application"]["version"] == application["version"]
    assert "properties" in screen.json["form"]["schema"] and "pages" in screen.json["form"]["ui_schema"]
    assert screen.json["program"]["documents"][0]["kind"] == "id_card"
    assert screen.json["program"]["documents"][0]["content_types"] == ["image/jpeg", "application/pdf"]
    assert [d["document_id"] for d in screen.json["documents"]] == [document_id]


def test_a_rule_above_the_portals_cap_is_shown_at_the_cap(api: Api, portal: Portal, registrant: AsRegistrant, monkeypatch: pytest.MonkeyPatch) -> None:
    # Set up while the portal took larger files; its cap has been lowered since.
    monkeypatch.setenv("SSP_DOCUMENT_MAX_BYTES", str(20 * MB))
    program_id = simple_program(documents=[_rule(20 * MB)])
    application = portal.draft(registrant, program_id, {"name": "Amina"})
    monkeypatch.setenv("SSP_DOCUMENT_MAX_BYTES", str(10 * MB))
    screen = api.get(f"/api/applications/{application['application_id']}/screen", as_=registrant)
    assert screen.json["program"]["documents"][0]["max_bytes"] == 10 * MB
    # ... and what the browser is told is what the server then applies.
    declared = api.post(
        "/api/documents",
        {"kind": "id_card", "file_name": "id.pdf", "content_type": "application/pdf", "size": 10 * MB + 1, "application_id": application["application_id"]},
        as_=registrant,
    )
    assert declared.status == 413 and declared.json["error"]["max_bytes"] == 10 * MB


def test_a_smaller_rule_is_kept(api: Api, portal: Portal, registrant: AsRegistrant) -> None:
    program_id = simple_program(documents=[_rule(2 * MB)])
    application = portal.draft(registrant, program_id, {"name": "Amina"})
    screen = api.get(f"/api/applications/{application['application_id']}/screen", as_=registrant)
    assert screen.json["program"]["documents"][0]["max_bytes"] == 2 * MB


def test_screen_costs_three_dynamodb_calls_once_the_form_is_known(api: Api, portal: Portal, registrant: AsRegistrant) -> None:
    program_id = simple_program(documents=[_rule(5 * MB)])
    application = portal.draft(registrant, program_id, {"name": "Amina"})
    portal.attach(registrant, application["application_id"], kind="id_card")
    first = api.get(f"/api/applications/{application['application_id']}/screen", as_=registrant)
    first.calls.assert_dynamodb_at_most(4)  # a new process reads the published form version once
    again = api.get(f"/api/applications/{application['application_id']}/screen", as_=registrant)
    again.calls.assert_dynamodb_at_most(3)  # session, application with program, the documents' Query


def test_another_persons_application_is_not_found(api: Api, portal: Portal, registrant: AsRegistrant, other_registrant: AsRegistrant) -> None:
    application = portal.draft(registrant, simple_program(), {"name": "Amina"})
    screen = api.get(f"/api/applications/{application['application_id']}/screen", as_=other_registrant)
    assert screen.status == 404 and screen.json["error"]["code"] == "not_found"
    assert api.get("/api/applications/nonsense/screen", as_=registrant).status == 404
    assert api.get(f"/api/applications/{application['application_id']}/screen").status == 401


def test_an_administrator_cannot_allow_more_than_the_portal_accepts(api: Api, admin: AsStaff, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_DOCUMENT_MAX_BYTES", str(10 * MB))
    too_big = api.post("/api/admin/programs", {"name": {"en": "X"}, "documents": [_rule(15 * MB)]}, as_=admin)
    assert too_big.status == 422 and too_big.json["error"]["fields"] == {"/documents/0/max_bytes": "too_large"}
    at_the_cap = api.post("/api/admin/programs", {"name": {"en": "X"}, "documents": [_rule(10 * MB)]}, as_=admin)
    assert at_the_cap.status == 201, at_the_cap.json
