"""After sending: my applications, everything you have sent us, the receipt and the export, read
back at 360 and 320 px in English and Arabic, in a real browser (see tests/browser/answers.mjs)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_browser import PEOPLE, run_script, stack  # noqa: F401 - the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_what_i_sent_reads_back_on_a_phone_in_english_and_arabic(stack: dict[str, Any]) -> None:  # noqa: F811 - the fixture
    result = run_script(stack, "answers.mjs", PERSON=PEOPLE["en"])
    assert result["steps"] == ["sent", "en at 360 px", "en at 320 px", "ar at 360 px", "ar at 320 px"]
