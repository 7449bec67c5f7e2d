"""Limits and cost of a household: 30 members with 30 documents still submit in three DynamoDB
calls, and the largest application the sample form allows stays far below the 400 KB item."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.forms.groups import GROUP_ANSWER_BUDGET, MAX_GROUP_ITEMS
from chalicelib.programs.states import MAX_REASON_LENGTH
from chalicelib.store.applications import Application
from chalicelib.store.base import now
from infra.local import seed
from tests.support.api import Api
from tests.support.factories import logged_in
from tests.support.households import child
from tests.support.programs import HOUSEHOLD, Portal

DYNAMODB_ITEM_LIMIT = 400 * 1024
ASTRAL = "\U0001f9d2"  # one character to JSON Schema, twelve bytes once json.dumps escapes it


def test_thirty_children_with_thirty_certificates_save_and_submit_in_three_calls(portal: Portal, sample: str, api: Api) -> None:
    me = logged_in()
    application_id = portal.draft(me, sample, {**HOUSEHOLD, "children": []})["application_id"]
    children = [child(f"Child {index}", birth_certificate=portal.attach(me, application_id)) for index in range(MAX_GROUP_ITEMS)]
    saved = portal.save(me, application_id, {"children": children})
    assert saved.status == 200, saved.json
    saved.calls.assert_dynamodb_at_most(3)  # session, the application with its program and documents item, the put
    one_more = portal.save(me, application_id, {"children": [*children, child("One too many")]})
    assert one_more.status == 422 and one_more.json["error"]["fields"] == {"/answers/children": "too_many"}
    submitted = portal.submit(me, application_id)
    assert submitted.status == 200, submitted.json
    submitted.calls.assert_dynamodb_at_most(3)  # session, one TransactGetItems, one TransactWriteItems (the household remembered in it)
    assert len(submitted.json["members"]) == 30 and all(m["documents"] for m in submitted.json["members"])


def _longest(schema: dict[str, Any]) -> Any:
    """The largest answer a question takes: every character the most bytes it can take as stored."""
    if "enum" in schema:
        return max(schema["enum"], key=lambda choice: len(json.dumps(choice)))
    if schema.get("type") == "array":
        return list(schema["items"]["enum"])
    if schema.get("format") == "date":
        return "2020-01-01"
    if schema.get("type") == "string":
        return ASTRAL * int(schema["maxLength"])
    if schema.get("type") == "integer":
        return int(schema.get("maximum", 2**53))
    return True


def _item_bytes(application: Application) -> int:
    """The item's size as DynamoDB counts it: attribute names plus their values in UTF-8."""
    size = 0
    for name, value in application.serialize().items():
        kind, raw = next(iter(value.items()))
        size += len(name.encode()) + (len(str(raw).encode()) if kind != "M" else len(json.dumps(raw).encode()))
    return size


def test_the_largest_application_the_sample_form_allows_is_far_below_dynamodbs_item_limit(sample: str) -> None:
    from chalicelib.forms import service as forms

    form = forms.published_form(seed.FORM_ID, 2)
    properties = form["schema"]["properties"]
    member = {name: _longest(schema) for name, schema in properties["children"]["items"]["properties"].items()}
    member.update(relationship="other", birth_certificate="f" * 32)
    answers = {name: _longest(schema) for name, schema in properties.items() if name != "children"}
    answers["children"] = [dict(member) for _ in range(properties["children"]["maxItems"])]
    entry = {
        "from": "under_review",
        "to": "info_requested",
        "at": now().isoformat(),
        "by": {"role": "reviewer", "ref": "r" * 64},
        "reason": ASTRAL * MAX_REASON_LENGTH,
    }
    moves = [
        {"from": a, "to": b, "at": now().isoformat(), "by": {"role": "registrant", "ref": "x" * 36}}
        for a, b in [("draft", "submitted"), ("submitted", "under_review")]
    ]
    application = Application(
        application_id=f"{sample}_{'a' * 26}",
        registrant_id="x" * 36,
        program_id=sample,
        program_name=seed.PROGRAM["name"],
        form_id=seed.FORM_ID,
        form_version=2,
        status="submitted",
        status_submitted="submitted#2026-01-01T00:00:00+00:00",
        reference="K7M-Q2X-P4H",
        answers=answers,
        prefilled={"/name": answers["name"], "/birthdate": answers["birthdate"]},
        groups={"children": {"summary_field": "name", "item_label": {"en": "child"}, "documents": ["birth_certificate"]}},
        history=[*moves, entry, moves[0]],  # a request for information with the longest reason, answered
        created_at=now(),
    )
    size = _item_bytes(application)
    # Stated (measured 110,580 bytes): the answers 82.8 KB, of which the 30 children at their
    # longest about 62 KB (every character escaped to 12 bytes) and the other answers, a draft's
    # free text at its 1000-character bound included, about 21 KB; their read-only copies 2.4 KB;
    # a timeline with one request for information at the longest reason 24.7 KB: about 108 KB,
    # under a third of the limit. (Each further longest reason adds 24 KB, as would each consent
    # statement of a program that has them: those bounds are the timeline's and the statements',
    # not the household's.)
    assert size < 112 * 1024, size
    assert size < DYNAMODB_ITEM_LIMIT / 3
    assert len(json.dumps(answers["children"]).encode()) < GROUP_ANSWER_BUDGET
    application.save()  # the emulator refuses items over 400 KB, as DynamoDB does
    assert Application.get(application.application_id).answers["children"][29]["name"] == ASTRAL * 100
