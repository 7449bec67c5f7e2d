"""`make package` on a machine that cannot reach PyPI and has no wheels yet: a clear message
saying what to do, not a traceback from Chalice's pip."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from infra import package

pytestmark = pytest.mark.xdist_group("infra-package")


def _refused_url() -> str:
    """An index on the loopback that refuses every connection: as offline as pip can be."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/simple"


@pytest.fixture
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No wheels fetched yet (a fresh clone) and no PyPI; the wheelhouse folder it would use."""
    monkeypatch.setattr(package, "WHEELHOUSE", tmp_path / "wheels")
    for name in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PIP_INDEX_URL", _refused_url())
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "5")
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    return package.wheelhouse_folder()


def _assert_explains(message: str, wheels: Path) -> None:
    assert "Traceback" not in message and "NoSuchPackageError" not in message
    assert "needs PyPI once" in message
    assert f"-d {wheels}" in message and f"touch {wheels}/.complete" in message, "how to provide the wheels by hand"
    assert "--platform manylinux2014_x86_64" in message


def test_a_first_packaging_without_pypi_says_it_needs_pypi_once_or_the_wheels(offline: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        package.main(["--stage", "dev", "--out", str(tmp_path / "out")])
    message = str(stopped.value.code)
    _assert_explains(message, offline)
    assert "pip said:" in message
    assert not (tmp_path / "out" / "sam.json").exists()
    assert not list(offline.parent.iterdir()), "no half-fetched wheelhouse is left to be taken for a complete one"


def test_a_wheelhouse_missing_a_wheel_is_explained_too(offline: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wheelhouse marked complete by hand but missing a wheel: Chalice's pip, told to use it
    alone, fails (Chalice reuses its own cache when nothing changed, so its failure is replayed)."""
    offline.mkdir(parents=True)
    (offline / ".complete").touch()
    chalice_failure = (
        "Traceback (most recent call last):\n"
        '  File ".../chalice/deploy/packager.py", line 1053, in build_site_packages\n'
        "chalice.deploy.packager.NoSuchPackageError: Could not satisfy the requirement: boto3==1.44.8\n"
    )

    def chalice(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        assert kwargs["env"]["PIP_FIND_LINKS"] == str(offline) and kwargs["env"]["PIP_NO_INDEX"] == "1"  # type: ignore[index]
        return subprocess.CompletedProcess(command, 2, "", chalice_failure)

    monkeypatch.setattr(package.subprocess, "run", chalice)
    with pytest.raises(SystemExit) as stopped:
        package.package("dev", tmp_path / "out")
    message = str(stopped.value.code)
    _assert_explains(message, offline)
    assert "chalice said: Could not satisfy the requirement: boto3==1.44.8" in message
