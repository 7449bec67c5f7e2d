"""Consent statements a program asks a person to agree to when applying: declared by admins,
shown on the program's page, required at submission, and recorded on the application in the
submission's own transaction, so the person's consents list them exactly once."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import pytest

from chalicelib.errors import PortalError
from chalicelib.identity.callers import Actor
from chalicelib.programs import service
from chalicelib.store.applications import Application
from chalicelib.store.programs import Program
from tests.programs.test_races import _together, serialised_writes  # noqa: F401 - the fixture, used by name below
from tests.support.api import Answer, Api, AsRegistrant, AsStaff
from tests.support.programs import Portal, simple_program

SHARE = {
    "id": "share_with_ministry_of_health",
    "text": {
        "en": "I agree that my answers are shared with the Ministry of Health.",
        "fr": "J'accepte que mes réponses soient transmises au ministère de la Santé.",
    },
    "required": True,
}
NEWS = {"id": "news_by_sms", "text": {"en": "Send me news of the program by SMS."}, "required": False}


def _submit(portal: Portal, who: AsRegistrant, application_id: str, consents: dict[str, bool] | None = None, **headers: str) -> Answer:
    body = {"consents": consents} if consents is not None else {}
    return portal.api.post(f"/api/applications/{application_id}/submit", body, as_=who, headers=headers or None)


def _application_consents(api: Api, who: AsRegistrant, application_id: str) -> list[dict[str, Any]]:
    items = api.get("/api/me/consents", as_=who).json["items"]
    return [c for c in items if c.get("kind") == "application" and c["reference"]["application_id"] == application_id]


def _version(statement: dict[str, Any]) -> str:
    canonical = json.dumps(statement["text"], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


@pytest.fixture
def asking(aws: None) -> str:
    return simple_program(policy={"kind": "repeat"}, consents=[SHARE, NEWS])


def test_the_programs_page_shows_its_statements(api: Api, asking: str) -> None:
    page = api.get(f"/api/programs/{asking}").json
    assert page["consents"] == [SHARE, NEWS]
    assert "consents" not in page["policy"]
    listed = next(p for p in api.get("/api/programs").json["items"] if p["program_id"] == asking)
    assert listed["consents"] == [SHARE, NEWS]


def test_submitting_without_agreeing_to_a_required_statement_is_refused(api: Api, portal: Portal, registrant: AsRegistrant, asking: str) -> None:
    draft = portal.draft(registrant, asking, {"name": "Amina"})
    for consents in (None, {}, {SHARE["id"]: False}, {NEWS["id"]: True}):
        refused = _submit(portal, registrant, draft["application_id"], consents)
        assert refused.status == 422 and refused.error_code == "validation_failed"
        assert refused.json["error"]["fields"] == {f"/consents/{SHARE['id']}": "consent_required"}
        assert refused.json["error"]["messages"][f"/consents/{SHARE['id']}"]["fr"]
    assert api.get(f"/api/applications/{draft['application_id']}", as_=registrant).json["status"] == "draft"
    assert _application_consents(api, registrant, draft["application_id"]) == []


def test_a_submission_records_the_agreement_on_the_application_in_three_calls(api: Api, portal: Portal, registrant: AsRegistrant, asking: str) -> None:
    draft = portal.draft(registrant, asking, {"name": "Amina"})
    answer = _submit(portal, registrant, draft["application_id"], {SHARE["id"]: True, NEWS["id"]: False})
    assert answer.status == 200, answer.json
    answer.calls.assert_dynamodb_at_most(3)  # session, application with its program, one TransactWriteItems
    assert answer.json["timeline"][-1]["consents"] == [SHARE["id"]]
    (record,) = answer.json["consents"]
    assert record == {
        "id": SHARE["id"],
        "version": _version(SHARE),
        "locale": "en",
        "text": SHARE["text"]["en"],
        "required": True,
        "agreed_at": record["agreed_at"],
        "by": {"role": "registrant", "ref": registrant.registrant_id},
    }
    assert datetime.fromisoformat(record["agreed_at"]) >= datetime.fromisoformat(draft["created_at"])
    assert api.get(f"/api/applications/{draft['application_id']}", as_=registrant).json["consents"] == [record]

    (listed,) = _application_consents(api, registrant, draft["application_id"])
    assert listed["purpose"] == SHARE["id"] and listed["statement"] == {"en": SHARE["text"]["en"]} and listed["status"] == "active"
    assert listed["reference"] == {"application_id": draft["application_id"], "program_id": asking, "reference": answer.json["reference"]}
    assert listed["program_name"]["en"] == "Child Support Grant"
    assert listed["given_at"] == record["agreed_at"] and listed["given_by"] == record["by"] and listed["version"] == record["version"]


def test_the_text_recorded_is_the_one_shown_in_the_persons_language(api: Api, portal: Portal, registrant: AsRegistrant, asking: str) -> None:
    french = portal.draft(registrant, asking, {"name": "Amina"})
    answer = portal.api.post(f"/api/applications/{french['application_id']}/submit", {"consents": {SHARE["id"]: True}, "locale": "fr"}, as_=registrant)
    assert answer.status == 200, answer.json
    assert (answer.json["consents"][0]["locale"], answer.json["consents"][0]["text"]) == ("fr", SHARE["text"]["fr"])
    # A language the statement is not written in: the English text, as the page falls back to it.
    arabic = portal.draft(registrant, asking, {"name": "Amina"})
    answer = portal.api.post(f"/api/applications/{arabic['application_id']}/submit", {"consents": {SHARE["id"]: True}, "locale": "ar"}, as_=registrant)
    assert (answer.json["consents"][0]["locale"], answer.json["consents"][0]["text"]) == ("en", SHARE["text"]["en"])
    bad = portal.api.post(f"/api/applications/{arabic['application_id']}/submit", {"consents": {SHARE["id"]: True}, "locale": "<b>"}, as_=registrant)
    assert bad.status in {400, 422} and bad.error_code != "internal_error"


def test_without_a_locale_the_text_is_in_the_sessions_language(api: Api, portal: Portal, asking: str) -> None:
    from chalicelib.auth.sessions import create_session
    from tests.support.factories import make_registrant

    person = make_registrant()
    session = create_session(person.registrant_id, {"name": "Amina Okafor", "provider": "dev", "locale": "fr"})
    who = AsRegistrant(person.registrant_id, session.raw_id, session.csrf_token)
    draft = portal.draft(who, asking, {"name": "Amina"})
    answer = _submit(portal, who, draft["application_id"], {SHARE["id"]: True})
    assert answer.status == 200, answer.json
    assert (answer.json["consents"][0]["locale"], answer.json["consents"][0]["text"]) == ("fr", SHARE["text"]["fr"])


def test_an_optional_statement_agreed_to_is_recorded_too(api: Api, portal: Portal, registrant: AsRegistrant, asking: str) -> None:
    draft = portal.draft(registrant, asking, {"name": "Amina"})
    assert _submit(portal, registrant, draft["application_id"], {SHARE["id"]: True, NEWS["id"]: True}).status == 200
    assert sorted(c["purpose"] for c in _application_consents(api, registrant, draft["application_id"])) == [NEWS["id"], SHARE["id"]]


def test_a_retried_submit_records_each_consent_once(api: Api, portal: Portal, registrant: AsRegistrant, asking: str) -> None:
    draft = portal.draft(registrant, asking, {"name": "Amina"})
    first = _submit(portal, registrant, draft["application_id"], {SHARE["id"]: True}, **{"Idempotency-Key": "submit-consent-1"})
    retry = _submit(portal, registrant, draft["application_id"], {SHARE["id"]: True}, **{"Idempotency-Key": "submit-consent-1"})
    assert first.status == retry.status == 200 and retry.json["timeline"] == first.json["timeline"]
    assert retry.json["consents"] == first.json["consents"]
    assert len(_application_consents(api, registrant, draft["application_id"])) == 1


@pytest.mark.usefixtures("serialised_writes")
def test_a_retry_racing_the_first_submit_records_each_consent_once(api: Api, portal: Portal, registrant: AsRegistrant, asking: str) -> None:
    draft = portal.draft(registrant, asking, {"name": "Amina"})
    actor = Actor("registrant", registrant.registrant_id)

    def submit() -> Any:
        agreed = {SHARE["id"]: True}
        return service.submit_application(registrant.registrant_id, draft["application_id"], actor, idempotency_key="race-consent-1", consents=agreed)

    results = _together(submit, submit)
    assert not [r for r in results if isinstance(r, PortalError)], results
    assert results[0]["consents"] == results[1]["consents"] and len(results[0]["consents"]) == 1
    assert len(Application.get(draft["application_id"], consistent_read=True).consents) == 1
    assert len(_application_consents(api, registrant, draft["application_id"])) == 1


def test_a_submission_that_fails_records_no_agreement(api: Api, portal: Portal, registrant: AsRegistrant, asking: str, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = portal.draft(registrant, asking, {"name": "Amina"})

    def unavailable(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("DynamoDB did not answer")

    monkeypatch.setattr(service, "_write_submission", unavailable)
    assert _submit(portal, registrant, draft["application_id"], {SHARE["id"]: True}, **{"Idempotency-Key": "submit-consent-2"}).status == 500
    monkeypatch.undo()
    assert api.get(f"/api/applications/{draft['application_id']}", as_=registrant).json["consents"] == []
    assert _application_consents(api, registrant, draft["application_id"]) == []
    retry = _submit(portal, registrant, draft["application_id"], {SHARE["id"]: True}, **{"Idempotency-Key": "submit-consent-2"})
    assert retry.status == 200 and retry.json["status"] == "submitted"
    assert [c["purpose"] for c in _application_consents(api, registrant, draft["application_id"])] == [SHARE["id"]]


def test_a_resubmission_needs_no_second_agreement(api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, asking: str) -> None:
    draft = portal.draft(registrant, asking, {"name": "Amina"})
    application_id = draft["application_id"]
    assert _submit(portal, registrant, application_id, {SHARE["id"]: True}).status == 200
    portal.decide(reviewer, application_id, "under_review", reason=None)
    portal.decide(reviewer, application_id, "info_requested", reason="Spell your name as on your ID.")
    again = _submit(portal, registrant, application_id)
    assert again.status == 200 and "consents" not in again.json["timeline"][-1]
    assert len(_application_consents(api, registrant, application_id)) == 1


def test_a_program_without_statements_submits_as_before(api: Api, portal: Portal, registrant: AsRegistrant, program: str) -> None:
    draft = portal.draft(registrant, program, {"name": "Amina"})
    answer = _submit(portal, registrant, draft["application_id"], {"anything_else": True})  # unknown ids are ignored
    assert answer.status == 200 and "consents" not in answer.json["timeline"][-1]
    answer.calls.assert_dynamodb_at_most(3)


def test_admins_declare_statements_and_get_field_errors_for_bad_ones(api: Api, admin: AsStaff) -> None:
    created = api.post("/api/admin/programs", {"name": {"en": "Health grant"}, "consents": [SHARE]}, as_=admin)
    assert created.status == 201 and created.json["consents"] == [SHARE]
    program_id = created.json["program_id"]
    policy_changed = api.patch(f"/api/admin/programs/{program_id}", {"policy": {"kind": "once"}}, as_=admin)
    assert policy_changed.json["consents"] == [SHARE] and policy_changed.json["policy"] == {"kind": "once", "cooldown_days": 0}
    optional = {"id": "news_by_sms", "text": {"en": "News by SMS."}}  # required unless said otherwise
    assert api.patch(f"/api/admin/programs/{program_id}", {"consents": [optional]}, as_=admin).json["consents"] == [{**optional, "required": True}]
    duplicate = api.patch(f"/api/admin/programs/{program_id}", {"consents": [SHARE, SHARE]}, as_=admin)
    assert duplicate.status == 422 and duplicate.json["error"]["fields"] == {"/consents/1/id": "duplicate"}
    for bad, pointer in [
        ({**SHARE, "id": "Not An Id"}, "/consents/0/id"),
        ({**SHARE, "text": {}}, "/consents/0/text"),
        ({**SHARE, "text": {"en": "x" * 3000}}, "/consents/0/text/en"),
        ({**SHARE, "required": "yes"}, "/consents/0/required"),
        ({"id": "no_text"}, "/consents/0/text"),
    ]:
        refused = api.patch(f"/api/admin/programs/{program_id}", {"consents": [bad]}, as_=admin)
        assert refused.status == 422 and pointer in refused.json["error"]["fields"], (bad, refused.json)
    assert api.get(f"/api/admin/programs/{program_id}", as_=admin).json["consents"] == [{**optional, "required": True}]
    assert api.patch(f"/api/admin/programs/{program_id}", {"consents": []}, as_=admin).json["consents"] == []


def test_statements_are_kept_in_their_own_attribute_not_in_the_policy(api: Api, admin: AsStaff, asking: str) -> None:
    stored = Program.get(asking)
    assert stored.consents == [SHARE, NEWS] and "consents" not in stored.policy
    assert api.patch(f"/api/admin/programs/{asking}", {"policy": {"kind": "once"}}, as_=admin).json["consents"] == [SHARE, NEWS]
    assert Program.get(asking).consents == [SHARE, NEWS]
