"""A person's answers against a published form: validation, conditional questions, prefill.

``form`` here is a published version as plain data (``{"form_id", "version", "schema",
"ui_schema", "prefill", ...}``); published versions never change, so each one's validator is
compiled once per process and cached, and so are the validators of its conditions and of its
questions (prefill checks a profile value against the question), by content (``web.schema_validator``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from chalicelib.forms.definition import HOUSEHOLD_SOURCE, leaf_fields, nesting, resolve
from chalicelib.forms.groups import groups, is_group, item_fields
from chalicelib.forms.messages import field_message
from chalicelib.forms.patterns import MAX_PATTERN_SUBJECT
from chalicelib.forms.typed import typed_value
from chalicelib.web import schema_validator

Problems = dict[str, str]

MAX_ANSWER_NESTING = 8

# In a draft only what would corrupt the stored answers blocks a save; the rest waits for submit.
DRAFT_BLOCKING = frozenset({"wrong_type", "unknown_field", "too_long", "too_many", "not_allowed_value"})

_CODES = {
    "required": "required",
    "dependentRequired": "required",
    "type": "wrong_type",
    "enum": "not_allowed_value",
    "const": "not_allowed_value",
    "maxLength": "too_long",
    "minLength": "too_short",
    "maximum": "too_large",
    "exclusiveMaximum": "too_large",
    "minimum": "too_small",
    "exclusiveMinimum": "too_small",
    "multipleOf": "wrong_step",
    "pattern": "wrong_format",
    "maxItems": "too_many",
    "minItems": "too_few",
    "uniqueItems": "duplicate",
}
_FORMAT_CODES = {"date": "not_a_date", "email": "not_an_email"}

_validators: dict[tuple[str, int], Any] = {}


def validator(form: dict[str, Any]) -> Any:
    """The published version's validator, compiled once per process (a version never changes)."""
    key = (form["form_id"], int(form["version"]))
    cached = _validators.get(key)
    if cached is None:
        cached = schema_validator(form["schema"])  # the dict spares serialising the whole form per request
        _validators[key] = cached
    return cached


def shape_problems(answers: dict[str, Any]) -> Problems:
    """Answers nested deeper than any form can ask are refused before anything walks them."""
    return {"/": "too_deep"} if nesting(answers) > MAX_ANSWER_NESTING else {}


def check_answers(form: dict[str, Any], answers: Any, *, complete: bool, today: date | None = None) -> Problems:
    """{pointer into the answers: code}. ``complete`` is submission; otherwise a draft, where
    missing answers are fine and only what cannot be stored is refused.

    What people type is first put in its canonical form, in place (``typed_answers``): the
    answers checked are the answers the caller stores. A date of birth (a date question whose
    name says birth, or whose UI field asks for ``autocomplete: bday``) after ``today`` is
    ``in_future`` at submission."""
    typed_answers(form, answers)
    oversized = oversized_answers(form, answers)
    if oversized:
        return oversized  # never run a pattern over a string longer than its question allows
    problems: Problems = {}
    for error in validator(form).iter_errors(answers):
        for pointer, code in _describe(error):
            if complete or code in DRAFT_BLOCKING:
                problems.setdefault(pointer or "/", code)
    if complete and isinstance(answers, dict):
        for pointer, value in _past_dates(form, answers):
            if pointer not in problems and value > (today or date.today()).isoformat():
                problems[pointer] = "in_future"
    return problems


def typed_answers(form: dict[str, Any], answers: Any) -> None:
    """Each answer as it is checked and stored (``chalicelib.forms.typed``: digits of any script
    as ASCII, a phone number without separators), changed in place."""
    if not isinstance(answers, dict):
        return
    ui = _ui_fields(form)
    for pointer, schema in _answerable(form["schema"], answers):
        value = get(answers, pointer)
        if isinstance(value, str):
            typed = typed_value(pointer.rsplit("/", 1)[-1], schema, value, ui.get(_question_of(pointer)))
            if typed != value:
                put_answer(answers, pointer, typed)


_MEMBER = re.compile(r"^(/[^/]+)/\d+(/.*)$")
_BIRTH = re.compile(r"(^|_)(birth|born|dob)|birth", re.IGNORECASE)


def _question_of(pointer: str) -> str:
    """The question's pointer in the form (a member's answer ``/children/2/name``: ``/children/name``)."""
    match = _MEMBER.match(pointer)
    return match.group(1) + match.group(2) if match else pointer


def _ui_fields(form: dict[str, Any]) -> dict[str, dict[str, Any]]:
    fields = (form.get("ui_schema") or {}).get("fields")
    return fields if isinstance(fields, dict) else {}


def is_birth_date(name: str, schema: dict[str, Any], ui: dict[str, Any] | None) -> bool:
    """A date question that cannot be answered with a day still to come: a date of birth."""
    if schema.get("format") != "date":
        return False
    autocomplete = (ui or {}).get("autocomplete")
    return autocomplete == "bday" or bool(_BIRTH.search(name))


def _past_dates(form: dict[str, Any], answers: dict[str, Any]) -> Iterator[tuple[str, str]]:
    ui = _ui_fields(form)
    for pointer, schema in _answerable(form["schema"], answers):
        value = get(answers, pointer)
        if isinstance(value, str) and is_birth_date(pointer.rsplit("/", 1)[-1], schema, ui.get(_question_of(pointer))):
            yield pointer, value


def oversized_answers(form: dict[str, Any], answers: Any) -> Problems:
    """{pointer: "too_long"} for strings longer than their field allows (a pattern field: at most
    ``MAX_PATTERN_SUBJECT``): checked before any pattern runs. The registrants area's profile form
    uses it too."""
    if not isinstance(answers, dict):
        return {}
    problems: Problems = {}
    for pointer, schema in _answerable(form["schema"], answers):
        value = get(answers, pointer)
        if isinstance(value, str) and len(value) > _length_limit(schema):
            problems[pointer] = "too_long"
        elif isinstance(value, list) and isinstance(schema.get("items"), dict):
            limit = _length_limit(schema["items"])
            for index, item in enumerate(value):
                if isinstance(item, str) and len(item) > limit:
                    problems[f"{pointer}/{index}"] = "too_long"
    return problems


def _answerable(root: dict[str, Any], answers: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer into these answers, schema) of every question, a group's once per member given."""
    for pointer, schema in leaf_fields(root):
        if not is_group(schema):
            yield pointer, schema
    for pointer, group in groups(root):
        members = get(answers, pointer)
        for index in range(len(members) if isinstance(members, list) else 0):
            for field, schema in item_fields(group):
                yield f"{pointer}/{index}{field}", schema


def _length_limit(schema: dict[str, Any]) -> float:
    """The longest string a question takes; a pattern's search was judged on at most
    ``MAX_PATTERN_SUBJECT`` characters, whatever an older stored form says."""
    limit = schema.get("maxLength")
    bound = float(limit) if isinstance(limit, int) else float("inf")
    return min(bound, MAX_PATTERN_SUBJECT) if "pattern" in schema else bound


def _describe(error: Any) -> Iterator[tuple[str, str]]:
    base = "".join(f"/{_escape(p)}" for p in error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties") or {})
        for extra in sorted(k for k in error.instance if k not in allowed):
            yield f"{base}/{_escape(extra)}", "unknown_field"
    elif kind == "required":
        for name in error.validator_value:
            if isinstance(error.instance, dict) and name not in error.instance:
                yield f"{base}/{_escape(name)}", "required"
    elif kind == "dependentRequired":
        for trigger, names in error.validator_value.items():
            if isinstance(error.instance, dict) and trigger in error.instance:
                for name in names:
                    if name not in error.instance:
                        yield f"{base}/{_escape(name)}", "required"
    elif kind == "format":
        yield base, _FORMAT_CODES.get(str(error.validator_value), "wrong_format")
    else:
        yield base, _CODES.get(str(kind), "invalid")


def messages(problems: dict[str, str], form: dict[str, Any] | None = None) -> dict[str, dict[str, str]]:
    """A message per locale for each problem, keyed like the problems (``/answers/...`` or not).
    Given the form, a question's own messages (its UI field's ``errors``: ``{code: {locale:
    text}}``) come first, then the message for its kind of question (``field_message``)."""
    ui = _ui_fields(form) if form else {}
    shown: dict[str, dict[str, str]] = {}
    for pointer, code in problems.items():
        question = _question_of(pointer.removeprefix("/answers")) if pointer.startswith("/answers/") else None
        spec = ui.get(question) if question else None
        schema = _question_schema(form, question) if form and question else None
        shown[pointer] = field_message(code, schema, spec, question.rsplit("/", 1)[-1] if question else "")
    return shown


def _question_schema(form: dict[str, Any], question: str) -> dict[str, Any] | None:
    for pointer, schema in leaf_fields(form["schema"]):
        if pointer == question:
            return schema
    for pointer, group in groups(form["schema"]):
        for field, schema in item_fields(group):
            if pointer + field == question:
                return schema
    return None


# --- conditional questions ------------------------------------------------------------------------


def hidden_fields(form: dict[str, Any], answers: dict[str, Any]) -> set[str]:
    """Pointers of the questions the person is not shown given their answers.

    A question is conditional when its object does not always require it and it is named in the
    ``then``/``else`` of an ``if`` (directly or under ``allOf``), or as a dependent in
    ``dependentRequired``. It is shown when one of those applies: the ``if`` holds for ``then``,
    fails for ``else``, or the ``dependentRequired`` trigger has an answer.
    """
    root = form["schema"]
    hidden: set[str] = set()

    def walk(node: dict[str, Any], value: Any, prefix: str) -> None:
        value = value if isinstance(value, dict) else {}
        shown = _shown_conditionals(node, value)
        for name, sub in (node.get("properties") or {}).items():
            pointer = f"{prefix}/{_escape(name)}"
            if name in shown and not shown[name]:
                hidden.add(pointer)
                continue
            sub = resolve(root, sub)
            if isinstance(sub, dict) and sub.get("type") == "object":
                walk(sub, value.get(name), pointer)
            elif is_group(sub) and isinstance(value.get(name), list):
                for index, member in enumerate(value[name]):  # a condition inside a member reads that member's answers
                    walk(sub["items"], member, f"{pointer}/{index}")

    walk(root, answers, "")
    return hidden


def _shown_conditionals(node: dict[str, Any], value: dict[str, Any]) -> dict[str, bool]:
    """{conditional property: whether one of its conditions applies now}."""
    always = set(node.get("required") or [])
    shown: dict[str, bool] = {}

    def mark(names: Any, applies: bool) -> None:
        for name in names:
            if name not in always:
                shown[name] = shown.get(name, False) or applies

    for holder in [node, *(node.get("allOf") or [])]:
        if "if" in holder:
            holds = _holds(holder["if"], value)
            for branch, applies in (("then", holds), ("else", not holds)):
                if isinstance(holder.get(branch), dict):
                    mark(_named(holder[branch]), applies)
        for trigger, names in (holder.get("dependentRequired") or {}).items():
            mark(names, value.get(trigger) is not None)
    return shown


def _named(branch: dict[str, Any]) -> set[str]:
    return set(branch.get("required") or []) | set(branch.get("properties") or {})


def _holds(condition: dict[str, Any], value: dict[str, Any]) -> bool:
    return bool(schema_validator(condition).is_valid(value))


def without_hidden(form: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers minus those to questions the person is not shown: a question not asked is not answered."""
    result = copy.deepcopy(answers)
    for pointer in sorted(hidden_fields(form, answers), key=len, reverse=True):
        remove(result, pointer)
    return result


# --- prefill --------------------------------------------------------------------------------------


def prefill(form: dict[str, Any], profile: dict[str, dict[str, Any]], household: list[dict[str, Any]] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(answers to start with, {pointer: value} the person cannot change) from their profile and
    the household the portal remembers for them.

    A profile value is used only when it fits the question; a verified one is read-only unless
    the form marks it editable. A repeating group mapped to the household starts with each
    remembered member whose values fit a member's questions (the person confirms or changes them).
    """
    answers: dict[str, Any] = {}
    locked: dict[str, Any] = {}
    fields = dict(leaf_fields(form["schema"]))
    for pointer, entry in (form.get("prefill") or {}).items():
        if entry.get("from") == HOUSEHOLD_SOURCE:
            members = household_members(fields.get(pointer) or {}, entry.get("fields") or {}, household or [])
            if members:
                put(answers, pointer, members)
            continue
        source = entry["from"].split(".")[1:]
        found = profile.get(source[0]) or {}
        value = found.get("value")
        for part in source[1:]:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None or pointer not in fields or not _fits(fields[pointer], value):
            continue
        put(answers, pointer, value)
        if found.get("verified") and not entry.get("editable", False):
            locked[pointer] = value
    return answers, locked


def household_members(group: dict[str, Any], mapping: dict[str, str], household: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The remembered members as a group's answers: each mapped value that fits its question;
    a member left with no answer, or with one the group refuses outright, is not offered."""
    if not is_group(group):
        return []
    questions = dict(item_fields(group))
    listed: list[dict[str, Any]] = []
    for member in household:
        values = member.get("fields") or {}
        item = {
            question: values[source]
            for question, source in mapping.items()
            if source in values and f"/{question}" in questions and _fits(questions[f"/{question}"], values[source])
        }
        if item and len(listed) < int(group.get("maxItems", 30)):
            listed.append(item)
    return listed


def uses_household(form: dict[str, Any]) -> bool:
    """Whether the form prefills a repeating group from the household the portal remembers."""
    return any(entry.get("from") == HOUSEHOLD_SOURCE for entry in (form.get("prefill") or {}).values())


def household_answers(form: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The members a person's answers list in the groups the form maps to the household, as the
    household's fields (the prefill map read backwards): what the portal remembers at submission."""
    listed: list[dict[str, Any]] = []
    for pointer, entry in (form.get("prefill") or {}).items():
        if entry.get("from") != HOUSEHOLD_SOURCE:
            continue
        members = get(answers, pointer)
        for member in members if isinstance(members, list) else []:
            if isinstance(member, dict):
                listed.append({source: member[question] for question, source in (entry.get("fields") or {}).items() if question in member})
    return listed


def _fits(schema: dict[str, Any], value: Any) -> bool:
    return bool(schema_validator(schema).is_valid(value))


def read_only_problems(locked: dict[str, Any], answers: dict[str, Any]) -> Problems:
    return {pointer: "read_only" for pointer, value in locked.items() if get(answers, pointer) != value}


# --- answers as nested objects --------------------------------------------------------------------


def merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """JSON Merge Patch (RFC 7386): objects merge, ``null`` removes, anything else replaces."""
    result = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def get(answers: dict[str, Any], pointer: str) -> Any:
    value: Any = answers
    for part in _parts(pointer):
        value = _child(value, part)
    return value


def _child(value: Any, part: str) -> Any:
    """A member of an object, or of a list (a group's member) by its index."""
    if isinstance(value, dict):
        return value.get(part)
    if isinstance(value, list) and part.isdigit() and int(part) < len(value):
        return value[int(part)]
    return None


def put_answer(answers: dict[str, Any], pointer: str, value: Any) -> None:
    """Replace an existing answer, a group's member's too (``/children/2/name``)."""
    parts = _parts(pointer)
    target: Any = answers
    for part in parts[:-1]:
        target = _child(target, part)
    if isinstance(target, dict):
        target[parts[-1]] = value


def put(answers: dict[str, Any], pointer: str, value: Any) -> None:
    parts = _parts(pointer)
    target = answers
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def remove(answers: dict[str, Any], pointer: str) -> None:
    parts = _parts(pointer)
    target: Any = answers
    for part in parts[:-1]:
        target = _child(target, part)
    if isinstance(target, dict):
        target.pop(parts[-1], None)


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")
