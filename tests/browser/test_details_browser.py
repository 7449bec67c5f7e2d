"""What people type is accepted and each message says what is wrong, in Arabic at 320 px with the
keyboard (see tests/browser/details.mjs)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_browser import run_script, stack  # noqa: F401 - the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_details_and_a_question_page_accept_what_an_arabic_keyboard_types_at_320_px(stack: dict[str, Any]) -> None:  # noqa: F811 - the fixture
    result = run_script(stack, "details.mjs")
    assert len(result["steps"]) == 3, result["steps"]
