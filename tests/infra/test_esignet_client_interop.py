"""The standard client metadata `python -m infra.esignet_client --format oidc` prints, given as it
is to a certified OpenID provider (npm oidc-provider 8, tests/interop/): the provider accepts the
client, a person logs in through it, and logging out at the provider returns to the portal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from joserfc.jwk import RSAKey

from chalicelib.auth import oidc, providers
from infra.local.stack import REPO
from tests.auth.browser import Browser
from tests.interop.conftest import PEOPLE_FILE, PROVIDER_DIR, START_TIMEOUT_SECONDS, install_provider
from tests.support.api import Api
from tests.support.factories import SAMPLE_PEOPLE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("interop")]

PUBLIC_URL = "http://localhost:8000"
CLIENT_ID = "ssp-portal-from-metadata"
AMINA = SAMPLE_PEOPLE[0]


@pytest.fixture(scope="module")
def registered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The provider's issuer, with the portal registered from the printed metadata alone; and the portal's key file."""
    install_provider()
    folder = tmp_path_factory.mktemp("metadata")
    key_file = folder / "portal-key.jwk"
    metadata = _print_metadata(key_file)
    unused = RSAKey.generate_key(2048, parameters={"kid": "unused"}).as_dict(private=False)  # for the suite's own clients
    env = {
        **os.environ,
        "EXTRA_CLIENTS": json.dumps([metadata]),
        "PORTAL_JWK": json.dumps(unused),
        "REDIRECT_URI": PUBLIC_URL + "/api/auth/callback",
        "POST_LOGOUT_URI": PUBLIC_URL + "/",
        "PEOPLE_FILE": str(PEOPLE_FILE),
        "PLAIN_CLIENT_SECRET": "unused",
        "NODE_ENV": "test",
    }
    with open(folder / "provider.stderr", "w") as stderr:
        process = subprocess.Popen(["node", "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True)
    try:
        first_line: list[str] = []
        reader = threading.Thread(target=lambda: first_line.append(process.stdout.readline() if process.stdout else ""), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT_SECONDS)
        if not first_line or not first_line[0].strip():
            pytest.fail("oidc-provider refused the printed client metadata or did not start:\n" + (folder / "provider.stderr").read_text()[-3000:])
        yield json.loads(first_line[0])["issuer"], key_file
    finally:
        if process.stdin:
            process.stdin.close()  # the provider exits when its stdin closes
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _print_metadata(key_file: Path) -> dict[str, object]:
    """What an operator runs, as they run it."""
    command = ["-m", "infra.esignet_client", "--public-url", PUBLIC_URL, "--new-key", str(key_file), "--client-id", CLIENT_ID, "--format", "oidc"]
    output = subprocess.run([sys.executable, *command], capture_output=True, text=True, check=True, cwd=REPO).stdout
    return dict(json.loads(output))


@pytest.fixture
def portal(registered: tuple[str, Path], api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    issuer, key_file = registered
    entry = {"id": "ministry", "discovery_url": issuer + "/.well-known/openid-configuration", "client_id": CLIENT_ID, "signing_key": f"file:{key_file}"}
    monkeypatch.setenv("SSP_PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setenv("SSP_OIDC_PROVIDERS", json.dumps([entry]))
    yield api
    providers.forget_cached_secrets()
    oidc.forget_discovery()


def through_the_provider(at_provider: requests.Session, url: str, login: str) -> str:
    """Follow the provider's pages as a person would (its dev login and consent pages); the URL it
    finally sends the browser to on the portal."""
    for _ in range(15):
        if url.startswith(PUBLIC_URL):
            return url
        page = at_provider.get(url, allow_redirects=False, timeout=10)
        if page.status_code in (302, 303):
            url = urljoin(url, page.headers["Location"])
            continue
        assert page.status_code == 200, page.text[:2000]
        action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
        assert action, page.text[:2000]
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        prompt = re.search(r'name="prompt" value="([^"]+)"', page.text)
        if prompt:
            form["prompt"] = prompt.group(1)
            if prompt.group(1) == "login":
                form |= {"login": login, "password": "any"}
        else:
            form["logout"] = "yes"  # the provider's "do you want to sign out?" page
        answer = at_provider.post(urljoin(url, action.group(1)), data=form, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), answer.text[:2000]
        url = urljoin(url, answer.headers["Location"])
    raise AssertionError("the provider never sent the browser back to the portal")


def test_a_provider_given_the_printed_metadata_logs_a_person_in_and_out(portal: Api) -> None:
    browser, at_provider = Browser(portal), requests.Session()
    callback = through_the_provider(at_provider, browser.start_login("ministry", return_to="/programs"), AMINA["individual_id"])
    answer = browser.callback(callback)
    assert answer.status == 302, answer.body
    assert answer.headers["location"] == "/programs"
    assert browser.portal("/api/session").json["name"] == AMINA["name"]  # from the signed userinfo the metadata asked for

    csrf = browser.portal("/api/session").json["csrf_token"]
    logout = portal.post("/api/auth/logout", {}, headers={"Cookie": f"__Host-ssp_session={browser.cookies['__Host-ssp_session']}", "X-CSRF-Token": csrf})
    end_session_url = logout.json["end_session_url"]
    assert "id_token_hint" not in parse_qs(urlsplit(end_session_url).query)

    # Not registered: the provider refuses to send the browser there (so the next check means something).
    parts = urlsplit(end_session_url)
    elsewhere = {**{k: v[0] for k, v in parse_qs(parts.query).items()}, "post_logout_redirect_uri": PUBLIC_URL + "/elsewhere"}
    assert requests.get(urlunsplit(parts._replace(query=urlencode(elsewhere))), timeout=10).status_code == 400

    back = through_the_provider(at_provider, end_session_url, AMINA["individual_id"])
    assert urlsplit(back)._replace(query="").geturl() == PUBLIC_URL + "/"
    # The provider's session ended too: a new login asks the person to log in again (with the
    # session still alive, the provider would send the browser straight back to the portal).
    again = at_provider.get(browser.start_login("ministry"), timeout=10)
    assert 'name="prompt" value="login"' in again.text
