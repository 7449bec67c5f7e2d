"""Security headers on every API answer and on the static frontend."""

from __future__ import annotations

from tests.support.api import Api, AsRegistrant


def test_api_answers_carry_nosniff_referrer_policy_and_no_store(api: Api, registrant: AsRegistrant) -> None:
    for answer in (api.get("/api/session", as_=registrant), api.get("/api/health"), api.post("/api/auth/logout", {})):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


def test_static_files_carry_a_strict_csp() -> None:
    from infra.local.portal import static_csp, static_response

    status, headers, body = static_response("/", "", static_csp())
    csp = headers["Content-Security-Policy"]
    assert status == 200 and b"<html" in body
    # Inline code: only index.html's own, named by hash in its <meta> policy, which the page obeys
    # as well (tests/browser/test_browser.py checks it against the build).
    assert "script-src 'self' 'unsafe-inline';" in csp
    assert "unsafe-eval" not in csp and "default-src 'self'" in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_static_paths_cannot_escape_the_frontend_folder() -> None:
    from infra.local.portal import static_csp, static_response

    _, headers, body = static_response("/../../.chalice/config.json", "", static_csp())
    assert b"app_name" not in body
    assert headers["Content-Type"].startswith("text/html")


def test_unknown_client_paths_fall_back_to_the_app_page() -> None:
    from infra.local.portal import static_csp, static_response

    _, headers, body = static_response("/applications/123/timeline", "gzip", static_csp())
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "no-cache"


def test_the_staff_console_has_a_page_of_its_own() -> None:
    from infra.local.portal import FRONTEND_DIST, static_csp, static_response
    from tests.browser.setup import ensure_build

    ensure_build()
    for path in ("/staff", "/staff/officer/sessions/s-1"):
        _, _, body = static_response(path, "", static_csp())
        assert body == (FRONTEND_DIST / "staff.html").read_bytes()
    _, _, body = static_response("/staffing", "", static_csp())
    assert body == (FRONTEND_DIST / "index.html").read_bytes()
