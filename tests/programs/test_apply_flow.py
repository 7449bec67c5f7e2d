"""The whole story through the API: an admin sets up a program, a person applies, a reviewer decides."""

from __future__ import annotations

from chalicelib.identity.audit import activity_of
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.programs import HOUSEHOLD, Portal, sample_definition


def test_admin_sets_up_a_program_a_person_applies_a_reviewer_asks_for_information_approves_and_enrols(
    api: Api, portal: Portal, registrant: AsRegistrant, admin: AsStaff, reviewer: AsStaff
) -> None:
    # An administrator writes a two-page form, publishes it, and opens a program that maps it.
    form = api.post("/api/admin/forms", {"form_id": "family-grant", **sample_definition()}, as_=admin)
    assert form.status == 201, form.json
    assert form.json["status"] == "draft"
    published = api.post("/api/admin/forms/family-grant/versions/1/publish", as_=admin)
    assert published.status == 200 and published.json["status"] == "published"
    created = api.post(
        "/api/admin/programs",
        {
            "program_id": "family-grant",
            "name": {"en": "Family Grant", "fr": "Allocation familiale", "ar": "منحة الأسرة"},
            "description": {"en": "Support for families.", "fr": "Un soutien aux familles.", "ar": "دعم للأسر."},
            "eligibility": {"en": "Families with children.", "fr": "Les familles avec enfants.", "ar": "الأسر التي لديها أطفال."},
            "benefit": {"en": "40 a month per child", "fr": "40 par mois et par enfant", "ar": "40 شهريًا لكل طفل"},
            "decision_days": 21,
            "policy": {"kind": "one_active"},
            "documents": [{"kind": "birth_certificate", "label": {"en": "Birth certificate"}, "required": True}],
        },
        as_=admin,
    )
    assert created.status == 201, created.json
    assert api.put("/api/admin/programs/family-grant/form", {"form_id": "family-grant", "version": 1}, as_=admin).status == 200
    opened = api.post("/api/admin/programs/family-grant/open", as_=admin)
    assert opened.status == 200 and opened.json["state"] == "open"

    # The person sees it on offer, and can apply.
    listed = api.get("/api/programs", as_=registrant)
    offer = next(p for p in listed.json["items"] if p["program_id"] == "family-grant")
    assert offer["you"]["can_apply"] is True
    detail = api.get("/api/programs/family-grant", as_=registrant)
    assert [page["id"] for page in detail.json["form"]["ui_schema"]["pages"]] == ["about-you", "children", "household"]
    assert detail.json["prefilled"]["answers"] == {"name": "Amina Okafor", "birthdate": "1987-04-12"}
    assert detail.json["prefilled"]["read_only"] == ["/birthdate", "/name"]

    # A draft, page one saved, then the person comes back and saves page two.
    draft = portal.draft(registrant, "family-grant")
    application_id = draft["application_id"]
    assert draft["status"] == "draft" and draft["answers"]["name"] == "Amina Okafor"
    assert portal.save(registrant, application_id, {"phone": "+254 700 111 222"}).status == 200
    again = api.get(f"/api/applications/{application_id}", as_=registrant)
    assert again.json["answers"]["phone"] == "+254700111222"  # stored as checked: without the spaces typed
    assert portal.save(registrant, application_id, HOUSEHOLD).status == 200

    # Submitting without the required document says which one is missing.
    missing = portal.submit(registrant, application_id)
    assert missing.status == 422
    assert missing.json["error"]["fields"] == {"/documents/birth_certificate": "required_document_missing"}
    portal.attach(registrant, application_id)
    submitted = portal.submit(registrant, application_id)
    assert submitted.status == 200, submitted.json
    reference = submitted.json["reference"]
    assert submitted.json["status"] == "submitted" and len(reference) == 11

    # A reviewer finds it in the program's queue, opens it, and asks for information.
    queue = api.get("/api/admin/programs/family-grant/applications?status=submitted", as_=reviewer)
    assert [a["application_id"] for a in queue.json["items"]] == [application_id]
    assert "answers" not in queue.json["items"][0]
    opened_by_reviewer = api.get(f"/api/admin/applications/{application_id}", as_=reviewer)
    assert opened_by_reviewer.json["answers"]["household_size"] == 4
    assert portal.decide(reviewer, application_id, "under_review", reason=None).status == 200
    asked = portal.decide(reviewer, application_id, "info_requested", reason="Please give the youngest child's exact date of birth.")
    assert asked.status == 200 and asked.json["status"] == "info_requested"

    # The person sees why, answers, and sends it back.
    mine = api.get(f"/api/applications/{application_id}", as_=registrant).json
    assert mine["status"] == "info_requested" and mine["editable"] is True
    assert mine["timeline"][-1]["reason"] == "Please give the youngest child's exact date of birth."
    children = [{**HOUSEHOLD["children"][0], "birth_date": "2021-05-03"}, HOUSEHOLD["children"][1]]
    assert portal.save(registrant, application_id, {"children": children}).status == 200
    resubmitted = portal.submit(registrant, application_id)
    assert resubmitted.status == 200 and resubmitted.json["reference"] == reference

    # The reviewer approves and enrols in one decision.
    assert portal.decide(reviewer, application_id, "under_review", reason=None).status == 200
    approved = portal.decide(reviewer, application_id, "approved", reason="All criteria met.", enrol=True)
    assert approved.status == 200 and approved.json["status"] == "enrolled"

    # Every step is in the person's timeline, with who acted and why.
    timeline = api.get(f"/api/applications/{application_id}", as_=registrant).json["timeline"]
    assert [(t["from"], t["to"], t["by"]["role"]) for t in timeline] == [
        (None, "draft", "registrant"),
        ("draft", "submitted", "registrant"),
        ("submitted", "under_review", "reviewer"),
        ("under_review", "info_requested", "reviewer"),
        ("info_requested", "submitted", "registrant"),
        ("submitted", "under_review", "reviewer"),
        ("under_review", "approved", "reviewer"),
        ("approved", "enrolled", "reviewer"),
    ]
    assert timeline[6]["reason"] == "All criteria met."
    enrolments = api.get("/api/enrolments", as_=registrant).json["items"]
    assert [(e["program_id"], e["reference"]) for e in enrolments] == [("family-grant", reference)]
    assert enrolments[0]["program_name"]["fr"] == "Allocation familiale"

    # The reviewer's reading and deciding are in the person's activity log.
    actions = [e.action for e in activity_of(registrant.registrant_id, 50, None).items]
    assert "application_viewed" in actions and "application_status_changed" in actions

    # Admins see the count per status.
    counts = api.get("/api/admin/programs/family-grant/counts", as_=admin).json["counts"]
    assert counts["enrolled"] == 1 and counts["submitted"] == 0


def test_sample_program_offered_by_the_local_stack_takes_an_application_end_to_end(
    api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, sample: str
) -> None:
    application = portal.draft(registrant, sample, HOUSEHOLD)
    portal.attach(registrant, application["application_id"])
    submitted = portal.submit(registrant, application["application_id"])
    assert submitted.status == 200, submitted.json
    assert portal.decide(reviewer, application["application_id"], "under_review", reason=None).status == 200
    rejected = portal.decide(reviewer, application["application_id"], "rejected", reason="Income above the threshold.")
    assert rejected.json["status"] == "rejected"
    listed = api.get("/api/programs", as_=registrant).json["items"]
    assert next(p for p in listed if p["program_id"] == sample)["you"]["can_apply"] is True
