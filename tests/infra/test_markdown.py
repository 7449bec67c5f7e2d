"""The README and the docs render: every code fence stands alone on its line.

A closing fence with text after it (```` ``` Ctrl-C stops...````) is not a closing fence for
Markdown: everything after it, to the end of the page, renders as code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = sorted([REPO / "README.md", REPO / "infra" / "README.md", *(REPO / "docs").glob("*.md")])
OPENING = re.compile(r"^(`{3,})[A-Za-z0-9_+-]*$")  # an opening fence may name its language


def fence_problems(text: str) -> list[str]:
    problems = []
    open_fence: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if "```" not in stripped:
            continue
        if open_fence is None:
            opening = OPENING.match(stripped)
            if opening:
                open_fence = opening.group(1)
            elif stripped.startswith("```"):
                problems.append(f"line {number}: an opening fence carries text besides its language: {stripped[:60]!r}")
            elif stripped.endswith("```") or re.search(r"(^|\s)```", stripped):
                problems.append(f"line {number}: a fence must stand alone on its line: {stripped[:60]!r}")
        elif stripped == open_fence:
            open_fence = None
        elif stripped.startswith(open_fence):
            problems.append(f"line {number}: a closing fence carries text: {stripped[:60]!r}")
    if open_fence is not None:
        problems.append("a code fence is never closed")
    return problems


def test_the_check_finds_text_after_a_closing_fence_and_an_unclosed_fence() -> None:
    assert fence_problems("```sh\nmake dev\n```\n\nText.\n") == []
    assert fence_problems("```sh\nmake dev\n``` Ctrl-C stops everything.\n") == [
        "line 3: a closing fence carries text: '``` Ctrl-C stops everything.'",
        "a code fence is never closed",
    ]
    assert fence_problems("Run it: ```make dev```\n")[0].startswith("line 1: a fence must stand alone")
    assert fence_problems("```sh make dev\n```\n")[0].startswith("line 1: an opening fence carries text")
    assert fence_problems("  ```json\n  {}\n  ```\n") == [], "fences inside list items are indented"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_code_fence_stands_alone_on_its_line(page: Path) -> None:
    assert not fence_problems(page.read_text()), "\n".join(fence_problems(page.read_text()))
