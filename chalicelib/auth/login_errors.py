"""The ways a login can fail, as errors of the portal's one error family.

Each carries a stable code the login error page and the frontend translate, and, where known,
the provider the person was logging in with, so the page can offer to try again there.
"""

from __future__ import annotations

from chalicelib.errors import BadRequest, NotAuthenticated, NotFound, PortalError


class LoginRefused(BadRequest):
    """The callback cannot be completed: unknown, used or expired state, wrong issuer, the
    person cancelled at the provider, or the provider refused the code."""

    code = "login_failed"
    message = "We could not log you in. Please try again."


class LoginNotVerified(NotAuthenticated):
    """What the provider answered does not verify: ID token or userinfo signature or claims."""

    code = "login_not_verified"
    message = "We could not verify your login with the identity provider. Please try again."


class UnknownProvider(NotFound):
    code = "unknown_provider"
    message = "This way of logging in is not available."


class ProviderUnavailable(PortalError):
    """The identity provider did not answer, or answered something that is not OIDC."""

    status = 502
    code = "provider_unavailable"
    message = "The identity provider is not answering right now. Please try again in a few minutes."


def with_provider(error: PortalError, provider_id: str | None) -> PortalError:
    if provider_id:
        error.details.setdefault("provider", provider_id)
    return error
