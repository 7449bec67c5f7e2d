"""The form definition subset the portal accepts, checked when an administrator saves a form.

A definition is ``{"title", "schema", "ui_schema", "prefill"}``: a JSON Schema (draft 2020-12)
limited to what the registrant app can render and what cannot hurt the server, a UI schema
(pages, and per field a widget, labels, hints and option labels per locale, the form's own
error messages per answer error code, an input purpose for the browser's autofill; and text-only
statements placed on pages like questions) and a prefill map.
Anything outside the subset is refused with an error per JSON pointer into the definition, so an
administrator fixes the form rather than a registrant meeting a 500 later. docs/programs.md
lists the subset.

``normalise`` closes every object (``additionalProperties: false``: unknown answers are refused)
and bounds every free-text string and array, so stored answers stay small.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

from chalicelib.forms.groups import (
    EMAIL_MAX_LENGTH,
    GROUP_ANSWER_BUDGET,
    GROUP_DEFAULT_MAX_LENGTH,
    MAX_GROUP_ITEMS,
    groups,
    is_group,
    item_fields,
    worst_case_bytes,
)
from chalicelib.forms.patterns import MAX_PATTERN_SUBJECT, pattern_problem

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

MAX_DEFINITION_BYTES = 64 * 1024
MAX_DEPTH = 6  # nested schema objects below the root
MAX_JSON_NESTING = 24  # brackets within brackets anywhere in the definition
MAX_SCHEMA_NODES = 600
MAX_FIELDS = 150
MAX_ENUM = 200
MAX_PAGES = 20
MAX_TEXT = 1000  # a label, hint or title in one locale
DEFAULT_MAX_LENGTH = 1000  # free text without its own maxLength
DEFAULT_MAX_ITEMS = 100

TYPES = frozenset({"object", "string", "integer", "number", "boolean", "array"})
FORMATS = frozenset({"date", "email"})
ANNOTATIONS = frozenset({"$comment", "title", "description", "default", "examples"})
VALIDATION = frozenset(
    {
        "type",
        "enum",
        "const",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "items",
    }
)
OBJECT_KEYWORDS = frozenset({"properties", "required", "additionalProperties", "dependentRequired", "if", "then", "else", "allOf"})
# Inside if/then/else and allOf: conditions and what they add, on fields the object declares.
CONDITION_KEYWORDS = frozenset({"properties", "required", "$comment", "description"})
ALLOF_ITEM_KEYWORDS = frozenset({"if", "then", "else", "required", "dependentRequired", "$comment", "description"})
# A property inside a condition may only constrain the value, not declare structure.
CONDITION_PROPERTY_KEYWORDS = frozenset(VALIDATION - {"items", "pattern"} | {"not"}) | ANNOTATIONS

WIDGETS = frozenset({"text", "textarea", "number", "date", "radio", "checkbox", "select", "document", "group"})
SECTION = "section"  # the heading (label, hint per locale) of a nested object's questions, e.g. an address
STATEMENT = "statement"  # text only: a UI-schema entry with no property in the schema and no answer
# ``autocomplete``: the input purposes of WCAG 2.1 SC 1.3.5 (HTML autofill tokens), less passwords
# and payment cards, which no benefits form asks for.
AUTOCOMPLETE = frozenset(
    {
        "name", "honorific-prefix", "given-name", "additional-name", "family-name", "honorific-suffix", "nickname",
        "organization-title", "username", "organization", "street-address", "address-line1", "address-line2",
        "address-line3", "address-level4", "address-level3", "address-level2", "address-level1", "country",
        "country-name", "postal-code", "language", "bday", "bday-day", "bday-month", "bday-year", "sex", "url", "photo",
        "tel", "tel-country-code", "tel-national", "tel-area-code", "tel-local", "tel-local-prefix", "tel-local-suffix",
        "tel-extension", "email", "impp",
    }
)  # fmt: skip
AUTOCOMPLETE_WIDGETS = frozenset({"text", "textarea", "number", "date", "select"})
# ``errors``: a form's own message for an answer error code (chalicelib/forms/messages.py), per locale.
ERROR_CODES = frozenset(
    {
        "required", "wrong_type", "not_allowed_value", "too_long", "too_short", "too_large", "too_small", "wrong_step",
        "wrong_format", "not_a_date", "not_an_email", "too_many", "too_few", "duplicate", "required_document_missing",
        "in_future",
    }
)  # fmt: skip
GROUP_KEYWORDS = frozenset({"type", "items", "minItems", "maxItems"}) | ANNOTATIONS
LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
PROFILE_SOURCE = re.compile(r"^profile\.[a-z][a-z0-9_]{0,63}(\.[a-z][a-z0-9_]{0,63})?$")
HOUSEHOLD_SOURCE = "household"
HOUSEHOLD_FIELD = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
DEF_REF = re.compile(r"^#/\$defs/([A-Za-z][A-Za-z0-9_-]{0,63})$")

Problems = dict[str, str]


def check_definition(definition: dict[str, Any]) -> Problems:
    """Every way ``definition`` leaves the subset, as {JSON pointer into it: code}; empty if none."""
    problems: Problems = {}
    if nesting(definition) > MAX_JSON_NESTING:
        return {"/": "too_deep"}
    if len(json.dumps(definition, separators=(",", ":"))) > MAX_DEFINITION_BYTES:
        return {"/": "too_large"}
    problems.update(_check_locale_text(definition.get("title"), "/title", required=True))
    schema = definition.get("schema")
    if not isinstance(schema, dict):
        return {**problems, "/schema": "required" if schema is None else "wrong_type"}
    schema_problems = SchemaChecker(schema).check()
    problems.update({"/schema" + p: code for p, code in schema_problems.items()})
    if schema_problems:
        return problems  # the UI schema and prefill refer to fields; judge them on a sound schema
    leaves = dict(leaf_fields(schema))
    problems.update(_check_ui_schema(definition.get("ui_schema"), leaves, schema))
    problems.update(_check_prefill(definition.get("prefill"), leaves))
    problems.update(_check_group_sizes(schema, definition.get("ui_schema")))
    return problems


def normalise(definition: dict[str, Any]) -> dict[str, Any]:
    """The definition as stored: objects closed, free text and arrays bounded, prefill in long form."""
    result = {
        "title": definition["title"],
        "schema": copy.deepcopy(definition["schema"]),
        "ui_schema": copy.deepcopy(definition.get("ui_schema") or {}),
        "prefill": {pointer: prefill_entry(entry) for pointer, entry in (definition.get("prefill") or {}).items()},
    }
    result["schema"].setdefault("$schema", SCHEMA_DIALECT)
    for _pointer, group in groups(result["schema"]):
        group.setdefault("maxItems", MAX_GROUP_ITEMS)
        for _name, field in item_fields(group):
            if field.get("type") == "string" and "maxLength" not in field and not {"enum", "const"} & field.keys():
                if field.get("format") == "email":
                    field["maxLength"] = EMAIL_MAX_LENGTH
                elif "format" not in field:
                    field["maxLength"] = GROUP_DEFAULT_MAX_LENGTH
    for node in _structural_nodes(result["schema"]):
        if node.get("type") == "object":
            node.setdefault("additionalProperties", False)
        # Free text gets a length; so does every pattern (its search was judged on that many characters).
        if node.get("type") == "string" and "maxLength" not in node and ("pattern" in node or not {"enum", "const", "format"} & node.keys()):
            node["maxLength"] = min(DEFAULT_MAX_LENGTH, MAX_PATTERN_SUBJECT) if "pattern" in node else DEFAULT_MAX_LENGTH
        if node.get("type") == "array" and "maxItems" not in node:
            node["maxItems"] = DEFAULT_MAX_ITEMS
    return result


def prefill_entry(entry: Any) -> dict[str, Any]:
    """``"profile.name"`` is short for ``{"from": "profile.name", "editable": false}``."""
    if isinstance(entry, str):
        return {"from": entry, "editable": False}
    if entry.get("from") == HOUSEHOLD_SOURCE:  # a repeating group from the remembered household: always editable
        return {"from": HOUSEHOLD_SOURCE, "fields": dict(entry.get("fields") or {}), "editable": True}
    return {"from": entry["from"], "editable": bool(entry.get("editable", False))}


def leaf_fields(root: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, schema) of every answerable field: properties that are not groups (objects)."""

    def walk(node: dict[str, Any], prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for name, sub in (node.get("properties") or {}).items():
            sub = resolve(root, sub)
            if not isinstance(sub, dict):
                continue
            if sub.get("type") == "object":
                yield from walk(sub, f"{prefix}/{name}")
            else:
                yield f"{prefix}/{name}", sub

    yield from walk(root, "")


def resolve(root: dict[str, Any], node: Any) -> Any:
    """Follow a local ``$ref`` (``#/$defs/name``) once; the subset refuses chains and cycles."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        match = DEF_REF.match(node["$ref"])
        target = (root.get("$defs") or {}).get(match.group(1)) if match else None
        if isinstance(target, dict):
            return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _structural_nodes(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The root, its $defs and every property schema reachable through properties/items."""
    stack: list[Any] = [schema, *((schema.get("$defs") or {}).values())]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield node
        stack.extend((node.get("properties") or {}).values())
        if isinstance(node.get("items"), dict):
            stack.append(node["items"])


class SchemaChecker:
    """Walks a JSON Schema and records every departure from the subset."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.root = schema
        self.problems: Problems = {}
        self.nodes = 0
        self.fields = 0
        self.defs = schema.get("$defs") if isinstance(schema.get("$defs"), dict) else {}
        self.in_group = False

    def check(self) -> Problems:
        self._meta_schema()
        if self.problems:
            return self.problems
        if self.root.get("type") != "object" or not isinstance(self.root.get("properties"), dict):
            self.problems["/type"] = "root_must_be_object"
        if "$schema" in self.root and self.root["$schema"] != SCHEMA_DIALECT:
            self.problems["/$schema"] = "unsupported_dialect"
        for name, sub in (self.defs or {}).items():
            if not DEF_REF.match(f"#/$defs/{name}"):
                self.problems[f"/$defs/{_escape(name)}"] = "bad_name"
            elif isinstance(sub, dict) and "$ref" in sub:
                self.problems[f"/$defs/{_escape(name)}/$ref"] = "ref_chain"
            else:
                self._field(sub, f"/$defs/{_escape(name)}", depth=1)
        self._ref_cycles()
        self._object(self.root, "", depth=0, is_root=True)
        if self.nodes > MAX_SCHEMA_NODES:
            self.problems["/"] = "too_large"
        if self.fields > MAX_FIELDS:
            self.problems["/properties"] = "too_many_fields"
        return self.problems

    def _meta_schema(self) -> None:
        # jsonschema is imported here, not at module import: it stays off the cold-start path.
        from jsonschema import Draft202012Validator

        for error in Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(self.root):
            pointer = "".join(f"/{_escape(p)}" for p in error.absolute_path)
            self.problems.setdefault(pointer or "/", "invalid_schema")

    def _count(self, pointer: str, depth: int) -> bool:
        self.nodes += 1
        if depth > MAX_DEPTH:
            self.problems.setdefault(pointer, "too_deep")
            return False
        return True

    def _keywords(self, node: dict[str, Any], pointer: str, allowed: frozenset[str]) -> None:
        for keyword in node:
            if keyword not in allowed:
                self.problems[f"{pointer}/{_escape(keyword)}"] = "unsupported_keyword"

    def _object(self, node: dict[str, Any], pointer: str, depth: int, is_root: bool = False) -> None:
        allowed = OBJECT_KEYWORDS | ANNOTATIONS | {"type"} | ({"$schema", "$defs"} if is_root else frozenset())
        self._keywords(node, pointer, allowed)
        properties = node.get("properties") or {}
        declared = set(properties)
        for name, sub in properties.items():
            if not FIELD_NAME.match(name):
                self.problems[f"{pointer}/properties/{_escape(name)}"] = "bad_field_name"
                continue
            self._field(sub, f"{pointer}/properties/{name}", depth + 1, group_allowed=is_root)
        if node.get("additionalProperties", False) is not False:
            self.problems[f"{pointer}/additionalProperties"] = "must_be_false"
        self._names(node.get("required"), declared, f"{pointer}/required")
        self._dependent(node.get("dependentRequired"), declared, f"{pointer}/dependentRequired")
        self._conditional(node, declared, pointer, depth)
        for index, item in enumerate(node.get("allOf") or []):
            item_pointer = f"{pointer}/allOf/{index}"
            if not isinstance(item, dict):
                continue
            self._keywords(item, item_pointer, ALLOF_ITEM_KEYWORDS)
            self._names(item.get("required"), declared, f"{item_pointer}/required")
            self._dependent(item.get("dependentRequired"), declared, f"{item_pointer}/dependentRequired")
            self._conditional(item, declared, item_pointer, depth + 1)

    def _conditional(self, node: dict[str, Any], declared: set[str], pointer: str, depth: int) -> None:
        if ("then" in node or "else" in node) and "if" not in node:
            self.problems[f"{pointer}/then" if "then" in node else f"{pointer}/else"] = "needs_if"
        for keyword in ("if", "then", "else"):
            branch = node.get(keyword)
            if branch is None:
                continue
            branch_pointer = f"{pointer}/{keyword}"
            if not isinstance(branch, dict):
                self.problems[branch_pointer] = "wrong_type"
                continue
            if not self._count(branch_pointer, depth + 1):
                continue
            self._keywords(branch, branch_pointer, CONDITION_KEYWORDS)
            self._names(branch.get("required"), declared, f"{branch_pointer}/required")
            for name, sub in (branch.get("properties") or {}).items():
                sub_pointer = f"{branch_pointer}/properties/{_escape(name)}"
                if name not in declared:
                    self.problems[sub_pointer] = "undeclared_field"
                elif isinstance(sub, dict):
                    self._count(sub_pointer, depth + 2)
                    self._keywords(sub, sub_pointer, CONDITION_PROPERTY_KEYWORDS)
                    self._values(sub, sub_pointer)
                    if isinstance(sub.get("not"), dict):
                        self._keywords(sub["not"], f"{sub_pointer}/not", frozenset({"const", "enum"}))

    def _field(self, node: Any, pointer: str, depth: int, group_allowed: bool = False) -> None:
        if not isinstance(node, dict):
            self.problems[pointer] = "wrong_type"
            return
        if not self._count(pointer, depth):
            return
        if "$ref" in node:
            self._ref(node, pointer)
            return
        kind = node.get("type")
        if not isinstance(kind, str) or kind not in TYPES:
            self.problems[f"{pointer}/type"] = "unsupported_type" if kind is not None else "required"
            return
        if self.in_group and (kind == "object" or is_group(node)):
            self.problems[pointer] = "group_in_group"
            return
        if kind == "object":
            self._object(node, pointer, depth)
            return
        if is_group(node):
            self._group(node, pointer, depth, group_allowed)
            return
        self.fields += 1
        self._keywords(node, pointer, VALIDATION | ANNOTATIONS)
        self._values(node, pointer)
        if kind == "array":
            items = node.get("items")
            if not isinstance(items, dict) or items.get("type") not in {"string", "integer", "number"} or "enum" not in items:
                self.problems[f"{pointer}/items"] = "items_must_be_choices"
            else:
                self._count(f"{pointer}/items", depth + 1)
                self._keywords(items, f"{pointer}/items", VALIDATION - {"items"} | ANNOTATIONS)
                self._values(items, f"{pointer}/items")
        elif "items" in node:
            self.problems[f"{pointer}/items"] = "unsupported_keyword"

    def _group(self, node: dict[str, Any], pointer: str, depth: int, allowed: bool) -> None:
        """A repeating group: at the form's top level, its members' questions ordinary fields."""
        if not allowed:
            self.problems[pointer] = "group_not_at_top_level"
            return
        self._keywords(node, pointer, GROUP_KEYWORDS)
        most, least = node.get("maxItems", MAX_GROUP_ITEMS), node.get("minItems", 0)
        if isinstance(most, int) and most > MAX_GROUP_ITEMS:
            self.problems[f"{pointer}/maxItems"] = "too_many_items"
        if isinstance(most, int) and isinstance(least, int) and least > most:
            self.problems[f"{pointer}/minItems"] = "min_above_max"
        items = node["items"]
        if not items.get("properties"):
            self.problems[f"{pointer}/items/properties"] = "required"
        self.in_group = True
        try:
            self._object(items, f"{pointer}/items", depth + 1)
        finally:
            self.in_group = False

    def _ref(self, node: dict[str, Any], pointer: str) -> None:
        ref = node["$ref"]
        match = DEF_REF.match(ref) if isinstance(ref, str) else None
        if match is None:
            self.problems[f"{pointer}/$ref"] = "ref_outside_document"
        elif match.group(1) not in (self.defs or {}):
            self.problems[f"{pointer}/$ref"] = "ref_not_found"
        extra = set(node) - {"$ref"} - ANNOTATIONS
        for keyword in sorted(extra):
            self.problems[f"{pointer}/{_escape(keyword)}"] = "unsupported_beside_ref"
        self.fields += 1

    def _ref_cycles(self) -> None:
        """A definition that reaches itself through $ref would make every walk endless."""
        graph = {name: set(_refs_in(sub)) for name, sub in (self.defs or {}).items()}
        for start in graph:
            seen: set[str] = set()
            stack = list(graph[start])
            while stack:
                name = stack.pop()
                if name == start:
                    self.problems[f"/$defs/{_escape(start)}"] = "ref_cycle"
                    break
                if name not in seen:
                    seen.add(name)
                    stack.extend(graph.get(name, ()))

    def _values(self, node: dict[str, Any], pointer: str) -> None:
        if "pattern" in node and isinstance(node.get("maxLength"), int) and node["maxLength"] > MAX_PATTERN_SUBJECT:
            self.problems[f"{pointer}/maxLength"] = "too_long_for_pattern"
        if "format" in node and node["format"] not in FORMATS:
            self.problems[f"{pointer}/format"] = "unsupported_format"
        if "pattern" in node:
            problem = pattern_problem(node["pattern"])
            if problem:
                self.problems[f"{pointer}/pattern"] = problem
        enum = node.get("enum")
        if isinstance(enum, list):
            if not enum or len(enum) > MAX_ENUM:
                self.problems[f"{pointer}/enum"] = "wrong_size"
            elif any(isinstance(v, (dict, list)) or v is None for v in enum):
                self.problems[f"{pointer}/enum"] = "choices_must_be_scalars"

    def _names(self, names: Any, declared: set[str], pointer: str) -> None:
        for index, name in enumerate(names or []):
            if name not in declared:
                self.problems[f"{pointer}/{index}"] = "undeclared_field"

    def _dependent(self, mapping: Any, declared: set[str], pointer: str) -> None:
        for trigger, names in (mapping or {}).items():
            if trigger not in declared:
                self.problems[f"{pointer}/{_escape(trigger)}"] = "undeclared_field"
            self._names(names, declared, f"{pointer}/{_escape(trigger)}")


def _refs_in(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            match = DEF_REF.match(ref) if isinstance(ref, str) else None
            if match:
                yield match.group(1)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


# --- UI schema and prefill ----------------------------------------------------------------------

WIDGET_FITS = {
    "text": lambda s: s.get("type") == "string" and "enum" not in s and s.get("format") != "date",
    "textarea": lambda s: s.get("type") == "string" and "enum" not in s and "format" not in s,
    "date": lambda s: s.get("type") == "string" and s.get("format") == "date",
    "number": lambda s: s.get("type") in {"integer", "number"} and "enum" not in s,
    "radio": lambda s: "enum" in s or s.get("type") == "boolean",
    "select": lambda s: "enum" in s,
    "checkbox": lambda s: s.get("type") == "boolean" or (s.get("type") == "array" and "enum" in (s.get("items") or {})),
    "document": lambda s: s.get("type") == "string" and "enum" not in s and "format" not in s,
    "group": is_group,
}


def _check_ui_schema(ui: Any, leaves: dict[str, dict[str, Any]], schema: dict[str, Any]) -> Problems:
    if not isinstance(ui, dict):
        return {"/ui_schema": "required" if ui is None else "wrong_type"}
    problems: Problems = {}
    # A group's questions have their own entries (``/<group>/<field>``) but no place on a page:
    # the registrant's pages ask them once per member.
    questions = dict(leaves)
    for group_pointer, group in groups(schema):
        questions.update({group_pointer + pointer: sub for pointer, sub in item_fields(group)})
    for key in ui:
        if key not in {"pages", "fields"}:
            problems[f"/ui_schema/{_escape(key)}"] = "unsupported_keyword"
    fields = ui.get("fields")
    if not isinstance(fields, dict):
        problems["/ui_schema/fields"] = "required" if fields is None else "wrong_type"
        fields = {}
    statements = _statements(fields, questions)
    sections = set(_sections(schema))
    for pointer, spec in fields.items():
        at = f"/ui_schema/fields/{_escape(pointer)}"
        if pointer in statements:
            problems.update(_check_statement(spec, at))
        elif pointer in sections and isinstance(spec, dict):
            problems.update(_check_section(spec, at))
        elif pointer not in questions:
            problems[at] = "unknown_field"
        elif not isinstance(spec, dict):
            problems[at] = "wrong_type"
        else:
            problems.update(_check_field_ui(spec, questions[pointer], at))
    for pointer in questions:
        if pointer not in fields:
            problems[f"/ui_schema/fields/{_escape(pointer)}"] = "required"
    problems.update(_check_pages(ui.get("pages"), leaves, statements))
    return problems


def _statements(fields: dict[str, Any], questions: dict[str, dict[str, Any]]) -> set[str]:
    """The UI entries that are statements: ``{"widget": "statement"}`` at a top-level pointer
    (``/<name>``) that names no question. A statement is placed on a page like a question."""
    return {
        pointer
        for pointer, spec in fields.items()
        if isinstance(spec, dict) and spec.get("widget") == STATEMENT and pointer not in questions and pointer.count("/") == 1 and FIELD_NAME.match(pointer[1:])
    }


def _sections(root: dict[str, Any]) -> Iterator[str]:
    """The pointers of nested objects (a set of questions asked together, like an address)."""
    stack: list[tuple[dict[str, Any], str]] = [(root, "")]
    while stack:
        node, prefix = stack.pop()
        for name, sub in (node.get("properties") or {}).items():
            sub = resolve(root, sub)
            if isinstance(sub, dict) and sub.get("type") == "object":
                yield f"{prefix}/{name}"
                stack.append((sub, f"{prefix}/{name}"))


def _check_section(spec: dict[str, Any], at: str) -> Problems:
    """A nested object's optional entry: ``{"widget": "section", "label", "hint"?}``, its heading per locale."""
    problems: Problems = {}
    for key in spec:
        if key not in {"widget", "label", "hint"}:
            problems[f"{at}/{_escape(key)}"] = "unsupported_keyword"
    if spec.get("widget") != SECTION:
        problems[f"{at}/widget"] = "widget_does_not_fit_type"
    problems.update(_check_locale_text(spec.get("label"), f"{at}/label", required=True))
    problems.update(_check_locale_text(spec.get("hint"), f"{at}/hint", required=False))
    return problems


def _check_statement(spec: dict[str, Any], at: str) -> Problems:
    """A statement: text only (``text`` per locale, an optional ``label`` as its heading)."""
    problems: Problems = {}
    for key in spec:
        if key not in {"widget", "label", "text"}:
            problems[f"{at}/{_escape(key)}"] = "unsupported_keyword"
    problems.update(_check_locale_text(spec.get("text"), f"{at}/text", required=True))
    problems.update(_check_locale_text(spec.get("label"), f"{at}/label", required=False))
    return problems


def _check_errors(errors: Any, at: str) -> Problems:
    """``errors``: ``{<answer error code>: {<locale>: text}}``, what the person reads instead of
    the portal's general message for that code."""
    if not isinstance(errors, dict) or not errors:
        return {at: "wrong_type"}
    problems: Problems = {}
    for code, text in errors.items():
        if code not in ERROR_CODES:
            problems[f"{at}/{_escape(code)}"] = "unknown_error_code"
        else:
            problems.update(_check_locale_text(text, f"{at}/{code}", required=True))
    return problems


def _check_autocomplete(token: Any, widget: Any, at: str) -> Problems:
    """``autocomplete``: one input purpose (WCAG 1.3.5) on a typed answer; a date takes ``bday``."""
    if not isinstance(token, str) or token not in AUTOCOMPLETE:
        return {at: "unknown_autocomplete"}
    if widget not in AUTOCOMPLETE_WIDGETS or (widget == "date" and token != "bday"):
        return {at: "autocomplete_does_not_fit"}
    return {}


def _check_field_ui(spec: dict[str, Any], schema: dict[str, Any], at: str) -> Problems:
    problems: Problems = {}
    allowed = {"widget", "label", "hint", "options", "document_kind", "placeholder", "autocomplete", "errors"}
    if is_group(schema):
        allowed = {"widget", "label", "hint", "item_label", "items_label", "summary_field", "errors"}
        problems.update(_check_group_ui(spec, schema, at))
    if "errors" in spec:
        problems.update(_check_errors(spec["errors"], f"{at}/errors"))
    if "autocomplete" in spec and "autocomplete" in allowed:
        problems.update(_check_autocomplete(spec["autocomplete"], spec.get("widget"), f"{at}/autocomplete"))
    for key in spec:
        if key not in allowed:
            problems[f"{at}/{_escape(key)}"] = "unsupported_keyword"
    widget = spec.get("widget")
    if widget not in WIDGETS:
        problems[f"{at}/widget"] = "required" if widget is None else "unsupported_widget"
    elif not WIDGET_FITS[widget](schema):
        problems[f"{at}/widget"] = "widget_does_not_fit_type"
    problems.update(_check_locale_text(spec.get("label"), f"{at}/label", required=True))
    for key in ("hint", "placeholder"):
        problems.update(_check_locale_text(spec.get(key), f"{at}/{key}", required=False))
    if widget == "document" and not (isinstance(spec.get("document_kind"), str) and SLUG.match(spec["document_kind"])):
        problems[f"{at}/document_kind"] = "required"
    choices = schema.get("enum") if "enum" in schema else (schema.get("items") or {}).get("enum")
    options = spec.get("options")
    if choices is not None:
        if not isinstance(options, dict) or set(options) != {str(c) for c in choices}:
            problems[f"{at}/options"] = "options_must_match_choices"
        else:
            for value, text in options.items():
                problems.update(_check_locale_text(text, f"{at}/options/{_escape(value)}", required=True))
    elif options is not None:
        problems[f"{at}/options"] = "unsupported_keyword"
    return problems


def _check_group_ui(spec: dict[str, Any], group: dict[str, Any], at: str) -> Problems:
    """A group names a member (``item_label``: "child") and the question whose answer labels
    each member in the list (``summary_field``: the member's name, a text question)."""
    problems = _check_locale_text(spec.get("item_label"), f"{at}/item_label", required=True)
    problems.update(_check_locale_text(spec.get("items_label"), f"{at}/items_label", required=False))
    summary = spec.get("summary_field")
    fields = dict(item_fields(group))
    if summary is None:
        problems[f"{at}/summary_field"] = "required"
    elif not isinstance(summary, str) or f"/{summary}" not in fields:
        problems[f"{at}/summary_field"] = "unknown_field"
    elif not WIDGET_FITS["text"](fields[f"/{summary}"]):
        problems[f"{at}/summary_field"] = "summary_must_be_text"
    return problems


def _check_group_sizes(schema: dict[str, Any], ui: Any) -> Problems:
    """Every group's answers together stay within ``GROUP_ANSWER_BUDGET`` at worst, so that an
    application with every member filled in stays far below DynamoDB's 400 KB item."""
    ui_fields = (ui.get("fields") if isinstance(ui, dict) else None) or {}
    total = 0
    largest = ""
    for pointer, group in groups(schema):
        documents = {
            field
            for field, _ in item_fields(group)
            if isinstance(ui_fields.get(pointer + field), dict) and ui_fields[pointer + field].get("widget") == "document"
        }
        total += worst_case_bytes(group, documents)
        largest = largest or pointer
    if total > GROUP_ANSWER_BUDGET:
        return {f"/schema/properties{largest}": "group_too_large"}
    return {}


def _check_pages(pages: Any, leaves: dict[str, dict[str, Any]], statements: set[str] | frozenset[str] = frozenset()) -> Problems:
    if not isinstance(pages, list) or not pages:
        return {"/ui_schema/pages": "required"}
    if len(pages) > MAX_PAGES:
        return {"/ui_schema/pages": "too_many"}
    problems: Problems = {}
    placed: dict[str, int] = {}
    ids: set[str] = set()
    for index, page in enumerate(pages):
        at = f"/ui_schema/pages/{index}"
        if not isinstance(page, dict):
            problems[at] = "wrong_type"
            continue
        for key in page:
            if key not in {"id", "title", "description", "fields"}:
                problems[f"{at}/{_escape(key)}"] = "unsupported_keyword"
        page_id = page.get("id")
        if not isinstance(page_id, str) or not SLUG.match(page_id):
            problems[f"{at}/id"] = "required"
        elif page_id in ids:
            problems[f"{at}/id"] = "duplicate"
        else:
            ids.add(page_id)
        problems.update(_check_locale_text(page.get("title"), f"{at}/title", required=True))
        problems.update(_check_locale_text(page.get("description"), f"{at}/description", required=False))
        fields = page.get("fields")
        if not isinstance(fields, list) or not fields:
            problems[f"{at}/fields"] = "required"
            continue
        if len(fields) > 1 and any(is_group(leaves.get(pointer)) for pointer in fields):
            problems[f"{at}/fields"] = "group_alone_on_page"  # the registrant's pages list its members there
        for position, pointer in enumerate(fields):
            if pointer not in leaves and pointer not in statements:
                problems[f"{at}/fields/{position}"] = "unknown_field"
            elif pointer in placed:
                problems[f"{at}/fields/{position}"] = "duplicate"
            else:
                placed[pointer] = index
    for pointer in [*leaves, *statements]:
        if pointer not in placed:
            problems.setdefault("/ui_schema/pages", "field_not_on_any_page")
    return problems


def _check_prefill(prefill: Any, leaves: dict[str, dict[str, Any]]) -> Problems:
    if prefill is None:
        return {}
    if not isinstance(prefill, dict):
        return {"/prefill": "wrong_type"}
    problems: Problems = {}
    for pointer, entry in prefill.items():
        at = f"/prefill/{_escape(pointer)}"
        if pointer not in leaves:
            problems[at] = "unknown_field"
            continue
        if is_group(leaves[pointer]) or (isinstance(entry, dict) and entry.get("from") == HOUSEHOLD_SOURCE):
            problems.update(_check_household_prefill(entry, leaves[pointer], at))
            continue
        if isinstance(entry, dict):
            if set(entry) - {"from", "editable"} or not isinstance(entry.get("editable", False), bool):
                problems[at] = "unsupported_keyword"
                continue
            source = entry.get("from")
        else:
            source = entry
        if not isinstance(source, str) or not PROFILE_SOURCE.match(source):
            problems[at] = "unknown_source"
    return problems


def _check_household_prefill(entry: Any, group: dict[str, Any], at: str) -> Problems:
    """A repeating group is prefilled from the household the portal remembers:
    ``{"from": "household", "fields": {"<member question>": "<household field>"}}``."""
    if not is_group(group):
        return {f"{at}/from": "unknown_source"}
    if not isinstance(entry, dict) or entry.get("from") != HOUSEHOLD_SOURCE:
        return {at: "group_prefill_from_household"}
    problems: Problems = {}
    for key in entry:
        if key not in {"from", "fields", "editable"}:
            problems[f"{at}/{_escape(key)}"] = "unsupported_keyword"
    fields = entry.get("fields")
    if not isinstance(fields, dict) or not fields:
        return {**problems, f"{at}/fields": "required"}
    questions = {pointer[1:] for pointer, _ in item_fields(group)}
    for question, source in fields.items():
        if question not in questions:
            problems[f"{at}/fields/{_escape(question)}"] = "unknown_field"
        elif not isinstance(source, str) or not HOUSEHOLD_FIELD.match(source):
            problems[f"{at}/fields/{_escape(question)}"] = "unknown_source"
    return problems


def _check_locale_text(value: Any, at: str, required: bool) -> Problems:
    if value is None:
        return {at: "required"} if required else {}
    if not isinstance(value, dict) or not value:
        return {at: "wrong_type"}
    problems: Problems = {}
    for locale, text in value.items():
        if not LOCALE.match(locale):
            problems[f"{at}/{_escape(locale)}"] = "unknown_locale"
        elif not isinstance(text, str) or not text.strip():
            problems[f"{at}/{locale}"] = "required"
        elif len(text) > MAX_TEXT:
            problems[f"{at}/{locale}"] = "too_long"
    return problems


def nesting(value: Any) -> int:
    """How deeply ``value`` nests, measured without recursion (a hostile body must not overflow)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_NESTING:
                break
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")
