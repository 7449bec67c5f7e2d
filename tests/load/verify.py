"""After a load run: through the admin API, is every application a person was told was submitted
stored exactly once, with the answers they sent and the reference they were given?"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

from infra.local.seed import PROGRAM_ID
from tests.load.people import Outcome


@dataclass
class Verdict:
    submitted: int = 0
    stored: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def submitted_applications(base: str, token: str) -> list[dict[str, Any]]:
    """Every submitted application of the sample program, page by page, as a reviewer lists them."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"status": "submitted", "limit": 100, **({"cursor": cursor} if cursor else {})}
        page = requests.get(f"{base}/api/admin/programs/{PROGRAM_ID}/applications", params=params, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        page.raise_for_status()
        body = page.json()
        found += body["items"]
        cursor = body.get("next_cursor")
        if not cursor:
            return found


def verify(base: str, token: str, outcomes: list[Outcome]) -> Verdict:
    verdict = Verdict()
    listed = submitted_applications(base, token)
    verdict.stored = len(listed)
    times = Counter(item["application_id"] for item in listed)
    per_registrant = Counter(item["registrant_id"] for item in listed)
    for outcome in outcomes:
        if outcome.application_id is None:
            continue  # told it failed: counted among the errors
        verdict.submitted += 1
        who = f"person {outcome.person} ({outcome.application_id})"
        if times[outcome.application_id] == 0:
            verdict.lost.append(who)
            continue
        opened = requests.get(f"{base}/api/admin/applications/{outcome.application_id}", headers={"Authorization": f"Bearer {token}"}, timeout=60)
        if opened.status_code != 200:
            verdict.lost.append(f"{who}: HTTP {opened.status_code}")
            continue
        stored = opened.json()
        if times[outcome.application_id] > 1 or per_registrant[stored["registrant_id"]] > 1:
            verdict.duplicated.append(who)
        if stored["answers"] != outcome.answers or stored.get("reference") != outcome.reference or stored.get("status") != "submitted":
            verdict.wrong.append(who)
    return verdict
