"""The comparisons a check ends with: equals, not_equals, at_least, at_most, contains, matches.

`matches` uses Python's `re` with `re.search` (content relies on look-ahead such as `(?!<none>$)`,
which Go's RE2 would refuse), so a pattern is anchored only where it says `^` / `$`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

OPERATORS = ("equals", "not_equals", "at_least", "at_most", "contains", "matches")


class SpecError(ValueError):
    """Malformed exercise data; the loader prefixes the file and exercise it came from."""


@dataclass(frozen=True)
class Comparison:
    op: str
    expected: Any

    def holds(self, actual: Any) -> bool:
        return compare(self.op, actual, self.expected)

    def describe(self) -> str:
        return f"{self.op} {self.expected!r}"


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _scalar_text(value) -> str:
    """How YAML would spell a scalar, so `equals: "3"` matches 3 and `equals: true` matches True."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def same(actual, expected) -> bool:
    if isinstance(actual, (list, tuple)) or isinstance(expected, (list, tuple)):
        if not (isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple))):
            return False
        return len(actual) == len(expected) and all(same(a, e) for a, e in zip(actual, expected))
    if isinstance(actual, dict) or isinstance(expected, dict):
        return actual == expected
    if isinstance(actual, bool) or isinstance(expected, bool):
        # True must not equal 1: a boolean only equals a boolean (or its YAML spelling)
        if isinstance(actual, bool) and isinstance(expected, bool):
            return actual is expected
        return not _is_number(actual) and not _is_number(expected) and _scalar_text(actual) == _scalar_text(expected)
    if _is_number(actual) and _is_number(expected):
        return actual == expected
    if actual is None or expected is None:
        return actual is None and expected is None
    return _scalar_text(actual) == _scalar_text(expected)


def _number(value):
    if _is_number(value):
        return value
    if isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return None
    return None


def compare(op: str, actual, expected) -> bool:
    """Whether `actual <op> expected`. A missing value (None) only satisfies not_equals."""
    if op == "equals":
        return same(actual, expected)
    if op == "not_equals":
        return not same(actual, expected)
    if actual is None:
        return False
    if op in ("at_least", "at_most"):
        n = _number(actual)
        if n is None:
            return False
        return n >= expected if op == "at_least" else n <= expected
    if op == "contains":
        if isinstance(actual, (list, tuple)):
            return any(same(item, expected) for item in actual)
        if isinstance(actual, dict):
            return _scalar_text(expected) in actual
        return _scalar_text(expected) in _scalar_text(actual)
    if op == "matches":
        text = " ".join(_scalar_text(a) for a in actual) if isinstance(actual, (list, tuple)) else _scalar_text(actual)
        return re.search(expected, text) is not None
    raise SpecError(f"unknown comparison {op!r}")


def parse_comparison(body: dict, where: str, *, allowed: tuple[str, ...] = OPERATORS) -> Comparison:
    """The single comparison key of `body`; checks the expected value's type."""
    ops = [k for k in body if k in OPERATORS]
    if not ops:
        raise SpecError(f"{where}: needs one comparison ({', '.join(allowed)})")
    if len(ops) > 1:
        raise SpecError(f"{where}: has several comparisons ({', '.join(ops)}); use exactly one")
    op = ops[0]
    if op not in allowed:
        raise SpecError(f"{where}: {op} is not allowed here (use {', '.join(allowed)})")
    expected = body[op]
    if op in ("at_least", "at_most") and not _is_number(expected):
        raise SpecError(f"{where}: {op} needs a number, not {expected!r}")
    if op == "matches":
        if not isinstance(expected, str):
            raise SpecError(f"{where}: matches needs a regular expression string, not {expected!r}")
        try:
            re.compile(expected)
        except (re.error, RecursionError, OverflowError) as err:
            raise SpecError(f"{where}: invalid regular expression {expected!r}: {err}") from None
    if op == "contains" and (expected is None or isinstance(expected, (dict, list))):
        raise SpecError(f"{where}: contains needs a text or number, not {expected!r}")
    if isinstance(expected, dict):
        raise SpecError(f"{where}: {op} cannot compare with a mapping")
    return Comparison(op, expected)


def comparison_body(value, where: str, **kw) -> Comparison:
    """A value written as its own mapping: `endpoints: {equals: 3}`."""
    if not isinstance(value, dict):
        raise SpecError(f"{where}: must be a mapping with one comparison, e.g. {{equals: 3}}")
    extra = [k for k in value if k not in OPERATORS]
    if extra:
        raise SpecError(f"{where}: unknown key {extra[0]!r}")
    return parse_comparison(value, where, **kw)
