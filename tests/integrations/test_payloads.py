"""What a registry receives: every public payload built from real events of the portal is valid
against its versioned JSON Schema, carries what a registry acts on, and nothing internal leaks."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from chalicelib.integrations import payloads
from chalicelib.notifications import delivery
from chalicelib.person import consents
from chalicelib.registrants.consent import note_login_consent
from chalicelib.store.base import now
from chalicelib.store.events import OutboxEvent
from chalicelib.store.registrants import Registrant
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.factories import SAMPLE_PEOPLE, logged_in
from tests.support.households import child, household_program
from tests.support.programs import Portal
from tests.support.registrants import approve, ask_to_change_name, patch_me

AMINA = SAMPLE_PEOPLE[0]


def events_of(registrant_id: str) -> list[OutboxEvent]:
    return sorted((e for e in OutboxEvent.scan() if e.registrant_id == registrant_id), key=lambda e: e.event_id)


def built(registrant_id: str) -> list[dict[str, Any]]:
    """Every payload the person's events build, each checked against its type's schema."""
    bodies = [payloads.build(e, now=now()) for e in events_of(registrant_id)]
    made = [b for b in bodies if b is not None]
    for body in made:
        jsonschema.validate(body, payloads.schemas()[body["type"]], format_checker=jsonschema.FormatChecker())
    return made


def of_type(bodies: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [b for b in bodies if b["type"] == kind]


def test_every_schema_is_a_valid_versioned_2020_12_schema() -> None:
    found = payloads.schemas()
    assert list(found) == list(payloads.TYPES)
    for kind, schema in found.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith(f"/{kind}/v1.json")
        assert schema["properties"]["type"] == {"const": kind}


def test_an_enrolment_carries_identity_details_household_answers_and_document_links(portal: Portal, reviewer: AsStaff, api: Api) -> None:
    program = household_program(prefill={"/children": {"from": "household", "fields": {f: f for f in ("name", "birth_date", "relationship")}}})
    me = logged_in(AMINA)
    application_id = portal.draft(me, program, {"name": "Amina Okafor"})["application_id"]
    certificates = [portal.attach(me, application_id), portal.attach(me, application_id)]
    children = [child("Zara", birth_certificate=certificates[0]), child("Omar", "2020-01-09", "son", birth_certificate=certificates[1])]
    assert portal.save(me, application_id, {"children": children}).status == 200
    assert portal.submit(me, application_id).status == 200
    assert portal.decide(reviewer, application_id, "under_review").status == 200
    assert portal.decide(reviewer, application_id, "approved", reason="Meets the criteria.", enrol=True).status == 200

    bodies = built(me.registrant_id)
    # The submission also remembered the children: household.changed (tests/integrations/test_household_events.py).
    assert [b["type"] for b in bodies] == ["application.submitted", "household.changed", "application.decided", "application.enrolled"]
    (enrolled,) = of_type(bodies, "application.enrolled")
    data = enrolled["data"]
    registrant = Registrant.get(me.registrant_id)
    issuer, _, subject = registrant.login.partition("#")
    assert data["person"]["identity"] == {"issuer": issuer, "subject": subject, "individual_id": AMINA["individual_id"]}
    name = data["person"]["details"]["name"]
    assert (name["value"], name["source"], name["provider"], name["verified"]) == (AMINA["name"], "id_provider", "dev", True)
    assert data["program"]["program_id"] == program and data["program"]["name"]["en"] == "Child Support Grant"
    assert data["application"]["application_id"] == application_id and data["application"]["enrolled_at"]
    assert data["answers"]["children"][1]["name"] == "Omar"
    labelled = {a["pointer"]: a for a in data["labelled_answers"]}
    assert labelled["/children/1/name"]["label"] == "Child's full name"
    assert labelled["/children/1/relationship"]["shown_as"] == "Son"
    assert [(m["label"], m["answers"]["birth_date"]) for m in data["group_members"]] == [("Zara", "2019-04-02"), ("Omar", "2020-01-09")]
    assert sorted(m["fields"]["name"] for m in data["household"]) == ["Omar", "Zara"]
    assert all(m["source"] == "self" for m in data["household"])
    documents = {d["document_id"]: d for d in data["documents"]}
    assert set(documents) == set(certificates)
    assert documents[certificates[1]]["member"]["label"] == "Omar"
    assert all(d["url"].startswith("http") and d["url_expires_at"] for d in documents.values())
    # The webhook-id a receiver deduplicates on is the event's id, also in the body.
    assert data["event_id"] == events_of(me.registrant_id)[-1].event_id


def test_a_decision_carries_the_decision_and_the_reason(portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str) -> None:
    application_id = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    portal.decide(reviewer, application_id, "under_review")
    assert portal.decide(reviewer, application_id, "rejected", reason="Income above the threshold.").status == 200
    (decided,) = of_type(built(registrant.registrant_id), "application.decided")
    assert decided["data"]["decision"] == "rejected" and decided["data"]["reason"] == "Income above the threshold."
    assert decided["data"]["decided_by_role"] == "reviewer"
    assert decided["data"]["application"]["sequence"] == 4


def test_a_withdrawal_is_told_and_review_steps_are_not(portal: Portal, api: Api, registrant: AsRegistrant, reviewer: AsStaff, program: str) -> None:
    application_id = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    assert api.post(f"/api/applications/{application_id}/withdraw", {}, as_=registrant).status == 200
    bodies = built(registrant.registrant_id)
    assert [b["type"] for b in bodies] == ["application.submitted", "application.withdrawn"]
    assert bodies[1]["data"]["withdrawn_by_role"] == "registrant"
    other = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    portal.decide(reviewer, other, "under_review")
    portal.decide(reviewer, other, "info_requested", reason="Which region?")
    internal = [e for e in events_of(registrant.registrant_id) if e.type.startswith("application.information") or e.type.endswith("review_started")]
    assert internal and all(payloads.build(e, now=now()) is None for e in internal)


def test_details_changed_by_the_person_or_an_approved_request_are_told_with_provenance(
    api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str
) -> None:
    portal.submitted(registrant, program, {"name": "Amina"})
    assert patch_me(api, registrant, {"household_size": 5}).status == 200
    request_id = ask_to_change_name(api, registrant, "Amina N. Okafor")
    assert approve(api, reviewer, request_id).status == 200

    changes = of_type(built(registrant.registrant_id), "registrant.details_changed")
    assert [c["data"]["changed_fields"] for c in changes] == [["household_size"], ["name"]]
    by_self, approved = (c["data"] for c in changes)
    assert by_self["reasons"] == ["self_update"]
    assert by_self["details"]["household_size"] == {
        **by_self["details"]["household_size"],
        "value": 5,
        "source": "self",
        "verified": False,
    }
    assert approved["reasons"] == ["change_request_approved"]
    assert approved["details"]["name"]["value"] == "Amina N. Okafor" and approved["details"]["name"]["verified_by_role"] == "reviewer"
    assert approved["applications"][0]["status"] == "submitted"


def test_details_of_someone_who_never_applied_go_nowhere(api: Api, registrant: AsRegistrant) -> None:
    assert patch_me(api, registrant, {"household_size": 5}).status == 200
    (event,) = events_of(registrant.registrant_id)
    assert event.type == "registrant.details_changed" and event.data == {"fields": ["household_size"], "reasons": ["self_update"]}
    assert payloads.build(event, now=now()) is None


def test_a_withdrawn_login_consent_is_told_with_the_fields_that_left(portal: Portal, registrant: AsRegistrant, program: str) -> None:
    portal.submitted(registrant, program, {"name": "Amina"})
    person = Registrant.get(registrant.registrant_id)
    note_login_consent(person, "dev", ["name", "birthdate"], now().isoformat())
    person.save()
    consent_id = person.consents[0]["consent_id"]
    consents.withdraw_consent(registrant.registrant_id, consent_id)

    (withdrawn,) = of_type(built(registrant.registrant_id), "consent.withdrawn")
    assert withdrawn["data"]["consent_id"] == consent_id and withdrawn["data"]["provider"] == "dev"
    assert withdrawn["data"]["removed_fields"] == ["birthdate", "name"]
    stored = next(e for e in events_of(registrant.registrant_id) if e.type == "consent.withdrawn")
    assert AMINA["name"] not in str(stored.data)


@pytest.mark.parametrize("kind", ["registrant.details_changed", "consent.withdrawn"])
def test_the_new_events_send_no_message_to_the_person(api: Api, registrant: AsRegistrant, kind: str) -> None:
    assert patch_me(api, registrant, {"household_size": 5}).status == 200
    (event,) = events_of(registrant.registrant_id)
    event.type = kind
    assert delivery.deliver(event) == []


def test_the_openapi_document_lists_each_payload_in_its_webhooks_section(api: Api) -> None:
    document = api.get("/api/openapi.json").json
    assert list(document["webhooks"]) == list(payloads.TYPES)
    for kind, item in document["webhooks"].items():
        operation = item["post"]
        assert {p["name"] for p in operation["parameters"]} == {"webhook-id", "webhook-timestamp", "webhook-signature"}
        reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        schema = document["components"]["schemas"][reference.rsplit("/", 1)[1]]
        assert schema == payloads.schemas()[kind] and schema["$id"].endswith("/v1.json")
