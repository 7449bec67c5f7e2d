"""Which regular expressions a form may use in a ``pattern``: ones the browser's RegExp and
Python's re read alike, whose search over any answer the portal accepts stays short.

Both engines backtrack, so a pattern chosen by an administrator is also a way to make every
answer's check take seconds (ReDoS). ``pattern_problem`` refuses what does not compile, what one
engine reads differently, and what ``backtracking_steps`` cannot bound well below a tenth of a
second over ``MAX_PATTERN_SUBJECT`` characters; a field with a pattern is capped at that length.
"""

from __future__ import annotations

import math
import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any

MAX_PATTERN_LENGTH = 200
MAX_UNBOUNDED_REPEATS = 1  # per pattern; use bounded ranges like {1,20} for the others
MAX_PATTERN_SUBJECT = 1000  # longest string a pattern may be searched in (maxLength)
MAX_BACKTRACKING_STEPS = 5_000_000  # per pattern over MAX_PATTERN_SUBJECT characters: about 0.1 s at most, measured

_ALLOWED_GROUP_OPENERS = ("(?:", "(?=", "(?!", "(?<=", "(?<!")


def pattern_problem(pattern: Any) -> str | None:
    """Why a ``pattern`` is refused, or None.

    Refused: what does not compile, Python-only syntax the browser's RegExp lacks (named groups,
    inline flags, ``\\A``/``\\Z``, possessive repetition), back-references, and the shapes that
    backtrack badly: a variable repetition inside a repetition (``(a+)+``, ``(.*a){12}``), an
    alternation of more than single characters under a variable repetition (``(a|aa)*``), more
    than one unbounded repetition (``a*a*b``: measured here, 0.6 s on 1000 characters and 34 s on
    4000), and any pattern whose search may take more than ``MAX_BACKTRACKING_STEPS`` steps over
    ``MAX_PATTERN_SUBJECT`` characters (``backtracking_steps``: bounded repetitions that can match
    the same text one after the other multiply, e.g. ``a{0,30}`` five times before ``b``). A
    field with a pattern is also capped at ``MAX_PATTERN_SUBJECT`` characters.
    """
    if not isinstance(pattern, str):
        return "wrong_type"
    if len(pattern) > MAX_PATTERN_LENGTH:
        return "too_long"
    for match in re.finditer(r"\(\?", pattern):
        if not _escaped(pattern, match.start()) and not pattern.startswith(_ALLOWED_GROUP_OPENERS, match.start()):
            return "unsupported_regex_syntax"
    if re.search(r"(?<!\\)(\\\\)*\\[AZ]", pattern):
        return "unsupported_regex_syntax"
    try:
        tree = sre_parser.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return "invalid_regex"
    if _possessive(list(tree)):
        return "unsupported_regex_syntax"  # ``a*+`` is a syntax error in the browser
    if _backtracks(list(tree), False, [0]) or _steps(list(tree)) > MAX_BACKTRACKING_STEPS:
        return "regex_may_backtrack"
    return None


def _escaped(text: str, index: int) -> bool:
    slashes = 0
    while index > 0 and text[index - 1] == "\\":
        slashes += 1
        index -= 1
    return slashes % 2 == 1


def _possessive(items: list[Any]) -> bool:
    for op, arg in items:
        if op in (sre.POSSESSIVE_REPEAT, sre.ATOMIC_GROUP):
            return True
        if op in _REPEATS and _possessive(list(arg[2])):
            return True
        if op is sre.SUBPATTERN and _possessive(list(arg[-1])):
            return True
        if op is sre.BRANCH and any(_possessive(list(b)) for b in arg[1]):
            return True
        if op in (sre.ASSERT, sre.ASSERT_NOT) and _possessive(list(arg[1])):
            return True
    return False


def _backtracks(items: list[Any], inside_repeat: bool, unbounded: list[int]) -> bool:
    """Whether the parsed pattern has a shape known to backtrack badly: a variable repetition
    inside another repetition, an alternation of more than single characters inside a variable
    repetition, a back-reference, or more than one unbounded repetition (``a*a*b`` is already
    cubic when searched). ``unbounded`` counts the unbounded repetitions seen so far."""
    for op, arg in items:
        if op in _REPEATS:
            low, high, sub = arg
            variable = low != high
            if high is sre.MAXREPEAT:
                unbounded[0] += 1
            if (inside_repeat and variable) or unbounded[0] > MAX_UNBOUNDED_REPEATS:
                return True
            repeats = high is sre.MAXREPEAT or high > 1
            if variable and not all(_alternatives_are_characters(list(sub))):
                return True
            if _backtracks(list(sub), inside_repeat or repeats, unbounded):
                return True
        elif op is sre.SUBPATTERN:
            if _backtracks(list(arg[-1]), inside_repeat, unbounded):
                return True
        elif op is sre.BRANCH:
            if any(_backtracks(list(b), inside_repeat, unbounded) for b in arg[1]):
                return True
        elif op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            return True
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if _backtracks(list(arg[1]), inside_repeat, unbounded):
                return True
    return False


def _alternatives_are_characters(items: list[Any]) -> list[bool]:
    """For each alternation directly under a repetition: whether every branch is one character."""
    found = []
    for op, arg in items:
        if op is sre.SUBPATTERN:
            found += _alternatives_are_characters(list(arg[-1]))
        elif op is sre.BRANCH:
            found.append(all(_single_character(list(b)) for b in arg[1]))
    return found


def _single_character(items: list[Any]) -> bool:
    return len(items) == 1 and items[0][0] in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.CATEGORY)


# --- how long a search may take -----------------------------------------------------------------
#
# Python's re, like the browser's RegExp, backtracks: when what follows a repetition fails, it
# tries the repetition's other counts; when what follows an alternation fails, the next branch;
# and a search starts again at every position. ``backtracking_steps`` is an upper bound of that
# work over MAX_PATTERN_SUBJECT characters, computed on the parse tree. Along a sequence every
# way an item can end is tried with the rest, so the ways multiply: bounded repetitions are no
# safer than unbounded ones when they can match the same text one after the other
# (``a{0,30}a{0,30}a{0,30}a{0,30}a{0,30}b``: 31**5 ways at each position, 62 s measured on 1000
# characters). Two facts keep ordinary patterns cheap: a repetition ends in one useful way when
# what may follow it never starts with what it repeats (``[^@]{1,64}@``: only the longest run can
# meet the ``@``; ``[0-9]{7,20}$``), and an alternation whose branches start with different
# characters proceeds along one branch at most. Where the tree says too little to be sure
# (look-arounds, big character classes the comparison cannot settle), the count assumes the worst.

Cost = tuple[float, float]  # (steps spent inside an item, ways it can end: each is tried with what follows)

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_SINGLE = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN)
_ENUMERABLE = 4096  # a class with at most this many characters is compared character by character
_CATEGORIES = {"DIGIT": r"\d", "NOT_DIGIT": r"\D", "SPACE": r"\s", "NOT_SPACE": r"\S", "WORD": r"\w", "NOT_WORD": r"\W"}
# Pairs of categories with no character in common (checked over all of Unicode in the tests).
_DISJOINT_CATEGORIES = {
    frozenset(pair)
    for pair in [("DIGIT", "NOT_DIGIT"), ("SPACE", "NOT_SPACE"), ("WORD", "NOT_WORD"), ("DIGIT", "SPACE"), ("WORD", "SPACE"), ("DIGIT", "NOT_WORD")]
}
_INFINITE = float("inf")


def backtracking_steps(pattern: str) -> float:
    """An upper bound of the steps a backtracking search of ``pattern`` may take over a string of
    ``MAX_PATTERN_SUBJECT`` characters (infinite for back-references and what the count does not
    model). ``pattern_problem`` refuses more than ``MAX_BACKTRACKING_STEPS``."""
    return _steps(list(sre_parser.parse(pattern)))


def _steps(items: list[Any]) -> float:
    steps, ways = _sequence_cost(items, _First())  # the end of the pattern: the first way to reach it wins
    per_start = steps + ways
    if items and items[0] == (sre.AT, sre.AT_BEGINNING):
        return per_start + MAX_PATTERN_SUBJECT  # every later start fails at once
    return per_start * (MAX_PATTERN_SUBJECT + 1)


class _Chars:
    """A character class as the parser gives it: literals, ranges, categories, maybe negated."""

    def __init__(self, items: list[Any], negated: bool = False) -> None:
        self.items = [(op, arg) for op, arg in items if op is not sre.NEGATE]
        self.negated = negated or any(op is sre.NEGATE for op, _ in items)
        # Anything else (case-folded ranges need inline flags, refused) is not compared at all.
        self.exact = all(op in (sre.LITERAL, sre.RANGE, sre.CATEGORY) for op, _ in self.items)

    @classmethod
    def of(cls, op: Any, arg: Any) -> _Chars:
        if op is sre.LITERAL:
            return cls([(sre.LITERAL, arg)])
        if op is sre.NOT_LITERAL:
            return cls([(sre.LITERAL, arg)], negated=True)
        if op is sre.ANY:
            return cls([(sre.LITERAL, ord("\n"))], negated=True)
        return cls(list(arg))

    def contains(self, code: int) -> bool:
        return any(_item_contains(item, code) for item in self.items) != self.negated

    def members(self) -> list[int] | None:
        """Every character, when the class is small enough to list; None otherwise."""
        if self.negated or not self.exact or any(op is sre.CATEGORY for op, _ in self.items):
            return None
        size = sum(1 if op is sre.LITERAL else arg[1] - arg[0] + 1 for op, arg in self.items)
        if size > _ENUMERABLE:
            return None
        return [code for op, arg in self.items for code in ([arg] if op is sre.LITERAL else range(arg[0], arg[1] + 1))]


def _item_contains(item: tuple[Any, Any], code: int) -> bool:
    op, arg = item
    if op is sre.LITERAL:
        return bool(arg == code)
    if op is sre.RANGE:
        return bool(arg[0] <= code <= arg[1])
    return re.match(_CATEGORIES[_category(arg)], chr(code)) is not None


def _category(constant: Any) -> str:
    return str(constant).removeprefix("CATEGORY_")


def _disjoint(a: _Chars, b: _Chars) -> bool:
    """Whether no character is in both classes; False when that cannot be shown cheaply."""
    if not (a.exact and b.exact) or (a.negated and b.negated):
        return False
    for one, other in ((a, b), (b, a)):
        members = one.members()
        if members is not None:
            return not any(other.contains(code) for code in members)
    if a.negated:
        a, b = b, a
    return all(_item_outside(item, b) for item in a.items)  # a lists what it holds, b is big


def _item_outside(item: tuple[Any, Any], other: _Chars) -> bool:
    op, arg = item
    if op is sre.LITERAL:
        return not other.contains(arg)
    if op is sre.RANGE:
        return arg[1] - arg[0] < _ENUMERABLE and not any(other.contains(code) for code in range(arg[0], arg[1] + 1))
    name = _category(arg)
    if other.negated:  # outside [^...] means inside what it excludes: a category it names or holds
        return any(o_op is sre.CATEGORY and _category_within(name, _category(o_arg)) for o_op, o_arg in other.items)
    return all(_category_apart(name, o_op, o_arg) for o_op, o_arg in other.items)


def _category_apart(name: str, op: Any, arg: Any) -> bool:
    if op is sre.CATEGORY:
        return frozenset((name, _category(arg))) in _DISJOINT_CATEGORIES
    return _item_outside((op, arg), _Chars([(sre.CATEGORY, getattr(sre, f"CATEGORY_{name}"))]))


def _category_within(inner: str, outer: str) -> bool:
    if inner == outer or (inner, outer) in {("DIGIT", "WORD"), ("NOT_WORD", "NOT_DIGIT")}:
        return True
    # Outside a category means within its complement.
    return outer.startswith("NOT_") and frozenset((inner, outer.removeprefix("NOT_"))) in _DISJOINT_CATEGORIES


class _First:
    """What the next character may be where an item starts: some classes, or anything at all."""

    def __init__(self, classes: tuple[_Chars, ...] = (), anything: bool = False) -> None:
        self.classes = classes
        self.anything = anything

    def __or__(self, other: _First) -> _First:
        return _First(self.classes + other.classes, self.anything or other.anything)

    def apart_from(self, other: _First) -> bool:
        if self.anything or other.anything:
            return False
        return all(_disjoint(a, b) for a in self.classes for b in other.classes)


def _first(items: list[Any]) -> tuple[_First, bool]:
    """(what a sequence may start with, whether it may match nothing)."""
    found = _First()
    for op, arg in items:
        first, empty = _first_of(op, arg)
        found = found | first
        if not empty:
            return found, False
    return found, True


def _first_of(op: Any, arg: Any) -> tuple[_First, bool]:
    if op in _SINGLE:
        return _First((_Chars.of(op, arg),)), False
    if op is sre.SUBPATTERN:
        return _first(list(arg[-1]))
    if op is sre.BRANCH:
        parts = [_first(list(branch)) for branch in arg[1]]
        found = _First()
        for first, _ in parts:
            found = found | first
        return found, any(empty for _, empty in parts)
    if op in _REPEATS:
        first, empty = _first(list(arg[2]))
        return first, empty or arg[0] == 0
    if op is sre.AT and arg is sre.AT_END:
        return _First((_Chars([(sre.LITERAL, ord("\n"))]),)), False  # the end, or a last newline
    if op is sre.AT and arg in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
        return _First(), True
    return _First(anything=True), False  # look-arounds and anchors elsewhere: assume the worst


def _sequence_cost(items: list[Any], follow: _First) -> Cost:
    """Steps and ways of a sequence, given what may follow it: T(x rest) = steps(x) + ways(x) * T(rest)."""
    follows = []
    after = follow
    for op, arg in reversed(items):
        follows.append(after)
        first, empty = _first_of(op, arg)
        after = (first | after) if empty else first
    follows.reverse()
    steps, ways = 0.0, 1.0
    for (op, arg), after in zip(items, follows, strict=True):
        item_steps, item_ways = _item_cost(op, arg, after)
        steps = min(steps + ways * item_steps, _INFINITE)
        ways = min(ways * item_ways, _INFINITE)
    return steps, ways


def _item_cost(op: Any, arg: Any, follow: _First) -> Cost:
    if op in _SINGLE or op is sre.AT:
        return 1.0, 1.0
    if op is sre.SUBPATTERN:
        return _sequence_cost(list(arg[-1]), follow)
    if op is sre.BRANCH:
        branches = [list(branch) for branch in arg[1]]
        costs = [_sequence_cost(branch, follow) for branch in branches]
        firsts = [_first(branch) for branch in branches]
        exclusive = not any(empty for _, empty in firsts) and all(a.apart_from(b) for i, (a, _) in enumerate(firsts) for b, _ in firsts[i + 1 :])
        if exclusive:  # each branch but one fails on its first character
            return len(branches) + max(steps for steps, _ in costs), max(ways for _, ways in costs)
        return sum(steps for steps, _ in costs), sum(ways for _, ways in costs)
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        steps, _ = _sequence_cost(list(arg[1]), _First())  # a look-around stops at its first success
        return steps + 1, 1.0
    if op in _REPEATS:
        return _repeat_cost(arg[0], arg[1], arg[2], follow)
    return _INFINITE, _INFINITE  # back-references and whatever else the count does not model


def _repeat_cost(low: int, high: Any, sub: Any, follow: _First) -> Cost:
    shortest = sub.getwidth()[0]
    most = MAX_PATTERN_SUBJECT if high is sre.MAXREPEAT else min(high, MAX_PATTERN_SUBJECT)
    if shortest:
        most = min(most, MAX_PATTERN_SUBJECT // shortest)
    counts = max(most - low + 1, 1)
    first, empty = _first(list(sub))
    inner_steps, inner_ways = _sequence_cost(list(sub), first | follow)
    if inner_ways <= 1:
        ways = 1.0 if not empty and first.apart_from(follow) else float(counts)
        return (most + 1) * inner_steps + counts, ways
    # k rounds can each end in inner_ways ways: inner_ways ** k ways of ending after k rounds
    ways = _powers(inner_ways, low, most)
    return min(_powers(inner_ways, 0, most) * inner_steps + ways, _INFINITE), ways


def _powers(base: float, low: int, high: int) -> float:
    """base**low + ... + base**high, infinite when it would not fit a float."""
    if high < low:
        return 1.0
    if high * math.log10(base) > 300:
        return _INFINITE
    return float(sum(base**k for k in range(low, high + 1)))
