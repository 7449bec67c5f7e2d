"""Application policies as a person meets them: once, one_active, repeat with a cooldown."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.store.applications import ApplicationGuard
from chalicelib.store.base import now
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.programs import Portal, simple_program


def _you(api: Api, who: AsRegistrant, program_id: str) -> dict[str, object]:
    """The person's standing in the list of programs, which the program's own page must repeat."""
    items = api.get("/api/programs", as_=who).json["items"]
    listed = dict(next(p for p in items if p["program_id"] == program_id)["you"])
    page = api.get(f"/api/programs/{program_id}", as_=who)
    assert page.json["you"] == listed
    page.calls.assert_dynamodb_at_most(3)
    return listed


def test_once_allows_a_new_application_only_after_a_rejection_or_withdrawal(api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff) -> None:
    program_id = simple_program(policy={"kind": "once"})
    first = portal.submitted(registrant, program_id, {"name": "Amina"})
    assert _you(api, registrant, program_id) == {
        "can_apply": False,
        "reason": "already_applied",
        "draft_application_id": None,
        "blocking_application_id": first["application_id"],
        "next_possible_at": None,
    }
    second = portal.draft(registrant, program_id, {"name": "Amina"})
    refused = portal.submit(registrant, second["application_id"])
    assert refused.status == 409 and refused.error_code == "already_applied"
    portal.decide(reviewer, first["application_id"], "under_review", reason=None)
    portal.decide(reviewer, first["application_id"], "rejected", reason="Documents unreadable.")
    assert _you(api, registrant, program_id)["can_apply"] is True
    assert portal.submit(registrant, second["application_id"]).status == 200


def test_once_keeps_the_claim_after_approval(portal: Portal, registrant: AsRegistrant, reviewer: AsStaff) -> None:
    program_id = simple_program(policy={"kind": "once"})
    first = portal.submitted(registrant, program_id, {"name": "Amina"})
    portal.decide(reviewer, first["application_id"], "under_review", reason=None)
    portal.decide(reviewer, first["application_id"], "approved", reason="Eligible.")
    again = portal.draft(registrant, program_id, {"name": "Amina"})
    assert portal.submit(registrant, again["application_id"]).error_code == "already_applied"


def test_one_active_allows_a_new_application_once_the_first_is_decided(api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff) -> None:
    program_id = simple_program(policy={"kind": "one_active"})
    first = portal.submitted(registrant, program_id, {"name": "Amina"})
    assert _you(api, registrant, program_id)["reason"] == "application_in_progress"
    portal.decide(reviewer, first["application_id"], "under_review", reason=None)
    portal.decide(reviewer, first["application_id"], "approved", reason="Eligible.")
    assert _you(api, registrant, program_id)["can_apply"] is True
    assert portal.submitted(registrant, program_id, {"name": "Amina"})["status"] == "submitted"


def test_withdrawing_releases_the_claim(api: Api, portal: Portal, registrant: AsRegistrant) -> None:
    program_id = simple_program(policy={"kind": "one_active"})
    first = portal.submitted(registrant, program_id, {"name": "Amina"})
    withdrawn = api.post(f"/api/applications/{first['application_id']}/withdraw", {"reason": "Applied by mistake."}, as_=registrant)
    assert withdrawn.status == 200 and withdrawn.json["status"] == "withdrawn"
    assert withdrawn.json["timeline"][-1]["reason"] == "Applied by mistake."
    assert portal.submitted(registrant, program_id, {"name": "Amina"})["status"] == "submitted"


def test_repeat_allows_several_open_applications(portal: Portal, registrant: AsRegistrant) -> None:
    program_id = simple_program(policy={"kind": "repeat"})
    references = {portal.submitted(registrant, program_id, {"name": "Amina"})["reference"] for _ in range(3)}
    assert len(references) == 3


def test_a_cooldown_holds_until_it_lapses(api: Api, portal: Portal, registrant: AsRegistrant) -> None:
    program_id = simple_program(policy={"kind": "repeat", "cooldown_days": 30})
    first = portal.submitted(registrant, program_id, {"name": "Amina"})
    you = _you(api, registrant, program_id)
    assert you["reason"] == "cooldown" and str(you["next_possible_at"]) > first["submitted_at"]
    second = portal.draft(registrant, program_id, {"name": "Amina"})
    assert portal.submit(registrant, second["application_id"]).error_code == "cooldown"
    # Thirty days later (the claim's lapse moved back rather than the clock forward).
    guard = ApplicationGuard.get(f"guard#cooldown#{program_id}#{registrant.registrant_id}")
    guard.until = now() - timedelta(seconds=1)
    guard.save()
    assert portal.submit(registrant, second["application_id"]).status == 200


def test_the_list_offers_to_continue_a_draft(api: Api, portal: Portal, registrant: AsRegistrant, program: str) -> None:
    draft = portal.draft(registrant, program)
    assert _you(api, registrant, program) == {
        "can_apply": True,
        "reason": None,
        "draft_application_id": draft["application_id"],
        "blocking_application_id": None,
        "next_possible_at": None,
    }


def test_an_application_returned_for_information_can_be_answered_after_the_program_closed(
    api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, admin: AsStaff, program: str
) -> None:
    application_id = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    portal.decide(reviewer, application_id, "under_review", reason=None)
    portal.decide(reviewer, application_id, "info_requested", reason="Spell your name as on your ID.")
    assert api.post(f"/api/admin/programs/{program}/close", as_=admin).status == 200
    assert portal.save(registrant, application_id, {"name": "Amina O."}).status == 200
    assert portal.submit(registrant, application_id).status == 200


def test_the_programs_page_follows_the_persons_drafts(api: Api, portal: Portal, registrant: AsRegistrant, other_registrant: AsRegistrant) -> None:
    program_id = simple_program(policy={"kind": "repeat"})
    oldest = portal.draft(registrant, program_id, {"name": "Amina"})
    newer = portal.draft(registrant, program_id, {"name": "Amina"})
    assert _you(api, registrant, program_id)["draft_application_id"] == oldest["application_id"]
    assert portal.submit(registrant, oldest["application_id"]).status == 200
    assert _you(api, registrant, program_id)["draft_application_id"] == newer["application_id"]
    assert api.post(f"/api/applications/{newer['application_id']}/withdraw", {}, as_=registrant).status == 200
    assert _you(api, registrant, program_id) == {
        "can_apply": True,
        "reason": None,
        "draft_application_id": None,
        "blocking_application_id": None,
        "next_possible_at": None,
    }
    assert api.get(f"/api/programs/{program_id}", as_=other_registrant).json["you"]["draft_application_id"] is None
    assert "you" not in api.get(f"/api/programs/{program_id}").json  # anonymous: the program alone


def test_the_page_of_a_closed_program_says_why_nobody_can_apply(api: Api, portal: Portal, registrant: AsRegistrant, admin: AsStaff, program: str) -> None:
    draft = portal.draft(registrant, program, {"name": "Amina"})
    assert api.post(f"/api/admin/programs/{program}/close", as_=admin).status == 200
    you = api.get(f"/api/programs/{program}", as_=registrant).json["you"]
    assert you == {
        "can_apply": False,
        "reason": "program_closed",
        "draft_application_id": draft["application_id"],
        "blocking_application_id": None,
        "next_possible_at": None,
    }
