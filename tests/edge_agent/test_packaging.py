"""`pip install .` gives an `ssp-edge-agent` that works away from this repository, with nothing but
the dependencies pyproject.toml declares.

Offline: the wheel is built from a copy of pyproject.toml and edge_agent/ alone with this venv's
setuptools (no build isolation, no index), installed into an empty venv, and the declared
dependencies (with what they need in turn) are lent to it from this venv, nothing else. The
installed command then lists the simulator's devices and checks their signatures against a
trust store, which needs requests, joserfc and cryptography.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from infra.local.sbi import Simulator
from infra.local.stack import REPO
from tests.edge_agent.conftest import ports_of

pytestmark = pytest.mark.xdist_group("edge-agent")

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
STANDARD_LIBRARY = set(sys.stdlib_module_names)


def _declared() -> list[Requirement]:
    return [Requirement(line) for line in PYPROJECT["project"]["dependencies"]]


def _imported_by_the_agent() -> set[str]:
    """Top-level modules the agent's code imports (at the top or inside a function)."""
    names: set[str] = set()
    for path in (REPO / "edge_agent").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - STANDARD_LIBRARY - {"__future__", "edge_agent"}


def _closure(requirements: list[Requirement]) -> list[metadata.Distribution]:
    """The installed distributions the requirements need, with what those need in turn."""
    found: dict[str, metadata.Distribution] = {}
    todo = list(requirements)
    while todo:
        requirement = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        key = requirement.name.lower().replace("_", "-")
        if key in found:
            continue
        found[key] = metadata.distribution(requirement.name)
        todo += [Requirement(r) for r in found[key].requires or []]
    return list(found.values())


def _top_level(distribution: metadata.Distribution) -> set[str]:
    tops = {f.parts[0] for f in distribution.files or [] if len(f.parts) and f.parts[0] != ".." and not f.parts[0].endswith(".data")}
    return {t for t in tops if t != "__pycache__"}


def _modules(distribution: metadata.Distribution) -> set[str]:
    return {name.split(".")[0] for name in _top_level(distribution) if not name.endswith(".dist-info")}


def test_the_declared_dependencies_cover_what_the_agent_imports() -> None:
    imported = _imported_by_the_agent()
    provided = {name for dist in _closure(_declared()) for name in _modules(dist)}
    assert imported <= provided, f"imported but not declared: {imported - provided}"
    direct = {name for r in _declared() for name in _modules(metadata.distribution(r.name))}
    assert imported == direct  # and nothing declared that the agent does not import


def test_pip_install_gives_a_working_ssp_edge_agent_outside_the_repository(tmp_path: Path, simulator: Simulator) -> None:
    source = tmp_path / "source"
    shutil.copytree(REPO / "edge_agent", source / "edge_agent", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", source / "pyproject.toml")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    offline_build = ["wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp_path / "dist"), str(source)]
    built = subprocess.run([*pip, *offline_build], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("ssp_edge_agent-*.whl")
    with zipfile.ZipFile(wheel) as contents:
        packaged = {name.split("/")[0] for name in contents.namelist()}
        wheel_metadata = contents.read(next(n for n in contents.namelist() if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = contents.read(next(n for n in contents.namelist() if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert {p for p in packaged if not p.endswith(".dist-info")} == {"edge_agent"}  # the agent only, not the portal
    assert "ssp-edge-agent = edge_agent.__main__:main" in entry_points
    assert sorted(line.removeprefix("Requires-Dist: ") for line in wheel_metadata.splitlines() if line.startswith("Requires-Dist:")) == sorted(
        str(r) for r in _declared()
    )

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    installed = subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stderr
    _lend_declared_dependencies(python, tmp_path / "lent")

    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    agent = str(venv / "bin" / "ssp-edge-agent")
    help_text = subprocess.run([agent, "--help"], cwd=away, env=env, capture_output=True, text=True, timeout=60)
    assert help_text.returncode == 0, help_text.stderr
    assert "enrol" in help_text.stdout and "capture" in help_text.stdout
    portal = subprocess.run([str(python), "-c", "import chalicelib"], cwd=away, env=env, capture_output=True, text=True, timeout=60)
    assert portal.returncode != 0  # nothing of the repository is reachable from there

    home = tmp_path / "agent-home"
    listed = subprocess.run(
        [agent, "--home", str(home), "devices", "--ports", ports_of(simulator), "--trust-store", str(simulator.pki.trust_store_path), "--json"],
        cwd=away,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    devices = json.loads(listed.stdout)
    assert [(d["type"], d["info"]["signature"]) for d in devices] == [("Finger", "trusted"), ("Face", "trusted"), ("Iris", "trusted")]


def _lend_declared_dependencies(python: Path, lent: Path) -> None:
    """Make exactly the declared dependencies (and theirs) importable in the new venv: links to
    this venv's copies, on a path file, as if pip had installed them from an index."""
    lent.mkdir()
    for distribution in _closure(_declared()):
        root = Path(str(distribution.locate_file("")))
        for name in _top_level(distribution):
            (lent / name).symlink_to(root / name)
    site_packages = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True)
    (Path(site_packages.stdout.strip()) / "lent-dependencies.pth").write_text(str(lent) + "\n")
