"""What the browser tests need on a fresh machine: Debian's Chromium and fonts, the frontend's
Node packages (npm ci from the committed lock) and a current build. Each step runs only when
what it makes is missing or older than what it is made from, so `make test` after `make
frontend` does nothing here."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from infra.local.stack import REPO

FRONTEND = REPO / "frontend"
CHROMIUM = Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
DEBIAN_PACKAGES = ["chromium", "chromium-driver", "fonts-noto-core"]


def ensure_chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise RuntimeError(f"Chromium is missing at {CHROMIUM}: install the Debian packages {' '.join(DEBIAN_PACKAGES)}.")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *DEBIAN_PACKAGES], check=True, env=env)
    return CHROMIUM


def _newest(paths: list[Path]) -> float:
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def ensure_node_packages() -> None:
    installed = FRONTEND / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < (FRONTEND / "package-lock.json").stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=FRONTEND, check=True)


def ensure_build() -> Path:
    ensure_node_packages()
    built = FRONTEND / "dist" / "index.html"
    sources = [p for p in (FRONTEND / "src").rglob("*") if p.is_file()]
    sources += [FRONTEND / name for name in ("index.html", "vite.config.ts", "package-lock.json")]
    sources += [p for p in (FRONTEND / "public").rglob("*") if p.is_file()]
    if not built.exists() or built.stat().st_mtime < _newest(sources):
        subprocess.run(["npm", "run", "--silent", "build"], cwd=FRONTEND, check=True)
    return built.parent
