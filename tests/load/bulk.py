"""A local-stack snapshot holding N submitted applications, each with a document, written by the
portal's own service functions (login, draft, two page saves, a declared, uploaded and completed
document, submit) against moto in this process, then saved as the emulator's snapshot.

    python -m tests.load.bulk --applications 10000 --data-dir /tmp/ssp-10k/data

No HTTP: the same writes the API makes, in minutes rather than the hour 10,000 people take
through the real flow (see ``Batches`` for how moto is kept quick meanwhile). Run in its own process (moto's patches stay here). The data folder can
then be given to ``make dev`` (``SSP_DATA_DIR``) or to the emulator, which restores it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from moto import mock_aws
from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID

from chalicelib.auth.sessions import create_session
from chalicelib.config import documents_bucket
from chalicelib.documents import service as documents
from chalicelib.documents.storage import get_s3
from chalicelib.identity.callers import Actor
from chalicelib.programs import service as programs
from chalicelib.registrants.logins import record_login
from infra.local import moto_fixes, snapshot
from infra.local.idp.directory import synthetic_id
from infra.local.portal import prepare_data, stage_environment
from infra.local.seed import PROGRAM_ID
from tests.load.people import PDF, answers_of

PROGRESS_EVERY = 1000
BATCH = 100


def _environment() -> None:
    """What the portal's process runs with, minus the emulator's address: moto is in-process."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"):
        os.environ.pop(name, None)
    region = "eu-west-1"
    os.environ.update(stage_environment())
    os.environ.update(
        AWS_ACCESS_KEY_ID="local",
        AWS_SECRET_ACCESS_KEY="local",
        AWS_DEFAULT_REGION=region,
        AWS_REGION=region,
        SSP_PUBLIC_URL="http://localhost:8000",
        SSP_LOG_LEVEL="WARNING",  # one line per write of 10,000 people is noise
    )


def build(applications: int, data_dir: Path, say: bool = True) -> float:
    """Write ``data_dir``'s snapshot with ``applications`` submitted applications; seconds taken."""
    _environment()  # read lazily by the portal's config, when first used below
    started = time.perf_counter()
    data_dir.mkdir(parents=True, exist_ok=True)
    moto_fixes.apply()  # as in the emulator: no tracked instances, cheap transaction backups
    with mock_aws():
        prepare_data()
        tables = Batches(get_backend("dynamodb")[DEFAULT_ACCOUNT_ID][os.environ["AWS_REGION"]].tables)
        for person in range(1, applications + 1):
            apply_as(person)
            if person % BATCH == 0 or person == applications:
                tables.set_aside()
            if say and person % PROGRESS_EVERY == 0:
                print(f"  {person} applications in {time.perf_counter() - started:.0f} s", flush=True)
        tables.put_back()
        snapshot.save(data_dir / snapshot.SNAPSHOT)
    return time.perf_counter() - started


class Batches:
    """Keeps moto's tables small while people apply, then puts every item back.

    moto answers an index query by looking at every item of the table, so applying gets slower
    with each person (10,000 would take hours). Each person's writes touch only their own items
    (the program and form are read, never written, once seeded), so the items of each batch of
    people are moved aside and the tables start the next batch with only what was seeded: what
    ends in the snapshot is exactly what the same writes, one person after another, leave. The
    tables' stream records of the people are dropped, as DynamoDB drops them after a day.
    """

    def __init__(self, tables: dict[str, Any]) -> None:
        self.tables = tables
        self.seeded = {name: _entries(table) for name, table in tables.items()}
        self.aside: dict[str, dict[tuple[Any, Any], Any]] = {name: {} for name in tables}

    def set_aside(self) -> None:
        for name, table in self.tables.items():
            entries = _entries(table)
            seeded = self.seeded[name]
            self.aside[name].update((key, item) for key, item in entries.items() if key not in seeded)
            self.seeded[name] = {key: entries[key] for key in seeded if key in entries}
            _refill(table, self.seeded[name])
            if table.stream_shard is not None:
                table.stream_shard.items = []

    def put_back(self) -> None:
        for name, table in self.tables.items():
            _refill(table, {**self.aside[name], **self.seeded[name]})


def _entries(table: Any) -> dict[tuple[Any, Any], Any]:
    """A table's items by (hash key, range key or None)."""
    if table.range_key_attr is None:
        return {(hash_key, None): item for hash_key, item in table.items.items()}
    return {(hash_key, range_key): item for hash_key, by_range in table.items.items() for range_key, item in by_range.items()}


def _refill(table: Any, entries: dict[tuple[Any, Any], Any]) -> None:
    items: Any = defaultdict(dict)
    for (hash_key, range_key), item in entries.items():
        if range_key is None:
            items[hash_key] = item
        else:
            items[hash_key][range_key] = item
    table.items = items


def apply_as(person: int) -> str:
    """Person ``person`` logs in, applies with one document and submits; the application's id."""
    individual_id = synthetic_id(person)
    login = record_login(
        issuer="http://127.0.0.1:8900",
        subject=uuid.uuid5(uuid.NAMESPACE_URL, individual_id).hex,
        provider_id="esignet",
        profile_claims={"name": f"Person {person}", "birthdate": "1990/01/01"},
        individual_id=individual_id,
        consented_claims=["name", "birthdate"],
    )
    registrant_id = login.registrant_id
    create_session(registrant_id, {"name": f"Person {person}", "provider": "esignet"})
    actor = Actor("registrant", registrant_id)
    application_id = str(programs.create_application(registrant_id, PROGRAM_ID, actor)["application_id"])
    about_you, household = answers_of(person)
    programs.save_answers(registrant_id, application_id, about_you, actor)
    programs.save_answers(registrant_id, application_id, household, actor)
    declared = documents.declare_document(
        registrant_id, documents.Declaration("birth_certificate", "certificate.pdf", "application/pdf", len(PDF), application_id)
    )
    fields = declared["upload"]["fields"]
    extra = {"ServerSideEncryption": fields["x-amz-server-side-encryption"]} if "x-amz-server-side-encryption" in fields else {}
    get_s3().put_object(Bucket=documents_bucket(), Key=fields["key"], Body=PDF, ContentType="application/pdf", **extra)
    documents.complete_upload(registrant_id, declared["document"]["document_id"])
    programs.submit_application(registrant_id, application_id, actor)
    return application_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.load.bulk", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    took = build(args.applications, args.data_dir)
    size = snapshot.size(args.data_dir / snapshot.SNAPSHOT)
    print(f"{args.applications} submitted applications with a document each in {took:.0f} s; snapshot {size / 2**20:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
