"""One applicant, as the registrant app drives the API: log in through the dev identity provider,
start a draft, save two pages, upload and complete a document, submit.

Every request is named after its step, so locust's statistics are per step. What each person
sent and was told is kept in ``OUTCOMES`` for the check through the admin API afterwards.
"""

from __future__ import annotations

import itertools
import re
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, constant, task
from locust.exception import StopUser

from infra.local.idp.directory import OTP, synthetic_id
from infra.local.seed import PROGRAM_ID
from tests.load.people import PDF, Outcome, answers_of

TIMEOUT = 120
STEPS = [
    "login: start",
    "login: idp page",
    "login: idp code",
    "login: consent",
    "login: callback",
    "session",
    "draft",
    "save page 1",
    "save page 2",
    "document: declare",
    "document: upload",
    "document: complete",
    "submit",
]


OUTCOMES: list[Outcome] = []
_numbers = itertools.count(1)


class StepFailed(Exception):
    pass


def _cookie(response: Any, name: str) -> str:
    # The portal's cookies are `__Host-` and Secure: a client's cookie jar would not send them
    # back over http://localhost, as a browser does. Carry them by hand.
    match = re.search(rf"{re.escape(name)}=([^;,]*)", response.headers.get("Set-Cookie", ""))
    if not match:
        raise StepFailed(f"no {name} cookie")
    return f"{name}={match.group(1)}"


class Applicant(HttpUser):
    wait_time = constant(0)

    def _call(self, method: str, url: str, step: str, expect: tuple[int, ...], **kwargs: Any) -> Any:
        with self.client.request(method, url, name=step, catch_response=True, allow_redirects=False, timeout=TIMEOUT, **kwargs) as response:
            if response.status_code not in expect:
                reason = f"{step}: HTTP {response.status_code} {response.text[:200]!r}"
                response.failure(reason)
                raise StepFailed(reason)
            response.success()
            return response

    @task
    def apply(self) -> None:
        outcome = Outcome(next(_numbers))
        OUTCOMES.append(outcome)
        try:
            self._apply(outcome)
        except StepFailed as error:
            outcome.failure = str(error)
        except Exception as error:  # noqa: BLE001 - a timeout or a reset is a failure of this person's run, counted
            outcome.failure = f"{type(error).__name__}: {error}"
        raise StopUser()

    def _apply(self, outcome: Outcome) -> None:
        start = self._call("GET", "/api/auth/login/esignet?method=otp&return_to=/programs", "login: start", (302,))
        login_cookie = _cookie(start, "__Host-ssp_login")
        authorize = start.headers["Location"]
        page = self._call("GET", authorize, "login: idp page", (200,))
        tx = re.search(r'name="tx" value="([^"]+)"', page.text)
        if not tx:
            raise StepFailed("login: idp page has no transaction")
        credentials = {"tx": tx.group(1), "step": "login", "individual_id": synthetic_id(outcome.person), "secret": OTP}
        consent = self._call("POST", authorize, "login: idp code", (200,), data=credentials)
        shared = re.findall(r'name="share" value="([^"]+)"', consent.text)
        back = self._call("POST", authorize, "login: consent", (302,), data={"tx": tx.group(1), "step": "consent", "decision": "allow", "share": shared})
        callback = urlsplit(back.headers["Location"])
        landed = self._call("GET", f"{callback.path}?{callback.query}", "login: callback", (302,), headers={"Cookie": login_cookie})
        cookie = _cookie(landed, "__Host-ssp_session")
        session = self._call("GET", "/api/session", "session", (200,), headers={"Cookie": cookie}).json()
        headers = {"Cookie": cookie, "X-CSRF-Token": session["csrf_token"]}

        draft = self._call("POST", f"/api/programs/{PROGRAM_ID}/applications", "draft", (201,), json={}, headers=headers).json()
        application_id = str(draft["application_id"])
        about_you, household = answers_of(outcome.person)
        self._call("PATCH", f"/api/applications/{application_id}", "save page 1", (200,), json={"answers": about_you}, headers=headers)
        saved = self._call("PATCH", f"/api/applications/{application_id}", "save page 2", (200,), json={"answers": household}, headers=headers).json()
        outcome.answers = dict(saved["answers"])

        document = {"kind": "birth_certificate", "file_name": "certificate.pdf", "content_type": "application/pdf", "size": len(PDF)}
        document["application_id"] = application_id
        declared = self._call("POST", "/api/documents", "document: declare", (201,), json=document, headers=headers).json()
        upload = declared["upload"]
        self._call("POST", upload["url"], "document: upload", (200, 201, 204), data=upload["fields"], files={"file": ("certificate.pdf", PDF)})
        document_id = declared["document"]["document_id"]
        self._call("POST", f"/api/documents/{document_id}/complete", "document: complete", (200,), headers=headers)

        submitted = self._call("POST", f"/api/applications/{application_id}/submit", "submit", (200,), json={}, headers=headers).json()
        outcome.application_id = application_id
        outcome.reference = str(submitted["reference"])
