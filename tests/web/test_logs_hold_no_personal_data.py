"""Logs never carry personal data: every route is called as the seeded person, and the
captured logs are searched for their name, ID number, phone and email. Beyond this sweep, every
test of the suite runs under the same watch (tests/conftest.py), so each route's own tests, with
their successful answers, are checked too."""

from __future__ import annotations

import json
import re

import pytest

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


# --- the watch every test runs under (tests/conftest.py) -----------------------------------------


def test_every_test_is_watched_for_names_ids_phones_emails_cookies_and_tokens(api: Api) -> None:
    """What the autouse fixture would fail a test for; the watch is reset at the end so that this
    test, which logs such data on purpose through the portal's logger, does not fail itself."""
    from chalicelib.observability import logger
    from tests.support.logs import watch

    person = SAMPLE_PEOPLE[2]
    registrant = logged_in(person)
    staff = as_staff("reviewer")
    api.get("/api/me", as_=registrant)
    api.get("/api/staff/programs", as_=staff)
    assert watch.leaks() == [], "the requests themselves log nothing personal"
    try:
        for value in (person["name"], person["individual_id"], person["phone_number"], person["email"], registrant.session_id, staff.token):
            watch.forget_output()
            logger.info("request", extra={"detail": value})
            assert watch.leaks(), f"the watch misses {value[:8]}..."
        watch.forget_output()
        logger.info("request", extra={"detail": "Layla Hadd\u00e9"})
        logger.info("request", extra={"route": "/api/me", "status": 200, "request_id": "2f1c9b0e-8d7a-4c3b-9e1f-0a2b3c4d5e6f"})
        assert watch.leaks() == [], "ordinary access lines and unknown names pass"
    finally:
        watch.forget_output()


def test_the_log_level_is_the_setting_when_a_line_is_logged_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.observability import logger

    with captured_logs() as logs:
        monkeypatch.setenv("SSP_LOG_LEVEL", "WARNING")
        logger.info("quiet_info")
        logger.warning("loud_warning")
        monkeypatch.setenv("SSP_LOG_LEVEL", "debug")
        logger.debug("chatty_debug")
        monkeypatch.setenv("SSP_LOG_LEVEL", "LOUDEST")  # a typo logs at the default level, it does not break requests
        logger.debug("typo_debug")
        logger.info("typo_info")
    lines = [json.loads(line) for line in logs.getvalue().splitlines()]
    assert [line["message"] for line in lines] == ["loud_warning", "chatty_debug", "typo_info"]
    assert lines[0]["location"].startswith("test_the_log_level_is_the_setting"), "lines still name their caller"
