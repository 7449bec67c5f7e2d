"""GET /api/me/export and /api/me/submissions: the person's data in one place."""

from __future__ import annotations

from tests.support.api import Api, AsRegistrant


def test_an_export_by_a_logged_out_session_is_refused(api: Api, registrant: AsRegistrant) -> None:
    for query in ("", "?format=html", "?format=json"):
        answer = api.get(f"/api/me/export{query}")
        assert (answer.status, answer.error_code) == (401, "not_authenticated")
        assert answer.headers["content-type"] == "application/json"
    ended = api.get("/api/me/export", headers={"Cookie": "__Host-ssp_session=forged-or-expired"})
    assert ended.status == 401


def test_submissions_need_a_session(api: Api) -> None:
    assert api.get("/api/me/submissions").status == 401


def test_an_unknown_export_format_is_400(api: Api, registrant: AsRegistrant) -> None:
    for query in ("format=pdf", "format=", "locale=../../etc", "everything=1"):
        assert api.get(f"/api/me/export?{query}", as_=registrant).status == 400, query
