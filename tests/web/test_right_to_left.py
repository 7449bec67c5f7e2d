"""The Arabic stylesheet keeps left-to-right what must read left to right.

The RTL twin of each stylesheet is made by rtlcss, which flips every ``direction: ltr``. Phone
numbers, emails, references and file names are marked ``.ssp-ltr`` so that "+254700111222" does not
read "254700111222+" inside Arabic text; that one rule must survive the flip. The build's own
output is read (``make test`` builds the frontend first)."""

from __future__ import annotations

import re
from pathlib import Path

DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist" / "assets"


def _rule(css: str) -> str:
    found = re.search(r"\.ssp-ltr\{([^}]*)\}", css)
    assert found, "no .ssp-ltr rule in the stylesheet"
    return found.group(1)


def test_the_arabic_stylesheet_keeps_phone_numbers_and_references_left_to_right() -> None:
    twins = sorted(DIST.glob("*.rtl.css"))
    assert twins, "build the frontend first (make frontend)"
    for twin in twins:
        css = twin.read_text()
        if ".ssp-ltr{" not in css:
            continue
        assert "direction:ltr" in _rule(css)
        left_to_right = twin.with_name(twin.name.replace(".rtl.css", ".css")).read_text()
        assert _rule(css) == _rule(left_to_right)
        assert "float:right" in css or "right:" in css  # the rest of the twin is still flipped
