"""An OpenID provider on loopback whose token and userinfo answers each test writes.

The dev IdP only ever answers correctly; the portal must also refuse what a broken or hostile
provider could send (an ID token signed with ``none``, HS256 with the public key, the wrong
audience...). This server speaks real HTTP, serves a real JWKS and records the token requests
it receives, so tests can also check what the portal sent.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "ssp-portal-test"


@functools.cache
def _provider_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "scripted-1", "use": "sig"})


@dataclass
class ScriptedProvider:
    issuer: str
    key: RSAKey
    token_answer: tuple[int, dict[str, Any]] = (500, {})
    userinfo_answer: tuple[int, str, bytes] = (500, "text/plain", b"")
    token_requests: list[dict[str, str]] = field(default_factory=list)
    userinfo_requests: list[dict[str, str]] = field(default_factory=list)
    jwks_fetches: int = 0
    jwks_answer: tuple[int, str, bytes] | None = None  # None: the provider's real key set
    extra_discovery: dict[str, Any] = field(default_factory=dict)

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    @property
    def token_endpoint(self) -> str:
        return self.issuer + "/token"

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.token_endpoint,
            "userinfo_endpoint": self.issuer + "/userinfo",
            "jwks_uri": self.issuer + "/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
            "authorization_response_iss_parameter_supported": True,
            **self.extra_discovery,
        }

    def id_token(self, nonce: str, /, **overrides: Any) -> str:
        """A correct ID token for ``nonce``; ``overrides`` change claims (None removes one)."""
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": "person-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": nonce, "acr": "mosip:idp:acr:generated-code"}
        for name, value in overrides.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return self.sign(claims)

    def sign(self, claims: dict[str, Any], key: RSAKey | None = None, alg: str = "RS256") -> str:
        key = key or self.key
        return jwt.encode({"alg": alg, "kid": key.kid}, claims, key, algorithms=[alg])

    def answer_tokens(self, id_token: str, access_token: str = "access-1") -> None:
        self.token_answer = (200, {"id_token": id_token, "access_token": access_token, "token_type": "Bearer", "expires_in": 300})

    def answer_userinfo_jwt(self, claims: dict[str, Any] | None = None, key: RSAKey | None = None) -> None:
        claims = claims if claims is not None else {"sub": "person-1", "name": "Amina Okafor", "birthdate": "1987/04/12", "individual_id": "8267411571"}
        self.userinfo_answer = (200, "application/jwt", self.sign(claims, key).encode())

    def answer_userinfo_json(self, claims: dict[str, Any]) -> None:
        self.userinfo_answer = (200, "application/json", json.dumps(claims).encode())


@contextmanager
def scripted_provider() -> Iterator[ScriptedProvider]:
    state: dict[str, ScriptedProvider] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            provider = state["provider"]
            if self.path == "/.well-known/openid-configuration":
                self._send(200, "application/json", json.dumps(provider.discovery()).encode())
            elif self.path == "/jwks":
                provider.jwks_fetches += 1
                if provider.jwks_answer is not None:
                    self._send(*provider.jwks_answer)
                else:
                    self._send(200, "application/json", json.dumps({"keys": [provider.key.as_dict(private=False)]}).encode())
            elif self.path == "/userinfo":
                provider.userinfo_requests.append({"authorization": self.headers.get("Authorization", "")})
                status, content_type, body = provider.userinfo_answer
                self._send(status, content_type, body)
            else:
                self._send(404, "text/plain", b"")

        def do_POST(self) -> None:  # noqa: N802
            provider = state["provider"]
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            form["_authorization"] = self.headers.get("Authorization", "")
            provider.token_requests.append(form)
            status, body = provider.token_answer
            self._send(status, "application/json", json.dumps(body).encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    issuer = f"http://127.0.0.1:{server.server_port}"
    state["provider"] = ScriptedProvider(issuer=issuer, key=_provider_key())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["provider"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
