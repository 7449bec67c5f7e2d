"""Fixtures of the outbox tests: staff callers and a simple program."""

from __future__ import annotations

import pytest

from tests.support.api import Api, AsStaff
from tests.support.factories import as_staff
from tests.support.programs import Portal, simple_program


@pytest.fixture
def portal(api: Api) -> Portal:
    return Portal(api)


@pytest.fixture
def reviewer() -> AsStaff:
    return as_staff("reviewer", subject="reviewer-1")


@pytest.fixture
def program(aws: None) -> str:
    return simple_program()
