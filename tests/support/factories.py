"""Small factories for test data: registrants with real sessions, staff tokens, programs, forms."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from chalicelib.auth.sessions import create_session
from chalicelib.store.base import now
from chalicelib.store.forms import FormVersion
from chalicelib.store.programs import Program
from chalicelib.store.registrants import Registrant
from tests.support.api import AsRegistrant, AsStaff
from tests.support.environment import STAFF_AUDIENCE, STAFF_ISSUER, STAFF_KEY

SAMPLE_PEOPLE = json.loads((Path(__file__).resolve().parents[2] / "infra/local/sample_people.json").read_text())["people"]


def make_registrant(person: dict[str, Any] | None = None, issuer: str = "https://idp.test") -> Registrant:
    person = person or SAMPLE_PEOPLE[0]
    registrant = Registrant(
        registrant_id=str(uuid.uuid4()),
        login=f"{issuer}#{uuid.uuid4()}",
        individual_id=person["individual_id"],
        profile={
            "name": _verified(person["name"]),
            "birthdate": _verified(person["birthdate"].replace("/", "-")),
        },
    )
    registrant.save()
    return registrant


def _verified(value: Any) -> dict[str, Any]:
    return {"value": value, "source": "id_provider", "provider": "dev", "verified": True, "changed_at": now().isoformat()}


def logged_in(person: dict[str, Any] | None = None) -> AsRegistrant:
    """A registrant with a real session made by the session service, as login would make it."""
    registrant = make_registrant(person)
    session = create_session(registrant.registrant_id, {"name": registrant.profile["name"]["value"], "provider": "dev"})
    return AsRegistrant(registrant.registrant_id, session.raw_id, session.csrf_token)


def staff_token(
    *roles: str,
    subject: str = "staff-1",
    key: RSAKey = STAFF_KEY,
    expires_in: int = 3600,  # module-level tokens must outlive a long test run
    issuer: str = STAFF_ISSUER,
    audience: str = STAFF_AUDIENCE,
    alg: str = "RS256",
    claims: dict[str, Any] | None = None,  # more claims, e.g. {"programs": [...]} to limit a reviewer
) -> str:
    issued = int(time.time())
    payload = {"iss": issuer, "aud": audience, "sub": subject, "iat": issued, "exp": issued + expires_in, "roles": list(roles), **(claims or {})}
    return jwt.encode({"alg": alg, "kid": key.kid}, payload, key)


def as_staff(*roles: str, **kwargs: Any) -> AsStaff:
    return AsStaff(staff_token(*roles, **kwargs))


def simple_ui(schema: dict[str, Any]) -> dict[str, Any]:
    """A one-page UI schema with a text (or fitting) widget per field, labelled by its name."""
    from chalicelib.forms.definition import leaf_fields

    fields: dict[str, Any] = {}
    for pointer, sub in leaf_fields(schema):
        widget = "text"
        if sub.get("format") == "date":
            widget = "date"
        elif "enum" in sub:
            widget = "select"
        elif sub.get("type") in {"integer", "number"}:
            widget = "number"
        elif sub.get("type") == "boolean":
            widget = "checkbox"
        fields[pointer] = {"widget": widget, "label": {"en": pointer.strip("/")}}
        if "enum" in sub:
            fields[pointer]["options"] = {str(v): {"en": str(v)} for v in sub["enum"]}
    return {"pages": [{"id": "main", "title": {"en": "Application"}, "fields": list(fields)}], "fields": fields}


def make_form(
    schema: dict[str, Any] | None = None,
    published: bool = True,
    ui_schema: dict[str, Any] | None = None,
    prefill: dict[str, Any] | None = None,
) -> FormVersion:
    """A form made by the forms service (so it passes the subset check), published unless told."""
    from chalicelib.forms import service as forms

    schema = schema or {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    created = forms.create_form({"title": {"en": "Application"}, "schema": schema, "ui_schema": ui_schema or simple_ui(schema), "prefill": prefill or {}})
    if published:
        forms.publish(created["form_id"], 1)
    return FormVersion.get(created["form_id"], 1)


def make_program(state: str = "open", form: FormVersion | None = None, **fields: Any) -> Program:
    """A program made by the programs service: created, its form mapped, then moved to ``state``."""
    from chalicelib.programs import catalogue

    form = form or make_form()
    details = {
        "name": {"en": "Child Support Grant", "fr": "Allocation de soutien à l'enfant"},
        "description": {"en": "Monthly support for families with young children."},
        "policy": {"kind": "one_active"},
        **fields,
    }
    program_id = catalogue.create_program(details)["program_id"]
    catalogue.map_form(program_id, form.form_id, int(form.version))
    for action in {"draft": [], "open": ["open"], "closed": ["open", "close"], "archived": ["archive"]}[state]:
        catalogue.change_state(program_id, action)
    return Program.get(program_id)
