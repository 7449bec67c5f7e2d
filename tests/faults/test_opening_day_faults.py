"""Fault injection on an opening day in miniature: several people apply while reviewers decide, all
at once (threads, in-process with moto), and a share of the DynamoDB and S3 calls fails.

botocore's own event hooks inject the faults on every client the portal uses: ``before-call``
answers instead of AWS with throttling (DynamoDB ``ThrottlingException``, S3 ``SlowDown``), a 5xx
or a timeout (nothing done), and ``after-call`` loses the answer of a call that went through (a
timeout after the write). Both come after the SDK's own retries (they skip them), so the portal
sees what the SDK would hand it after its last attempt. The seed is fixed and the size bounded.

Each person's client does what the frontend does: on a 503 it waits and tries again with the same
Idempotency-Key (at most ``TRIES`` times). Requests are the service functions the routes call, with
the routes' own error mapping (``web.map_store_error``): a route's session lookup and body parsing
are not in the picture. Afterwards the invariants hold: no 500 reached anyone, no application lost
or duplicated, the ``once`` policy held, references unique, every decision in the person's activity
log, every status change in the outbox, the counters and the review index agree with the
applications, the quota counters equal the documents held.
"""

from __future__ import annotations

import functools
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.client
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError
from moto.dynamodb.models import DynamoDBBackend

from chalicelib import config, web
from chalicelib.documents import service as documents
from chalicelib.documents.states import LIVE
from chalicelib.errors import PortalError
from chalicelib.identity.callers import Actor, StaffCaller
from chalicelib.programs import review, service
from chalicelib.store.applications import Application, ApplicationGuard
from chalicelib.store.audit import AuditEvent
from chalicelib.store.documents import Document, DocumentQuota
from chalicelib.store.events import OutboxEvent
from tests.support.factories import logged_in
from tests.support.programs import PDF, simple_program

SEED = 19
PEOPLE, REVIEWERS = 6, 2
TRIES = 12
# Shares of calls that fail: refused before reaching AWS (throttled, 5xx, timed out), or done with
# the answer lost (a write's timeout after it went through).
THROTTLED, FAILED, TIMED_OUT, LOST = 0.06, 0.03, 0.02, 0.03
# moto's backend calls, one at a time: DynamoDB serialises the writes that touch an item, and moto's
# reads iterate the very dicts its writes change (a read racing a write may fail in moto alone).
BACKEND = (
    "put_item",
    "update_item",
    "delete_item",
    "transact_write_items",
    "batch_write_item",
    "get_item",
    "query",
    "scan",
    "transact_get_items",
    "batch_get_item",
)
_sleep = time.sleep  # service.time is the time module itself: the tests shorten its sleep
WRITE_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem", "CopyObject", "PutObject", "DeleteObject"}


class Faults:
    """Injects faults through each client's event hooks while ``on``; counts what it injected."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)  # noqa: S311 - a fixed seed for a repeatable test
        self.lock = threading.Lock()
        self.local = threading.local()
        self.injected: Counter[str] = Counter()
        self.on = False
        self._hooked: set[int] = set()

    def _draw(self) -> float:
        with self.lock:
            return self.random.random()

    def _active(self) -> bool:
        return self.on and not getattr(self.local, "quiet", False)

    def hook(self, client: Any) -> None:
        if id(client) in self._hooked:
            return
        self._hooked.add(id(client))
        client.meta.events.register("before-call", self.before)
        client.meta.events.register("after-call", self.after)

    def before(self, model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not self._active():
            return None
        draw, s3 = self._draw(), model.service_model.service_name == "s3"
        if draw < THROTTLED:
            self.injected["throttled"] += 1
            return _error(503 if s3 else 400, "SlowDown" if s3 else "ThrottlingException")
        if draw < THROTTLED + FAILED:
            self.injected["5xx"] += 1
            return _error(500, "InternalError" if s3 else "InternalServerError")
        if draw < THROTTLED + FAILED + TIMED_OUT:
            self.injected["timeout"] += 1
            raise ReadTimeoutError(endpoint_url="https://aws.example")
        return None

    def after(self, model: Any, http_response: Any, **_: Any) -> None:
        if not self._active() or model.name not in WRITE_OPERATIONS or http_response.status_code >= 300:
            return
        if self._draw() < LOST:
            self.injected["answer lost"] += 1
            raise ReadTimeoutError(endpoint_url="https://aws.example")

    def quiet(self) -> Any:
        faults = self

        class Quiet:
            def __enter__(self) -> None:
                faults.local.quiet = True

            def __exit__(self, *exc: object) -> None:
                faults.local.quiet = False

        return Quiet()


def _error(status: int, code: str) -> tuple[AWSResponse, dict[str, Any]]:
    return AWSResponse("https://aws.example", status, {}, None), {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}


@pytest.fixture
def faults(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    injector = Faults(SEED)
    real = botocore.client.BaseClient._make_api_call

    def hooked(client: Any, operation: str, params: dict[str, Any]) -> Any:
        injector.hook(client)  # every client the portal holds, as it first calls
        return real(client, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", hooked)
    lock = threading.RLock()
    for name in BACKEND:
        original = getattr(DynamoDBBackend, name)

        def locked(self: Any, *args: Any, _original: Callable[..., Any] = original, **kwargs: Any) -> Any:
            with lock:
                return _original(self, *args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, locked)
    monkeypatch.setattr(service.time, "sleep", lambda seconds: _sleep(min(seconds, 0.01)))  # the jitter, shortened
    yield injector
    injector.on = False


class Client:
    """What a person's browser or a reviewer's console sees of each request, retrying 503s."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answers: list[tuple[str, str, int, str | None]] = []

    def call(self, who: str, step: str, request: Callable[[], Any], tries: int = TRIES) -> tuple[int, Any]:
        for _ in range(tries):
            status, result = _answer(request)
            with self.lock:
                self.answers.append((who, step, status, getattr(result, "code", None) if status != 500 else repr(result)))
            if status != 503:
                return status, result
            _sleep(0.005)
        return status, result


def _answer(request: Callable[[], Any]) -> tuple[int, Any]:
    """The status a client gets, as the route guard and middleware answer (web.route, http_middleware)."""
    try:
        return 200, request()
    except PortalError as error:
        return error.status, error
    except Exception as error:  # noqa: BLE001 - whatever a route would let through is a 500
        mapped = web.map_store_error(error)
        return (mapped.status, mapped) if mapped is not None else (500, error)


def _apply(client: Client, faults: Faults, number: int, registrant_id: str, program_id: str, results: dict[str, Any]) -> None:
    me, actor = f"person-{number}", Actor("registrant", registrant_id)
    status, draft = client.call(
        me, "draft", lambda: service.create_application(registrant_id, program_id, actor, {"name": "Amina"}, idempotency_key=f"first-{number}")
    )
    assert status == 200, (me, draft)
    application_id, version = draft["application_id"], draft["version"]
    status, saved = client.call(
        me, "save", lambda: service.save_answers(registrant_id, application_id, {"name": f"Amina {number}"}, actor, expected_version=version)
    )
    assert status == 200, (me, saved)
    declaration = documents.Declaration("id_card", "card.pdf", "application/pdf", len(PDF), application_id)
    status, declared = client.call(me, "declare", lambda: documents.declare_document(registrant_id, declaration))
    assert status == 200, (me, declared)
    with faults.quiet():  # the browser posts the file to S3 itself
        s3 = boto3.client("s3", region_name=config.region())
        s3.put_object(Bucket=config.documents_bucket(), Key=declared["upload"]["fields"]["key"], Body=PDF, ContentType="application/pdf")
    document_id = declared["document"]["document_id"]
    status, completed = client.call(me, "complete", lambda: documents.complete_upload(registrant_id, document_id))
    assert status == 200, (me, completed)
    status, submitted = client.call(me, "submit", lambda: service.submit_application(registrant_id, application_id, actor, idempotency_key=f"submit-{number}"))
    assert status == 200, (me, submitted)
    status, other = client.call(
        me, "second draft", lambda: service.create_application(registrant_id, program_id, actor, {"name": "Amina"}, idempotency_key=f"second-{number}")
    )
    if status == 200:
        status, refused = client.call(
            me, "second submit", lambda: service.submit_application(registrant_id, other["application_id"], actor, idempotency_key=f"again-{number}")
        )
        results[me] = (application_id, status, getattr(refused, "code", None))
    else:
        results[me] = (application_id, status, getattr(other, "code", None))


def _review(client: Client, number: int, program_id: str, stop: threading.Event) -> None:
    me = f"reviewer-{number}"
    staff = StaffCaller(ref=f"staff-{number}", subject=me, roles=frozenset({"reviewer"}))
    while True:
        done = stop.is_set()
        # Approve, never reject: a rejection gives the `once` claim back, and the second application
        # checked below could then rightly go through.
        for status_now, to in (("submitted", "under_review"), ("under_review", "approved")):
            listed, page = client.call(me, f"list {status_now}", functools.partial(review.program_applications, program_id, status_now, 10, None))
            if listed != 200:
                continue
            for item in page.items:
                reason = None if to == "under_review" else "Checked against the register."
                decision = functools.partial(review.decide, staff, item["application_id"], to, reason, expected_version=item["version"])
                client.call(me, f"decide {to}", decision)
        if done:
            return
        _sleep(0.01)


def test_people_apply_and_reviewers_decide_while_aws_fails_and_nothing_is_lost(faults: Faults) -> None:
    # The card is optional, so a second application gets as far as the `once` policy.
    rule = {"kind": "id_card", "label": {"en": "Identity card"}, "required": False}
    program_id = simple_program(policy={"kind": "once"}, documents=[rule])
    people = [logged_in().registrant_id for _ in range(PEOPLE)]
    client, stop = Client(), threading.Event()
    results: dict[str, tuple[str, int, str | None]] = {}
    failures: list[BaseException] = []

    def guarded(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                failures.append(error)

        return run

    started = time.monotonic()
    faults.on = True
    appliers = [threading.Thread(target=guarded(functools.partial(_apply, client, faults, n, r, program_id, results))) for n, r in enumerate(people)]
    reviewers = [threading.Thread(target=guarded(functools.partial(_review, client, n, program_id, stop))) for n in range(REVIEWERS)]
    for thread in appliers + reviewers:
        thread.start()
    for thread in appliers:
        thread.join(timeout=50)
    stop.set()
    for thread in reviewers:
        thread.join(timeout=50)
    faults.on = False
    assert not failures, failures
    assert not any(thread.is_alive() for thread in appliers + reviewers), f"still running after {time.monotonic() - started:.0f} s"

    assert sum(faults.injected.values()) >= 10, faults.injected  # the faults really happened
    served = Counter(status for *_, status, _code in client.answers)
    assert served[500] == 0, [a for a in client.answers if a[2] == 500]
    assert served[503] > 0  # and reached the clients, who tried again

    # Every person: one application submitted, the second refused by the `once` policy.
    assert len(results) == PEOPLE
    for me, (_application_id, status, code) in results.items():
        assert (status, code) == (409, "already_applied"), me
    applications = [a for r in people for a in Application.by_registrant.query(r, consistent_read=False)]
    submitted = [a for a in applications if a.submitted_at is not None]
    assert sorted(a.application_id for a in submitted) == sorted(r[0] for r in results.values())  # none lost, none twice
    assert len(applications) == 2 * PEOPLE  # each person's two drafts, no more (idempotent creation)
    assert len({a.reference for a in submitted}) == PEOPLE
    for application in submitted:
        guard = ApplicationGuard.get(f"guard#once#{program_id}#{application.registrant_id}", consistent_read=True)
        assert guard.owner == application.application_id

    # Every decision in the person's activity log; every status change in the outbox.
    for application in submitted:
        decisions = [e for e in application.history if (e.get("by") or {}).get("role") == "reviewer"]
        logged = [
            e
            for e in AuditEvent.query(application.registrant_id, consistent_read=True)
            if e.action == "application_status_changed" and e.details.get("application_id") == application.application_id
        ]
        assert [d["to"] for d in decisions] == [e.details["status"] for e in sorted(logged, key=lambda e: e.at_event)], application.application_id
        events = list(OutboxEvent.query(f"application#{application.application_id}", consistent_read=True))
        assert len(events) == len([e for e in application.history if e["from"] is not None]), application.application_id

    # Counters and the review index agree with the applications.
    statuses = Counter(a.status if a.submitted_at is not None else "draft" for a in applications)
    assert {k: v for k, v in review.counts(program_id).items() if v} == dict(statuses)
    for listed_status, count in statuses.items():
        if listed_status != "draft":
            assert len(review.program_applications(program_id, listed_status, 100, None).items) == count

    # The quota counters equal the documents each person holds.
    for registrant_id in people:
        held = [d for d in Document.by_registrant.query(registrant_id) if d.status in LIVE]
        quota = DocumentQuota.get(f"quota#{registrant_id}", consistent_read=True)
        assert (int(quota.documents), int(quota.total_bytes)) == (len(held), sum(int(d.declared_size) for d in held)), registrant_id
