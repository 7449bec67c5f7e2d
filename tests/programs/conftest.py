"""Fixtures of the programs tests: staff callers, the sample program, a simple program."""

from __future__ import annotations

import pytest

from infra.local import seed
from tests.support.api import Api, AsStaff
from tests.support.factories import as_staff
from tests.support.programs import Portal, simple_program


@pytest.fixture
def portal(api: Api) -> Portal:
    return Portal(api)


@pytest.fixture
def admin() -> AsStaff:
    return as_staff("admin", subject="admin-1")


@pytest.fixture
def reviewer() -> AsStaff:
    return as_staff("reviewer", subject="reviewer-1")


@pytest.fixture
def sample(aws: None) -> str:
    """The seeded Child Support Grant: two pages, prefill, a conditional question, a required document."""
    return seed.seed_sample_program()


@pytest.fixture
def program(aws: None) -> str:
    return simple_program()
