"""The form builder in a real browser (see tests/browser/builder.mjs): a form built from nothing
without JSON, previewed in three languages and at a phone's width, published, then changed;
axe-core on every page of it, in English, French and Arabic and at 320 px."""

from __future__ import annotations

from typing import Any

import pytest

from infra.local.stack import REPO
from tests.browser.test_browser import run_script, stack  # noqa: F401 - the fixture

# Its own folder: another browser test's stack empties test-artifacts/browser when it starts.
ARTEFACTS = REPO / "test-artifacts" / "builder"

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_an_administrator_builds_previews_publishes_and_changes_a_form_without_json(stack: dict[str, Any]) -> None:  # noqa: F811 - the fixture
    result = run_script(stack, "builder.mjs", ARTIFACTS=str(ARTEFACTS))
    assert result["steps"] == [
        "a choose-one with a condition, in words",
        "a phone number with its own error message in three languages, a date",
        "household members with a document per child, on a second page",
        "the draft saved by itself",
        "preview: the condition, the phone message in French at 320 px, Arabic, the children page",
        "what is missing is listed, each linked to its place",
        "undo brings a removed question back",
        "questions reordered with the keyboard, the focus kept",
        "published: the server holds the subset the builder wrote",
        "a new version says what changed; a question copied from the bank",
        "the builder in English, French and Arabic, and at 320 px",
    ]
