"""Logs never carry personal data: every route is called as the seeded person, and the
captured logs are searched for their name, ID number, phone and email."""

from __future__ import annotations

import re

from chalicelib.web import OPERATIONS
from tests.support.api import Api
from tests.support.factories import SAMPLE_PEOPLE, as_staff, logged_in
from tests.support.logs import captured_logs


def test_no_route_logs_the_persons_name_or_id_number(api: Api) -> None:
    person = SAMPLE_PEOPLE[0]
    registrant = logged_in(person)
    staff = as_staff("admin", "reviewer", "officer")
    with captured_logs() as logs:
        for operation in OPERATIONS:
            path = re.sub(r"{[^}]+}", registrant.registrant_id, operation.path)
            headers = {**registrant.headers(operation.method), **staff.headers(operation.method)}
            body = {"name": person["name"], "individual_id": person["individual_id"]} if operation.body is not None else None
            api.request(operation.method, f"{path}?q={person['individual_id']}", json_body=body, headers=headers)
    written = logs.getvalue()
    assert written.count('"message":"request"') >= len(OPERATIONS), "every request writes one access line"
    for value in (person["name"], person["individual_id"], person["phone_number"], person["email"], registrant.session_id):
        assert value not in written
