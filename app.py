"""The Chalice app: one Blueprint per area under /api, and the HTTP middleware. Nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Chalice

from chalicelib.apidoc.routes import bp as apidoc_routes
from chalicelib.auth.resolver import resolve_caller
from chalicelib.auth.routes import bp as auth_routes
from chalicelib.devices.routes import bp as device_routes
from chalicelib.documents.routes import bp as document_routes
from chalicelib.forms.routes import bp as form_routes
from chalicelib.person.routes import bp as person_routes
from chalicelib.programs.routes import bp as program_routes
from chalicelib.registrants.routes import bp as registrant_routes
from chalicelib.web import API_PREFIX, http_middleware, use_caller_resolver

use_caller_resolver(resolve_caller)

app = Chalice(app_name="self-service-portal")
app.api.binary_types = []  # every answer is JSON or HTML text

for blueprint in (apidoc_routes, auth_routes, program_routes, form_routes, registrant_routes, person_routes, document_routes, device_routes):
    app.register_blueprint(blueprint, url_prefix=API_PREFIX)


@app.middleware("http")
def _http(event: Any, get_response: Callable[[Any], Any]) -> Any:
    return http_middleware(event, get_response, app.lambda_context)
