"""Fixtures of the programs tests: the sample program (staff callers and a simple program are
tests/conftest.py's)."""

from __future__ import annotations

import pytest

from infra.local import seed


@pytest.fixture
def sample(aws: None) -> str:
    """The seeded Child Support Grant: two pages, prefill, a conditional question, a required document."""
    return seed.seed_sample_program()
