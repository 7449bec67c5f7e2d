"""The profile form: the JSON Schema of demographic fields a person keeps, which an administrator
may replace. Changes to a profile are validated against it; what it cannot say in JSON Schema
(a birthdate is not in the future) is checked here too.

An administrator's form is a small, checked subset of JSON Schema: an object of named fields,
each a string, number, integer, boolean or a one-level object of those, with the usual
constraints. Anything else (``$ref``, combinators, unknown formats, patterns that could
backtrack catastrophically — checked by the forms area's rule) is refused with field errors
when the form is saved. A field with a pattern is held to the forms area's cap as well: at most
``MAX_PATTERN_SUBJECT`` characters, given as its ``maxLength`` when saved without one, and a
longer value is refused before the pattern runs.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from chalicelib.errors import ValidationFailed
from chalicelib.forms.answers import oversized_answers
from chalicelib.forms.patterns import MAX_PATTERN_SUBJECT, pattern_problem
from chalicelib.forms.typed import typed_value
from chalicelib.store.registrants import ProfileFormSetting
from chalicelib.web import field_errors

FIELD_NAME = r"^[a-z][a-z0-9_]{0,39}$"
LOCALE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
MAX_FIELDS = 40
MAX_FORM_BYTES = 32_768

DEFAULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],  # a change never clears the name; "change your details" does not call it optional
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "gender": {"type": "string", "enum": ["Female", "Male", "Other"]},
        "birthdate": {"type": "string", "format": "date"},
        "phone": {"type": "string", "pattern": r"^\+[1-9][0-9]{6,14}$"},
        "email": {"type": "string", "format": "email", "pattern": r"^[^@\s]{1,64}@[^@\s.]{1,63}\.[^@\s]{2,63}$", "maxLength": 254},
        "address": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "street_address": {"type": "string", "maxLength": 200},
                "locality": {"type": "string", "maxLength": 100},
                "region": {"type": "string", "maxLength": 100},
                "postal_code": {"type": "string", "maxLength": 20},
                "country": {"type": "string", "pattern": r"^[A-Z]{2}$"},
            },
        },
        "preferred_language": {"type": "string", "pattern": LOCALE},
        "household_size": {"type": "integer", "minimum": 1, "maximum": 50},
    },
}

DEFAULT_LABELS: dict[str, dict[str, str]] = {
    "name": {"en": "Full name", "fr": "Nom complet", "ar": "الاسم الكامل"},
    "gender": {"en": "Gender", "fr": "Genre", "ar": "الجنس"},
    "birthdate": {"en": "Date of birth", "fr": "Date de naissance", "ar": "تاريخ الميلاد"},
    "phone": {"en": "Phone number", "fr": "Numéro de téléphone", "ar": "رقم الهاتف"},
    "email": {"en": "Email address", "fr": "Adresse e-mail", "ar": "البريد الإلكتروني"},
    "address": {"en": "Address", "fr": "Adresse", "ar": "العنوان"},
    "preferred_language": {"en": "Preferred language", "fr": "Langue préférée", "ar": "اللغة المفضلة"},
    "household_size": {"en": "Number of people in the household", "fr": "Nombre de personnes dans le ménage", "ar": "عدد أفراد الأسرة"},
}

# Fields whose value is a date that cannot lie in the future.
PAST_DATES = frozenset({"birthdate"})


class ProfileForm(NamedTuple):
    schema: dict[str, Any]
    labels: dict[str, dict[str, str]]
    version: int  # 0: the built-in default
    updated_at: str | None = None
    fields: Sequence[str] = ()

    def as_json(self) -> dict[str, Any]:
        return {"version": self.version, "schema": self.schema, "labels": self.labels, "fields": self.fields, "updated_at": self.updated_at}


def from_setting(setting: ProfileFormSetting | None) -> ProfileForm:
    if setting is None or not setting.schema:
        return ProfileForm(schema=DEFAULT_SCHEMA, labels=DEFAULT_LABELS, version=0, fields=list(DEFAULT_SCHEMA["properties"]))
    return ProfileForm(
        schema=setting.schema,
        labels=setting.labels or {},
        version=int(setting.version or 0),
        updated_at=setting.updated_at,
        fields=list(setting.schema.get("properties", {})),
    )


# --- a person's changes -----------------------------------------------------------------------

# Validators are cached by the schema object's id in chalicelib.web: keep every partial schema
# alive (keyed by its content) so an id is never reused for a different schema.
_PARTIAL_SCHEMAS: dict[str, dict[str, Any]] = {}


def _partial(schema: dict[str, Any]) -> dict[str, Any]:
    """The form without ``required``: a PATCH carries only the fields being changed."""
    key = json.dumps(schema, sort_keys=True)
    cached = _PARTIAL_SCHEMAS.get(key)
    if cached is None:
        cached = {k: v for k, v in copy.deepcopy(schema).items() if k != "required"}
        cached["additionalProperties"] = False
        _PARTIAL_SCHEMAS[key] = cached
    return cached


def check_changes(form: ProfileForm, changes: dict[str, Any], today: date) -> None:
    """422 with one error per JSON pointer when a change does not fit the form. Lengths come
    first: a value longer than its field takes (a field with a pattern: at most
    ``MAX_PATTERN_SUBJECT`` characters, whatever an older stored form says) is ``too_long``
    before any pattern is run over it, as the forms area does with answers. What the person
    typed is first put in its canonical form, in place (``chalicelib.forms.typed``: a phone
    number's spaces, dashes and brackets go, Arabic-Indic digits become ASCII), so the changes
    checked are the changes stored."""
    typed_changes(form.schema, changes)
    problems = oversized_answers({"schema": form.schema}, changes) or field_errors(changes, _partial(form.schema))
    for name in PAST_DATES:
        value = changes.get(name)
        if f"/{name}" in problems or not isinstance(value, str):
            continue
        try:
            if date.fromisoformat(value) > today:
                problems[f"/{name}"] = "in_future"
        except ValueError:
            problems[f"/{name}"] = "wrong_format"
    if not changes and not problems:
        problems["/"] = "nothing_to_change"
    if problems:
        raise ValidationFailed(fields=problems)


def typed_changes(schema: dict[str, Any], changes: dict[str, Any]) -> None:
    """Each changed value as it is checked and stored (a group's fields, e.g. the address's, too)."""
    for name, value in list(changes.items()):
        field = (schema.get("properties") or {}).get(name)
        if not isinstance(field, dict):
            continue
        if isinstance(value, dict) and field.get("type") == "object":
            typed_changes(field, value)
        else:
            changes[name] = typed_value(name, field, value)


# --- an administrator's form ------------------------------------------------------------------

_SCALAR_KEYWORDS = {
    "string": {"type", "title", "description", "enum", "const", "minLength", "maxLength", "pattern", "format"},
    "integer": {"type", "title", "description", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "number": {"type", "title", "description", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "boolean": {"type", "title", "description", "const"},
}
_OBJECT_KEYWORDS = {"type", "title", "description", "properties", "additionalProperties", "required"}
FORMATS = {"date", "email"}


def check_form(schema: Any, labels: Any) -> dict[str, str]:
    """Field errors of an administrator's form (pointers into the request body); empty if fine."""
    problems: dict[str, str] = {}
    if len(json.dumps(schema)) + len(json.dumps(labels)) > MAX_FORM_BYTES:
        return {"/schema": "too_large"}
    if not isinstance(schema, dict) or schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        return {"/schema": "must_be_object_with_properties"}
    _check_object(schema, "/schema", problems, depth=0)
    if len(schema["properties"]) > MAX_FIELDS:
        problems["/schema/properties"] = "too_many"
    for name in schema["properties"]:
        if not re.match(FIELD_NAME, name):
            problems[f"/schema/properties/{_escape(name)}"] = "bad_field_name"
    if not problems:
        # jsonschema is imported here, not at module import: it stays off the cold-start path.
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError

        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError:
            problems["/schema"] = "invalid_schema"
    if not isinstance(labels, dict):
        problems["/labels"] = "wrong_type"
        return problems
    for name, by_locale in labels.items():
        if name not in schema["properties"]:
            problems[f"/labels/{_escape(name)}"] = "unknown_field"
        elif not isinstance(by_locale, dict) or not all(
            isinstance(k, str) and re.match(LOCALE, k) and isinstance(v, str) and 0 < len(v) <= 200 for k, v in by_locale.items()
        ):
            problems[f"/labels/{_escape(name)}"] = "bad_label"
    return problems


def _check_object(node: dict[str, Any], pointer: str, problems: dict[str, str], depth: int) -> None:
    for keyword in node:
        if keyword not in _OBJECT_KEYWORDS:
            problems[f"{pointer}/{_escape(keyword)}"] = "unsupported_keyword"
    if node.get("additionalProperties", False) is not False:
        problems[f"{pointer}/additionalProperties"] = "must_be_false"
    required = node.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) and r in node["properties"] for r in required):
        problems[f"{pointer}/required"] = "unknown_field"
    for name, child in node["properties"].items():
        here = f"{pointer}/properties/{_escape(name)}"
        if not isinstance(child, dict):
            problems[here] = "wrong_type"
        elif child.get("type") == "object" and depth == 0 and isinstance(child.get("properties"), dict):
            _check_object(child, here, problems, depth + 1)
        elif child.get("type") in _SCALAR_KEYWORDS:
            _check_scalar(child, here, problems)
        else:
            problems[f"{here}/type"] = "unsupported_type"


def _check_scalar(node: dict[str, Any], pointer: str, problems: dict[str, str]) -> None:
    allowed = _SCALAR_KEYWORDS[node["type"]]
    for keyword in node:
        if keyword not in allowed:
            problems[f"{pointer}/{_escape(keyword)}"] = "unsupported_keyword"
    if "format" in node and node["format"] not in FORMATS:
        problems[f"{pointer}/format"] = "unsupported_format"
    if "pattern" in node:
        # The same rules as programs' forms: what the browser cannot run or what may backtrack,
        # judged over at most MAX_PATTERN_SUBJECT characters, so the field is no longer than that.
        problem = pattern_problem(node["pattern"])
        if problem:
            problems[f"{pointer}/pattern"] = problem
        if isinstance(node.get("maxLength"), int) and node["maxLength"] > MAX_PATTERN_SUBJECT:
            problems[f"{pointer}/maxLength"] = "too_long_for_pattern"


def normalise(schema: dict[str, Any]) -> dict[str, Any]:
    """The form as stored: closed at the root, and every field with a pattern given
    ``maxLength: MAX_PATTERN_SUBJECT`` when it has none (as the forms area saves its forms)."""
    stored = {**copy.deepcopy(schema), "additionalProperties": False}
    nodes = list(stored["properties"].values())
    while nodes:
        node = nodes.pop()
        if not isinstance(node, dict):
            continue
        nodes.extend((node.get("properties") or {}).values())
        if node.get("type") == "string" and "pattern" in node and "maxLength" not in node:
            node["maxLength"] = MAX_PATTERN_SUBJECT
    return stored


def _escape(part: str) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")
