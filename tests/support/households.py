"""A form with a repeating group (each child: name, date of birth, relationship, a birth
certificate) and a program using it, for the households tests."""

from __future__ import annotations

import copy
from typing import Any

from chalicelib.auth.sessions import create_session
from chalicelib.forms import service as forms
from chalicelib.registrants import logins
from chalicelib.store.forms import FormVersion
from tests.support.api import AsRegistrant
from tests.support.factories import make_program

CHILD = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "birth_date": {"type": "string", "format": "date"},
        "relationship": {"type": "string", "enum": ["son", "daughter", "grandchild", "other"]},
        "relationship_other": {"type": "string", "maxLength": 60},
        "birth_certificate": {"type": "string", "maxLength": 64},
    },
    "required": ["name", "birth_date", "relationship", "birth_certificate"],
    "if": {"properties": {"relationship": {"const": "other"}}, "required": ["relationship"]},
    "then": {"required": ["relationship_other"]},
}

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 100},
        "children": {"type": "array", "minItems": 1, "maxItems": 30, "items": CHILD},
    },
    "required": ["name", "children"],
}

UI = {
    "pages": [
        {"id": "about-you", "title": {"en": "About you"}, "fields": ["/name"]},
        {"id": "children", "title": {"en": "Your children"}, "fields": ["/children"]},
    ],
    "fields": {
        "/name": {"widget": "text", "label": {"en": "Full name"}},
        "/children": {"widget": "group", "label": {"en": "Children under 18"}, "item_label": {"en": "child"}, "summary_field": "name"},
        "/children/name": {"widget": "text", "label": {"en": "Child's full name"}},
        "/children/birth_date": {"widget": "date", "label": {"en": "Date of birth"}},
        "/children/relationship": {
            "widget": "radio",
            "label": {"en": "How are they related to you?"},
            "options": {"son": {"en": "Son"}, "daughter": {"en": "Daughter"}, "grandchild": {"en": "Grandchild"}, "other": {"en": "Other"}},
        },
        "/children/relationship_other": {"widget": "text", "label": {"en": "How, then?"}},
        "/children/birth_certificate": {"widget": "document", "label": {"en": "Birth certificate"}, "document_kind": "birth_certificate"},
    },
}

BIRTH_CERTIFICATE = {
    "kind": "birth_certificate",
    "label": {"en": "Birth certificate"},
    "required": True,
    "content_types": ["application/pdf"],
    "max_bytes": 1_000_000,
}


def definition(**changes: Any) -> dict[str, Any]:
    """The household form's definition; ``changes`` replace top-level parts."""
    return {"title": {"en": "Child Support"}, "schema": copy.deepcopy(SCHEMA), "ui_schema": copy.deepcopy(UI), "prefill": {}, **changes}


def make_household_form(**changes: Any) -> FormVersion:
    created = forms.create_form(definition(**changes))
    forms.publish(created["form_id"], 1)
    return FormVersion.get(created["form_id"], 1)


def household_program(**changes: Any) -> str:
    """An open program asking for each child, with a required birth certificate per child."""
    return str(make_program(form=make_household_form(**changes), documents=[BIRTH_CERTIFICATE]).program_id)


def child(name: str = "Amina", birth_date: str = "2019-04-02", relationship: str = "daughter", **more: Any) -> dict[str, Any]:
    return {"name": name, "birth_date": birth_date, "relationship": relationship, **more}


def logged_in_with_household(members: list[dict[str, Any]], subject: str = "pairwise-household") -> AsRegistrant:
    """Layla, logged in through the ID provider, which gives her household's ``members`` (as
    login records them: ``registrants.logins.record_login``)."""
    record = logins.record_login(
        issuer="https://idp.test",
        subject=subject,
        provider_id="esignet",
        profile_claims={"name": "Layla Haddad", "birthdate": "1994/02/05", "household": members},
        individual_id="3927160486",
        consented_claims=["name", "birthdate", "household"],
    )
    session = create_session(record.registrant_id, {"name": record.name, "provider": "esignet"})
    return AsRegistrant(record.registrant_id, session.raw_id, session.csrf_token)
