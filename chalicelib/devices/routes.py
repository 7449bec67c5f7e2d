"""Routes of the devices area."""

from __future__ import annotations

from chalicelib.web import ApiBlueprint

bp = ApiBlueprint(__name__, tag="devices")
