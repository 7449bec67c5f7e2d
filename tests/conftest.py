"""Fixtures shared by every test area: moto-backed AWS, the app's test client, factories, and a
watch on the portal's logs during every test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import environment

# Before the app is imported: Chalice's test client sets the stage's environment variables only
# while a handler runs, so anything read outside a handler (a fixture creating tables, a test
# reading items back) must find the same values in the process's environment.
environment.apply()

from chalice.test import Client, TestHTTPClient  # noqa: E402

from app import app as chalice_app  # noqa: E402
from tests.support.api import Api, AsRegistrant, AsStaff  # noqa: E402
from tests.support.aws import portal_aws  # noqa: E402
from tests.support.factories import as_staff, logged_in  # noqa: E402
from tests.support.logs import note_request_secrets, watch  # noqa: E402
from tests.support.programs import Portal, simple_program  # noqa: E402

_request = TestHTTPClient.request


def _noting_request(self: TestHTTPClient, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> Any:
    """Every request through Chalice's test client: its cookies and tokens are what logs must not hold."""
    note_request_secrets(headers)
    response = _request(self, method, path, headers=headers, body=body)
    note_request_secrets(response.headers)
    return response


TestHTTPClient.request = _noting_request  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _logs_hold_no_personal_data() -> Iterator[None]:
    """Fails any test during which the portal logged a sample person's name, ID number, phone or
    email, a session cookie or token the test sent, or a JWT: logs never carry personal data or
    tokens. Tests that need such data in a request still pass; only the portal's logs are read."""
    watch.start()
    yield
    leaks = watch.leaks()
    if leaks:
        pytest.fail("the portal's logs held personal data or a secret during this test:\n  " + "\n  ".join(leaks), pytrace=False)


@pytest.fixture
def aws() -> Iterator[None]:
    """In-process AWS (moto) with every table and the documents bucket created."""
    with portal_aws():
        yield


@pytest.fixture
def api(aws: None) -> Iterator[Api]:
    with Client(chalice_app) as client:
        yield Api(client)


@pytest.fixture
def registrant(aws: None) -> AsRegistrant:
    return logged_in()


@pytest.fixture
def other_registrant(aws: None) -> AsRegistrant:
    from tests.support.factories import SAMPLE_PEOPLE

    return logged_in(SAMPLE_PEOPLE[1])


@pytest.fixture
def portal(api: Api) -> Portal:
    return Portal(api)


@pytest.fixture
def admin() -> AsStaff:
    return as_staff("admin", subject="admin-1")


@pytest.fixture
def reviewer() -> AsStaff:
    return as_staff("reviewer", subject="reviewer-1")


@pytest.fixture
def program(aws: None) -> str:
    """An open program with a one-question form and no documents."""
    return simple_program()
