"""Structured JSON logging for the API (Powertools Logger), free of personal data by design.

Log calls pass only identifiers that mean nothing outside the system (request id, route
template, status, opaque record ids, error codes). Never log a request body, a query string, a
claim, a token or an exception message.

The level is ``SSP_LOG_LEVEL``, read when a line is logged (like every setting, never at import
time: Chalice's test client sets a stage's variables only while a handler runs).
"""

from __future__ import annotations

import logging
from typing import Any

from aws_lambda_powertools import Logger

from chalicelib import config


class PortalLogger(Logger):
    """Powertools' Logger whose level follows ``SSP_LOG_LEVEL``."""

    _applied: str | None = None

    def _follow_setting(self) -> None:
        wanted = config.get("SSP_LOG_LEVEL").strip().upper()
        if wanted == self._applied:
            return
        # An unknown level name is an operator's typo: log at the default level rather than fail requests.
        level = wanted if isinstance(logging.getLevelName(wanted), int) else config.SETTINGS["SSP_LOG_LEVEL"].default
        self.setLevel(level)
        self._applied = wanted

    # Each call adds one frame: stacklevel + 1 keeps the "location" field on the caller.
    def debug(self, msg: object, *args: object, stacklevel: int = 2, **kwargs: Any) -> None:
        self._follow_setting()
        super().debug(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def info(self, msg: object, *args: object, stacklevel: int = 2, **kwargs: Any) -> None:
        self._follow_setting()
        super().info(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def warning(self, msg: object, *args: object, stacklevel: int = 2, **kwargs: Any) -> None:
        self._follow_setting()
        super().warning(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def error(self, msg: object, *args: object, stacklevel: int = 2, **kwargs: Any) -> None:
        self._follow_setting()
        super().error(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def exception(self, msg: object, *args: object, stacklevel: int = 2, **kwargs: Any) -> None:
        self._follow_setting()
        super().exception(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def critical(self, msg: object, *args: object, stacklevel: int = 2, **kwargs: Any) -> None:
        self._follow_setting()
        super().critical(msg, *args, stacklevel=stacklevel + 1, **kwargs)


logger = PortalLogger(service="self-service-portal", log_uncaught_exceptions=False)
