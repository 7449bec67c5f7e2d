"""Fixtures shared by every test area: moto-backed AWS, the app's test client, factories."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import environment

environment.apply()  # before the app is imported: see VERIFIED.md on Chalice's test client

import boto3  # noqa: E402
from chalice.test import Client  # noqa: E402
from moto import mock_aws  # noqa: E402

from app import app as chalice_app  # noqa: E402
from chalicelib import config  # noqa: E402
from chalicelib.store.tables import create_missing_tables  # noqa: E402
from tests.support.api import Api, AsRegistrant  # noqa: E402
from tests.support.factories import logged_in  # noqa: E402


@pytest.fixture
def aws() -> Iterator[None]:
    """In-process AWS (moto) with every table and the documents bucket created."""
    with mock_aws():
        create_missing_tables()
        boto3.client("s3", region_name=config.region()).create_bucket(
            Bucket=config.documents_bucket(), CreateBucketConfiguration={"LocationConstraint": config.region()}
        )
        yield


@pytest.fixture
def api(aws: None) -> Iterator[Api]:
    with Client(chalice_app) as client:
        yield Api(client)


@pytest.fixture
def registrant(aws: None) -> AsRegistrant:
    return logged_in()


@pytest.fixture
def other_registrant(aws: None) -> AsRegistrant:
    from tests.support.factories import SAMPLE_PEOPLE

    return logged_in(SAMPLE_PEOPLE[1])
