"""From the outbox's stream to the person's phone, mailbox and inbox: once, retried, parked."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from chalicelib.notifications import delivery, providers
from chalicelib.programs import service
from chalicelib.store.applications import Application
from chalicelib.store.messages import Message
from tests.notifications.conftest import Stream, emails_sent, person, sms_sent
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.factories import SAMPLE_PEOPLE
from tests.support.programs import Portal
from tests.support.registrants import activity


def info_requested(portal: Portal, who: AsRegistrant, reviewer: AsStaff, program: str) -> dict[str, Any]:
    submitted = portal.submitted(who, program, {"name": "Someone"})
    assert portal.decide(reviewer, submitted["application_id"], "under_review").status == 200
    assert portal.decide(reviewer, submitted["application_id"], "info_requested").status == 200
    return submitted


def messages(api: Api, who: AsRegistrant, **query: str) -> list[dict[str, Any]]:
    suffix = "".join(f"&{k}={v}" for k, v in query.items())
    answer = api.get(f"/api/me/messages?limit=50{suffix}", as_=who)
    assert answer.status == 200, answer.json
    return list(answer.json["items"])


def test_a_request_for_information_reaches_the_verified_phone_in_the_persons_language(
    api: Api, portal: Portal, stream: Stream, reviewer: AsStaff, program: str
) -> None:
    jean = person(1)  # French
    submitted = info_requested(portal, jean, reviewer, program)
    stream.flush()
    texts = [text for phone, text in sms_sent() if phone == SAMPLE_PEOPLE[1]["phone_number"]]
    assert len(texts) == 2  # submitted and information requested; starting a review is not messaged
    assert "il nous manque des informations" in texts[-1].lower()
    assert submitted["reference"] in texts[-1] and "Jean-Baptiste" in texts[-1]
    assert "Mbemba" not in texts[-1] and SAMPLE_PEOPLE[1]["individual_id"] not in texts[-1]
    assert f"/r/{submitted['reference'].replace('-', '')}" in texts[-1]
    shown = messages(api, jean)
    assert [(m["event_type"], m["channel"], m["state"]) for m in shown[:1]] == [("application.information_requested", "sms", "sent")]
    assert all(m["application_id"] == submitted["application_id"] for m in shown)
    logged = [e for e in activity(api, jean) if e["action"] == "message_sent"]
    assert len(logged) == 2 and logged[0]["by"]["role"] == "system"


def test_a_stream_record_delivered_twice_sends_one_message(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    amina = person(0)
    portal.submitted(amina, program, {"name": "Amina"})
    events = stream.new_events()
    stream.flush()
    from app import deliver_events

    deliver_events(stream.records(events), None)  # Lambda retries the whole batch
    assert len(sms_sent()) == 1
    assert len(messages(api, amina)) == 1


def test_a_provider_failing_three_times_then_succeeding_sends_one_message_and_logs_the_retries_without_the_number(
    api: Api, portal: Portal, stream: Stream, program: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[tuple[str, str]] = []

    class Flaky:
        calls = 0

        def send_sms(self, phone: str, text: str) -> str:
            Flaky.calls += 1
            if Flaky.calls <= 3:
                raise providers.ProviderError("Throttling")
            sent.append((phone, text))
            return "provider-1"

    monkeypatch.setattr(providers, "sms_sender", Flaky)
    amina = person(0)
    portal.submitted(amina, program, {"name": "Amina"})
    with caplog.at_level(logging.INFO):
        stream.flush()
    assert len(sent) == 1 and Flaky.calls == 4
    (shown,) = messages(api, amina)
    assert (shown["state"], shown["attempts"]) == ("sent", 4)
    retries = [r for r in caplog.records if r.getMessage() == "message_send_failed"]
    assert len(retries) == 3
    assert all(SAMPLE_PEOPLE[0]["phone_number"] not in str(vars(r)) and "Amina" not in str(vars(r)) for r in caplog.records)


def test_a_message_every_try_of_which_fails_is_parked_listed_and_can_be_resent(
    api: Api, portal: Portal, stream: Stream, admin: AsStaff, program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Down:
        def send_sms(self, phone: str, text: str) -> str:
            raise providers.ProviderError("InternalError")

    monkeypatch.setattr(providers, "sms_sender", Down)
    amina = person(0)
    portal.submitted(amina, program, {"name": "Amina"})
    stream.flush()
    (shown,) = messages(api, amina)
    assert (shown["state"], shown["attempts"]) == ("parked", 5)
    parked = api.get("/api/admin/messages/parked", as_=admin)
    assert parked.status == 200
    (item,) = parked.json["items"]
    assert item["last_error"] == "InternalError" and "body" not in item
    monkeypatch.undo()
    monkeypatch.setenv("SSP_NOTIFY_BACKOFF_SECONDS", "0")
    again = api.post(f"/api/admin/registrants/{item['registrant_id']}/messages/{item['message_id']}/resend", as_=admin)
    assert again.status == 200, again.json
    assert again.json["state"] == "sent" and len(sms_sent()) == 1
    assert api.get("/api/admin/messages/parked", as_=admin).json["items"] == []
    assert api.post(f"/api/admin/registrants/{item['registrant_id']}/messages/{item['message_id']}/resend", as_=admin).status == 404


def test_a_person_with_no_channel_gets_the_message_in_the_inbox_only(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    nobody = person(3, phone="none")
    portal.submitted(nobody, program, {"name": "Tomasi"})
    stream.flush()
    assert sms_sent() == [] and emails_sent() == []
    (shown,) = messages(api, nobody)
    assert (shown["channel"], shown["state"]) == ("inbox", "inbox")
    assert "Tomasi" in shown["body"]


def test_a_phone_the_person_typed_and_did_not_confirm_is_not_used(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    typed = person(4, phone="self")
    portal.submitted(typed, program, {"name": "Priya"})
    stream.flush()
    assert sms_sent() == []
    assert [m["channel"] for m in messages(api, typed)] == ["inbox"]


def test_email_goes_through_ses_when_chosen_with_a_verified_address(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    layla = person(2, email="id_provider")
    assert api.put("/api/me/contacts", {"channels": ["sms", "email"]}, as_=layla).status == 200
    portal.submitted(layla, program, {"name": "Layla"})
    stream.flush()
    (email,) = emails_sent()
    assert email.destinations["ToAddresses"] == [SAMPLE_PEOPLE[2]["email"]]
    assert "وصلنا طلبك" in email.subject
    assert sorted(m["channel"] for m in messages(api, layla)) == ["email", "sms"]


def test_a_decision_whose_transaction_fails_sends_nothing(
    api: Api, portal: Portal, stream: Stream, reviewer: AsStaff, program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    amina = person(0)
    application_id = portal.submitted(amina, program, {"name": "Amina"})["application_id"]
    portal.decide(reviewer, application_id, "under_review")
    stream.flush()
    before = len(sms_sent())
    read = service.submitted_application

    def stale(application_id: str) -> Application:
        seen = read(application_id)
        Application(application_id=application_id).update(actions=[Application.version.add(1)])  # someone else's write
        return seen

    monkeypatch.setattr(service, "submitted_application", stale)
    assert portal.decide(reviewer, application_id, "approved").status == 409
    assert stream.flush() == []
    assert len(sms_sent()) == before
    assert all(m["event_type"] != "application.approved" for m in messages(api, amina))


def test_messages_of_one_application_for_its_timeline(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    amina = person(0)
    first = portal.submitted(amina, program, {"name": "Amina"})["application_id"]
    from tests.support.programs import simple_program

    second = portal.submitted(amina, simple_program(), {"name": "Amina"})["application_id"]
    stream.flush()
    assert [m["application_id"] for m in messages(api, amina, application_id=first)] == [first]
    assert {m["application_id"] for m in messages(api, amina)} == {first, second}


def test_an_event_about_nobody_known_makes_no_message(stream: Stream) -> None:
    from chalicelib.events.outbox import EventType, add_event
    from chalicelib.store.transactions import transaction

    with transaction() as writes:
        add_event(writes, EventType.APPLICATION_SUBMITTED, registrant_id="11111111-1111-1111-1111-111111111111", actor_role="registrant")
    stream.flush()
    assert list(Message.scan()) == [] and delivery.DONE


def test_a_document_refused_while_the_person_waits_is_not_messaged_but_one_refused_by_the_scan_is(api: Api, stream: Stream) -> None:
    from chalicelib.events.outbox import EventType, add_event
    from chalicelib.store.transactions import transaction

    amina = person(0)
    with transaction() as writes:
        for position, reason in enumerate(("content_mismatch", "malware_found")):
            data = {"document_id": f"d{position}", "kind": "birth_certificate", "reason": reason}
            add_event(writes, EventType.DOCUMENT_REFUSED, registrant_id=amina.registrant_id, actor_role="system", data=data, position=position)
    stream.flush()
    assert len(sms_sent()) == 1
    assert [m["event_type"] for m in messages(api, amina)] == ["document.refused"]


def test_without_a_language_in_the_profile_messages_speak_the_one_the_person_applied_in(
    api: Api, portal: Portal, stream: Stream, reviewer: AsStaff, program: str
) -> None:
    from chalicelib.store.registrants import Registrant

    jean = person(1)
    record = Registrant.get(jean.registrant_id)
    record.profile = {k: v for k, v in record.profile.items() if k != "preferred_language"}
    record.preferred_locale = None
    record.save()
    application_id = portal.draft(jean, program, {"name": "Jean"})["application_id"]
    assert api.post(f"/api/applications/{application_id}/submit", {"locale": "fr"}, as_=jean).status == 200
    portal.decide(reviewer, application_id, "under_review")
    portal.decide(reviewer, application_id, "info_requested")
    stream.flush()
    texts = [text for _, text in sms_sent()]
    assert "votre demande" in texts[0] and "il nous manque des informations" in texts[1]
