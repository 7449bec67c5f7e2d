"""Structured JSON logging for the API, free of personal data by design.

One JSON object a line on standard output (CloudWatch Logs in Lambda): ``level``, ``location``
(function:line), ``message``, ``timestamp``, ``service``, then the ``extra`` fields of the call.
The standard library does this in a few lines; Powertools' Logger did the same but cost a tenth
of the cold start (it loads its metrics, tracer and JMESPath helpers with it).

Log calls pass only identifiers that mean nothing outside the system (request id, route
template, status, opaque record ids, error codes). Never log a request body, a query string, a
claim, a token or an exception message: an exception is logged by its type alone.

The level is ``SSP_LOG_LEVEL``, read when a line is logged (like every setting, never at import
time: Chalice's test client sets a stage's variables only while a handler runs).
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from chalicelib import config

SERVICE = "self-service-portal"

# What every LogRecord has; anything else on a record came from the call's ``extra``.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line; the call's ``extra`` fields follow the fixed ones."""

    default_msec_format = "%s,%03d"

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "level": record.levelname,
            "location": f"{record.funcName}:{record.lineno}",
            "message": record.getMessage(),
            "timestamp": self.formatTime(record, "%Y-%m-%d %H:%M:%S,{msecs}%z").replace("{msecs}", f"{int(record.msecs):03d}"),
            "service": SERVICE,
        }
        line.update((key, value) for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES)
        if record.exc_info and record.exc_info[0] is not None:
            line["exception_name"] = record.exc_info[0].__name__  # the type only: a message may hold input
        return json.dumps(line, default=str, separators=(",", ":"))


class PortalLogger:
    """The portal's logger: JSON lines whose level follows ``SSP_LOG_LEVEL``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.formatter = JsonFormatter()
        self._logger = logging.getLogger(name)
        self._logger.propagate = False  # Lambda's runtime handler on the root logger would write each line twice
        if not self._logger.handlers:
            handler = logging.StreamHandler(sys.stdout)
            handler.setFormatter(self.formatter)
            self._logger.addHandler(handler)
        self._applied: str | None = None

    def _follow_setting(self) -> None:
        wanted = config.get("SSP_LOG_LEVEL").strip().upper()
        if wanted == self._applied:
            return
        # An unknown level name is an operator's typo: log at the default level rather than fail requests.
        level = wanted if isinstance(logging.getLevelName(wanted), int) else config.SETTINGS["SSP_LOG_LEVEL"].default
        self._logger.setLevel(level)
        self._applied = wanted

    def _log(self, level: int, msg: object, extra: dict[str, Any] | None, exc_info: bool = False) -> None:
        self._follow_setting()
        # stacklevel 3: past this method and the public one, so ``location`` names the caller.
        self._logger.log(level, msg, extra=extra, exc_info=exc_info, stacklevel=3)

    def debug(self, msg: object, *, extra: dict[str, Any] | None = None) -> None:
        self._log(logging.DEBUG, msg, extra)

    def info(self, msg: object, *, extra: dict[str, Any] | None = None) -> None:
        self._log(logging.INFO, msg, extra)

    def warning(self, msg: object, *, extra: dict[str, Any] | None = None) -> None:
        self._log(logging.WARNING, msg, extra)

    def error(self, msg: object, *, extra: dict[str, Any] | None = None) -> None:
        self._log(logging.ERROR, msg, extra)

    def exception(self, msg: object, *, extra: dict[str, Any] | None = None) -> None:
        self._log(logging.ERROR, msg, extra, exc_info=True)

    def critical(self, msg: object, *, extra: dict[str, Any] | None = None) -> None:
        self._log(logging.CRITICAL, msg, extra)


logger = PortalLogger(SERVICE)
