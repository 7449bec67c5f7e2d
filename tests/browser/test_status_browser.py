"""The status check without logging in, in a real browser (see tests/browser/status.mjs)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_browser import run_script, stack  # noqa: F401 - the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_the_status_check_answers_alike_in_three_languages_at_320_px_with_the_keyboard(stack: dict[str, Any]) -> None:  # noqa: F811 - the fixture
    result = run_script(stack, "status.mjs")
    assert result["steps"] == ["status check in en", "status check in fr", "status check in ar"]
