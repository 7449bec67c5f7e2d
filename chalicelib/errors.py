"""The one error family of the API and its JSON shape.

Every error a client can cause is raised as a ``PortalError`` subclass and rendered as
``{"error": {"code", "message", "fields"}}`` with the status of DESIGN.md section 5. Codes are
stable identifiers the frontend translates; messages are safe to show a registrant and never
carry personal data or internals.

``PortalError`` derives from Chalice's ``ChaliceUnhandledError`` on purpose: Chalice turns every
other exception raised in a view into its own 500 shape before middleware sees it, while this
one reaches the error middleware in ``chalicelib.web``.
"""

from __future__ import annotations

from typing import Any

from chalice import ChaliceUnhandledError


class PortalError(ChaliceUnhandledError):
    status = 500
    code = "internal_error"
    message = "Something went wrong on our side. Please try again later."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or type(self).message
        self.code = code or type(self).code
        self.fields = fields or {}
        self.headers = headers or {}
        self.details = details or {}
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        error.update(self.details)
        return {"error": error}


class BadRequest(PortalError):
    status = 400
    code = "bad_request"
    message = "The request could not be understood."


class NotAuthenticated(PortalError):
    status = 401
    code = "not_authenticated"
    message = "Please log in to continue."


class Forbidden(PortalError):
    status = 403
    code = "forbidden"
    message = "You are not allowed to do this."


class NotFound(PortalError):
    status = 404
    code = "not_found"
    message = "We could not find what you asked for."


class MethodNotAllowed(PortalError):
    status = 405
    code = "method_not_allowed"
    message = "This address does not accept that kind of request."


class Conflict(PortalError):
    status = 409
    code = "conflict"
    message = "This was changed in the meantime or is not in a state that allows this."


class PayloadTooLarge(PortalError):
    status = 413
    code = "too_large"
    message = "The request is too large."


class UnsupportedMediaType(PortalError):
    status = 415
    code = "unsupported_media_type"
    message = "This type of content is not accepted here."


class ValidationFailed(PortalError):
    status = 422
    code = "validation_failed"
    message = "Some answers need to be corrected."


class Throttled(PortalError):
    status = 429
    code = "throttled"
    message = "Too many requests. Please wait a moment and try again."


class ServiceBusy(PortalError):
    """A service behind the portal (DynamoDB, S3) is throttling, timing out or down: nothing the
    person did. The answer says when to try again; the person's request changed nothing."""

    status = 503
    code = "service_busy"
    message = "We're busy. Nothing you sent was lost; please try again in a moment."
    retry_after_seconds = 2

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.headers.setdefault("Retry-After", str(self.retry_after_seconds))


STATUS_ERRORS: dict[int, type[PortalError]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        NotAuthenticated,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        ValidationFailed,
        Throttled,
        ServiceBusy,
        PortalError,
    )
}
