"""The dev identity provider of the local stack: eSignet's contract, sample people, staff sign-in.

``start(ctx)`` serves it on ``ctx.ports["idp"]`` and points the portal at it: the default
``SSP_OIDC_PROVIDERS`` entry (id ``esignet``, the portal's client key generated once under the
data folder) and the staff token settings. With ``ctx.synthetic_people`` (the launcher's
``SSP_DEV_IDP_SYNTHETIC_PEOPLE``) it also knows that many generated people, for load tests.
``serve`` runs one on any port for tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.local.idp.directory import load_directory, synthetic_id
from infra.local.idp.keys import IDP_KEY_FILE, PORTAL_KEY_FILE, idp_dir, load_or_create_rsa_key, load_or_create_state
from infra.local.idp.server import ClientRegistration, IdentityProvider, IdpSettings
from infra.local.stack import PortInUse, StackContext, ensure_port_free

PORTAL_CLIENT_ID = "ssp-portal-local"
STAFF_CONSOLE_CLIENT_ID = "ssp-staff-console"
STAFF_AUDIENCE = "ssp-staff"
PROVIDER_ID = "esignet"
CALLBACK_PATH = "/api/auth/callback"
SYNTHETIC_PEOPLE = "SSP_DEV_IDP_SYNTHETIC_PEOPLE"  # the launcher's setting: how many generated people


def synthetic_range(count: int) -> str:
    """How to tell a person which ID numbers the generated people have."""
    return f"{synthetic_id(1)} to {synthetic_id(count)}" if count > 1 else synthetic_id(1)


@dataclass
class RunningIdp:
    name: str
    url: str
    provider: IdentityProvider
    server: Any
    thread: threading.Thread

    @property
    def issuer(self) -> str:
        return self.provider.settings.issuer

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @property
    def jwks_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/jwks.json"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(build: Callable[[str], IdpSettings], host: str = "127.0.0.1", port: int = 0, path: str = "") -> RunningIdp:
    """Serve an IdP on ``host:port`` (0: any free port); ``build`` gets the issuer URL.

    ``path`` puts the issuer under a path, as eSignet up to 1.7 does (``/v1/esignet``).
    """
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            return  # request lines carry codes and states: log nothing

    holder: dict[str, Any] = {}

    def dispatch(environ: dict[str, Any], start_response: Any) -> Any:
        return holder["app"](environ, start_response)

    try:
        server = make_server(host, port, dispatch, threaded=True, request_handler=QuietHandler)
    except OSError:
        raise PortInUse("idp", port) from None
    issuer = f"http://{host}:{server.server_port}{path}"
    provider = IdentityProvider(build(issuer))
    holder["app"] = provider.app
    thread = threading.Thread(target=server.serve_forever, name="dev-idp", daemon=True)
    thread.start()
    return RunningIdp("identity provider (eSignet)", issuer, provider, server, thread)


def start(ctx: StackContext) -> RunningIdp:
    port = ctx.ports["idp"]
    ensure_port_free("idp", ctx.host, port)
    folder = idp_dir(ctx.data_dir)
    idp_key = load_or_create_rsa_key(folder / IDP_KEY_FILE, "idp")
    portal_key = load_or_create_rsa_key(folder / PORTAL_KEY_FILE, "portal")
    people, staff = load_directory(synthetic=ctx.synthetic_people)

    def build(issuer: str) -> IdpSettings:
        state = load_or_create_state(ctx.data_dir, issuer)
        return IdpSettings(
            issuer=issuer,
            signing_keys=[idp_key],
            pairwise_salt=state["pairwise_salt"],
            people=people,
            staff=staff,
            clients=[
                ClientRegistration(PORTAL_CLIENT_ID, [ctx.public_url + CALLBACK_PATH], public_jwk=portal_key.as_dict(private=False)),
                ClientRegistration(STAFF_CONSOLE_CLIENT_ID, [], kind="staff", redirect_prefixes=[ctx.public_url + "/staff"]),
            ],
            staff_audience=STAFF_AUDIENCE,
            allowed_origins=[ctx.public_url],
        )

    running = serve(build, ctx.host, port)
    ctx.portal_env.update(portal_settings(running, folder / PORTAL_KEY_FILE))
    return running


def portal_settings(running: RunningIdp, portal_key_file: Path, client_id: str = PORTAL_CLIENT_ID) -> dict[str, str]:
    """The portal's settings for this IdP: one eSignet-profile provider and the staff issuer."""
    providers = [
        {
            "id": PROVIDER_ID,
            "profile": "esignet",
            "name": {"en": "National ID (eSignet)", "fr": "Identité nationale (eSignet)", "ar": "الهوية الوطنية (eSignet)"},
            "discovery_url": running.discovery_url,
            "client_id": client_id,
            "signing_key": f"file:{portal_key_file}",
        }
    ]
    return {
        "SSP_OIDC_PROVIDERS": json.dumps(providers),
        "SSP_STAFF_ISSUER": running.issuer,
        "SSP_STAFF_AUDIENCE": STAFF_AUDIENCE,
        "SSP_STAFF_JWKS_URL": running.jwks_url,
        "SSP_STAFF_CLIENT_ID": STAFF_CONSOLE_CLIENT_ID,
    }
