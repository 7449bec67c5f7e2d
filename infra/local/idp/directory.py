"""Who the dev identity provider knows: the sample people (registrants) and sample staff.

Like eSignet's mock identity system, any person logs in with OTP 111111 or their own PIN, a
biometric capture always matches, and a wallet always approves. Subjects are pairwise: the
same person has a different ``sub`` for each client, derived from a per-installation salt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SAMPLE_PEOPLE_FILE = Path(__file__).resolve().parents[1] / "sample_people.json"
OTP = "111111"

# eSignet's claims_supported, in its order.
CLAIMS_SUPPORTED = [
    "name",
    "address",
    "gender",
    "birthdate",
    "picture",
    "email",
    "phone_number",
    "phone_number_verified",
    "individual_id",
    "registration_type",
    "updated_at",
]
# What the ``profile``, ``email``, ``phone`` and ``address`` scopes stand for when no claims
# parameter is sent.
SCOPE_CLAIMS = {
    "profile": ["name", "gender", "birthdate", "picture", "individual_id"],
    "email": ["email"],
    "phone": ["phone_number", "phone_number_verified"],
    "address": ["address"],
}


@dataclass(frozen=True)
class Person:
    individual_id: str
    pin: str
    claims: dict[str, Any]

    def accepts(self, method: str, secret: str) -> bool:
        """Whether the person proved who they are with ``method`` ("otp", "pin", "bio", "wallet")."""
        if method == "otp":
            return hmac.compare_digest(secret, OTP)
        if method == "pin":
            return hmac.compare_digest(secret, self.pin)
        return method in {"bio", "wallet"}  # simulated: a capture always matches, a wallet always approves


@dataclass(frozen=True)
class StaffUser:
    sub: str
    username: str
    name: str
    roles: tuple[str, ...]
    programs: tuple[str, ...] | None = None  # a reviewer limited to these programs (the ``programs`` claim)

    def claims(self) -> dict[str, Any]:
        """What the user's tokens say about them: name, roles and, when limited, their programs."""
        said: dict[str, Any] = {"name": self.name, "roles": list(self.roles)}
        if self.programs is not None:
            said["programs"] = list(self.programs)
        return said


def load_directory(path: Path = SAMPLE_PEOPLE_FILE, synthetic: int = 0) -> tuple[dict[str, Person], dict[str, StaffUser]]:
    """The sample people and staff, plus ``synthetic`` generated people (for load tests)."""
    data = json.loads(path.read_text())
    people = {p["individual_id"]: _person(p) for p in [*data["people"], *synthetic_people(synthetic)]}
    staff = {s["username"]: _staff_user(s) for s in data.get("staff", [])}
    return people, staff


SYNTHETIC_ID_PREFIX = "10"  # no sample person's ID number starts with it


def synthetic_id(number: int) -> str:
    """The ID number of generated person ``number`` (1, 2, ...): ten digits, like the samples."""
    return f"{SYNTHETIC_ID_PREFIX}{number:08d}"


def synthetic_people(count: int) -> list[dict[str, Any]]:
    """``count`` generated people, the same on every run: they log in with OTP 111111."""
    regions = ("Nyanza", "Coast", "Central", "Western")
    return [
        {
            "individual_id": synthetic_id(n),
            "name": f"Test Person {n}",
            "gender": "Female" if n % 2 else "Male",
            "birthdate": f"{1950 + n % 50}/{1 + n % 12:02d}/{1 + n % 28:02d}",
            "phone_number": f"+254700{n:06d}",
            "address": {"locality": "Kisumu", "region": regions[n % len(regions)], "country": "KE"},
            "preferred_lang": "en",
        }
        for n in range(1, count + 1)
    ]


def _staff_user(entry: dict[str, Any]) -> StaffUser:
    programs = entry.get("programs")
    return StaffUser(entry["sub"], entry["username"], entry["name"], tuple(entry["roles"]), tuple(programs) if programs is not None else None)


def _person(entry: dict[str, Any]) -> Person:
    claims: dict[str, Any] = {
        "name": entry["name"],
        "gender": entry.get("gender"),
        "birthdate": entry.get("birthdate"),  # YYYY/MM/DD, as eSignet's mock identity system answers
        "email": entry.get("email"),
        "phone_number": entry.get("phone_number"),
        "phone_number_verified": bool(entry.get("phone_number")),
        "address": entry.get("address"),
        "individual_id": entry["individual_id"],
        "picture": entry.get("picture") or _initials_picture(entry["name"]),
        "registration_type": "individual",
        "locale": entry.get("preferred_lang"),
    }
    return Person(entry["individual_id"], str(entry.get("pin", "")), {k: v for k, v in claims.items() if v is not None})


# Backgrounds of the stand-in photos (white initials on each are legible: contrast over 4.5:1).
_PICTURE_COLOURS = ("#1d70b8", "#00703c", "#4c2c92", "#912b88", "#a1350d", "#505a5f")


def _initials_picture(name: str) -> str:
    """A small stand-in photo, as eSignet releases ``picture`` (a data URL): an SVG with the
    person's initials on a colour picked from their name. Generated, so the repository keeps no
    image files and every sample person (and any added one) has a photo; a few hundred bytes."""
    initials = html.escape("".join(part[0] for part in name.replace("-", " ").split()[:2]).upper())
    colour = _PICTURE_COLOURS[hashlib.sha256(name.encode()).digest()[0] % len(_PICTURE_COLOURS)]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="{colour}"/>'
        f'<text x="48" y="60" font-size="36" text-anchor="middle" fill="#fff" font-family="sans-serif">{initials}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pairwise_subject(individual_id: str, client_id: str, salt: str) -> str:
    """The person's ``sub`` for one client: stable for that client, unlinkable across clients."""
    digest = hashlib.sha256(f"{client_id}|{individual_id}|{salt}".encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
