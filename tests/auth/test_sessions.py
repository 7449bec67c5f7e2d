"""Sessions made by the session service: resolved from the cookie, CSRF-checked, ended."""

from __future__ import annotations

import json

import pytest

from tests.support.api import Api, AsRegistrant


def test_logged_in_registrant_sees_their_session_with_a_csrf_token(api: Api, registrant: AsRegistrant) -> None:
    answer = api.get("/api/session", as_=registrant)
    assert answer.status == 200
    assert answer.json["authenticated"] is True
    assert answer.json["registrant_id"] == registrant.registrant_id
    assert answer.json["csrf_token"] == registrant.csrf_token
    answer.calls.assert_dynamodb_at_most(1)


def test_without_a_cookie_the_session_is_anonymous(api: Api) -> None:
    answer = api.get("/api/session")
    assert answer.status == 200
    assert answer.json == {"authenticated": False}


def test_a_forged_cookie_is_no_session(api: Api, registrant: AsRegistrant) -> None:
    forged = AsRegistrant(registrant.registrant_id, registrant.session_id[:-2] + "xx", registrant.csrf_token)
    assert api.get("/api/session", as_=forged).json == {"authenticated": False}
    assert api.post("/api/auth/logout", {}, as_=forged).status == 401


def test_logout_without_the_csrf_token_is_refused_and_the_session_survives(api: Api, registrant: AsRegistrant) -> None:
    no_csrf = AsRegistrant(registrant.registrant_id, registrant.session_id, "wrong")
    answer = api.post("/api/auth/logout", {}, as_=no_csrf)
    assert answer.status == 403
    assert answer.error_code == "csrf_failed"
    assert api.get("/api/session", as_=registrant).json["authenticated"] is True


def test_logout_ends_the_session_and_clears_the_cookie(api: Api, registrant: AsRegistrant) -> None:
    answer = api.post("/api/auth/logout", {}, as_=registrant)
    assert answer.status == 200
    assert "Max-Age=0" in answer.headers["set-cookie"]
    assert api.get("/api/session", as_=registrant).json == {"authenticated": False}


def test_an_idle_session_expires(api: Api, registrant: AsRegistrant, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from chalicelib.auth import sessions

    later = sessions.now() + timedelta(hours=1)
    monkeypatch.setattr(sessions, "now", lambda: later)
    assert api.get("/api/session", as_=registrant).json == {"authenticated": False}


def test_the_cookie_carries_256_random_bits_and_the_table_only_their_hash(api: Api, registrant: AsRegistrant) -> None:
    import base64
    import hashlib

    from chalicelib.store.sessions import SessionItem

    assert len(base64.urlsafe_b64decode(registrant.session_id + "=")) == 32
    stored = SessionItem.get("session#" + hashlib.sha256(registrant.session_id.encode()).hexdigest())
    assert stored.registrant_id == registrant.registrant_id
    assert registrant.session_id not in json.dumps(stored.attribute_values, default=str)


def test_a_session_keeps_going_while_used_and_ends_after_idling(api: Api, registrant: AsRegistrant, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from chalicelib.auth import sessions

    start = sessions.now()
    for minutes in (20, 40, 60):  # each request pushes the 30-minute idle limit forward
        moment = start + timedelta(minutes=minutes)
        monkeypatch.setattr(sessions, "now", lambda moment=moment: moment)
        assert api.get("/api/session", as_=registrant).json["authenticated"] is True
    idle = start + timedelta(minutes=60 + 31)
    monkeypatch.setattr(sessions, "now", lambda: idle)
    assert api.get("/api/session", as_=registrant).json == {"authenticated": False}


@pytest.mark.parametrize(
    "header",
    [
        "theme=dark mode; __Host-ssp_session={sid}",
        '__Host-ssp_session={sid}; prefs="{{"a":1}}"',
        'prefs="{{"a":1}}"; __Host-ssp_session={sid}; theme=dark mode',
        "__Host-ssp_session={sid};x",
        " __Host-ssp_session = {sid} ",
    ],
)
def test_malformed_cookies_of_other_apps_beside_the_session_cookie_do_not_log_the_person_out(api: Api, registrant: AsRegistrant, header: str) -> None:
    answer = api.get("/api/session", headers={"Cookie": header.format(sid=registrant.session_id)})
    assert answer.json["authenticated"] is True
    assert answer.json["registrant_id"] == registrant.registrant_id


@pytest.mark.parametrize("value", ['"{sid}"', "{sid}!", "{sid} extra", "{sid}%00"])
def test_a_session_cookie_that_is_not_one_of_ours_is_no_session(api: Api, registrant: AsRegistrant, value: str) -> None:
    cookie = "__Host-ssp_session=" + value.format(sid=registrant.session_id)
    assert api.get("/api/session", headers={"Cookie": cookie}).json == {"authenticated": False}
