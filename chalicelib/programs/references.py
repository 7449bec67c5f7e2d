"""Application references a person can read out on the phone: ``K7M-Q2X-P4H``.

Nine characters from an alphabet without look-alikes (no 0/O, 1/I/L, no U), in groups of
three; the last is a Luhn mod 30 check character, which catches every single wrong character
and almost every swap of two neighbours. Uniqueness is kept by a guard item written with the
application (see ``service.submit_application``).
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_N = len(ALPHABET)
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
RANDOM_LENGTH = 8  # 30**8 ≈ 6.6e11 references


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    full = body + check_character(body)
    return "-".join(full[i : i + 3] for i in range(0, len(full), 3))


def check_character(body: str) -> str:
    """Luhn mod N over ``body`` (the code points of ``ALPHABET``)."""
    factor = 2
    total = 0
    for char in reversed(body):
        addend = factor * _INDEX[char]
        factor = 1 if factor == 2 else 2
        total += addend // _N + addend % _N
    return ALPHABET[(_N - total % _N) % _N]


def normalise(text: str) -> str | None:
    """The canonical form of a reference as someone typed or said it, or None if it is not one.

    Case, spaces and hyphens do not matter; a wrong check character means a typo.
    """
    compact = "".join(c for c in text.upper() if c not in " -")
    if len(compact) != RANDOM_LENGTH + 1 or any(c not in _INDEX for c in compact):
        return None
    if check_character(compact[:-1]) != compact[-1]:
        return None
    return "-".join(compact[i : i + 3] for i in range(0, len(compact), 3))
