"""What people type is accepted on the server as in the browser (issue 21): a phone number with
spaces and dashes in Arabic-Indic digits is stored plain, a child born in the future is refused at
submission, and a refused answer's message says what its kind of question expects."""

from __future__ import annotations

from datetime import date, timedelta

from tests.support.api import AsRegistrant
from tests.support.programs import HOUSEHOLD, Portal


def test_a_phone_number_typed_with_an_arabic_keyboard_spaces_and_dashes_is_saved_plain(portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    draft = portal.draft(registrant, sample)
    answer = portal.save(registrant, draft["application_id"], {"phone": "+٢٥٤ ٧٠٠-١١١ ٢٢٢"})
    assert answer.status == 200, answer.json
    assert answer.json["answers"]["phone"] == "+254700111222"


def test_a_child_born_in_the_future_is_refused_at_submission(portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    later = (date.today() + timedelta(days=30)).isoformat()
    children = [{**HOUSEHOLD["children"][0], "birth_date": later}]  # type: ignore[index]
    draft = portal.draft(registrant, sample, {**HOUSEHOLD, "children": children})
    answer = portal.submit(registrant, draft["application_id"])
    assert answer.status == 422
    assert answer.json["error"]["fields"]["/answers/children/0/birth_date"] == "in_future"
    assert answer.json["error"]["messages"]["/answers/children/0/birth_date"]["en"] == "Enter a date in the past."


def test_a_refused_answer_says_what_its_kind_of_question_expects(portal: Portal, registrant: AsRegistrant, sample: str) -> None:
    draft = portal.draft(registrant, sample)
    answer = portal.save(registrant, draft["application_id"], {"household_size": "four"})
    assert answer.status == 422
    messages = answer.json["error"]["messages"]["/answers/household_size"]
    assert (messages["en"], messages["fr"]) == ("Enter a whole number, like 3.", "Saisissez un nombre entier, par exemple 3.")
