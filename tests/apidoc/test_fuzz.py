"""schemathesis over the OpenAPI document against the app on a loopback server: no 5xx, and
every answer conforms to the document (status codes, content types, error shape)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from chalicelib.apidoc.document import build_document
from tests.support.logs import captured_logs

pytestmark = [pytest.mark.fuzz, pytest.mark.xdist_group("fuzz")]

schema = schemathesis.openapi.from_dict(build_document())


@pytest.fixture(scope="module")
def live_api() -> Iterator[dict[str, Any]]:
    """The app served as `make dev` serves it, on a free port, AWS emulated in-process."""
    from moto import mock_aws

    from chalicelib.store.tables import create_missing_tables
    from infra.local.portal import make_portal_server, static_csp
    from infra.local.stack import free_port
    from tests.support.factories import as_staff, logged_in

    with mock_aws():
        create_missing_tables()
        person = logged_in()
        staff = as_staff("admin", "reviewer", "officer")
        port = free_port()
        server = make_portal_server("127.0.0.1", port, static_csp())
        thread = threading.Thread(target=server.server.serve_forever, daemon=True)
        thread.start()
        with captured_logs() as logs:
            yield {"base_url": f"http://127.0.0.1:{port}", "person": person, "staff": staff, "logs": logs}
        server.shutdown()
        server.server.server_close()


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_gets_a_server_error_or_breaks_the_document(case: schemathesis.Case, live_api: dict[str, Any]) -> None:
    _use_real_credentials(case, live_api)
    case.call_and_validate(
        base_url=live_api["base_url"],
        timeout=10,
        # A request can fit the document and still be refused for what it names: an id that is
        # not the caller's, a page cursor or version the server never issued. Refusing those is
        # right; every other check (no 5xx, invalid input refused, conformance) stays on.
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
    assert "unhandled_exception" not in live_api["logs"].getvalue()


def _use_real_credentials(case: schemathesis.Case, live_api: dict[str, Any]) -> None:
    """Where the generated case carries a credential, put a working one in its place; where a
    negative case left one out on purpose, leave it out. Each case gets a fresh session, since
    one of the operations is logging out."""
    from tests.support.factories import logged_in

    cookies = case.cookies or {}
    headers = case.headers or {}
    if "__Host-ssp_session" in cookies or "X-CSRF-Token" in headers:
        person = logged_in()
        if "__Host-ssp_session" in cookies:
            cookies["__Host-ssp_session"] = person.session_id
        if "X-CSRF-Token" in headers:
            headers["X-CSRF-Token"] = person.csrf_token
    if "Authorization" in headers:
        headers["Authorization"] = f"Bearer {live_api['staff'].token}"
    case.cookies, case.headers = cookies, headers
