"""HTTP calls from the portal to identity providers: discovery, JWKS, token, userinfo.

Every call has a timeout; a provider that does not answer, or answers something unreadable,
becomes ``ProviderUnavailable`` (502), never a 500. Responses are returned as they came so
the protocol code decides what an error status means.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from chalicelib import config
from chalicelib.auth.login_errors import ProviderUnavailable
from chalicelib.observability import logger

MAX_RESPONSE_BYTES = 1_000_000


class ProviderResponse(NamedTuple):
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            return None


def _timeout() -> float:
    return float(config.get("SSP_OIDC_HTTP_TIMEOUT_SECONDS"))


def request(
    method: str,
    url: str,
    *,
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    auth: tuple[str, str] | None = None,
) -> ProviderResponse:
    import requests  # requests (urllib3, charset detection) stays off the cold-start path

    try:
        response = requests.request(method, url, data=data, headers=headers, auth=auth, timeout=_timeout(), allow_redirects=False)
    except requests.RequestException as error:
        logger.warning("provider_unreachable", extra={"exception": type(error).__name__})
        raise ProviderUnavailable() from None
    body = response.content
    if len(body) > MAX_RESPONSE_BYTES:
        raise ProviderUnavailable()
    content_type = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
    return ProviderResponse(response.status_code, content_type, body, {k.lower(): v for k, v in response.headers.items()})


def get_json(url: str) -> dict[str, Any]:
    """A JSON document (discovery, JWKS) that must be there: anything else is a provider fault."""
    response = request("GET", url, headers={"Accept": "application/json"})
    document = response.json()
    if response.status != 200 or not isinstance(document, dict):
        logger.warning("provider_document_unusable", extra={"status": response.status})
        raise ProviderUnavailable()
    return document
