"""Data stored before the opening-day key design works after ``python -m infra.migrations.opening_day``:
the program loses its copied form, submitted applications reach the reviewers' sharded index, the
counts are what the applications hold, and the feed finds the events of the single daily key."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3

from chalicelib import config
from chalicelib.programs import cache as program_cache
from chalicelib.programs import review
from chalicelib.store.applications import ApplicationCounter, counter_ids
from chalicelib.store.base import now
from chalicelib.store.events import OutboxEvent, read_feed
from chalicelib.store.tables import create_missing_tables
from infra.local.portal import prepare_tables
from infra.migrations import opening_day
from tests.support.api import Api, AsRegistrant, AsStaff
from tests.support.programs import Portal


def _legacy(program: str, submitted: str) -> None:
    """Undo what the new layout writes, as the data stood before it."""
    table = boto3.client("dynamodb", region_name=config.region())
    table.update_item(
        TableName=config.table_name("programs"),
        Key={"program_id": {"S": program}},
        UpdateExpression="SET #form = :form",
        ExpressionAttributeNames={"#form": "form"},
        ExpressionAttributeValues={":form": {"S": json.dumps({"schema": {"type": "object"}, "padding": "x" * 6000})}},
    )
    table.update_item(
        TableName=config.table_name("applications"), Key={"application_id": {"S": submitted}}, UpdateExpression="REMOVE review_shard, member_count"
    )
    for item_id in counter_ids(program):
        ApplicationCounter(application_id=item_id).delete()
    for event in OutboxEvent.scan():
        table.update_item(
            TableName=config.table_name("events"),
            Key={"stream": {"S": event.stream}, "event_id": {"S": event.event_id}},
            UpdateExpression="SET feed_day = :day",
            ExpressionAttributeValues={":day": {"S": event.feed_day.split("#")[0]}},
        )
    program_cache.clear()


def test_a_table_kept_from_before_gets_the_review_index_when_the_stack_starts(aws: None) -> None:
    client = boto3.client("dynamodb", region_name=config.region())
    table = config.table_name("applications")
    client.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "review"}}])
    assert "review" not in _indexes(client, table)
    assert table in create_missing_tables()
    assert "review" in _indexes(client, table)
    assert create_missing_tables() == []  # nothing more to add


def _indexes(client: object, table: str) -> set[str]:
    described = client.describe_table(TableName=table)["Table"]  # type: ignore[attr-defined]
    return {index["IndexName"] for index in described.get("GlobalSecondaryIndexes", [])}


def test_old_data_reads_as_before_after_the_migration(api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str) -> None:
    submitted = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    portal.draft(registrant, program, {"name": "Amina"})
    _legacy(program, submitted)
    assert review.program_applications(program, "submitted", 10, None).items == []  # what old data looked like to the new code
    assert review.counts(program)["submitted"] == 0

    assert opening_day.migrate()["applications_in_review_index"] == 1
    again = opening_day.migrate()  # idempotent
    assert again["applications_in_review_index"] == 0 and again["programs_without_form"] == 0 and again["events_moved"] == 0

    queue = api.get(f"/api/admin/programs/{program}/applications", as_=reviewer).json["items"]
    assert [item["application_id"] for item in queue] == [submitted]
    assert review.counts(program) == {**dict.fromkeys(review.COUNTED, 0), "draft": 1, "submitted": 1}
    raw = boto3.client("dynamodb", region_name=config.region()).get_item(TableName=config.table_name("programs"), Key={"program_id": {"S": program}})["Item"]
    assert "form" not in raw
    assert api.get(f"/api/programs/{program}", as_=registrant).json["form"]["schema"]["properties"]  # the form, from the forms table
    feed = read_feed(None, 10, today=now(), oldest=now() - timedelta(days=1))
    assert [event.application_id for event in feed.events] == [submitted]


def test_the_local_stack_brings_data_kept_from_before_to_the_review_index_when_it_starts(
    api: Api, portal: Portal, registrant: AsRegistrant, reviewer: AsStaff, program: str
) -> None:
    submitted = portal.submitted(registrant, program, {"name": "Amina"})["application_id"]
    _legacy(program, submitted)
    client = boto3.client("dynamodb", region_name=config.region())
    client.update_table(TableName=config.table_name("applications"), GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "review"}}])

    prepare_tables()  # as the portal's process does at start

    queue = api.get(f"/api/admin/programs/{program}/applications", as_=reviewer).json["items"]
    assert [item["application_id"] for item in queue] == [submitted]
    assert api.get(f"/api/admin/programs/{program}/counts", as_=reviewer).json["counts"]["submitted"] == 1
