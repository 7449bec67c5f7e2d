"""What people type, put in the form it is checked and stored in: the same rules as the browser's
``frontend/src/text/normalise.ts`` (both are tested on the same examples), so the server, which
decides, accepts what the browser let through.

- digits of the Arabic-Indic (٠–٩) and Persian (۰–۹) sets, which an Arabic keyboard produces,
  become ASCII digits in dates, phone numbers and any answer held to a ``pattern``;
- a phone number loses the spaces, dashes, dots and brackets people write it with
  ("+254 (0)712-345 678" is "+2540712345678"): a phone question is one whose UI field asks for
  ``autocomplete: tel``, or whose name says phone, mobile or telephone;
- a date or a patterned answer loses the spaces around it.
"""

from __future__ import annotations

import re
from typing import Any

_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}})
# Spaces of every width, dashes and hyphens, dots, brackets and the bidi marks a phone keyboard may insert.
_PHONE_SEPARATORS = re.compile(r"[\s\u00a0\u2000-\u200f\u202f\u2060\-\u2010-\u2015\u2212.()\[\]/]")
_PHONE_NAME = re.compile(r"(^|_)(phone|mobile|telephone|tel|msisdn)(_|$)", re.IGNORECASE)


def ascii_digits(text: str) -> str:
    """The text with Arabic-Indic and Persian digits as ASCII digits."""
    return text.translate(_DIGITS)


def phone_number(text: str) -> str:
    """A phone number as typed, with ASCII digits and no separators."""
    return _PHONE_SEPARATORS.sub("", ascii_digits(text))


def is_phone(name: str, schema: dict[str, Any], ui: dict[str, Any] | None = None) -> bool:
    """Whether a string question asks for a phone number (its UI autocomplete, else its name)."""
    if schema.get("type") != "string" or "enum" in schema:
        return False
    autocomplete = (ui or {}).get("autocomplete")
    if isinstance(autocomplete, str) and autocomplete:
        return autocomplete.split()[-1].startswith("tel")
    return bool(_PHONE_NAME.search(name))


def typed_value(name: str, schema: dict[str, Any], value: Any, ui: dict[str, Any] | None = None) -> Any:
    """``value`` as it is checked and stored; anything but a string is left as it is."""
    if not isinstance(value, str):
        return value
    if is_phone(name, schema, ui):
        return phone_number(value)
    if schema.get("format") == "date" or "pattern" in schema:
        return ascii_digits(value).strip()
    return value
