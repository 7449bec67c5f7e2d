"""A document's completion stopped at any step is finished by trying again, with nothing orphaned.

The completion reads the record, checks the upload in S3, copies it to its permanent key, records
the document available (with its application's kinds item when it is attached to one) and deletes
the upload. Each of its AWS calls is made to fail in turn, either refused (a 503 from the service:
nothing done) or done with its answer lost (a timeout after the call went through). The person's
client then tries again, as it does on a 503. Whatever the step, the retry answers 200 with the
document available, its bytes at the permanent key, no stray copy under ``documents/``, the quota
counting it once, and (attached) the application's kinds item naming it. An upload left behind is
only ever one whose own deletion failed, which the ``uploads/`` lifecycle rule removes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import botocore.client
import pytest
import requests
from botocore.exceptions import ClientError, ReadTimeoutError

from chalicelib import config
from chalicelib.store.applications import AttachedDocuments
from chalicelib.store.documents import Document, DocumentQuota
from tests.support.api import Api, AsRegistrant
from tests.support.programs import PDF, Portal, simple_program

Call = tuple[str, str]


@contextmanager
def failing(at: int, mode: str) -> Iterator[list[Call]]:
    """Make the ``at``-th AWS call (from 0) of the block fail: ``refused`` raises instead of calling,
    ``lost`` calls, then raises a timeout. Yields the calls seen."""
    real = botocore.client.BaseClient._make_api_call
    seen: list[Call] = []

    def call(client: Any, operation: str, params: dict[str, Any]) -> Any:
        seen.append((client.meta.service_model.service_name, operation))
        if len(seen) - 1 != at:
            return real(client, operation, params)
        if mode == "refused":
            raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "busy"}, "ResponseMetadata": {"HTTPStatusCode": 503}}, operation)
        real(client, operation, params)
        raise ReadTimeoutError(endpoint_url="https://aws.example")

    botocore.client.BaseClient._make_api_call = call
    try:
        yield seen
    finally:
        botocore.client.BaseClient._make_api_call = real


def _declared(api: Api, who: AsRegistrant, application_id: str | None) -> str:
    body = {"kind": "id_card", "file_name": "card.pdf", "content_type": "application/pdf", "size": len(PDF)}
    if application_id:
        body["application_id"] = application_id
    declared = api.post("/api/documents", body, as_=who)
    assert declared.status == 201, declared.json
    upload = declared.json["upload"]
    sent = requests.post(upload["url"], data=upload["fields"], files={"file": ("card.pdf", PDF)}, timeout=10)
    assert sent.status_code in (200, 201, 204)
    return str(declared.json["document"]["document_id"])


def _objects(prefix: str) -> set[str]:
    s3 = boto3.client("s3", region_name=config.region())
    return {o["Key"] for o in s3.list_objects_v2(Bucket=config.documents_bucket(), Prefix=prefix).get("Contents", [])}


def _complete(api: Api, who: AsRegistrant, document_id: str) -> Any:
    return api.post(f"/api/documents/{document_id}/complete", as_=who)


def _steps(api: Api, who: AsRegistrant, make: Callable[[], str]) -> list[Call]:
    document_id = make()
    with failing(-1, "none") as seen:
        assert _complete(api, who, document_id).status == 200
    return list(seen)


@pytest.mark.parametrize("attached", [False, True], ids=["alone", "on-application"])
@pytest.mark.parametrize("mode", ["refused", "lost"])
def test_a_completion_stopped_at_each_step_is_finished_by_a_retry(api: Api, portal: Portal, registrant: AsRegistrant, attached: bool, mode: str) -> None:
    application_id = None
    if attached:
        rule = {"kind": "id_card", "label": {"en": "Identity card"}, "required": True}
        application_id = portal.draft(registrant, simple_program(documents=[rule]), {"name": "Amina"})["application_id"]

    def make() -> str:
        return _declared(api, registrant, application_id)

    steps = _steps(api, registrant, make)
    assert ("s3", "CopyObject") in steps and ("s3", "DeleteObject") in steps, steps
    made = 1
    for at, step in enumerate(steps):
        document_id = make()
        made += 1
        with failing(at, mode):
            first = _complete(api, registrant, document_id)
        assert first.status in (200, 503), (step, first.status, first.json)
        again = _complete(api, registrant, document_id)
        assert again.status == 200, (step, mode, again.json)
        document = Document.get(document_id, consistent_read=True)
        assert (document.status, document.upload_key, document.size) == ("available", None, len(PDF)), step
        stored = boto3.client("s3", region_name=config.region()).get_object(Bucket=config.documents_bucket(), Key=document.s3_key)["Body"].read()
        assert stored == PDF, step
        if attached:
            entries = AttachedDocuments.get(f"kinds#{application_id}", consistent_read=True).entries or set()
            assert f"id_card#{document_id}" in entries, step
        left = {key for key in _objects("uploads/") if document_id in key}
        assert not left or step == ("s3", "DeleteObject"), (step, left)  # only an upload whose deletion failed: the lifecycle rule's
    kept = {document.s3_key for document in Document.by_registrant.query(registrant.registrant_id)}
    assert _objects(f"documents/{registrant.registrant_id}/") == kept  # no copy without its record
    quota = DocumentQuota.get(f"quota#{registrant.registrant_id}", consistent_read=True)
    assert int(quota.documents) == made == len(kept)
