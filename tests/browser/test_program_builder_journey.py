"""Issue 15 end to end in a real browser: an administrator signed in through the dev IdP sets up a
Child Support Grant with the programme's task list, builds its form from nothing with the form
builder (two pages, a date, a phone number with its own error message in three languages, a
choose-one with a conditional question, a household of children each with a birth certificate)
without typing JSON, publishes and maps it, opens the programme, a person applies with it, and the
programme moves to a new version from the task list (tests/browser/program_builder_journey.mjs). axe-core finds nothing on any page, the builder's
included; screenshots go to test-artifacts/browser/ beside test_browser.py's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.setup import ensure_build, ensure_chromium
from tests.browser.test_browser import ARTEFACTS, run_script
from tests.support.local_stack import local_stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def builder_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A stack of its own (a fresh sample person can apply), leaving other tests' screenshots in place."""
    ensure_chromium()
    ensure_build()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with local_stack(Path(tmp_path_factory.mktemp("builder-journey")) / "data") as stack:
        yield stack


def test_an_administrator_builds_the_child_support_grant_without_json_and_a_person_applies(builder_stack: dict[str, Any]) -> None:
    result = run_script(builder_stack, "program_builder_journey.mjs", PERSON="8267411571")
    assert result["reference"], result["steps"]
    for expected in (
        "administrator: programme created; its task list says what is missing before it can open",
        "administrator: details in three languages, closing day picked, decision in 30 days",
        "administrator: page 2 a household of children, each with a birth certificate; nothing missing; published",
        "administrator: version 1 mapped from the task list, programme opened",
        "person: the phone number’s own message in English, French and Arabic",
        "administrator: programme moved to version 2 from the task list",
    ):
        assert expected in result["steps"], result["steps"]
