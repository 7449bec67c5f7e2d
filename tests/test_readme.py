"""The README documents every setting, with the default the code uses."""

from __future__ import annotations

from pathlib import Path

from chalicelib.config import SETTINGS

README = Path(__file__).resolve().parents[1] / "README.md"


def settings_table() -> str:
    rows = [f"| `{s.name}` | {f'`{s.default}`' if s.default else '(empty)'} | {s.help} |" for s in SETTINGS.values()]
    return "| variable | default | meaning |\n|---|---|---|\n" + "\n".join(rows)


def test_the_readme_lists_every_setting_with_its_default() -> None:
    text = README.read_text()
    assert settings_table() in text, "README's configuration table is out of date: run `make readme`"


def test_the_readme_gives_the_two_commands() -> None:
    text = README.read_text()
    assert "make dev" in text and "make test" in text


if __name__ == "__main__":  # `make readme` rewrites the table
    text = README.read_text()
    head, rest = text.split("<!-- settings -->\n", 1)
    tail = rest[rest.index("<!-- /settings -->") :]
    README.write_text(head + "<!-- settings -->\n" + settings_table() + "\n" + tail)
