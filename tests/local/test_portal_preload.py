"""A page's HTML names what the page will ask for (its API reads and the session; its code is in
the HTML itself) in a ``Link`` header, so that a phone on a slow network asks for them as soon as the HTML arrives
(issue 21): the local stack's portal and CloudFront's viewer-response function give the same
header, both from the build's ``page-links.json``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from infra.local import portal
from tests.browser.setup import ensure_build

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "infra" / "template.yaml"
CSP = portal.static_csp()
APPLICATION = "01J9ZK3Q7W8X2M4N6P8R0T2V4X"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="the frontend's build needs node")


@pytest.fixture(scope="module")
def dist() -> Path:
    return ensure_build()


def links_of(path: str) -> list[tuple[str, str]]:
    """(URL, rel and attributes) of each link in the Link header the portal sends with ``path``."""
    status, headers, _ = portal.static_response(path, "gzip", CSP)
    assert status == 200
    return [(m[1], m[2]) for m in re.finditer(r"<([^>]*)>;\s*([^,]*)", headers.get("Link", ""))]


def test_an_application_page_names_its_read_and_the_session_not_its_code(dist: Path) -> None:
    links = links_of(f"/applications/{APPLICATION}/pages/household")
    assert links == [(f"/api/applications/{APPLICATION}/screen", "rel=preload; as=fetch; crossorigin"), ("/api/session", "rel=preload; as=fetch; crossorigin")]
    assert '<script type="module">' in (dist / "index.html").read_text(), "the app's code comes with the HTML itself"


def test_each_page_names_its_own_reads(dist: Path) -> None:
    assert [url for url, _ in links_of("/programs")] == ["/api/programs", "/api/session"]
    assert [url for url, _ in links_of("/messages")][:2] == ["/api/me/messages?limit=50", "/api/session"]
    assert [url for url, _ in links_of("/programs/child-support-grant")][:2] == ["/api/programs/child-support-grant", "/api/applications"]
    assert [url for url, _ in links_of("/")] == ["/api/session"]


def test_files_unknown_paths_and_odd_ids_get_no_link(dist: Path) -> None:
    for path in ["/index.html", "/boot.js", "/sw.js", "/nowhere/at/all", "/me/", "/applications/", "/applications/a%3E,%3C/x/check", "/applications/a;b"]:
        assert links_of(path) == [], path


def cloudfront_functions() -> tuple[str, str]:
    resources = yaml.safe_load(TEMPLATE.read_text())["Resources"]
    return resources["FrontendRoutingFunction"]["Properties"]["FunctionCode"], resources["FrontendPageLinksFunction"]["Properties"]["FunctionCode"]


def run_at_the_edge(dist: Path, tmp_path: Path, paths: list[str]) -> dict[str, Any]:
    """Each path through CloudFront's two functions (viewer request, then viewer response on the
    HTML), their key value store holding the build's page-links.json: the file served (``uri``)
    and the Link header (``link``, or None)."""
    routing, page_links = cloudfront_functions()
    assert page_links.startswith("import cf from 'cloudfront';")
    store = json.loads((dist / portal.PAGE_LINKS).read_text())
    fake_cloudfront = (
        f"const data = {json.dumps(store)};\n"
        "const cf = { kvs: () => ({ get: async (key) => { if (!(key in data)) throw new Error('no key'); return data[key]; } }) };\n"
    )
    script = tmp_path / "edge.mjs"
    script.write_text(
        "const routing = (() => {\n" + routing + "\nreturn handler; })();\n"
        "const pageLinks = await (async () => {\n" + fake_cloudfront + page_links.replace("import cf from 'cloudfront';", "") + "\nreturn handler; })();\n"
        f"const out = {{}};\nfor (const path of {json.dumps(paths)}) {{\n"
        "  const request = routing({ request: { uri: path, headers: {}, querystring: {}, cookies: {} } });\n"
        "  const response = await pageLinks({ request, response: { statusCode: 200, headers: { 'content-type': { value: 'text/html' } } } });\n"
        "  out[path] = { uri: request.uri, link: response.headers.link ? response.headers.link.value : null };\n"
        "}\nconsole.log(JSON.stringify(out));\n"
    )
    done = subprocess.run(["node", str(script)], capture_output=True, text=True, check=True, timeout=60)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_cloudfront_gives_each_page_the_same_link_header_as_the_local_stack(dist: Path, tmp_path: Path) -> None:
    paths = [
        "/",
        "/login",
        "/programs",
        "/programs/child-support-grant",
        f"/applications/{APPLICATION}",
        f"/applications/{APPLICATION}/pages/household",
        f"/applications/{APPLICATION}/documents",
        "/me",
        "/me/contacts",
        "/messages",
        "/status",
        "/me/",
        "/applications/a;b",
        "/index.html",
    ]
    at_the_edge = run_at_the_edge(dist, tmp_path, paths)
    for path in paths:
        _, headers, _ = portal.static_response(path, "", CSP)
        assert at_the_edge[path]["link"] == headers.get("Link"), path
    assert at_the_edge[f"/applications/{APPLICATION}"]["link"], "the application's page has links"


def test_cloudfront_serves_each_path_the_page_the_local_stack_does(dist: Path, tmp_path: Path) -> None:
    """The registrant app's page (its code inline) and the staff console's (its code in files)."""
    expected = {
        "/": "/index.html",
        "/programs": "/index.html",
        "/staffing": "/index.html",
        "/staff": "/staff.html",
        "/staff/officer/sessions/s-1": "/staff.html",
        "/boot.js": "/boot.js",
    }
    at_the_edge = run_at_the_edge(dist, tmp_path, list(expected))
    for path, served in expected.items():
        assert at_the_edge[path]["uri"] == served, path
        _, _, body = portal.static_response(path, "", CSP)
        assert body == (dist / served.lstrip("/")).read_bytes(), path
