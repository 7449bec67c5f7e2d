"""The repeating group's JavaScript stays small: at most 5 KB gzipped (issue 14), measured from the build."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
from pathlib import Path

from tests.browser.setup import FRONTEND, ensure_node_packages

GROUP_PAGES = FRONTEND / "src/pages/application/group_pages.tsx"
LIMIT = 5 * 1024


def _gzipped(entry: Path, source: str | None, tmp_path: Path) -> int:
    """The entry bundled alone (what it shares with the app left out), minified and gzipped."""
    if source is not None:
        entry.write_text(source)
    out = tmp_path / entry.stem
    env = {**os.environ, "ENTRY": str(entry), "OUT_DIR": str(out)}
    done = subprocess.run(["npx", "vite", "build", "--config", "measure/group.config.mjs"], cwd=FRONTEND, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return len(gzip.compress((out / "group.js").read_bytes(), 9))


def _parts_of_other_modules() -> str:
    """The group's code that lives in shared modules: its member cards and its form model."""
    answers = (FRONTEND / "src/pages/application/answers.tsx").read_text()
    model = (FRONTEND / "src/forms/model.ts").read_text()
    cards = answers[answers.index("export function MemberCards(") : answers.index("export function AnswersSummary(")]
    repeat = model[model.index("function repeatOf(") : model.index("function holds(")]
    source = FRONTEND / "src"
    imports = (
        f"import {{ SummaryList }} from '{source}/components/govuk';\n"
        f"import {{ buildModel, getAt, visibleFields, type Answers, type Field, type JsonSchema, type Repeat, type UiSchema }} from '{source}/forms/model';\n"
        f"import {{ localized, t }} from '{source}/i18n';\n"
        f"import {{ memberLabel }} from '{source}/pages/application/group_pages';\n"
        f"import {{ displayValue }} from '{source}/pages/application/answers';\n"
        "type Named = { document_id: string; file_name: string };\n"
        "const bidiSafe = (text: string) => text;\n"
    )
    return imports + cards + "\nexport " + re.sub(r"^function ", "function ", repeat)


def test_the_repeating_group_adds_at_most_5_kb_of_gzipped_javascript(tmp_path: Path) -> None:
    ensure_node_packages()
    pages = _gzipped(GROUP_PAGES, None, tmp_path)
    parts = _gzipped(tmp_path / "group_parts.tsx", _parts_of_other_modules(), tmp_path)
    assert pages + parts <= LIMIT, f"the group's JavaScript is {pages} + {parts} bytes gzipped"
    print(f"group pages {pages} B + cards and model {parts} B = {pages + parts} B gzipped (limit {LIMIT})")
