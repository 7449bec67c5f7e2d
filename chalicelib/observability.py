"""Structured JSON logging for the API (Powertools Logger), free of personal data by design.

Log calls pass only identifiers that mean nothing outside the system (request id, route
template, status, opaque record ids, error codes). Never log a request body, a query string, a
claim, a token or an exception message.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from chalicelib import config

logger = Logger(service="self-service-portal", level=config.get("SSP_LOG_LEVEL"), log_uncaught_exceptions=False)
