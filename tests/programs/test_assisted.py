"""A field officer applying on a person's behalf: the application says so, and so does the person's activity log."""

from __future__ import annotations

from chalicelib.identity.audit import activity_of
from chalicelib.identity.callers import Actor
from chalicelib.programs import service
from tests.support.api import Api, AsRegistrant


def test_an_officer_applies_for_a_person_and_every_step_names_the_officer(api: Api, registrant: AsRegistrant, program: str) -> None:
    officer = Actor("officer", "staff-officer-ref")
    person = registrant.registrant_id
    draft = service.create_application(person, program, officer, answers={"name": "Amina"})
    assert draft["channel"] == "assisted" and draft["assisted_by"] == "staff-officer-ref"
    service.save_answers(person, draft["application_id"], {"name": "Amina Okafor"}, officer)
    submitted = service.submit_application(person, draft["application_id"], officer)
    assert [(t["to"], t["by"]) for t in submitted["timeline"]] == [
        ("draft", {"role": "officer", "ref": "staff-officer-ref"}),
        ("submitted", {"role": "officer", "ref": "staff-officer-ref"}),
    ]
    assert [a["application_id"] for a in service.list_applications(person, 10, None).items] == [draft["application_id"]]
    assert service.get_application(person, draft["application_id"])["channel"] == "assisted"
    # The person sees it in their own list and in their activity log.
    assert api.get("/api/applications", as_=registrant).json["items"][0]["assisted_by"] == "staff-officer-ref"
    actions = {(e.action, e.actor_role) for e in activity_of(person, 20, None).items}
    assert {("application_created", "officer"), ("application_answers_saved", "officer"), ("application_submitted", "officer")} <= actions


def test_the_persons_own_actions_are_not_logged_as_access(registrant: AsRegistrant, program: str) -> None:
    me = Actor("registrant", registrant.registrant_id)
    draft = service.create_application(registrant.registrant_id, program, me, answers={"name": "Amina"})
    service.submit_application(registrant.registrant_id, draft["application_id"], me)
    assert activity_of(registrant.registrant_id, 20, None).items == []
