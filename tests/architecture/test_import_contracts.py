"""The import contracts of pyproject.toml hold, and would catch a new cycle or an upward import.

Each refusal is shown on a temporary copy of the code with one forbidden import added: the same
`lint-imports` that `make check` runs must then fail and name the contract."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=300
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    for package in ("chalicelib", "edge_agent", "infra", "tests"):
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__", "node_modules", "*.json", "*.yaml"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def _with_line(copy: Path, module: str, line: str) -> Path:
    """The copy with ``line`` appended to ``module``; the caller restores it."""
    path = copy / module
    path.write_text(path.read_text() + "\n" + line + "\n")
    return path


def test_the_code_keeps_every_contract() -> None:
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # An area reaching up (registrants below programs), hidden inside a function.
        ("chalicelib/registrants/records.py", "def _up() -> None:\n    from chalicelib.programs import service", "chalicelib's parts import downwards only"),
        # The base of the routes knowing an area again.
        ("chalicelib/web.py", "from chalicelib.auth import resolver", "chalicelib's parts import downwards only"),
        # Two files of one area importing each other.
        ("chalicelib/registrants/records.py", "def _loop() -> None:\n    from chalicelib.registrants import profile", "No module imports another in a circle"),
        # One area's route module reaching into another's.
        ("chalicelib/devices/on_behalf.py", "from chalicelib.programs.routes import bp", "No module imports an area's routes"),
        ("chalicelib/config.py", "def _local() -> None:\n    import infra.local.stack", "Deployed code imports neither the local stack nor the tests"),
        ("edge_agent/outbox.py", "def _portal() -> None:\n    import chalicelib.config", "The edge agent is a program of its own"),
    ],
)
def test_a_forbidden_import_breaks_make_check(copy: Path, module: str, line: str, contract: str) -> None:
    path = copy / module
    original = path.read_text()
    try:
        _with_line(copy, module, line)
        result = _lint(copy)
    finally:
        path.write_text(original)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(row.startswith(contract) for row in broken), result.stdout
