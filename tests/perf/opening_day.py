"""``make bench``: a national opening day, modelled from the DynamoDB operations the code really makes.

Two people go through a whole application in-process (Chalice test client over moto): login
(the login record and the session, as the callback writes them), the programme page, a draft, two
page saves, two documents, submit. A reviewer then lists the queue, opens the application, starts
the review and approves it; an administrator refreshes the counts once. Every DynamoDB call is
recorded with its table or index, the partition key it touches and the size of what it reads or
writes, converted to capacity units the way DynamoDB bills them:

- reads: 4 KB a unit, half for eventually consistent reads, twice for TransactGetItems;
- writes: 1 KB a unit, twice inside TransactWriteItems; every write also writes each global
  secondary index whose key the item holds (its projection's size);
- a Query is charged for what it reads (re-read here without ``Select=COUNT`` to size it).

A third person goes through the same journey first, unrecorded: the two recorded journeys meet a
warm process, as nearly every request of the day does (its per-process copies of the program and
the form are filled). What those copies cost is modelled apart: every process re-reads the program
item once per ``programs.cache.TTL_SECONDS``, with the concurrency the day's requests need.

A partition key both people touch is **shared**: every applicant of the day meets on it. A key the
code spreads over shards (``<key>#<n>``: the review index, the counters, the events feed) is shared
by all applicants too, each shard taking its share: it is grouped under its base key and divided by
its number of shards (from the code's own constants). Those keys are scaled to the scenario
(1,000,000 applications in an hour, the first ten minutes at three times the average; 200 reviewers;
20 staff refreshing counts every 30 s) and set against DynamoDB's per-partition limits (1,000 write
and 3,000 read units a second). Keys one person alone touches spread over partitions and are listed
by their highest units per journey. A count's Query (none since the counters) grows with the
applications it counts: it is scaled from the items it read here to a million.

Prices (eu-west-1, on-demand, as of 2026): DynamoDB $0.7074 per million write request units and
$0.1415 per million read request units; Lambda $0.20 per million requests and $0.0000166667 per
GB-second (512 MB, 100 ms assumed per request); S3 $0.0054 per 1,000 PUT/COPY/POST/LIST and
$0.00043 per 1,000 GET/HEAD; SNS SMS $0.04 a segment (it differs by country: Kenya's rate is about
that; check the destination's) and SES $0.10 per 1,000 emails, for each message the application's
events lead to, the person told by both. Figures to compare before and after a change, not a bill.
"""

from __future__ import annotations

import math
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import botocore.client

READ_UNIT, WRITE_UNIT = 4096, 1024
PARTITION_READS, PARTITION_WRITES = 3000, 1000
APPLICATIONS = 1_000_000
PEAK_PER_SECOND = 3 * APPLICATIONS / 3600  # the first ten minutes, at three times the hour's average
REVIEWERS, REVIEWS_PER_REVIEWER_MINUTE = 200, 1
COUNT_REFRESHERS, REFRESH_SECONDS = 20, 30
PRICE = {
    **{"wru": 0.7074e-6, "rru": 0.1415e-6, "lambda_request": 0.20e-6, "lambda_gb_second": 0.0000166667, "s3_write": 0.0054e-3, "s3_read": 0.00043e-3},
    **{"sms_segment": 0.04, "email": 0.10e-3},
}
LAMBDA_GB, LAMBDA_SECONDS = 0.5, 0.1
APPLICANTS = ("a", "b")
SHARDED = re.compile(r"^(?P<base>.*#)(?P<shard>\d+)$")


def _shard_counts() -> dict[tuple[str, str], int]:
    """(table or index, key attribute) -> how many shards the code spreads that key over."""
    from chalicelib.store.applications import COUNTER_SHARDS, REVIEW_SHARDS
    from chalicelib.store.events import FEED_SHARDS

    return {
        ("applications/review", "review_shard"): REVIEW_SHARDS,
        ("events/feed", "feed_day"): FEED_SHARDS,
        ("applications", "application_id"): COUNTER_SHARDS,
    }


def _grouped(target: str, key: str, shards: dict[tuple[str, str], int]) -> tuple[str, int]:
    """A key as the model counts it: a shard key under its base (``<base>#*``) with its shard count."""
    name, _, value = key.partition("=")
    count = shards.get((target, name))
    match = SHARDED.match(value)
    if count is None or match is None or (target == "applications" and not value.startswith("counts#")):
        return key, 1
    return f"{name}={match.group('base')}*", count


class Touch(NamedTuple):
    """Capacity one call spent on one partition key of one table or index."""

    actor: str  # "a" / "b" (the two applicants), "reviewer", "counts"
    step: str
    target: str  # table, or table/index
    key: str
    reads: float
    writes: float
    read_bytes: int = 0  # what a Query read, for scaling a count to a million applications


class Recorder:
    """Wraps botocore's calls (after tests/support/calls.py's own wrapper) to size each DynamoDB call."""

    def __init__(self) -> None:
        self.touches: list[Touch] = []
        self.s3: dict[str, int] = defaultdict(int)
        self.requests = 0
        self.actor, self.step = "setup", "setup"
        self._schemas: dict[str, dict[str, Any]] = {}
        self._original = botocore.client.BaseClient._make_api_call
        self._quiet = False
        self.program_item: dict[str, Any] = {}
        self.messages: list[tuple[str, int]] = []  # (event type, SMS segments) of one application
        self.program_key = ""

    @contextmanager
    def installed(self) -> Iterator[Recorder]:
        recorder = self

        def recording(client: Any, operation: str, params: dict[str, Any]) -> Any:
            if recorder._quiet:
                return recorder._original(client, operation, params)
            service = client.meta.service_model.service_name
            if service == "s3":
                recorder.s3[operation] += recorder.actor in ("a", "b", "reviewer")
            if service != "dynamodb":
                return recorder._original(client, operation, params)
            before = recorder._before(client, operation, params)
            answer = recorder._original(client, operation, params)
            recorder._size(client, operation, params, answer, before)
            return answer

        botocore.client.BaseClient._make_api_call = recording
        try:
            yield self
        finally:
            botocore.client.BaseClient._make_api_call = self._original

    # -- what a table looks like -------------------------------------------------------------

    def _call(self, client: Any, operation: str, params: dict[str, Any]) -> Any:
        self._quiet = True
        try:
            return self._original(client, operation, params)
        finally:
            self._quiet = False

    def _schema(self, client: Any, table: str) -> dict[str, Any]:
        if table not in self._schemas:
            described = self._call(client, "DescribeTable", {"TableName": table})["Table"]
            hash_key = next(k["AttributeName"] for k in described["KeySchema"] if k["KeyType"] == "HASH")
            key_names = [k["AttributeName"] for k in described["KeySchema"]]
            indexes = {}
            for index in described.get("GlobalSecondaryIndexes", []):
                index_hash = next(k["AttributeName"] for k in index["KeySchema"] if k["KeyType"] == "HASH")
                projection = index["Projection"]
                kept = None if projection["ProjectionType"] == "ALL" else set(key_names) | {k["AttributeName"] for k in index["KeySchema"]}
                if kept is not None and projection["ProjectionType"] == "INCLUDE":
                    kept |= set(projection.get("NonKeyAttributes", []))
                indexes[index["IndexName"]] = (index_hash, kept)
            self._schemas[table] = {"hash": hash_key, "keys": key_names, "indexes": indexes}
        return self._schemas[table]

    def _item(self, client: Any, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        answer = self._call(client, "GetItem", {"TableName": table, "Key": key, "ConsistentRead": True})
        item = answer.get("Item")
        return dict(item) if item else None

    # -- before and after each call ------------------------------------------------------------

    def _before(self, client: Any, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """The items a write will change, as they were (their index keys may be left behind)."""
        olds: dict[str, Any] = {}
        for table, written in _written_keys(operation, params):
            key = {k: written[k] for k in self._schema(client, table)["keys"]}
            olds[f"{table}|{_key_text(key)}"] = self._item(client, table, key)
        return olds

    def _size(self, client: Any, operation: str, params: dict[str, Any], answer: dict[str, Any], before: dict[str, Any]) -> None:
        if operation in ("GetItem",):
            table = params["TableName"]
            self._read(table, params["Key"], answer.get("Item"), consistent=bool(params.get("ConsistentRead")), client=client)
        elif operation == "BatchGetItem":  # every key asked for is charged, found or not
            for table, asked in params.get("RequestItems", {}).items():
                names = self._schema(client, table)["keys"]
                found = {_key_text({k: item[k] for k in names}): item for item in answer.get("Responses", {}).get(table, [])}
                for key in asked["Keys"]:
                    self._read(table, key, found.get(_key_text(key)), consistent=bool(asked.get("ConsistentRead")), client=client)
        elif operation == "TransactGetItems":
            for request, response in zip(params["TransactItems"], answer.get("Responses", []), strict=False):
                get = request["Get"]
                self._read(get["TableName"], get["Key"], response.get("Item"), consistent=True, client=client, factor=2)
        elif operation == "Query":
            self._query(client, params, answer)
        elif operation in ("PutItem", "UpdateItem", "DeleteItem"):
            self._write(client, params["TableName"], _key_of(client, self, operation, params), before, factor=1)
        elif operation == "TransactWriteItems":
            for request in params["TransactItems"]:
                kind, body = next(iter(request.items()))
                key = body["Item"] if kind == "Put" else body["Key"]
                key = {k: key[k] for k in self._schema(client, body["TableName"])["keys"]}
                if kind == "ConditionCheck":
                    self._add(body["TableName"], self._schema(client, body["TableName"])["hash"], key, reads=0, writes=2)
                else:
                    self._write(client, body["TableName"], key, before, factor=2)
        elif operation == "BatchWriteItem":
            for table, requests in params.get("RequestItems", {}).items():
                for request in requests:
                    body = request.get("PutRequest", {}).get("Item") or request.get("DeleteRequest", {}).get("Key")
                    key = {k: body[k] for k in self._schema(client, table)["keys"]}
                    self._write(client, table, key, before, factor=1)

    def _read(self, table: str, key: dict[str, Any], item: dict[str, Any] | None, *, consistent: bool, client: Any, factor: float = 1) -> None:
        units = math.ceil(max(_size(item or {}), 1) / READ_UNIT) * (1 if consistent else 0.5) * factor
        self._add(table, self._schema(client, table)["hash"], key, reads=units, writes=0)

    def _query(self, client: Any, params: dict[str, Any], answer: dict[str, Any]) -> None:
        table, index = params["TableName"], params.get("IndexName")
        items = answer.get("Items")
        if items is None or params.get("Select") == "COUNT":  # a count: read what it counted to size it
            sized = {k: v for k, v in params.items() if k not in ("Select", "Limit")}
            items = []
            while True:
                page = self._call(client, "Query", sized)
                items.extend(page.get("Items", []))
                if "LastEvaluatedKey" not in page:
                    break
                sized["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        schema = self._schema(client, table)
        hash_name = schema["indexes"][index][0] if index else schema["hash"]
        value = _query_hash_value(params, hash_name)
        units = math.ceil(max(sum(_size(i) for i in items), 1) / READ_UNIT) * (1 if params.get("ConsistentRead") else 0.5)
        target = f"{table}/{index}" if index else table
        counted = params.get("Select") == "COUNT"
        self.touches.append(Touch(self.actor, self.step, _short(target), f"{hash_name}={value}", units, 0, sum(_size(i) for i in items) if counted else 0))

    def _write(self, client: Any, table: str, key: dict[str, Any], before: dict[str, Any], factor: float) -> None:
        schema = self._schema(client, table)
        old = before.get(f"{table}|{_key_text(key)}")
        new = self._item(client, table, key)
        units = math.ceil(max(_size(old or {}), _size(new or {}), 1) / WRITE_UNIT) * factor
        self._add(table, schema["hash"], key, reads=0, writes=units)
        for index, (index_hash, kept) in schema["indexes"].items():
            for version in (old, new):
                if version and index_hash in version:
                    projected = version if kept is None else {k: v for k, v in version.items() if k in kept}
                    index_units = math.ceil(max(_size(projected), 1) / WRITE_UNIT)
                    self.touches.append(Touch(self.actor, self.step, _short(f"{table}/{index}"), f"{index_hash}={_value(version[index_hash])}", 0, index_units))
                    break  # an index item replaced in place is one write; moved to a new key, one each (approximated as one)

    def _add(self, table: str, hash_name: str, key: dict[str, Any], *, reads: float, writes: float) -> None:
        self.touches.append(Touch(self.actor, self.step, _short(table), f"{hash_name}={_value(key[hash_name])}", reads, writes))


def _written_keys(operation: str, params: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    if operation in ("PutItem",):
        return [(params["TableName"], params["Item"])]
    if operation in ("UpdateItem", "DeleteItem"):
        return [(params["TableName"], params["Key"])]
    if operation == "TransactWriteItems":
        written = []
        for request in params["TransactItems"]:
            kind, body = next(iter(request.items()))
            if kind != "ConditionCheck":
                written.append((body["TableName"], body["Item"] if kind == "Put" else body["Key"]))
        return written
    return []


def _key_of(client: Any, recorder: Recorder, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    table = params["TableName"]
    source = params["Item"] if operation == "PutItem" else params["Key"]
    return {k: source[k] for k in recorder._schema(client, table)["keys"]}


def _key_text(key: dict[str, Any]) -> str:
    return "|".join(f"{k}={_value(v)}" for k, v in sorted(key.items()))


def _value(wire: dict[str, Any]) -> str:
    return str(next(iter(wire.values())))


def _query_hash_value(params: dict[str, Any], hash_name: str) -> str:
    expression = params.get("KeyConditionExpression", "")
    for part in re.split(r"\s+AND\s+", expression, flags=re.IGNORECASE):
        left, _, right = part.partition("=")
        left, right = left.strip().strip("()"), right.strip().strip("()")
        if params.get("ExpressionAttributeNames", {}).get(left, left) == hash_name and right in params.get("ExpressionAttributeValues", {}):
            return _value(params["ExpressionAttributeValues"][right])
    return "?"


def _size(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it: attribute names plus values."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: dict[str, Any]) -> int:
    kind, inner = next(iter(value.items()))
    if kind == "S":
        return len(str(inner).encode())
    if kind == "N":
        return max(1, math.ceil(len(str(inner).lstrip("-").replace(".", "")) / 2) + 1)
    if kind == "B":
        return len(inner) if isinstance(inner, bytes | bytearray) else len(str(inner))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + _value_size(v) + 1 for k, v in inner.items())
    if kind == "L":
        return 3 + sum(_value_size(v) + 1 for v in inner)
    if kind in ("SS", "NS", "BS"):
        return sum(len(str(v).encode()) for v in inner)
    return 1


def _short(target: str) -> str:
    prefix = os.environ.get("SSP_TABLE_PREFIX", "ssp-dev") + "-"
    return target.removeprefix(prefix)


# -- the journeys --------------------------------------------------------------------------------


def record_journeys() -> Recorder:
    from tests.support import environment

    environment.apply()
    os.environ["SSP_LOG_LEVEL"] = "WARNING"
    from chalice.test import Client

    from app import app
    from chalicelib import config
    from chalicelib.auth.sessions import create_session
    from chalicelib.registrants.logins import record_login
    from chalicelib.store.programs import Program
    from infra.local import seed
    from tests.support.api import Api, AsRegistrant
    from tests.support.aws import portal_aws
    from tests.support.factories import SAMPLE_PEOPLE, as_staff
    from tests.support.programs import HOUSEHOLD, Portal

    recorder = Recorder()
    with portal_aws(), Client(app) as client:
        program_id = seed.seed_sample_program()
        api = Api(client)
        portal = Portal(api)
        reviewer, admin = as_staff("reviewer", subject="reviewer-1"), as_staff("admin", subject="admin-1")
        applications = []
        with recorder.installed():
            for actor, person in zip(("warm", *APPLICANTS), (SAMPLE_PEOPLE[-1], *SAMPLE_PEOPLE), strict=False):
                recorder.actor = actor
                recorder.step = "login"
                claims = {"name": person["name"], "birthdate": person["birthdate"], "phone_number": person["phone_number"]}
                record = record_login(
                    issuer="https://esignet.example", subject=f"sub-{actor}", provider_id="esignet",
                    profile_claims=claims, individual_id=person["individual_id"], consented_claims=sorted(claims),
                )  # fmt: skip
                session = create_session(record.registrant_id, {"name": person["name"], "provider": "esignet"})
                who = AsRegistrant(record.registrant_id, session.raw_id, session.csrf_token)
                for step, call in _applicant_steps(api, portal, who, program_id, HOUSEHOLD):
                    recorder.step = step
                    answer = call()
                    recorder.requests += actor == "a"
                    if answer is not None and getattr(answer, "status", 200) >= 400:
                        raise SystemExit(f"opening-day journey: {step} answered {answer.status}: {answer.json}")
                    if step == "submit" and actor != "warm":
                        applications.append(answer.json["application_id"])
            recorder.actor = "reviewer"
            for step, call in _review_steps(api, portal, reviewer, program_id, applications[0]):
                recorder.step = step
                answer = call()
                recorder.requests += 1
                if answer.status >= 400:
                    raise SystemExit(f"opening-day review: {step} answered {answer.status}: {answer.json}")
            recorder.actor, recorder.step = "counts", "counts"
            api.get(f"/api/admin/programs/{program_id}/counts", as_=admin)
            programs = Program._get_connection().connection.client
            recorder.program_item = recorder._item(programs, config.table_name("programs"), {"program_id": {"S": program_id}}) or {}
            recorder.program_key = f"program_id={program_id}"
        recorder.messages = _messages_of(applications[0])
    return recorder


def _messages_of(application_id: str) -> list[tuple[str, int]]:
    """The messages one application leads to: each of its outbox events with a message template,
    and the SMS segments of that template's English text with sample values (the person told by
    SMS and by email, the costlier choice)."""
    from chalicelib.notifications.templates import DEFAULTS, preview
    from chalicelib.store.events import OutboxEvent

    types = [event.type for event in OutboxEvent.scan() if event.application_id == application_id and event.type in DEFAULTS]
    return [(kind, int(preview(kind, "en", None)["sms_segments"])) for kind in types]


def _applicant_steps(api: Any, portal: Any, who: Any, program_id: str, answers: dict[str, Any]) -> list[tuple[str, Any]]:
    state: dict[str, Any] = {}
    half = len(answers) // 2
    first, second = dict(list(answers.items())[:half]), dict(list(answers.items())[half:])

    def draft() -> Any:
        answer = portal.apply(who, program_id, {})
        state["id"], state["version"] = answer.json["application_id"], answer.json["version"]
        return answer

    def save(part: dict[str, Any]) -> Any:
        answer = portal.save(who, state["id"], part, version=state["version"])
        state["version"] = answer.json.get("version", state["version"])
        return answer

    def document(kind: str) -> Any:
        portal.attach(who, state["id"], kind)
        return None

    return [
        ("programmes page", lambda: api.get("/api/programs", as_=who)),
        ("programme page", lambda: api.get(f"/api/programs/{program_id}", as_=who)),
        ("draft", draft),
        ("save page 1", lambda: save(first)),
        ("save page 2", lambda: save(second)),
        ("document 1", lambda: document("birth_certificate")),
        ("document 2", lambda: document("birth_certificate")),
        ("submit", lambda: portal.submit(who, state["id"])),
        ("my applications", lambda: api.get("/api/applications", as_=who)),
    ]


def _review_steps(api: Any, portal: Any, reviewer: Any, program_id: str, application_id: str) -> list[tuple[str, Any]]:
    return [
        ("review queue", lambda: api.get(f"/api/admin/programs/{program_id}/applications", as_=reviewer)),
        ("open application", lambda: api.get(f"/api/admin/applications/{application_id}", as_=reviewer)),
        ("start review", lambda: portal.decide(reviewer, application_id, "under_review")),
        ("approve", lambda: portal.decide(reviewer, application_id, "approved")),
    ]


# -- the model -----------------------------------------------------------------------------------


def report(recorder: Recorder) -> None:
    shards = _shard_counts()
    touches = [t._replace(key=_grouped(t.target, t.key, shards)[0]) for t in recorder.touches]
    spread_over = {(t.target, _grouped(t.target, t.key, shards)[0]): _grouped(t.target, t.key, shards)[1] for t in recorder.touches}
    applicant = [t for t in touches if t.actor in ("a", "b")]
    keys_a = {(t.target, t.key) for t in applicant if t.actor == "a"}
    keys_b = {(t.target, t.key) for t in applicant if t.actor == "b"}
    shared = keys_a & keys_b
    per_second: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])

    def add(t: Touch, reads: float, writes: float, rate: float) -> None:
        n = spread_over.get((t.target, t.key), 1)  # one shard's share
        per_second[(t.target, t.key)][0] += reads * rate / n
        per_second[(t.target, t.key)][1] += writes * rate / n

    for t in applicant:
        if t.actor == "a" and (t.target, t.key) in shared:
            add(t, t.reads, t.writes, PEAK_PER_SECOND)
    reviews_per_second = REVIEWERS * REVIEWS_PER_REVIEWER_MINUTE / 60
    for t in touches:
        if t.actor == "reviewer":
            add(t, t.reads, t.writes, reviews_per_second)
    counted = len(APPLICANTS)  # the count saw the two applicants' applications
    refreshes_per_second = COUNT_REFRESHERS / REFRESH_SECONDS
    for t in touches:
        if t.actor == "counts":
            add(t, _count_units(t, counted), 0, refreshes_per_second)
    processes, refresh_units = _program_copies(recorder)
    if recorder.program_key:
        per_second[("programs", recorder.program_key)][0] += refresh_units

    print("\nOpening day, modelled from the code's recorded DynamoDB operations (tests/perf/opening_day.py)")
    print(f"  scenario: {APPLICATIONS:,} applications in an hour, peak {PEAK_PER_SECOND:.0f} journeys/s for ten minutes;")
    print(f"  {REVIEWERS} reviewers ({reviews_per_second:.1f} decisions/s); {COUNT_REFRESHERS} staff refreshing counts every {REFRESH_SECONDS} s")
    print(f"  hottest partition key of each table and index at the peak (limits: {PARTITION_WRITES:,} WCU/s, {PARTITION_READS:,} RCU/s a partition)")
    print(f"  {'table / index':<28} {'key':<34} {'WCU/s':>9} {'of limit':>8} {'RCU/s':>10} {'of limit':>8}")
    hottest: dict[str, tuple[str, float, float]] = {}
    for (target, key), (reads, writes) in per_second.items():
        load = max(writes / PARTITION_WRITES, reads / PARTITION_READS)
        if target not in hottest or load > max(hottest[target][2] / PARTITION_WRITES, hottest[target][1] / PARTITION_READS):
            hottest[target] = (key, reads, writes)
    over = 0
    for target in sorted(hottest):
        key, reads, writes = hottest[target]
        share_w, share_r = writes / PARTITION_WRITES, reads / PARTITION_READS
        over += max(share_w, share_r) > 0.5
        print(f"  {target:<28} {key[:34]:<34} {writes:9.0f} {share_w:8.0%} {reads:10.0f} {share_r:8.0%}")
    spread = sorted({t.target for t in applicant} - set(hottest))
    if spread:
        print(f"  touched only on each person's own keys (spread over partitions): {', '.join(spread)}")
    print(f"  keys above half a partition's limit: {over} (bar: 0)")
    sharded = sorted({f"{target} {key} ({n} shards)" for (target, key), n in spread_over.items() if n > 1})
    if sharded:
        print(f"  one shard's share shown for: {'; '.join(sharded)}")
    ttl = _cache_ttl()
    print(f"  programs: each of ~{processes:,.0f} warm processes re-reads the program item every {ttl:.0f} s: {refresh_units:,.0f} RCU/s included above")
    _costs(recorder, counted, refreshes_per_second)


def _cache_ttl() -> float:
    from chalicelib.programs import cache

    return cache.TTL_SECONDS


def _program_copies(recorder: Recorder) -> tuple[float, float]:
    """The processes the peak keeps busy (requests a second times their duration) and the read units
    a second their copies of the program cost: each re-read once a TTL, as a TransactGetItems would."""
    processes = PEAK_PER_SECOND * recorder.requests * LAMBDA_SECONDS
    units = math.ceil(max(_size(recorder.program_item), 1) / READ_UNIT) * 2
    return processes, processes / _cache_ttl() * units


def _count_units(touch: Touch, counted: int) -> float:
    """A count's read units once the program holds a million applications: a counting Query reads
    every item it counts, so its bytes grow with them (eventually consistent: 8 KB a unit)."""
    if not touch.read_bytes:
        return touch.reads
    return touch.read_bytes / counted * APPLICATIONS / READ_UNIT * 0.5


def _costs(recorder: Recorder, counted: int, refreshes_per_second: float) -> None:
    journey = [t for t in recorder.touches if t.actor in ("a", "reviewer")]
    rru = sum(t.reads for t in journey)
    wru = sum(t.writes for t in journey)
    s3_reads = sum(n for op, n in recorder.s3.items() if op in ("GetObject", "HeadObject")) / 2
    s3_writes = sum(n for op, n in recorder.s3.items() if op not in ("GetObject", "HeadObject")) / 2
    requests = recorder.requests
    per_thousand = {
        "DynamoDB writes": wru * PRICE["wru"] * 1000,
        "DynamoDB reads": rru * PRICE["rru"] * 1000,
        "Lambda": requests * (PRICE["lambda_request"] + LAMBDA_GB * LAMBDA_SECONDS * PRICE["lambda_gb_second"]) * 1000,
        "S3 requests": (s3_reads * PRICE["s3_read"] + s3_writes * PRICE["s3_write"]) * 1000,
        "SMS and email": sum(segments * PRICE["sms_segment"] + PRICE["email"] for _kind, segments in recorder.messages) * 1000,
    }
    s3_requests = s3_writes + s3_reads
    print(f"\n  one application, submitted and decided: {wru:.0f} write units, {rru:.1f} read units, {requests} API requests, {s3_requests:.0f} S3 requests")
    told = ", ".join(f"{kind} ({segments} SMS segment{'s' * (segments != 1)})" for kind, segments in recorder.messages)
    print(f"  messages to the person: {len(recorder.messages)} by SMS and email: {told or 'none'}")
    print("  cost per 1,000 applications (prices in tests/perf/opening_day.py's docstring)")
    for name, dollars in per_thousand.items():
        print(f"    {name:<18} ${dollars:8.4f}")
    print(f"    {'total':<18} ${sum(per_thousand.values()):8.4f}")
    refresh = sum(_count_units(t, counted) for t in recorder.touches if t.actor == "counts")
    hourly = refresh * refreshes_per_second * 3600 * PRICE["rru"]
    print(f"  one count refresh at {APPLICATIONS:,} applications: {refresh:,.0f} read units; {COUNT_REFRESHERS} staff refreshing: ${hourly:,.2f} an hour")


def main() -> None:
    report(record_journeys())


if __name__ == "__main__":
    main()
