"""The server's Arabic answer messages keep a phone number's digit groups in order: right-to-left
text would show "0712 345 678" as "678 345 0712" unless the number is isolated left to right."""

from __future__ import annotations

import re

from chalicelib.forms.messages import KIND_MESSAGES, MESSAGES

GROUPED_NUMBER = re.compile(r"\+?\d{2,4}(?: \d{3}){2,}")


def test_every_grouped_number_in_an_arabic_message_is_isolated_left_to_right() -> None:
    every = [*MESSAGES.values(), *KIND_MESSAGES.values()]
    unisolated = [
        f"{texts['en']}: {match.group()}"
        for texts in every
        for match in GROUPED_NUMBER.finditer(texts.get("ar", ""))
        if texts["ar"][match.start() - 1 : match.start()] != "\u2066" or texts["ar"][match.end() : match.end() + 1] != "\u2069"
    ]
    assert unisolated == []
    assert any(GROUPED_NUMBER.search(texts.get("ar", "")) for texts in every), "the phone messages give an example"
