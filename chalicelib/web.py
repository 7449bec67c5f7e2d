"""How every route is declared, guarded and answered.

Areas declare routes on an ``ApiBlueprint``. Declaring a route also records an ``Operation``
(path, method, access, request schema) that the OpenAPI document is built from, so the
document cannot drift from the routes. The wrapper around each view:

- reads and validates the JSON body against the declared schema (400 malformed, 413 too
  large, 415 not JSON, 422 with field errors by JSON pointer) and hands it over as ``body``;
- resolves who is calling according to the declared access and hands it over as ``who``;
- turns pynamodb's conditional-check and cancelled-transaction errors into 409;
- lets every other exception reach the HTTP middleware, which logs it without its message
  (messages can carry input) and answers a bare 500.
"""

from __future__ import annotations

import functools
import json
import math
import re
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError
from chalice import Blueprint, ChaliceUnhandledError, Response
from chalice.app import Request
from pynamodb.exceptions import PynamoDBException, TransactWriteError

from chalicelib import config
from chalicelib.errors import (
    STATUS_ERRORS,
    BadRequest,
    Conflict,
    PayloadTooLarge,
    PortalError,
    ServiceBusy,
    UnsupportedMediaType,
    ValidationFailed,
)
from chalicelib.observability import logger
from chalicelib.store.transactions import cancelled_by_others

API_PREFIX = "/api"

PUBLIC = "public"
REGISTRANT = "registrant"
REGISTRANT_OPTIONAL = "registrant_optional"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# Records here are NamedTuples, not dataclasses: each dataclass costs about half a millisecond of
# cold start (it generates and compiles its methods), and the portal declares dozens.
EMPTY: Mapping[Any, Any] = MappingProxyType({})


class Access(NamedTuple):
    """Who may call a route: anyone, a logged-in registrant, or staff with one of some roles."""

    kind: str
    roles: tuple[str, ...] = ()
    csrf: bool = True

    def describe(self) -> str:
        if self.kind == "staff":
            return "staff: " + ", ".join(self.roles)
        return self.kind


def staff(*roles: str) -> Access:
    return Access("staff", roles)


ACCESS = {
    PUBLIC: Access(PUBLIC),
    REGISTRANT: Access(REGISTRANT),
    REGISTRANT_OPTIONAL: Access(REGISTRANT_OPTIONAL),
}


class Header(NamedTuple):
    """A request header a route reads, documented in the OpenAPI document."""

    name: str
    required: bool
    schema: Mapping[str, Any]
    description: str


IF_MATCH = Header("If-Match", True, {"type": "string", "pattern": r'^(W/)?"?[0-9]{1,12}"?$'}, "The version last seen (its ETag): a stale one is 409.")
IDEMPOTENCY_KEY = Header(
    "Idempotency-Key", False, {"type": "string", "pattern": r"^[A-Za-z0-9_.:-]{8,128}$"}, "A retried request with the same key returns the first result."
)
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")


def if_match_version(request: Request) -> int:
    """The version the caller last saw, from ``If-Match: "<version>"``; 400 when missing."""
    raw = (request.headers.get("if-match") or "").strip().removeprefix("W/").strip('"')
    if not raw.isdigit() or len(raw) > 12:
        raise BadRequest("Send the version you last saw in an If-Match header.", code="if_match_required", fields={"/headers/If-Match": "required"})
    return int(raw)


def request_ref(request: Request) -> str | None:
    """API Gateway's id of the request, kept with what staff do in a person's activity log."""
    context = getattr(request, "context", None) or {}
    value = context.get("requestId")
    return str(value) if value else None


def idempotency_key(request: Request) -> str | None:
    """The optional ``Idempotency-Key``: a retried create or submit finds the first one's result."""
    key = (request.headers.get("idempotency-key") or "").strip()
    if not key:
        return None
    if not _IDEMPOTENCY_KEY.match(key):
        raise BadRequest(
            "The Idempotency-Key header must be 8 to 128 letters, digits or -_.:",
            code="bad_idempotency_key",
            fields={"/headers/Idempotency-Key": "wrong_format"},
        )
    return key


class Operation(NamedTuple):
    path: str
    method: str
    summary: str
    access: Access
    tag: str
    body: Mapping[str, Any] | None = None
    query: Mapping[str, Mapping[str, Any]] = EMPTY
    responses: Mapping[int, str] = EMPTY
    content_types: tuple[str, ...] = ("application/json",)
    headers: tuple[Header, ...] = ()


OPERATIONS: list[Operation] = []

CallerResolver = Callable[[Request, Access], Any]
_caller_resolvers: list[CallerResolver] = []


def use_caller_resolver(resolver: CallerResolver) -> None:
    """Who is calling is the auth area's to say; ``app.py`` hands its resolver here, so that this
    module, below every area, imports none of them."""
    _caller_resolvers[:] = [resolver]


def _resolve_caller(request: Request, access: Access) -> Any:
    if not _caller_resolvers:
        raise RuntimeError("no caller resolver: app.py hands one to chalicelib.web.use_caller_resolver")
    return _caller_resolvers[0](request, access)


class UnexpectedError(ChaliceUnhandledError):
    """Carries any non-portal exception past Chalice's own 500 rendering to our middleware."""

    def __init__(self, original: BaseException) -> None:
        self.original = original
        super().__init__(type(original).__name__)


class ApiBlueprint(Blueprint):
    """A Chalice Blueprint whose routes are documented, validated and guarded."""

    def __init__(self, import_name: str, tag: str) -> None:
        super().__init__(import_name)
        self.tag = tag

    def api(
        self,
        path: str,
        method: str,
        *,
        summary: str,
        access: str | Access = PUBLIC,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Mapping[str, Any]] | None = None,
        responses: Mapping[int, str] | None = None,
        content_types: tuple[str, ...] = ("application/json",),
        headers: tuple[Header, ...] = (),
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        resolved = ACCESS[access] if isinstance(access, str) else access
        operation = Operation(
            path=API_PREFIX + path,
            method=method,
            summary=summary,
            access=resolved,
            tag=self.tag,
            body=body,
            query=query or {},
            responses=responses or {},
            content_types=content_types,
            headers=headers,
        )
        OPERATIONS.append(operation)

        def register(view: Callable[..., Any]) -> Callable[..., Any]:
            guarded = _guard(self, operation, view)
            # Chalice validates Content-Type itself only when we let it; we do it in _read_body
            # so that the answer has our error shape.
            self.route(path, methods=[method], content_types=["*/*"])(guarded)
            return view

        return register


def _guard(bp: ApiBlueprint, operation: Operation, view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def guarded(**path_args: Any) -> Any:
        request = bp.current_request
        try:
            kwargs: dict[str, Any] = dict(path_args)
            if operation.access.kind != PUBLIC:
                kwargs["who"] = _resolve_caller(request, operation.access)
            if operation.query:
                kwargs["query"] = _read_query(request, operation.query)
            if operation.body is not None:
                kwargs["body"] = _read_body(request, operation.body)
            return view(**kwargs)
        except PortalError:
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that maps or carries everything
            mapped = map_store_error(exc)
            if mapped is not None:
                raise mapped from exc
            raise UnexpectedError(exc) from exc

    return guarded


def map_store_error(exc: BaseException) -> PortalError | None:
    """pynamodb's lost races (conditional checks, cancelled transactions) are conflicts; an AWS
    service that throttles, times out, fails with a 5xx or cannot be reached is ``ServiceBusy``
    (503 with Retry-After), never a 500."""
    causes = _causes(exc)
    if any(isinstance(cause, BotoConnectionError | HTTPClientError) for cause in causes):
        return ServiceBusy()
    for cause in causes:
        if isinstance(cause, ClientError) and _service_fault(cause.response):
            return ServiceBusy()
    if isinstance(exc, TransactWriteError):
        if cancelled_by_others(exc):  # another transaction or throttling got in the way, not a rule
            return ServiceBusy()
        return Conflict()
    if isinstance(exc, PynamoDBException) and exc.cause_response_code == "TransactionConflictException":
        return ServiceBusy()  # a plain write met another request's transaction on the same item: try again
    if isinstance(exc, PynamoDBException) and exc.cause_response_code in {"ConditionalCheckFailedException", "TransactionCanceledException"}:
        return Conflict()
    return None


_SERVICE_FAULT_CODES = frozenset(
    {
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "SlowDown",
        "InternalError",
        "RequestTimeout",
    }
)


def _service_fault(response: Mapping[str, Any]) -> bool:
    code = str(response.get("Error", {}).get("Code", ""))
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return code in _SERVICE_FAULT_CODES or status >= 500


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps: pynamodb keeps botocore's error as ``cause``."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 8:
        seen.append(current)
        current = getattr(current, "cause", None) or current.__cause__
    return seen


def _read_body(request: Request, schema: Mapping[str, Any]) -> Any:
    raw = request.raw_body or b""
    if len(raw) > config.max_body_bytes():
        raise PayloadTooLarge(f"The request body must be at most {config.max_body_bytes()} bytes.")
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType("Send the request body as application/json.")
    try:
        value = json.loads(raw or b"null", parse_constant=_not_json, parse_float=_finite_number)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: deeply nested JSON ("[[[[...") exhausts the parser's stack.
        raise BadRequest("The request body is not valid JSON.", code="malformed_json") from None
    validate(value, schema)
    return value


def _not_json(constant: str) -> Any:
    """``NaN``, ``Infinity`` and ``-Infinity``: Python reads them, JSON has no such values, and an
    answer holding one would be stored and then sent back as a document no client can parse."""
    raise ValueError(f"{constant} is not JSON")


def _finite_number(text: str) -> float:
    """A number that fits a float: ``1e400`` would become infinity (the same trap as above)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _read_query(request: Request, params: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    given: Mapping[str, str] = request.query_params or {}
    unknown = sorted(set(given) - set(params))
    if unknown:
        raise BadRequest(
            "This address does not take these parameters.",
            code="unknown_parameter",
            fields={f"/{name}": "unknown_parameter" for name in unknown},
        )
    values: dict[str, Any] = {}
    for name, schema in params.items():
        if name not in given:
            continue
        raw = given[name]
        value: Any = raw
        if schema.get("type") == "integer":
            if not raw.isdigit():
                raise BadRequest(fields={f"/{name}": "must_be_integer"}, code="bad_parameter")
            value = int(raw)
        values[name] = value
    problems = field_errors(values, {"type": "object", "properties": dict(params)})
    if problems:
        raise BadRequest(fields=problems, code="bad_parameter")
    return values


def validate(value: Any, schema: Mapping[str, Any]) -> None:
    """Raise 422 with one error per JSON pointer when ``value`` does not fit ``schema``."""
    problems = field_errors(value, schema)
    if problems:
        raise ValidationFailed(fields=problems)


def field_errors(value: Any, schema: Mapping[str, Any]) -> dict[str, str]:
    """Schema violations as {JSON pointer: stable error code}."""
    problems: dict[str, str] = {}
    for error in sorted(schema_validator(schema).iter_errors(value), key=lambda e: list(e.path)):
        pointer = "".join(f"/{_escape(part)}" for part in error.absolute_path)
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            pointer = f"{pointer}/{_escape(missing)}"
        if error.validator == "additionalProperties":
            for extra in _extra_properties(error.instance, error.schema):
                problems.setdefault(f"{pointer}/{_escape(extra)}", "unknown_field")
            continue
        problems.setdefault(pointer or "/", _ERROR_CODES.get(str(error.validator), "invalid"))
    return problems


_ERROR_CODES = {
    "required": "required",
    "type": "wrong_type",
    "enum": "not_allowed_value",
    "const": "not_allowed_value",
    "maxLength": "too_long",
    "minLength": "too_short",
    "maximum": "too_large",
    "minimum": "too_small",
    "exclusiveMaximum": "too_large",
    "exclusiveMinimum": "too_small",
    "pattern": "wrong_format",
    "format": "wrong_format",
    "maxItems": "too_many",
    "minItems": "too_few",
    "uniqueItems": "duplicate",
    "maxProperties": "too_many",
}


def _extra_properties(instance: Any, schema: Mapping[str, Any]) -> list[str]:
    if not isinstance(instance, dict):
        return []
    allowed = set(schema.get("properties", {}))
    return sorted(k for k in instance if k not in allowed)


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def schema_validator(schema: Mapping[str, Any]) -> Any:
    """A JSON Schema validator for ``schema``, compiled once per process: request bodies here, and
    the forms area's conditions and questions (``forms.answers``)."""
    # Keyed by content, not by id(): a short-lived schema's id can be reused by another one.
    return _compiled_validator(json.dumps(schema, sort_keys=True, default=str))


@functools.lru_cache(maxsize=4096)
def _compiled_validator(canonical_schema: str) -> Any:
    # jsonschema is imported here, not at module import, to keep it off the cold-start path of
    # routes that take no body.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(canonical_schema), format_checker=Draft202012Validator.FORMAT_CHECKER)


# --- middleware -----------------------------------------------------------------------------

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    "Cache-Control": "no-store",
}


def error_response(error: PortalError, request_id: str) -> Response:
    headers: dict[str, str | list[str]] = {"Content-Type": "application/json", **error.headers}
    body = error.body()
    body["error"]["request_id"] = request_id
    return Response(body=body, status_code=error.status, headers=headers)


def http_middleware(request: Request, get_response: Callable[[Request], Response], context: Any) -> Response:
    """Request id, error rendering, security headers and one access log line per request."""
    request_id = getattr(context, "aws_request_id", None) or str(uuid.uuid4())
    started = time.perf_counter()
    route = getattr(request, "context", {}).get("resourcePath", "?") if request is not None else "?"
    method = getattr(request, "method", "?")
    try:
        response = get_response(request)
        response = _normalise_chalice_error(response, request_id)
    except PortalError as error:
        response = error_response(error, request_id)
    except Exception as exc:  # noqa: BLE001
        original = exc.original if isinstance(exc, UnexpectedError) else exc
        logger.error(
            "unhandled_exception",
            extra={
                "request_id": request_id,
                "route": route,
                "method": method,
                "exception": type(original).__name__,
                # Frames only: an exception's message may hold what the person typed.
                "frames": [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in traceback.extract_tb(original.__traceback__)][-8:],
            },
        )
        response = error_response(PortalError(), request_id)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["X-Request-Id"] = request_id
    logger.info(
        "request",
        extra={
            "request_id": request_id,
            "route": route,
            "method": method,
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    return response


def _normalise_chalice_error(response: Response, request_id: str) -> Response:
    """Chalice answers some errors itself (unknown method, its own 500): give them our shape."""
    body = response.body
    if response.status_code < 400 or not isinstance(body, dict) or "Code" not in body:
        return response
    cls = STATUS_ERRORS.get(response.status_code, PortalError)
    allow = response.headers.get("Allow")
    return error_response(cls(headers={"Allow": str(allow)} if allow else None), request_id)


def json_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    all_headers: dict[str, str | list[str]] = {"Content-Type": "application/json", **(headers or {})}
    return Response(body=body, status_code=status, headers=all_headers)


def json_with_etag(body: Any, version: int | None, status: int = 200) -> Response:
    """A JSON answer with the version of what it shows as its ETag: what If-Match sends back (see ``if_match_version``)."""
    return json_response(body, status=status, headers={"ETag": f'"{version or 0}"'})
