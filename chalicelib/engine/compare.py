"""privacyIDEA's comparison helpers (``lib/utils/compare.py``, notes §8.3), by hand, no eval.

``parse_comparison`` splits a condition value on the first comparator that yields two parts,
trying the quoted comparators before the bare ones (privacyIDEA's rule, not a left-to-right
tokeniser: ``'matches'a<b`` is a pattern), into the expression core's tokens (name,
comparator, text). ``compare`` evaluates the core's ``Compare`` tree of that comparison with
privacyIDEA's value rules (``PrivacyIdeaSemantics``): numbers compare as numbers, ISO
timestamps as times, anything else as text; a missing value never matches. Patterns go through
the core's RE2 ``compile_pattern`` within ``CAPS``. ``is_true`` is privacyIDEA's.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.core.expressions import (
    Caps,
    Compare,
    ExpressionError,
    Literal,
    Token,
    Variable,
    evaluate,
)
from chalicelib.core.expressions import compile_pattern as _compile_pattern
from chalicelib.core.model import parse_timestamp, utcnow

# A condition is at most 2,000 characters (key and value, checked by ``conditions``) and its
# pattern at most 1,000. The split rule makes one comparison of a condition by construction,
# so the parser's depth, node and call caps have nothing to bound here.
CAPS = Caps(max_length=2000, max_pattern_length=1000)
MAX_PATTERN_LENGTH = CAPS.max_pattern_length

TRUE_VALUES = (1, "1", True, "True", "true", "TRUE")
# Tried in this order; the first whose split yields exactly two parts wins (notes §8.3).
_QUOTED_PRIMARY = (
    "equals",
    "!equals",
    "contains",
    "!contains",
    "string_contains",
    "!string_contains",
    "matches",
    "!matches",
    "in",
    "!in",
    "date_before",
    "date_after",
    "date_within_last",
    "!date_within_last",
    "<",
    ">",
)
_BASIC = ("==", "!=", "<=", "=<", ">=", "=>", "<", ">", "=")
_CANONICAL = {"==": "equals", "=": "equals", "!=": "!equals", "=<": "<=", "=>": ">="}
_DURATION = re.compile(r"^\s*(\d+)\s*([ydhms])\s*$")
_DURATION_UNITS = {"y": 365 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
_NOW = re.compile(r"^\{now\}\s*(?:([+-])\s*(\d+)\s*([ydhms]))?$")


def is_true(value: Any) -> bool:
    """privacyIDEA's ``is_true``: only 1, "1", True, "True", "true", "TRUE" are true."""
    try:
        return value in TRUE_VALUES
    except TypeError:
        return False


@dataclass(frozen=True)
class Comparison:
    """``<left> <comparator> <right>``; ``left`` is empty for single-value conditions."""

    left: str
    comparator: str
    right: str

    @property
    def tree(self) -> Compare:
        """The comparison as the expression core's tree: the named (or the one) value
        compared with the text on the right."""
        return Compare(self.comparator, Variable(self.left), Literal(self.right))


def _tokens(text: str, keyed: bool) -> tuple[Token, Token, Token] | None:
    """``text`` as (name, comparator, text) tokens split on the first comparator whose split
    yields exactly two parts, quoted ones first; None when none does."""
    candidates = [(f"'{c}'", c) for c in _QUOTED_PRIMARY]
    candidates += [(f"'{c}'", c) for c in _BASIC]
    candidates += [(c, c) for c in _BASIC]
    for written, comparator in candidates:
        parts = text.split(written)
        if len(parts) != 2:
            continue
        left, right = parts[0].strip(), parts[1].strip()
        if keyed == bool(left):
            at = len(parts[0]) + 1
            return (
                Token("name", left, 1),
                Token("op", _CANONICAL.get(comparator, comparator), at),
                Token("text", right, at + len(written)),
            )
    return None


def parse_comparison(text: str, *, keyed: bool = False) -> Comparison:
    """Split ``text`` on the first comparator that yields two parts (quoted ones first).

    Single-value conditions need the comparator at the start (``>5``); otherwise the whole
    text is the value and the comparator is ``equals``. Keyed conditions need a name on the
    left. Raises ``ValueError`` when the text cannot be a comparison.
    """
    tokens = _tokens(text, keyed)
    if tokens is None:
        if keyed:
            raise ExpressionError("expected '<name> <comparator> <value>', e.g. 'hits > 10'")
        return Comparison("", "equals", text.strip())
    name, comparator, right = tokens
    comparison = Comparison(name.value, comparator.value, right.value)
    _check_right(comparison)
    return comparison


def compile_pattern(text: str) -> Any:
    """``text`` compiled with RE2 (linear time whatever the input: ``(a|aa)+`` on a crafted
    trait cannot stall the stream); ``ValueError`` when RE2 refuses it (backreferences,
    lookaround) or it is longer than ``MAX_PATTERN_LENGTH``."""
    return _compile_pattern(text, CAPS.max_pattern_length)


def _check_right(comparison: Comparison) -> None:
    comparator, right = comparison.comparator, comparison.right
    if comparator in ("<", ">", "<=", ">=") and not right:
        raise ValueError(f"the comparator {comparator} needs a value")
    if comparator in ("matches", "!matches"):
        compile_pattern(right)
    if comparator in ("in", "!in"):
        _csv(right)
    if comparator in ("date_before", "date_after"):
        _moment(right)
    if comparator in ("date_within_last", "!date_within_last"):
        _duration(right)


def _csv(text: str) -> list[str]:
    try:
        rows = list(
            csv.reader(
                [text], strict=True, skipinitialspace=True, doublequote=False, escapechar="\\"
            )
        )
    except csv.Error as exc:
        raise ValueError(f"malformed comma-separated list {text!r}") from exc
    return rows[0] if rows else []


def _duration(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"expected a duration such as 7d, 12h, 30m: {text!r}")
    return timedelta(seconds=int(match.group(1)) * _DURATION_UNITS[match.group(2)])


def _moment(text: str) -> datetime:
    match = _NOW.match(text.strip())
    if match:
        now = utcnow()
        if match.group(1):
            delta = _duration(match.group(2) + match.group(3))
            return now + delta if match.group(1) == "+" else now - delta
        return now
    try:
        return parse_timestamp(text)
    except ValueError as exc:
        raise ValueError(f"expected an ISO-8601 time or {{now}}: {text!r}") from exc


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        try:
            number = float(str(value).strip())
        except ValueError:
            return None
        return number if number == number else None  # NaN compares with nothing


def _as_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-":
        try:
            return parse_timestamp(value)
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _comparable(left: Any, right: str) -> tuple[Any, Any]:
    """Both sides as numbers if both are, else as times if both are, else as text."""
    left_number, right_number = _number(left), _number(right)
    if left_number is not None and right_number is not None:
        return left_number, right_number
    left_time, right_time = _as_time(left), _as_time(right)
    if left_time is not None and right_time is not None:
        return left_time, right_time
    return _text(left), right


def _apply(comparator: str, left: Any, right: str) -> bool:
    """``left <comparator> right`` with privacyIDEA's rules; a missing (None) value never
    matches, not even a negated comparator."""
    if left is None:
        return False
    if comparator.startswith("!"):
        return not _apply(comparator[1:], left, right)
    if comparator == "equals":
        a, b = _comparable(left, right)
        return a == b
    if comparator in ("<", ">", "<=", ">="):
        a, b = _comparable(left, right)
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[comparator]
    if comparator == "contains":
        if isinstance(left, list | tuple | set):
            return right in [_text(item) for item in left]
        return right in _text(left)
    if comparator == "string_contains":  # privacyIDEA's ignores case
        return right.lower() in _text(left).lower()
    if comparator == "matches":
        return compile_pattern(right).fullmatch(_text(left)) is not None
    if comparator == "in":
        return _text(left) in _csv(right)
    if comparator in ("date_before", "date_after", "date_within_last"):
        moment = _as_time(left)
        if moment is None:
            return False
        if comparator == "date_within_last":
            return moment >= utcnow() - _duration(right)
        bound = _moment(right)
        return moment < bound if comparator == "date_before" else moment > bound
    raise ExpressionError(f"unknown comparator {comparator!r}")


class PrivacyIdeaSemantics:
    """privacyIDEA's meaning of a comparison for the expression core. Its conditions are one
    comparison each: no arithmetic, no connectives, no arrays, values as stored."""

    def truthy(self, value: Any) -> bool:
        return is_true(value)

    def convert(self, variable: Variable, stored: Any) -> Any:
        return stored

    def compare(self, operator: str, left: Any, right: Any) -> bool:
        return _apply(operator, left, str(right))

    def unary(self, operator: str, value: Any) -> Any:
        raise ExpressionError(f"{operator!r} is not part of privacyIDEA's conditions")

    def binary(self, operator: str, left: Any, right: Any) -> Any:
        raise ExpressionError(f"{operator!r} is not part of privacyIDEA's conditions")

    def sequence(self, entries: list[tuple[Any, Any]], keyed: bool) -> Any:
        raise ExpressionError("arrays are not part of privacyIDEA's conditions")


PRIVACYIDEA = PrivacyIdeaSemantics()


def compare(left: Any, comparison: Comparison) -> bool:
    """Apply ``comparison`` to the value ``left``; a missing (None) value never matches."""
    return bool(evaluate(comparison.tree, PRIVACYIDEA, {comparison.left: left}))
