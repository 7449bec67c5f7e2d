"""Templates: one SMS segment where possible (measured), no personal data, admins' own wording."""

from __future__ import annotations

import pytest

from chalicelib.notifications import templates
from tests.notifications.conftest import Stream, person, sms_sent
from tests.support.api import Api, AsStaff
from tests.support.programs import Portal

# A long first name and the public address of a real deployment, not localhost.
WORST = {"first_name": "Jean-Baptiste", "reference": "K7M-Q2X-P4H", "program": "Child Support Grant", "code": "123456"}


def test_segments_are_counted_as_gsm7_and_ucs2() -> None:
    assert templates.sms_segments("a" * 160) == ("GSM-7", 1)
    assert templates.sms_segments("a" * 161) == ("GSM-7", 2)
    assert templates.sms_segments("€" * 80) == ("GSM-7", 1)  # an escaped character counts two
    assert templates.sms_segments("ç" + "a" * 69) == ("UCS-2", 1)
    assert templates.sms_segments("ب" * 71) == ("UCS-2", 2)


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_every_default_sms_in_english_and_french_is_one_gsm7_segment(locale: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_PUBLIC_URL", "https://portal.social.gov.example")
    values = {**WORST, "link": templates.link_to(WORST["reference"])}
    measured = {event: templates.sms_segments(templates.render(templates.DEFAULTS[event][locale]["sms"], values)) for event in templates.TEMPLATED}
    assert {event: m for event, m in measured.items() if m != ("GSM-7", 1)} == {}


def test_arabic_sms_take_at_most_two_ucs2_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSP_PUBLIC_URL", "https://portal.social.gov.example")
    values = {**WORST, "link": templates.link_to(WORST["reference"])}
    measured = {event: templates.sms_segments(templates.render(templates.DEFAULTS[event]["ar"]["sms"], values)) for event in templates.TEMPLATED}
    assert all(encoding == "UCS-2" and parts <= 2 for encoding, parts in measured.values()), measured


def test_default_templates_use_only_known_placeholders_and_every_language() -> None:
    assert templates.template_problems(templates.DEFAULTS) == {}
    assert all(set(by_locale) == set(templates.LOCALES) for by_locale in templates.DEFAULTS.values())


def test_a_template_with_a_placeholder_that_does_not_exist_is_refused_at_save(api: Api, admin: AsStaff, program: str) -> None:
    body = {"templates": {"application.submitted": {"en": {"sms": "Hello {first_name}, your ID {national_id} is fine"}}}}
    answer = api.put(f"/api/admin/programs/{program}/templates", body, as_=admin)
    assert answer.status == 422
    assert answer.json["error"]["fields"] == {"/templates/application.submitted/en/sms": "unknown_placeholder"}
    broken = {"templates": {"application.submitted": {"en": {"sms": "Hello {first_name"}}}}
    assert api.put(f"/api/admin/programs/{program}/templates", broken, as_=admin).json["error"]["fields"] == {
        "/templates/application.submitted/en/sms": "bad_placeholder"
    }
    unknown = {"templates": {"application.teleported": {"en": {"sms": "Hi"}}}}
    assert api.put(f"/api/admin/programs/{program}/templates", unknown, as_=admin).status == 422
    assert api.get(f"/api/admin/programs/{program}/templates", as_=admin).json["own"] == {}


def test_a_programs_own_wording_is_previewed_saved_and_used(api: Api, portal: Portal, stream: Stream, admin: AsStaff, program: str) -> None:
    own = {"sms": "{first_name}: {program} got {reference}. {link}", "subject": "Got {reference}", "email": "Got {reference}. {link}"}
    preview = api.post(f"/api/admin/programs/{program}/templates/preview", {"event_type": "application.submitted", "locale": "en", "template": own}, as_=admin)
    assert preview.status == 200, preview.json
    assert preview.json["sms"].startswith("Amina: ") and preview.json["sms_segments"] == 1
    saved = api.put(f"/api/admin/programs/{program}/templates", {"templates": {"application.submitted": {"en": own}}}, as_=admin)
    assert saved.status == 200, saved.json
    assert saved.json["templates"]["application.submitted"]["en"]["template"]["sms"] == own["sms"]
    amina = person(0)
    submitted = portal.submitted(amina, program, {"name": "Amina"})
    stream.flush()
    ((_, text),) = sms_sent()
    assert text.startswith("Amina: ") and submitted["reference"] in text


def test_templates_are_for_admins_only(api: Api, reviewer: AsStaff, program: str) -> None:
    assert api.get(f"/api/admin/programs/{program}/templates", as_=reviewer).status == 403
    assert api.get("/api/admin/messages/parked", as_=reviewer).status == 403
