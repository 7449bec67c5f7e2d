"""The dev identity provider: an OpenID provider that keeps eSignet's contract, built on authlib.

authlib's server components do the protocol work: the authorization code grant, PKCE (S256
only), OpenID ID tokens, ``private_key_jwt`` client assertions (RFC 7523, single-use ``jti``),
the RFC 9207 ``iss`` parameter and bearer-token checks at userinfo. Around them this module adds
what eSignet does and authlib does not: the ``claims`` request parameter, a consent screen,
``mosip:idp:acr:*`` login methods, pairwise subjects, userinfo as a signed JWT
(``application/jwt``, optionally inside a JWE) and eSignet's endpoint paths.

It also signs in the sample staff users for the staff console (a public client using PKCE)
and issues their bearer tokens: JWTs with ``roles`` and the staff audience.

Everything is in memory except the keys and the pairwise salt (see ``keys.py``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from infra.local.idp import pages
from infra.local.idp.directory import CLAIMS_SUPPORTED, OTP, SCOPE_CLAIMS, Person, StaffUser, pairwise_subject

ACR_METHODS = {
    "mosip:idp:acr:generated-code": "otp",
    "mosip:idp:acr:static-code": "pin",
    "mosip:idp:acr:biometrics": "bio",
    "mosip:idp:acr:linked-wallet": "wallet",
}
ACR_VALUES_SUPPORTED = [*ACR_METHODS, "mosip:idp:acr:knowledge", "mosip:idp:acr:password"]
TOKEN_PATH = "/v1/esignet/oauth/v2/token"
USERINFO_PATH = "/v1/esignet/oidc/userinfo"
CODE_LIFETIME_SECONDS = 60
TOKEN_LIFETIME_SECONDS = 3600
LOGIN_TRANSACTION_SECONDS = 900


@dataclass
class ClientRegistration:
    """A client as an operator registers it with eSignet (``/client-mgmt/client``)."""

    client_id: str
    redirect_uris: list[str]
    kind: str = "registrant"  # registrant: private_key_jwt; staff: the staff console, a public client with PKCE
    public_jwk: dict[str, Any] | None = None
    user_claims: list[str] = field(default_factory=lambda: list(CLAIMS_SUPPORTED))
    acr_values: list[str] = field(default_factory=lambda: list(ACR_METHODS))
    userinfo_response_type: str = "JWS"  # or JWE, with encryption_jwk
    encryption_jwk: dict[str, Any] | None = None
    redirect_prefixes: list[str] = field(default_factory=list)  # staff console: any path under these


@dataclass
class IdpSettings:
    issuer: str
    signing_keys: list[Any]  # joserfc private keys; the first one signs
    pairwise_salt: str
    people: dict[str, Person]
    staff: dict[str, StaffUser]
    clients: list[ClientRegistration]
    staff_audience: str = "ssp-staff"
    allowed_origins: list[str] = field(default_factory=list)  # browsers that may call token/discovery (staff console)

    @property
    def path_prefix(self) -> str:
        return urlsplit(self.issuer).path.rstrip("/")

    @property
    def base(self) -> str:
        return self.issuer.rstrip("/")


# --- authlib models ---------------------------------------------------------------------------


class Client:
    """authlib's ClientMixin over a registration."""

    def __init__(self, registration: ClientRegistration) -> None:
        self.registration = registration
        self.client_id = registration.client_id
        self.client_metadata: dict[str, Any] = {}

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.registration.redirect_uris[0] if self.registration.redirect_uris else None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = {"openid", *SCOPE_CLAIMS}
        return " ".join(s for s in (scope or "openid").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        if redirect_uri in self.registration.redirect_uris:
            return True
        return any(redirect_uri.startswith(prefix) and ".." not in redirect_uri for prefix in self.registration.redirect_prefixes)

    def check_client_secret(self, client_secret: str) -> bool:
        return False  # eSignet's clients have no secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == ("none" if self.registration.kind == "staff" else "private_key_jwt")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Grantee:
    """Who was authenticated, how, and what they agreed to share with this client."""

    sub: str
    acr: str
    auth_time: int
    consented: list[str]
    person: Person | None = None
    staff: StaffUser | None = None


@dataclass
class CodeRecord:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    user: Grantee
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.user.auth_time

    def get_acr(self) -> str:
        return self.user.acr

    def get_amr(self) -> list[str]:
        return []


@dataclass
class TokenRecord:
    client_id: str
    scope: str
    user: Grantee
    expires_at: float

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at

    def is_revoked(self) -> bool:
        return False

    def get_scope(self) -> str:
        return self.scope


@dataclass
class LoginTransaction:
    id: str
    query_hash: str
    client_id: str
    method: str
    acr: str
    started: float
    grantee: Grantee | None = None
    claims_offered: list[tuple[str, bool]] = field(default_factory=list)  # (claim, essential)


class IdentityProvider:
    """The provider's state and its authlib authorization server, behind a Flask app."""

    def __init__(self, settings: IdpSettings) -> None:
        self.settings = settings
        self.clients = {c.client_id: Client(c) for c in settings.clients}
        self.codes: dict[str, CodeRecord] = {}
        self.tokens: dict[str, TokenRecord] = {}
        self.used_jti: dict[str, float] = {}
        self.transactions: dict[str, LoginTransaction] = {}
        self.lock = threading.Lock()
        self.app = self._build_app()

    # -- keys ---------------------------------------------------------------------------------

    @property
    def signing_key(self) -> Any:
        return self.settings.signing_keys[0]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.as_dict(private=False) | {"use": "sig", "alg": "RS256"} for k in self.settings.signing_keys]}

    def rotate_signing_key(self, keep_old: bool = True) -> Any:
        """Sign with a fresh key from now on (tests use this to prove the portal refetches JWKS)."""
        from joserfc.jwk import RSAKey

        key = RSAKey.generate_key(2048, parameters={"use": "sig"}, auto_kid=True)
        self.settings.signing_keys = [key, *(self.settings.signing_keys if keep_old else [])]
        return key

    def sign(self, claims: dict[str, Any], typ: str = "JWT") -> str:
        from joserfc import jwt

        return jwt.encode({"alg": "RS256", "kid": self.signing_key.kid, "typ": typ}, claims, self.signing_key, algorithms=["RS256"])

    # -- documents ----------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        base = self.settings.base
        return {
            "issuer": self.settings.issuer,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}{TOKEN_PATH}",
            "userinfo_endpoint": f"{base}{USERINFO_PATH}",
            "jwks_uri": f"{base}/.well-known/jwks.json",
            "scopes_supported": ["openid", *SCOPE_CLAIMS],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "PS256", "ES256"],
            "code_challenge_methods_supported": ["S256"],
            "claims_parameter_supported": True,
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
            "userinfo_encryption_alg_values_supported": ["RSA-OAEP-256"],
            "userinfo_encryption_enc_values_supported": ["A256GCM"],
            "subject_types_supported": ["pairwise"],
            "acr_values_supported": ACR_VALUES_SUPPORTED,
            "claims_supported": CLAIMS_SUPPORTED,
            "display_values_supported": ["page", "popup", "touch", "wap"],
            "ui_locales_supported": ["en", "fr", "ar"],
            "claims_locales_supported": ["en"],
            "authorization_response_iss_parameter_supported": True,
        }

    # -- the Flask app ------------------------------------------------------------------------

    def _build_app(self) -> Any:
        from authlib.integrations.flask_oauth2 import AuthorizationServer
        from authlib.oauth2.rfc9207 import IssuerParameter
        from flask import Blueprint, Flask, Response, request

        app = Flask("ssp-dev-idp")
        app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": TOKEN_LIFETIME_SECONDS}
        server = AuthorizationServer(app, query_client=self.clients.get, save_token=self._save_token)
        self.server = server
        server.register_client_auth_method("private_key_jwt", _client_assertion(self))
        server.register_grant(_code_grant(self), [_pkce(), _id_token(self)])
        server.register_token_generator("default", _token_generator(self))
        issuer = self.settings.issuer

        class Issuer(IssuerParameter):
            def get_issuer(self) -> str:
                return issuer

        server.register_extension(Issuer())

        bp = Blueprint("idp", __name__)

        @bp.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            return self._json(self.discovery())

        @bp.get("/.well-known/jwks.json")
        def jwks() -> Any:
            return self._json(self.jwks())

        @bp.route("/authorize", methods=["GET", "POST"])
        def authorize() -> Any:
            return self._authorize(request)

        @bp.route(TOKEN_PATH, methods=["POST", "OPTIONS"])
        def token() -> Any:
            if request.method == "OPTIONS":
                return self._cors(Response(status=204), request)
            return self._cors(server.create_token_response(), request)

        @bp.route(USERINFO_PATH, methods=["GET", "POST"])
        def userinfo() -> Any:
            return self._userinfo(request)

        app.register_blueprint(bp, url_prefix=self.settings.path_prefix or None)
        page_csp = pages.csp([_origin(uri) for c in self.settings.clients for uri in (*c.redirect_uris, *c.redirect_prefixes)])

        @app.after_request
        def security_headers(response: Any) -> Any:
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            if response.mimetype == "text/html":
                response.headers["Content-Security-Policy"] = page_csp
                response.headers["X-Frame-Options"] = "DENY"
            return response

        return app

    def _json(self, body: dict[str, Any]) -> Any:
        from flask import Response, request

        return self._cors(Response(json.dumps(body), mimetype="application/json"), request)

    def _cors(self, response: Any, request: Any) -> Any:
        origin = request.headers.get("Origin")
        if origin and origin in self.settings.allowed_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Methods"] = "GET, POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Vary"] = "Origin"
        return response

    # -- authorize: login, consent, code ------------------------------------------------------

    def _authorize(self, request: Any) -> Any:
        from authlib.oauth2 import OAuth2Error

        try:
            grant = self.server.get_consent_grant(end_user=None)
        except OAuth2Error as error:
            return self._authorize_error(error)
        client: Client = grant.client
        payload = grant.request.payload
        redirect_uri = str(payload.redirect_uri or client.get_default_redirect_uri())
        state = payload.state
        if payload.data.get("code_challenge_method") != "S256" or not payload.data.get("code_challenge"):
            return self._error_redirect(redirect_uri, state, "invalid_request", "PKCE with S256 is required")
        query_hash = hashlib.sha256(request.query_string).hexdigest()
        if request.method == "GET":
            return self._start_login(client, payload, query_hash, redirect_uri, state)
        tx = self.transactions.get(request.form.get("tx", ""))
        if tx is None or tx.query_hash != query_hash or tx.client_id != client.client_id or time.time() - tx.started > LOGIN_TRANSACTION_SECONDS:
            return pages.message_page("This login page has expired", "Go back to the service you came from and start again.", status=400)
        step = request.form.get("step")
        if step == "cancel":
            return self._error_redirect(redirect_uri, state, "access_denied", "The person cancelled the login")
        if step == "login":
            return self._login(request, client, tx, payload)
        if step == "consent" and tx.grantee is not None:
            if request.form.get("decision") != "allow":
                return self._error_redirect(redirect_uri, state, "consent_rejected", "The person did not agree to share the claims")
            shared = set(request.form.getlist("share"))
            tx.grantee.consented = [claim for claim, essential in tx.claims_offered if essential or claim in shared]
            return self._issue_code(tx)
        return pages.message_page("Something went wrong", "Go back to the service you came from and start again.", status=400)

    def _start_login(self, client: Client, payload: Any, query_hash: str, redirect_uri: str, state: str | None) -> Any:
        requested = (payload.data.get("acr_values") or "").split()
        allowed = [acr for acr in requested if acr in client.registration.acr_values and acr in ACR_METHODS]
        if requested and not allowed:
            return self._error_redirect(redirect_uri, state, "invalid_request", "None of the acr_values is available")
        acr = allowed[0] if allowed else "mosip:idp:acr:generated-code"
        tx = LoginTransaction(secrets.token_urlsafe(16), query_hash, client.client_id, ACR_METHODS[acr], acr, time.time())
        with self.lock:
            self._forget_expired()
            self.transactions[tx.id] = tx
        if client.registration.kind == "staff":
            return pages.staff_login_page(tx.id, sorted(self.settings.staff.values(), key=lambda s: s.username), error=None)
        return pages.login_page(tx.id, tx.method, error=None, locale=_locale(payload))

    def _login(self, request: Any, client: Client, tx: LoginTransaction, payload: Any) -> Any:
        secret = request.form.get("secret", "").strip()
        if client.registration.kind == "staff":
            staff = self.settings.staff.get(request.form.get("username", ""))
            if staff is None or secret != OTP:
                return pages.staff_login_page(tx.id, sorted(self.settings.staff.values(), key=lambda s: s.username), error="That user and code do not match.")
            tx.grantee = Grantee(sub=staff.sub, acr=tx.acr, auth_time=int(time.time()), consented=[], staff=staff)
            return self._issue_code(tx)
        person = self.settings.people.get(request.form.get("individual_id", "").strip())
        if person is None or not person.accepts(tx.method, secret):
            return pages.login_page(tx.id, tx.method, error="That ID number and code do not match.", locale=_locale(payload))
        sub = pairwise_subject(person.individual_id, client.client_id, self.settings.pairwise_salt)
        tx.grantee = Grantee(sub=sub, acr=tx.acr, auth_time=int(time.time()), consented=[], person=person)
        tx.claims_offered = self._claims_offered(client, payload)
        return pages.consent_page(tx.id, tx.claims_offered, client.client_id, locale=_locale(payload))

    def _claims_offered(self, client: Client, payload: Any) -> list[tuple[str, bool]]:
        """(claim, essential) for each claim asked for that the client may have, in eSignet's order."""
        asked: dict[str, bool] = {}
        raw = payload.data.get("claims")
        if raw:
            try:
                requested = json.loads(raw).get("userinfo") or {}
            except (ValueError, AttributeError):
                requested = {}
            for claim, options in requested.items() if isinstance(requested, dict) else []:
                asked[claim] = bool(isinstance(options, dict) and options.get("essential"))
        else:
            for scope in (payload.scope or "").split():
                for claim in SCOPE_CLAIMS.get(scope, []):
                    asked.setdefault(claim, False)
        permitted = set(client.registration.user_claims)
        return [(claim, asked[claim]) for claim in CLAIMS_SUPPORTED if claim in asked and claim in permitted]

    def _issue_code(self, tx: LoginTransaction) -> Any:
        from authlib.oauth2 import OAuth2Error

        try:
            grant = self.server.get_consent_grant(end_user=tx.grantee)
        except OAuth2Error as error:
            return self._authorize_error(error)
        with self.lock:
            self.transactions.pop(tx.id, None)
        return self.server.create_authorization_response(grant_user=tx.grantee, grant=grant)

    def _authorize_error(self, error: Any) -> Any:
        redirect_uri = getattr(error, "redirect_uri", None)
        if redirect_uri:
            return self._error_redirect(redirect_uri, getattr(error, "state", None), error.error, error.description or "")
        # Without a trustworthy redirect URI the person must not be sent anywhere.
        return pages.message_page("This login request is not valid", "The service that sent you here made a mistake. Go back and try again.", status=400)

    def _error_redirect(self, redirect_uri: str, state: str | None, error: str, description: str) -> Any:
        from flask import redirect

        params = {"error": error, "error_description": description}
        if state:
            params["state"] = state
        params["iss"] = self.settings.issuer
        separator = "&" if "?" in redirect_uri else "?"
        return redirect(redirect_uri + separator + urlencode(params), code=302)

    def _forget_expired(self) -> None:
        now = time.time()
        for key in [k for k, t in self.transactions.items() if now - t.started > LOGIN_TRANSACTION_SECONDS]:
            del self.transactions[key]
        for code in [c for c, r in self.codes.items() if r.expires_at < now]:
            del self.codes[code]
        for token in [t for t, r in self.tokens.items() if r.expires_at < now]:
            del self.tokens[token]
        for jti in [j for j, at in self.used_jti.items() if at < now - 600]:
            del self.used_jti[jti]

    # -- tokens and userinfo ------------------------------------------------------------------

    def _save_token(self, token: dict[str, Any], request: Any) -> None:
        with self.lock:
            expires = time.time() + TOKEN_LIFETIME_SECONDS
            self.tokens[token["access_token"]] = TokenRecord(request.client.client_id, token.get("scope", ""), request.user, expires)

    def access_token(self, client: Client, user: Grantee, scope: str) -> str:
        issued = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.settings.issuer,
            "sub": user.sub,
            "client_id": client.client_id,
            "scope": scope,
            "iat": issued,
            "exp": issued + TOKEN_LIFETIME_SECONDS,
            "jti": secrets.token_urlsafe(16),
        }
        if user.staff is not None:
            claims |= {"aud": self.settings.staff_audience, **user.staff.claims()}
        else:
            claims["aud"] = self.settings.base + USERINFO_PATH
        return self.sign(claims, typ="at+jwt")

    def staff_token(self, username: str, minutes: int = 60) -> str:
        """A staff bearer token for a sample staff user, as the staff console would get it."""
        return mint_staff_token(self.signing_key, self.settings.issuer, self.settings.staff_audience, self.settings.staff[username], minutes)

    def _userinfo(self, request: Any) -> Any:
        from authlib.oauth2 import OAuth2Error, ResourceProtector
        from authlib.oauth2.rfc6750 import BearerTokenValidator
        from flask import Response

        tokens = self.tokens

        class Validator(BearerTokenValidator):
            def authenticate_token(self, token_string: str) -> TokenRecord | None:
                return tokens.get(token_string)

        protector = ResourceProtector()
        protector.register_token_validator(Validator())
        try:
            record: TokenRecord = protector.validate_request(["openid"], request)
        except OAuth2Error:
            # eSignet answers 401 with the reason in WWW-Authenticate and no body.
            return Response(status=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        client = self.clients[record.client_id]
        person = record.user.person
        claims: dict[str, Any] = {"sub": record.user.sub, "iss": self.settings.issuer, "aud": client.client_id}
        if person is not None:
            claims |= {name: person.claims[name] for name in record.user.consented if name in person.claims}
        elif record.user.staff is not None:
            claims |= record.user.staff.claims()
        body = self.sign(claims)
        if client.registration.userinfo_response_type == "JWE" and client.registration.encryption_jwk:
            from joserfc import jwe
            from joserfc.jwk import RSAKey

            recipient = RSAKey.import_key(client.registration.encryption_jwk)
            header = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT"}
            if recipient.kid:
                header["kid"] = recipient.kid
            body = jwe.encrypt_compact(header, body, recipient, algorithms=["RSA-OAEP-256", "A256GCM"])
        return Response(body, mimetype="application/jwt")


def mint_staff_token(key: Any, issuer: str, audience: str, staff: StaffUser, minutes: int = 60) -> str:
    """A signed staff bearer token: ``roles`` and the staff audience, valid for ``minutes``."""
    from joserfc import jwt

    issued = int(time.time())
    claims = {
        "iss": issuer,
        "sub": staff.sub,
        "aud": audience,
        **staff.claims(),
        "iat": issued,
        "exp": issued + minutes * 60,
        "jti": secrets.token_urlsafe(16),
    }
    return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "at+jwt"}, claims, key, algorithms=["RS256"])


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _locale(payload: Any) -> str:
    for tag in (payload.data.get("ui_locales") or "").split():
        if tag[:2] in pages.TEXT:
            return tag[:2]
    return "en"


# --- authlib grant, extensions and client authentication -----------------------------------


def _code_grant(idp: IdentityProvider) -> Any:
    from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant

    class CodeGrant(AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["private_key_jwt", "none"]

        def save_authorization_code(self, code: str, request: Any) -> None:
            data = request.payload.data
            record = CodeRecord(
                code=code,
                client_id=request.client.client_id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope or "",
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                user=request.user,
                expires_at=time.time() + CODE_LIFETIME_SECONDS,
            )
            with idp.lock:
                idp.codes[code] = record

        def query_authorization_code(self, code: str, client: Client) -> CodeRecord | None:
            record = idp.codes.get(code)
            if record is None or record.client_id != client.client_id or record.expires_at < time.time():
                return None
            return record

        def delete_authorization_code(self, authorization_code: CodeRecord) -> None:
            with idp.lock:
                idp.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code: CodeRecord) -> Grantee:
            return authorization_code.user

    return CodeGrant


def _pkce() -> Any:
    from authlib.oauth2.rfc7636 import CodeChallenge

    class S256Only(CodeChallenge):
        SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
        DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    return S256Only(required=True)


def _id_token(idp: IdentityProvider) -> Any:
    from authlib.oidc.core.grants import OpenIDCode

    class IdToken(OpenIDCode):
        def exists_nonce(self, nonce: str, request: Any) -> bool:
            return any(record.nonce == nonce for record in idp.codes.values())

        def resolve_client_private_key(self, client: Client) -> Any:
            return idp.signing_key

        def get_client_algorithm(self, client: Client) -> str:
            return "RS256"

        def get_encode_header(self, client: Client) -> dict[str, str]:
            return {"alg": "RS256", "kid": idp.signing_key.kid}

        def get_client_claims(self, client: Client) -> dict[str, Any]:
            return {"iss": idp.settings.issuer, "aud": client.client_id}

        def generate_user_info(self, user: Grantee, scope: str) -> dict[str, Any]:
            # Like eSignet: the ID token names the person (pairwise sub) but carries no personal
            # claims; those come from userinfo. Staff tokens carry the roles.
            if user.staff is not None:
                return {"sub": user.sub, **user.staff.claims()}
            return {"sub": user.sub}

    return IdToken(require_nonce=True)


def _client_assertion(idp: IdentityProvider) -> Any:
    from authlib.oauth2.rfc6749 import InvalidClientError
    from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
    from joserfc.jwk import JWKRegistry

    class ClientAssertion(JWTBearerClientAssertion):
        CLIENT_AUTH_METHOD = "private_key_jwt"

        def get_audiences(self) -> list[str]:
            return [idp.settings.base + TOKEN_PATH, idp.settings.issuer]

        def verify_claims(self, claims: Any) -> None:
            if "iat" not in claims:
                raise InvalidClientError(description="Missing claim: 'iat'")
            super().verify_claims(claims)

        def validate_jti(self, claims: Any, jti: str) -> bool:
            key = f"{claims['sub']}#{jti}"
            with idp.lock:
                if not jti or key in idp.used_jti:
                    return False
                idp.used_jti[key] = time.time()
            return True

        def resolve_client_public_key(self, client: Client) -> Any:
            if not client.registration.public_jwk:
                raise InvalidClientError(description="The client has no registered key.")
            return JWKRegistry.import_key(client.registration.public_jwk)

    return ClientAssertion(leeway=5)


def _token_generator(idp: IdentityProvider) -> Any:
    from authlib.oauth2.rfc6750 import BearerTokenGenerator

    def access_token(client: Client, grant_type: str, user: Grantee, scope: str) -> str:
        return idp.access_token(client, user, scope)

    return BearerTokenGenerator(access_token, None, TOKEN_LIFETIME_SECONDS)
