"""ProcessMaker's event conditions (``@@amount > 1000 and @@region == 'EU'``), parsed by hand.

ProcessMaker substitutes ``@@var`` into the text and runs PHP ``eval``; here a small grammar
covers what designers write, and nothing else can run:

    expression := or
    or         := and (("or" | "||") and)*
    and        := not (("and" | "&&") not)*
    not        := ("not" | "!") not | comparison
    comparison := operand (("==" | "===" | "!=" | "!==" | "<>" | "<" | ">" | "<=" | ">=") operand)?
    operand    := number | 'text' | "text" | @@name | @#name | @%name | @=name
                  | true | false | null | "(" expression ")"

Values compare as PHP's loose comparison does for these cases: two numbers (or numeric
texts) as numbers, anything else as text. A missing variable is the empty text (as
``G::replaceDataField``). A lone operand is true unless empty, ``"0"``, 0, false or null.
``parse_condition`` raises ``ValueError`` on a syntax error, so a bad condition is refused when
the event is saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Condition", "evaluate_condition", "parse_condition"]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+(?:\.\d+)?)
    | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<variable>@[@#%=][A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>===|!==|==|!=|<>|<=|>=|<|>|&&|\|\||!|\(|\))
    | (?P<word>[A-Za-z_]+)
    )""",
    re.VERBOSE,
)
_COMPARATORS = {"==", "===", "!=", "!==", "<>", "<", ">", "<=", ">="}
_CONSTANTS = {"true": True, "false": False, "null": None}

Node = Callable[[Mapping[str, Any]], Any]


def _either(left: Node, right: Node) -> Node:
    return lambda values: _truthy(left(values)) or _truthy(right(values))


def _both(left: Node, right: Node) -> Node:
    return lambda values: _truthy(left(values)) and _truthy(right(values))


def _comparing(comparator: str, left: Node, right: Node) -> Node:
    return lambda values: _compare(comparator, left(values), right(values))


@dataclass(frozen=True)
class Condition:
    """A parsed condition: ``holds(variables)`` evaluates it."""

    text: str
    root: Node

    def holds(self, variables: Mapping[str, Any]) -> bool:
        return _truthy(self.root(variables))


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        if not text[position:].strip():
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"unexpected character at position {position + 1}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "word":
            lowered = value.lower()
            if lowered in ("and", "or", "not"):
                kind, value = "op", {"and": "&&", "or": "||", "not": "!"}[lowered]
            elif lowered not in _CONSTANTS:
                raise ValueError(f"unknown word {value!r}")
            else:
                value = lowered
        tokens.append((kind, value))
        position = match.end()
    return tokens


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _text(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, 0.0, "", "0")


def _compare(comparator: str, left: Any, right: Any) -> bool:
    a, b = _number(left), _number(right)
    if a is None or b is None:
        a, b = _text(left), _text(right)  # type: ignore[assignment]
    if comparator in ("==", "==="):
        return a == b
    if comparator in ("!=", "!==", "<>"):
        return a != b
    return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[comparator]  # type: ignore[operator]


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ValueError("unexpected end of the condition")
        self.position += 1
        return token

    def at(self, op: str) -> bool:
        return self.peek() == ("op", op)

    def expression(self) -> Node:
        node = self.conjunction()
        while self.at("||"):
            self.take()
            node = _either(node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.at("&&"):
            self.take()
            node = _both(node, self.negation())
        return node

    def negation(self) -> Node:
        if self.at("!"):
            self.take()
            inner = self.negation()
            return lambda v: not _truthy(inner(v))
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in _COMPARATORS:
            self.take()
            right = self.operand()
            return _comparing(token[1], left, right)
        return left

    def operand(self) -> Node:
        kind, value = self.take()
        if kind == "number":
            number = float(value)
            return lambda v: number
        if kind == "string":
            text = re.sub(r"\\(.)", r"\1", value[1:-1])
            return lambda v: text
        if kind == "variable":
            name = value[2:]
            return lambda v: v.get(name, "")
        if kind == "word":
            constant = _CONSTANTS[value]
            return lambda v: constant
        if value == "(":
            inner = self.expression()
            if not self.at(")"):
                raise ValueError("a '(' is not closed")
            self.take()
            return inner
        raise ValueError(f"unexpected {value!r}")


def parse_condition(text: str) -> Condition:
    """Parse ``text``; ``ValueError`` (with the reason) when it is not a valid condition."""
    parser = _Parser(text)
    if not parser.tokens:
        raise ValueError("the condition is empty")
    root = parser.expression()
    if parser.peek() is not None:
        raise ValueError(f"unexpected {parser.peek()[1]!r}")  # type: ignore[index]
    return Condition(text, root)


def evaluate_condition(text: str, variables: Mapping[str, Any]) -> bool:
    """True when ``text`` is empty or holds on ``variables``; ``ValueError`` when invalid."""
    if not text or not text.strip():
        return True
    return parse_condition(text).holds(variables)
