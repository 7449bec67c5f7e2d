"""Issue 18's "done when", end to end: from `make dev`, a person applies with two children, a
reviewer approves and enrols them, and within seconds the sample registry's page shows the
person, their household and their answers with a verified signature; the pull feed returns the
same events, with the same ids."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from infra.local.idp.staff_token import mint
from tests.support.factories import SAMPLE_PEOPLE
from tests.support.local_stack import local_stack
from tests.support.programs import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("local-stack")]

PERSON = SAMPLE_PEOPLE[1]
PROGRAM = "child-support-grant"
CHILDREN = [
    {"name": "Wanjiru Kamau", "birth_date": "2018-03-14", "relationship": "daughter"},
    {"name": "Otieno Kamau", "birth_date": "2021-11-02", "relationship": "son"},
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    # Python's cookie jar keeps the session cookie over http://localhost only when it is not Secure.
    with local_stack(tmp_path_factory.mktemp("registry-stack") / "data", env={"SSP_COOKIE_SECURE": "false"}) as running:
        yield running


def log_in(base: str, individual_id: str) -> tuple[requests.Session, dict[str, str]]:
    web = requests.Session()
    start = web.get(base + "/api/auth/login/esignet?return_to=/programs", allow_redirects=False, timeout=10)
    authorize = start.headers["Location"]
    page = web.get(authorize, timeout=10)
    tx = re.search(r'name="tx" value="([^"]+)"', page.text)
    assert tx, page.text
    consent = web.post(authorize, data={"tx": tx.group(1), "step": "login", "individual_id": individual_id, "secret": "111111"}, timeout=10)
    shared = re.findall(r'name="share" value="([^"]+)"', consent.text)
    back = web.post(authorize, data={"tx": tx.group(1), "step": "consent", "decision": "allow", "share": shared}, allow_redirects=False, timeout=10)
    assert web.get(back.headers["Location"], allow_redirects=False, timeout=10).status_code == 302
    session = web.get(base + "/api/session", timeout=10).json()
    assert session["authenticated"] is True
    return web, {"X-CSRF-Token": session["csrf_token"]}


def apply_with_two_children(base: str) -> str:
    web, csrf = log_in(base, PERSON["individual_id"])
    draft = web.post(f"{base}/api/programs/{PROGRAM}/applications", json={}, headers=csrf, timeout=10)
    assert draft.status_code == 201, draft.text
    application_id = draft.json()["application_id"]
    children = []
    for child in CHILDREN:
        document = {"kind": "birth_certificate", "file_name": f"{child['name']}.pdf", "content_type": "application/pdf", "size": len(PDF)}
        declared = web.post(base + "/api/documents", json={**document, "application_id": application_id}, headers=csrf, timeout=10)
        assert declared.status_code == 201, declared.text
        upload = declared.json()["upload"]
        assert requests.post(upload["url"], data=upload["fields"], files={"file": ("c.pdf", PDF)}, timeout=10).status_code in (200, 201, 204)
        document_id = declared.json()["document"]["document_id"]
        assert web.post(f"{base}/api/documents/{document_id}/complete", headers=csrf, timeout=10).status_code == 200
        children.append({**child, "birth_certificate": document_id})
    answers = {
        "phone": "+254 712345678",
        "region": "coast",
        "household_size": 4,
        "children": children,
        "caregiver_role": "parent",
        "receives_other_support": False,
    }
    saved = web.patch(f"{base}/api/applications/{application_id}", json={"answers": answers}, headers=csrf, timeout=10)
    assert saved.status_code == 200, saved.text
    submitted = web.post(f"{base}/api/applications/{application_id}/submit", json={}, headers=csrf, timeout=10)
    assert submitted.status_code == 200, submitted.text
    return str(application_id)


def wait_for(check: Any, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.25)


def test_an_enrolment_reaches_the_sample_registry_within_seconds_and_the_feed_agrees(stack: dict[str, Any]) -> None:
    base, data_dir = stack["public_url"], Path(stack["data_dir"])
    registry = f"http://127.0.0.1:{stack['ports']['registry']}"
    application_id = apply_with_two_children(base)
    reviewer = {"Authorization": "Bearer " + mint("reviewer", data_dir)}
    decision = f"{base}/api/admin/applications/{application_id}/decision"
    assert requests.post(decision, json={"to": "under_review"}, headers=reviewer, timeout=10).status_code == 200
    approved = requests.post(decision, json={"to": "approved", "reason": "Meets the criteria.", "enrol": True}, headers=reviewer, timeout=10)
    assert approved.status_code == 200, approved.text
    decided_at = time.monotonic()

    def enrolled() -> dict[str, Any] | None:
        return requests.get(registry + "/beneficiaries.json", timeout=5).json()["enrolments"].get(application_id)

    kept = wait_for(enrolled, 20)
    took = time.monotonic() - decided_at
    assert kept, requests.get(registry + "/log.json", timeout=5).json()
    print(f"\n  the enrolment reached the sample registry {took:.1f} s after the reviewer's decision")
    assert took < 15
    page = requests.get(registry + "/", timeout=5).text
    shown_on_page = (PERSON["name"], PERSON["individual_id"], "Wanjiru Kamau", "Otieno Kamau", "Child&#x27;s full name", "Coast")
    for shown in (*shown_on_page, "signature verified; beneficiary enrolled"):
        assert shown in page, shown
    assert re.search(r"Household \(2\)", page)

    # The pull feed, with the integration client's token, returns the same events with the same ids.
    integration = {"Authorization": "Bearer " + mint("integration", data_dir)}
    assert requests.get(base + "/api/admin/events", headers=reviewer, timeout=10).status_code == 403

    def feed_of_application() -> list[dict[str, Any]]:
        items, cursor = [], ""
        while True:
            page = requests.get(base + "/api/admin/events?limit=100" + (f"&after={cursor}" if cursor else ""), headers=integration, timeout=10).json()
            items += page["items"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
        mine = [i for i in items if (i["data"].get("application") or {}).get("application_id") == application_id]
        return mine if len(mine) == 3 else []

    items = wait_for(feed_of_application, 15)
    assert [i["type"] for i in items] == ["application.submitted", "application.decided", "application.enrolled"]
    log = requests.get(registry + "/log.json", timeout=5).json()
    delivered = [entry["webhook_id"] for entry in log if entry["outcome"] == "applied"]
    assert [i["id"] for i in items] == [i for i in delivered if i in {item["id"] for item in items}]
    assert items[1]["data"]["decision"] == "approved" and items[1]["data"]["reason"] == "Meets the criteria."
