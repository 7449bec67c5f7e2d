"""In-process AWS for tests: moto, with the portal's tables and its documents bucket created."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import boto3
from moto import mock_aws

from chalicelib import config
from chalicelib.programs import cache as program_cache
from chalicelib.store.tables import create_missing_tables


@contextmanager
def portal_aws() -> Iterator[None]:
    """moto for the block, with every table and the documents bucket as the portal expects them."""
    with mock_aws():
        program_cache.clear()  # programs kept from another test's tables
        create_missing_tables()
        boto3.client("s3", region_name=config.region()).create_bucket(
            Bucket=config.documents_bucket(), CreateBucketConfiguration={"LocationConstraint": config.region()}
        )
        yield
