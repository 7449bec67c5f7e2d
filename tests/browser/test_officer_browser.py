"""The officer's assisted journey in a real browser (tests/browser/officer.mjs) against a local
stack of its own (free ports, fresh data), whose launcher runs the edge agent's local service
beside the SBI simulator: pairing, refusals, verification, an application on the person's
behalf, and the person seeing it afterwards."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_browser import _staff_token, run_script, stack  # noqa: F401 - `stack` is the fixture: a stack for this module

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_an_officer_pairs_verifies_and_applies_with_a_person_who_then_sees_it(stack: dict[str, Any]) -> None:  # noqa: F811 - the fixture
    ports = stack["ports"]
    result = run_script(
        stack,
        "officer.mjs",
        EDGE_URL=f"http://127.0.0.1:{ports['edge']}",
        SBI_URL=f"http://127.0.0.1:{ports['sbi']}",
        IDP_URL=f"http://127.0.0.1:{ports['idp']}",
        PERSON="8267411571",
        ADMIN_TOKEN=_staff_token(stack, "admin"),
    )
    assert re.fullmatch(r"[A-Z0-9][A-Z0-9-]{5,}", result["reference"])
    assert result["steps"] == [
        "two consoles paired at once, each with its own code (the other's refused), one unpaired without the other",
        "device not ready and low quality refused in plain words, then verified with the quality shown",
        "sign-in expired mid-form: signed in again, back on the same page with what was typed",
        "offline at the desk: said so, the draft kept, saved when the network came back",
        "session ended while filling: the draft came back in the next session with the person",
        "applied with the person: form, a document, the statement read in French and agreed, submitted",
        "the submission is in the officer's list of today",
        "a page of another origin cannot read or drive the agent, even with the secret",
        "the person logs in and sees it was submitted with the help of an officer",
    ]
