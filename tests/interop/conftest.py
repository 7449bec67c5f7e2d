"""The interop suite's provider: npm ``oidc-provider@8`` (a certified OpenID provider), installed
here by ``npm ci`` from the committed lock file and started on a free loopback port."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from joserfc.jwk import RSAKey

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
PEOPLE_FILE = Path(__file__).resolve().parents[2] / "infra/local/sample_people.json"
PUBLIC_URL = "http://localhost:8000"
PLAIN_CLIENT_SECRET = "interop-plain-secret"
START_TIMEOUT_SECONDS = 30


@dataclass
class CertifiedProvider:
    issuer: str
    portal_key: RSAKey

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"


def install_provider() -> None:
    """``npm ci`` once per lock file; concurrent test workers wait for each other."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("The interop suite needs Node.js 18+ and npm on PATH (the frontend needs them too).")
    installed = PROVIDER_DIR / "node_modules" / ".package-lock.json"
    lock = PROVIDER_DIR / "package-lock.json"
    with open(Path(tempfile.gettempdir()) / "ssp-interop-npm.lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime and (PROVIDER_DIR / "node_modules/oidc-provider").exists():
            return
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PROVIDER_DIR, check=True, timeout=300)


@pytest.fixture(scope="session")
def certified_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CertifiedProvider]:
    install_provider()
    portal_key = RSAKey.generate_key(2048, parameters={"kid": "portal-interop-1", "use": "sig", "alg": "RS256"})
    stderr_path = tmp_path_factory.mktemp("interop") / "provider.stderr"
    env = {
        **os.environ,
        "PORTAL_JWK": json.dumps(portal_key.as_dict(private=False)),
        "REDIRECT_URI": PUBLIC_URL + "/api/auth/callback",
        "POST_LOGOUT_URI": PUBLIC_URL + "/",
        "PEOPLE_FILE": str(PEOPLE_FILE),
        "PLAIN_CLIENT_SECRET": PLAIN_CLIENT_SECRET,
        "NODE_ENV": "test",
    }
    with open(stderr_path, "w") as stderr:
        process = subprocess.Popen(["node", "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True)
    try:
        first_line: list[str] = []
        reader = threading.Thread(target=lambda: first_line.append(process.stdout.readline() if process.stdout else ""), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT_SECONDS)
        if not first_line or not first_line[0].strip():
            pytest.fail("oidc-provider did not start:\n" + stderr_path.read_text()[-3000:])
        yield CertifiedProvider(issuer=json.loads(first_line[0])["issuer"], portal_key=portal_key)
    finally:
        if process.stdin:
            process.stdin.close()  # the provider exits when its stdin closes
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
