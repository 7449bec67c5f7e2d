"""The person's channels: a typed phone or address is used only once confirmed by its code."""

from __future__ import annotations

from chalicelib.store.contacts import Contacts, contacts_key
from tests.notifications.conftest import Stream, emails_sent, person, sms_sent
from tests.support.api import Api
from tests.support.programs import Portal

NEW_PHONE = "+254711000999"


def test_the_verified_phone_from_the_id_provider_is_the_default(api: Api, stream: Stream) -> None:
    amina = person(0)
    answer = api.get("/api/me/contacts", as_=amina)
    assert answer.status == 200
    assert answer.json["channels"] == ["sms"] and answer.json["default"] is True
    assert answer.json["contacts"]["sms"]["source"] == "id_provider"


def test_by_default_both_the_phone_and_the_address_the_id_provider_verified_are_used(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    jean = person(1, email="id_provider")
    assert api.get("/api/me/contacts", as_=jean).json["channels"] == ["sms", "email"]
    portal.submitted(jean, program, {"name": "Jean"})
    stream.flush()
    assert len(sms_sent()) == 1 and len(emails_sent()) == 1
    assert "Votre demande" in emails_sent()[0].subject


def test_an_address_the_person_typed_in_their_profile_is_not_used_unconfirmed(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    typed = person(4, email="self")
    assert api.get("/api/me/contacts", as_=typed).json["channels"] == ["sms"]
    portal.submitted(typed, program, {"name": "Priya"})
    stream.flush()
    assert emails_sent() == [] and len(sms_sent()) == 1


def test_a_typed_phone_is_confirmed_by_the_code_sent_to_it_then_used(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    priya = person(4, phone="none")
    assert api.put("/api/me/contacts", {"channels": ["sms"]}, as_=priya).json["error"]["fields"] == {"/channels/0": "no_confirmed_contact"}
    started = api.post("/api/me/contacts/sms", {"value": NEW_PHONE}, as_=priya)
    assert started.status == 202 and started.json["contacts"]["sms"]["pending"] == NEW_PHONE
    stream.flush()
    ((phone, text),) = sms_sent()
    code = Contacts.get(contacts_key(priya.registrant_id)).pending["sms"]["code"]
    assert phone == NEW_PHONE and code in text
    wrong = "000000" if code != "000000" else "111111"
    assert api.post("/api/me/contacts/sms/confirm", {"code": wrong}, as_=priya).status == 422
    confirmed = api.post("/api/me/contacts/sms/confirm", {"code": code}, as_=priya)
    assert confirmed.status == 200, confirmed.json
    assert confirmed.json["channels"] == ["sms"] and confirmed.json["contacts"]["sms"] == {"value": NEW_PHONE, "source": "confirmed", "pending": None}
    inbox = api.get("/api/me/messages", as_=priya).json["items"]
    assert code not in str(inbox)  # the inbox says a code was sent, never the code
    portal.submitted(priya, program, {"name": "Priya"})
    stream.flush()
    assert [p for p, _ in sms_sent()] == [NEW_PHONE, NEW_PHONE]


def test_a_code_tried_too_often_must_be_asked_for_again(api: Api, stream: Stream) -> None:
    priya = person(4, phone="none")
    api.post("/api/me/contacts/email", {"value": "priya.new@example.org"}, as_=priya)
    stream.flush()
    assert len(emails_sent()) == 1
    code = Contacts.get(contacts_key(priya.registrant_id)).pending["email"]["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert api.post("/api/me/contacts/email/confirm", {"code": wrong}, as_=priya).status == 422
    assert api.post("/api/me/contacts/email/confirm", {"code": code}, as_=priya).json["error"]["code"] == "code_expired"


def test_bad_contacts_and_channels_are_refused(api: Api, stream: Stream) -> None:
    amina = person(0)
    assert api.post("/api/me/contacts/sms", {"value": "0700 111 222"}, as_=amina).status == 422
    assert api.post("/api/me/contacts/email", {"value": "not-an-address"}, as_=amina).status == 422
    assert api.post("/api/me/contacts/fax", {"value": "+254700111222"}, as_=amina).status == 422
    assert api.put("/api/me/contacts", {"channels": ["pigeon"]}, as_=amina).status == 422
    assert api.post("/api/me/contacts/sms/confirm", {"code": "123456"}, as_=amina).json["error"]["code"] == "no_code_pending"
    assert api.get("/api/me/contacts").status == 401


def test_choosing_no_channel_keeps_messages_in_the_inbox(api: Api, portal: Portal, stream: Stream, program: str) -> None:
    amina = person(0)
    assert api.put("/api/me/contacts", {"channels": []}, as_=amina).json["channels"] == []
    portal.submitted(amina, program, {"name": "Amina"})
    stream.flush()
    assert sms_sent() == []
    assert [m["channel"] for m in api.get("/api/me/messages", as_=amina).json["items"]] == ["inbox"]
