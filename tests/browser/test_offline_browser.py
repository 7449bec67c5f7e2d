"""A dropped connection loses nothing, in a real browser (tests/browser/offline.mjs) against a
local stack of its own: answers typed, the connection lost, the page reloaded offline, the
answers found, saved on the server once back online, and nothing left on the device after logout."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_browser import run_script, stack  # noqa: F401 - the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_answers_typed_offline_survive_a_reload_and_reach_the_server_once_back_online(stack: dict[str, Any]) -> None:  # noqa: F811 - the fixture
    result = run_script(stack, "offline.mjs", PERSON="8267411571")
    assert result["steps"] == [
        "service worker installed and in control",
        "offline reload: the page and the typed answer came back",
        "save offline: kept on this phone, said so",
        "back online: saved on the server, said so",
        "logout: nothing of the person left on the device",
    ]
