"""Every state-changing registrant route refuses a call without the session's CSRF token.

The routes are read from ``chalicelib.web.OPERATIONS``, so a POST, PUT, PATCH or DELETE route
for registrants added anywhere is checked here without anyone touching this file. A route can
opt out of the check (``Access(..., csrf=False)``) only if it is on ``CSRF_EXEMPT`` below, with
the reason written next to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from chalice.test import Client

from app import app as chalice_app
from chalicelib import config
from chalicelib.web import OPERATIONS, REGISTRANT, REGISTRANT_OPTIONAL, UNSAFE_METHODS, Access, Operation, staff
from tests.support import calls
from tests.support.api import Answer, Api, AsRegistrant
from tests.support.aws import portal_aws
from tests.support.factories import SAMPLE_PEOPLE, logged_in

# State-changing registrant routes that do not check the CSRF token, as (method, path) -> why
# that is safe. Empty, and it should stay so: a registrant's browser sends the session cookie
# with any cross-site form post. Not listed because they are not state-changing registrant
# routes: the login start and the provider's callback (GETs that the login's state and the
# browser-binding cookie protect) and logout (it checks the token like any other).
CSRF_EXEMPT: dict[tuple[str, str], str] = {}

REGISTRANT_KINDS = frozenset({REGISTRANT, REGISTRANT_OPTIONAL})


def state_changing_registrant_routes(operations: Iterable[Operation]) -> list[Operation]:
    return [op for op in operations if op.access.kind in REGISTRANT_KINDS and op.method in UNSAFE_METHODS]


def csrf_opt_outs(operations: Iterable[Operation]) -> set[tuple[str, str]]:
    """The state-changing registrant routes that declare they skip the CSRF check."""
    return {(op.method, op.path) for op in state_changing_registrant_routes(operations) if not op.access.csrf}


CHECKED = [op for op in state_changing_registrant_routes(OPERATIONS) if (op.method, op.path) not in CSRF_EXEMPT]


def test_there_are_state_changing_registrant_routes_to_check() -> None:
    assert ("POST", "/api/auth/logout") in {(op.method, op.path) for op in CHECKED}
    assert len(CHECKED) >= 5


def test_no_state_changing_registrant_route_skips_the_csrf_check_unless_it_is_allow_listed() -> None:
    opted_out = csrf_opt_outs(OPERATIONS)
    assert opted_out - set(CSRF_EXEMPT) == set(), "these routes skip the CSRF check: check it, or add them to CSRF_EXEMPT with the reason"
    assert set(CSRF_EXEMPT) - opted_out == set(), "CSRF_EXEMPT lists routes that are gone or check the token again: remove them"


def test_the_opt_out_check_notices_a_registrant_route_that_skips_csrf() -> None:
    def op(method: str, access: Access) -> Operation:
        return Operation(path="/api/example", method=method, summary="", access=access, tag="example")

    assert csrf_opt_outs([op("POST", Access(REGISTRANT, csrf=False))]) == {("POST", "/api/example")}
    assert csrf_opt_outs([op("DELETE", Access(REGISTRANT_OPTIONAL, csrf=False))]) == {("DELETE", "/api/example")}
    assert csrf_opt_outs([op("POST", Access(REGISTRANT)), op("GET", Access(REGISTRANT, csrf=False)), op("POST", staff("admin"))]) == set()


# --- every route, called by a logged-in registrant with a missing or wrong token -----------------


@pytest.fixture(scope="module")
def csrf_api() -> Iterator[Api]:
    """One AWS mock for the module: refused calls change nothing, and the few let through act on
    ids that do not exist or on a throw-away registrant."""
    with portal_aws(), Client(chalice_app) as client:
        yield Api(client)


@pytest.fixture(scope="module")
def person(csrf_api: Api) -> AsRegistrant:
    return logged_in()


@pytest.fixture(scope="module")
def other_person(csrf_api: Api) -> AsRegistrant:
    return logged_in(SAMPLE_PEOPLE[1])


@pytest.fixture(params=CHECKED, ids=lambda op: f"{op.method} {op.path}")
def route(request: pytest.FixtureRequest) -> Operation:
    return request.param  # type: ignore[no-any-return]


def _path(op: Operation) -> str:
    return re.sub(r"{[^}]+}", "00000000-0000-0000-0000-000000000000", op.path)


def _call(api: Api, op: Operation, headers: dict[str, str]) -> tuple[Answer, list[tuple[str, str, Any]]]:
    """The answer, and every AWS call the request made, with the table or bucket it named."""
    seen: list[tuple[str, str, Any]] = []
    observe: Callable[[str, str, dict[str, Any]], None] = lambda service, operation, params: seen.append(  # noqa: E731
        (service, operation, params.get("TableName") or params.get("Bucket"))
    )
    calls.observers.append(observe)
    try:
        answer = api.request(op.method, _path(op), json_body={}, headers={"Idempotency-Key": "csrf-test-0001", "If-Match": '"1"', **headers})
    finally:
        calls.observers.remove(observe)
    return answer, seen


BAD_TOKENS: dict[str, Callable[[AsRegistrant], str | None]] = {
    "missing": lambda other: None,
    "empty": lambda other: "",
    "made-up": lambda other: "A" * 43,
    "another-sessions-token": lambda other: other.csrf_token,
}


@pytest.mark.parametrize("bad_token", list(BAD_TOKENS))
def test_a_state_changing_registrant_route_refuses_a_missing_or_wrong_csrf_token_and_changes_nothing(
    csrf_api: Api, route: Operation, person: AsRegistrant, other_person: AsRegistrant, bad_token: str
) -> None:
    headers = {"Cookie": f"__Host-ssp_session={person.session_id}"}
    token = BAD_TOKENS[bad_token](other_person)
    if token is not None:
        headers["X-CSRF-Token"] = token

    answer, aws_calls = _call(csrf_api, route, headers)

    assert (answer.status, answer.error_code) == (403, "csrf_failed")
    # Nothing but the session lookup (one UpdateItem on the sessions table that slides its idle
    # expiry) reached AWS: no write, no upload, no delete.
    assert aws_calls == [("dynamodb", "UpdateItem", config.table_name("sessions"))]
    assert csrf_api.get("/api/session", as_=person).json["authenticated"] is True


def test_a_state_changing_registrant_route_lets_the_right_csrf_token_past_the_guard(csrf_api: Api, route: Operation) -> None:
    someone = logged_in()  # their own: logout really ends the session
    headers = {"Cookie": f"__Host-ssp_session={someone.session_id}", "X-CSRF-Token": someone.csrf_token}
    answer, _ = _call(csrf_api, route, headers)
    assert answer.error_code not in ("csrf_failed", "not_authenticated"), answer.json
    assert answer.status < 500, answer.json
