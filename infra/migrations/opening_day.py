"""Bring data stored before the opening-day key design (issue 19) to it. Idempotent; run once per
stage after deploying, before the next opening, at a quiet time (the counters are recounted from
the applications: a transition made while it runs may be counted or not).

- **programs**: the copy of the mapped form leaves the program item (the form is read from the
  forms table and kept per process); a program saved by an administrator since loses it anyway.
- **applications**: each submitted application joins the sharded ``review`` index
  (``review_shard``) with the few attributes a reviewer's list shows (``member_count``), without
  changing its version (a person's open tab keeps working).
- **counters**: each program's ``counts#<program>#<n>`` items are rewritten from the applications,
  as the transitions would have kept them.
- **events**: the events of the pull feed's retention move to the sharded feed keys
  (``YYYY-MM-DD#<n>``, ``store.events.feed_key``).

It scans the programs, applications and events tables once each: an operator's command, never a
request path.

    AWS_PROFILE=... SSP_TABLE_PREFIX=ssp-prod python -m infra.migrations.opening_day
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from chalicelib import config
from chalicelib.forms import groups as form_groups
from chalicelib.programs import cache as program_cache
from chalicelib.programs.counters import COUNTED
from chalicelib.programs.service import APPLICATION_ID
from chalicelib.store.applications import Application, ApplicationCounter, counter_id, counter_ids, review_shard_of
from chalicelib.store.base import shard_of
from chalicelib.store.events import FEED_SHARDS, OutboxEvent
from chalicelib.store.programs import Program


def _client() -> Any:
    return Application._get_connection().connection.client


def programs_without_form() -> int:
    """Remove the form copied on program items; how many had one."""
    changed = 0
    client = _client()
    for page in client.get_paginator("scan").paginate(TableName=config.table_name("programs"), ProjectionExpression="program_id, form"):
        for item in page.get("Items", []):
            if "form" in item:
                client.update_item(
                    TableName=config.table_name("programs"),
                    Key={"program_id": item["program_id"]},
                    UpdateExpression="REMOVE #form",
                    ConditionExpression="attribute_exists(program_id)",
                    ExpressionAttributeNames={"#form": "form"},
                )
                changed += 1
    program_cache.clear()
    return changed


def applications_reviewed_and_counted() -> tuple[int, int]:
    """Put submitted applications in the review index and recount every program's applications;
    how many applications joined the index, and how many programs were counted."""
    client = _client()
    joined = 0
    totals: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: dict.fromkeys(COUNTED, 0)))
    for application in Application.scan():
        if not APPLICATION_ID.match(application.application_id) or not application.registrant_id:
            continue  # guards, drafts lists, kinds and counter items share the table
        program_id = application.program_id
        shard = counter_id(program_id, application.application_id)
        if application.submitted_at is not None:
            totals[program_id][shard][application.status] += 1
            wanted = review_shard_of(program_id, application.application_id)
            if application.review_shard != wanted or application.member_count is None:
                client.update_item(
                    TableName=config.table_name("applications"),
                    Key={"application_id": {"S": application.application_id}},
                    UpdateExpression="SET review_shard = :shard, member_count = :members",
                    ConditionExpression="attribute_exists(application_id)",
                    ExpressionAttributeValues={
                        ":shard": {"S": wanted},
                        ":members": {"S": json.dumps(_member_count(application))},
                    },
                )
                joined += 1
        elif application.status == "draft":
            totals[program_id][shard]["draft"] += 1
    for program in Program.scan(attributes_to_get=["program_id"]):
        totals.setdefault(program.program_id, defaultdict(lambda: dict.fromkeys(COUNTED, 0)))
    for program_id, shards in totals.items():
        for item_id in counter_ids(program_id):
            counter = ApplicationCounter(application_id=item_id)
            for status, count in shards.get(item_id, dict.fromkeys(COUNTED, 0)).items():
                setattr(counter, status, count)
            counter.save()
    return joined, len(totals)


def events_on_sharded_feed() -> int:
    """Move events written under a day's single feed key to its shards; how many moved."""
    client = _client()
    moved = 0
    for event in OutboxEvent.scan(attributes_to_get=["stream", "event_id", "feed_day"]):
        if "#" in (event.feed_day or ""):
            continue
        client.update_item(
            TableName=config.table_name("events"),
            Key={"stream": {"S": event.stream}, "event_id": {"S": event.event_id}},
            UpdateExpression="SET feed_day = :key",
            ConditionExpression="attribute_exists(event_id)",
            ExpressionAttributeValues={":key": {"S": f"{event.feed_day}#{shard_of(event.event_id, FEED_SHARDS)}"}},
        )
        moved += 1
    return moved


def _member_count(application: Application) -> dict[str, int]:
    counted: dict[str, int] = {}
    for member in form_groups.members(application.groups, application.answers or {}):
        counted[member["group"]] = counted.get(member["group"], 0) + 1
    return counted


def migrate() -> dict[str, Any]:
    joined, programs = applications_reviewed_and_counted()
    return {
        "programs_without_form": programs_without_form(),
        "applications_in_review_index": joined,
        "programs_counted": programs,
        "events_moved": events_on_sharded_feed(),
    }


def main() -> None:
    for name, value in migrate().items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
