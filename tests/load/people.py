"""What each load-test person sends: answers that differ per person (so a mix-up shows) and a
small valid PDF; and what they were told (``Outcome``). Free of locust, so the bulk builder can use it without gevent's patches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def answers_of(person: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Person ``person``'s answers to the two pages: different for everyone, so a mix-up shows."""
    about_you = {"phone": f"+254 7{person:08d}", "region": ("central", "coast", "eastern", "northern", "southern", "western")[person % 6]}
    household = {
        "household_size": 2 + person % 20,
        "children": [{"name": f"Child {person}", "birth_date": f"20{10 + person % 15}-0{1 + person % 9}-1{person % 10}", "relationship": "son"}],
        "caregiver_role": ("parent", "grandparent", "guardian", "other")[person % 4],
        "receives_other_support": False,
    }
    return about_you, household


def as_stored(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as the portal keeps them: a phone number without the spaces typed in it."""
    return {**answers, **({"phone": answers["phone"].replace(" ", "")} if "phone" in answers else {})}


@dataclass
class Outcome:
    person: int
    answers: dict[str, Any] = field(default_factory=dict)
    application_id: str | None = None
    reference: str | None = None
    failure: str | None = None
