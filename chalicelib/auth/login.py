"""A registrant's login, from the button on the portal to a session cookie (backend-for-frontend).

``start_login`` stores a login transaction (state, nonce, PKCE verifier, provider, method,
checked ``return_to``) in the sessions table with a TTL of minutes and sends the browser to the
provider. The transaction is also bound to the browser that started it by a short-lived cookie,
so a callback URL planted in someone else's browser cannot log them in as the attacker.
``complete_login`` reads the transaction, checks the browser's binding cookie, then consumes
it (single use: a conditional delete), verifies everything the provider answers, records the
login with the registrants area, and starts a session. The provider's tokens never reach the
browser. The binding is checked before anything is consumed: someone who only holds another
person's callback URL cannot use it, nor burn the login the person is finishing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode, urlsplit

from pynamodb.exceptions import DeleteError

from chalicelib import config
from chalicelib.auth import oidc
from chalicelib.auth.login_errors import LoginRefused, with_provider
from chalicelib.auth.providers import Provider, provider
from chalicelib.auth.sessions import NewSession, cookie_header, create_session
from chalicelib.errors import PortalError
from chalicelib.observability import logger
from chalicelib.registrants.logins import record_login
from chalicelib.store.base import now
from chalicelib.store.sessions import SessionItem

LOGIN_COOKIE = "ssp_login"  # __Host-ssp_login on the wire (sessions.cookie_name)
CALLBACK_PATH = "/api/auth/callback"
HOME = "/"
CANCELLED_ERRORS = frozenset({"access_denied", "consent_rejected", "consent_required", "login_required", "interaction_required", "user_cancelled"})
# RFC 3986's reserved and unreserved characters (letters, digits and "-._~" are always safe
# to quote()), and "%" so that existing escapes stay as they are.
_URL_CHARACTERS = "!#$%&'()*+,/:;=?@[]~"
_BEFORE_CLAIM = frozenset({"login_state_missing", "login_state_unknown", "login_not_started_here"})
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class LoginStart(NamedTuple):
    redirect_url: str
    browser_binding: str  # the value of the login cookie


class CompletedLogin(NamedTuple):
    session: NewSession
    return_to: str
    provider_id: str


def redirect_uri() -> str:
    return config.get("SSP_PUBLIC_URL").rstrip("/") + CALLBACK_PATH


def post_logout_redirect_uri() -> str:
    """Where a provider sends the browser back after logging the person out there too: the
    portal's home page. ``python -m infra.esignet_client`` registers it."""
    return config.get("SSP_PUBLIC_URL").rstrip("/") + HOME


def _transaction_key(state: str) -> str:
    # Only a hash of the state is stored, like session ids.
    return "login#" + hashlib.sha256(state.encode()).hexdigest()


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def start_login(provider_id: str, method_id: str | None, return_to: str | None, locale: str | None) -> LoginStart:
    chosen = provider(provider_id)
    return_to = checked_return_to(return_to)
    method = chosen.method(method_id)
    if method is None:
        raise with_provider(LoginRefused("This way of logging in is not available.", code="unknown_method"), chosen.id)
    discovery = oidc.discover(chosen)
    state, nonce, binding = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = oidc.new_pkce_verifier()
    locale = locale if locale and _LOCALE.match(locale) else None
    SessionItem(
        key=_transaction_key(state),
        kind="login",
        data={
            "provider": chosen.id,
            "method": method.id,
            "nonce": nonce,
            "verifier": verifier,
            "return_to": return_to,
            "binding": _hash(binding),
            "locale": locale,
        },
        expires_at=now() + timedelta(seconds=config.get_int("SSP_LOGIN_TTL_SECONDS")),
    ).save()
    url = oidc.authorization_url(chosen, discovery, method, state=state, nonce=nonce, verifier=verifier, redirect_uri=redirect_uri(), locale=locale)
    return LoginStart(redirect_url=url, browser_binding=binding)


def complete_login(params: Mapping[str, str], browser_binding: str | None) -> CompletedLogin:
    state = params.get("state") or ""
    if not state or len(state) > 256:
        raise LoginRefused("This login link is incomplete. Please start again.", code="login_state_missing")
    transaction = _claim(state, browser_binding)
    chosen = provider(str(transaction["provider"]))
    try:
        return _complete(chosen, transaction, params)
    except PortalError as error:
        raise _for_retry(error, transaction) from None


def _for_retry(error: PortalError, transaction: Mapping[str, Any]) -> PortalError:
    """``error`` with what the error page needs to offer the same login again."""
    error.details.setdefault("method", str(transaction.get("method") or ""))
    error.details.setdefault("return_to", str(transaction.get("return_to") or HOME))
    return with_provider(error, str(transaction.get("provider") or "") or None)


def _claim(state: str, browser_binding: str | None) -> dict[str, Any]:
    """The login transaction for ``state``, once this browser proved it started it; then deleted,
    so a state works once.

    Read first (consistently), check the binding cookie, and only then delete with a condition
    that it still exists: of two callbacks racing with the right cookie, one wins. A callback
    without the cookie (a planted or stolen callback URL) leaves the transaction in place, and
    the browser that started the login can still finish it.
    """
    unknown = LoginRefused("This login has already been used or was never started here. Please log in again.", code="login_state_unknown")
    key = _transaction_key(state)
    try:
        item = SessionItem.get(key, consistent_read=True)
    except SessionItem.DoesNotExist:
        raise unknown from None
    if item.kind != "login":
        raise unknown
    transaction = dict(item.data)
    if not browser_binding or not hmac.compare_digest(_hash(browser_binding), str(transaction.get("binding"))):
        refused = LoginRefused("This login was started in another browser or tab. Please log in again here.", code="login_not_started_here")
        raise _for_retry(refused, transaction)
    if item.expires_at is None or item.expires_at <= now():
        raise _for_retry(LoginRefused("This login took too long and has expired. Please log in again.", code="login_expired"), transaction)
    try:
        SessionItem(key=key).delete(condition=SessionItem.key.exists() & (SessionItem.kind == "login"))
    except DeleteError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise unknown from None  # another callback of the same login was faster
        raise
    return transaction


def _complete(chosen: Provider, transaction: dict[str, Any], params: Mapping[str, str]) -> CompletedLogin:
    if params.get("error"):
        raise _provider_error(params["error"])
    discovery = oidc.discover(chosen)
    issuer = params.get("iss")
    if issuer is not None and issuer != discovery.issuer:
        raise LoginRefused("The answer did not come from the identity provider you chose. Please log in again.", code="issuer_mismatch")
    if issuer is None and discovery.iss_parameter_supported:
        raise LoginRefused("The answer did not say which identity provider sent it. Please log in again.", code="issuer_mismatch")
    code = params.get("code") or ""
    if not code or len(code) > 2048:
        raise LoginRefused("The identity provider's answer is incomplete. Please log in again.", code="code_missing")
    tokens = oidc.exchange_code(chosen, discovery, code, str(transaction["verifier"]), redirect_uri())
    verified = oidc.verify_login(chosen, discovery, tokens, str(transaction["nonce"]))
    record = _record(chosen, verified)
    session = create_session(
        record.registrant_id,
        {
            "name": record.name,
            "provider": chosen.id,
            "method": transaction.get("method"),
            "acr": verified.acr,
            "locale": record.preferred_locale or transaction.get("locale"),
            "id_token": verified.id_token,
            "logged_in_at": now().isoformat(),
        },
    )
    logger.info("registrant_logged_in", extra={"provider": chosen.id, "registrant_id": record.registrant_id, "changed_fields": len(record.changed_fields)})
    return CompletedLogin(session=session, return_to=as_location(str(transaction.get("return_to") or HOME)), provider_id=chosen.id)


def _provider_error(raw: str) -> LoginRefused:
    code = oidc.safe_code(raw)
    if code in CANCELLED_ERRORS:
        return LoginRefused(
            "You stopped the login, or chose not to share the details the portal needs. Nothing was shared. You can try again.",
            code="login_cancelled",
            details={"provider_error": code},
        )
    return LoginRefused("The identity provider could not log you in. Please try again.", code="provider_error", details={"provider_error": code})


def _record(chosen: Provider, verified: oidc.VerifiedLogin) -> Any:
    individual_id = verified.claims.get(chosen.individual_id_claim) if chosen.individual_id_claim else None
    return record_login(
        issuer=verified.issuer,
        subject=verified.subject,
        provider_id=chosen.id,
        profile_claims=profile_claims(chosen, verified.claims),
        individual_id=str(individual_id) if isinstance(individual_id, str | int) and not isinstance(individual_id, bool) else None,
        consented_claims=consented_claims(verified.claims),
    )


def profile_claims(chosen: Provider, claims: Mapping[str, Any]) -> dict[str, Any]:
    """Profile fields from the released claims, by the provider's claim-to-field mapping.

    A claim released per language (``name#fr``) is taken in the first configured claims
    locale, else in whichever language came. Names are never split. (The registrants area
    normalises values, e.g. eSignet's ``YYYY/MM/DD`` birthdates.)
    """
    fields: dict[str, Any] = {}
    for claim, field in chosen.profile_claims.items():
        value = _claim_value(claims, claim, chosen.claims_locales)
        if value is None or value == "":
            continue
        fields[field] = value
    return fields


def _claim_value(claims: Mapping[str, Any], claim: str, locales: tuple[str, ...]) -> Any:
    if claim in claims:
        return claims[claim]
    for locale in locales:
        if f"{claim}#{locale}" in claims:
            return claims[f"{claim}#{locale}"]
    localised = sorted(k for k in claims if k.startswith(claim + "#"))
    return claims[localised[0]] if localised else None


def consented_claims(claims: Mapping[str, Any]) -> list[str]:
    """The claims the person agreed to share (what the provider released), without protocol claims."""
    return sorted({name.split("#", 1)[0] for name in claims} - oidc.PROTOCOL_CLAIMS)


def checked_return_to(value: str | None) -> str:
    """Where to land after login: ``value`` if it is a relative path on the allow-list, as ASCII.

    A relative path off the allow-list lands on the home page. Anything that could leave the
    portal is refused outright (400): a scheme or host (``https:…``, ``//evil.example``),
    backslashes (``/\\evil`` is ``//evil`` to browsers), control characters (browsers drop
    tabs and newlines, which can turn ``/\\t/evil`` into ``//evil``) or no leading slash.
    Characters outside printable ASCII (an Arabic search, ``café``, a full-width ``／``) are
    percent-encoded as UTF-8, as a browser would: the ``Location`` header can only carry ASCII.
    """
    if not value:
        return HOME
    refused = LoginRefused("After logging in you can only be sent to a page of this portal.", code="return_to_not_allowed")
    if len(value) > 512 or not value.startswith("/") or value.startswith("//") or "\\" in value or any(ord(c) < 0x21 or ord(c) == 0x7F for c in value):
        raise refused
    value = as_location(value)
    try:
        parts = urlsplit(value)
    except ValueError:
        raise refused from None
    if parts.scheme or parts.netloc:
        raise refused
    for allowed in return_paths():
        if parts.path == allowed or (allowed != "/" and parts.path.startswith(allowed.rstrip("/") + "/")):
            return value
    return HOME


def as_location(path: str) -> str:
    """``path`` with every character a URL cannot hold as is percent-encoded (UTF-8); existing
    escapes and the URL's own delimiters are kept, so an already encoded path is unchanged."""
    return quote(path, safe=_URL_CHARACTERS)


def return_paths() -> list[str]:
    return [p.strip() for p in config.get("SSP_LOGIN_RETURN_PATHS").split(",") if p.strip().startswith("/")]


def retry_url(error: PortalError) -> str:
    """Where "try again" on the login error page leads: the same provider and method if known."""
    provider_id = error.details.get("provider")
    if not provider_id or error.code == "unknown_provider":
        return HOME
    params = {k: str(error.details[k]) for k in ("method", "return_to") if error.details.get(k)}
    query = ("?" + urlencode(params, quote_via=quote)) if params else ""
    return f"/api/auth/login/{quote(str(provider_id), safe='')}{query}"


def ends_browser_login(error: PortalError) -> bool:
    """Whether a failed callback ended this browser's own login, so its cookie can go.

    A refusal before the browser's transaction was found (no state, an unknown one, a binding
    that does not match) says nothing about the login this browser may have in progress: a
    planted callback link must not cancel it by clearing the cookie.
    """
    return error.code not in _BEFORE_CLAIM


def login_cookie_header(binding: str) -> str:
    return cookie_header(LOGIN_COOKIE, binding, config.get_int("SSP_LOGIN_TTL_SECONDS"))


def clear_login_cookie_header() -> str:
    return cookie_header(LOGIN_COOKIE, "", 0)
