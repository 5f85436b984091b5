"""The tokeniser: a dialect's lexical rules turned into typed tokens with 1-based positions.

A ``Lexicon`` is an ordered list of ``Rule``s (kind and regular expression), tried as one
alternation at each position after white space; the first rule that matches wins. What no rule
matches is refused naming the character (or the dialect's hint for it) and its position.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chalicelib.core.expressions.errors import ExpressionError

__all__ = ["Lexicon", "Rule", "Token"]


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical unit: its kind (a rule's name), its text and where it starts (1-based)."""

    kind: str
    value: str
    position: int


@dataclass(frozen=True)
class Rule:
    """A token kind and its pattern. ``glued`` names what it reads (e.g. "numeric literal")
    when a letter, digit or ``_`` right after a match must be refused (``12abc``)."""

    kind: str
    pattern: str
    glued: str | None = None


class Lexicon:
    """A dialect's tokens: ``rules`` in priority order, ``space`` between tokens, and
    ``hints`` for characters no rule reads (``"=": "'=' (assignment)..."``)."""

    def __init__(
        self, rules: Sequence[Rule], hints: Mapping[str, str] | None = None, space: str = r"\s+"
    ) -> None:
        self.rules = tuple(rules)
        self.hints = dict(hints or {})
        alternation = "|".join(f"(?P<_r{i}>{rule.pattern})" for i, rule in enumerate(self.rules))
        self._pattern = re.compile(alternation, re.DOTALL)
        self._space = re.compile(space)

    def tokenise(self, text: str) -> list[Token]:
        """``text`` as tokens; ``ExpressionError`` naming the first character no rule reads."""
        pattern, space = self._pattern, self._space
        tokens: list[Token] = []
        position = 0
        while True:
            blank = space.match(text, position)
            if blank:
                position = blank.end()
            if position >= len(text):
                return tokens
            match = pattern.match(text, position)
            if match is None:
                char = text[position]
                what = self.hints.get(char, repr(char))
                raise ExpressionError(f"unsupported {what} at position {position + 1}")
            rule = next(r for i, r in enumerate(self.rules) if match.group(f"_r{i}") is not None)
            end = match.end()
            if rule.glued and end < len(text) and (text[end].isalnum() or text[end] == "_"):
                raise ExpressionError(
                    f"invalid {rule.glued} {text[position : end + 1]!r} at position {position + 1}"
                )
            tokens.append(Token(rule.kind, match.group(), position + 1))
            position = end
