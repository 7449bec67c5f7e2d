"""Capturing the API's structured logs exactly as they would be written."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib.observability import logger


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """Everything the portal's logger writes while the block runs, formatted as JSON lines."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    std_logger = logging.getLogger(logger.name)
    std_logger.addHandler(handler)
    try:
        yield buffer
    finally:
        std_logger.removeHandler(handler)
