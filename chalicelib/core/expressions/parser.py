"""A Pratt parser driven by a ``Grammar``: text → tokens → tree, within the grammar's caps.

A ``Grammar`` is what a dialect declares: its tokens, operators, literals, variables,
functions, the forms it parses apart and its caps. Token kinds ``op`` (punctuation) and
``word`` (names) are read as operators, constants and calls; every other kind is a literal or
a variable, as the grammar's ``literals`` and ``variables`` say.

1. The text's length is checked, then the grammar's lexicon tokenises it.
2. ``expression(minimum)`` reads a prefix (a prefix operator and its operand, or a primary:
   literal, variable, constant, ``( … )``, a call, or a form the grammar parses apart), then
   folds in infix operators while they bind at least as tightly as ``minimum``.
3. Left-associative operators of one level extend one flat ``Binary`` node, so their chains
   cost no stack; comparisons take one operand each side. Nesting (parentheses, prefix
   operators, right-associative operators, calls and forms) counts against ``max_depth``, and
   every node against ``max_nodes`` (calls also against ``max_calls``), so a text over a cap is
   refused with its reason instead of a ``RecursionError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from chalicelib.core.expressions.caps import Caps
from chalicelib.core.expressions.errors import ExpressionError
from chalicelib.core.expressions.tokens import Lexicon, Token
from chalicelib.core.expressions.tree import (
    Binary,
    Call,
    Compare,
    Function,
    Literal,
    Node,
    Unary,
    Variable,
)

__all__ = ["BinaryOperator", "Form", "Grammar", "Parser", "PrefixForm", "PrefixOperator", "parse"]


@dataclass(frozen=True)
class BinaryOperator:
    """An infix operator: the name the tree stores (``&&`` is ``and``), its precedence (higher
    binds tighter) and kind: ``logic`` (``and``/``or``/``xor``), ``compare`` (one per operand:
    ``a == b == c`` is refused) or ``chain`` (left to right, or right to left when
    ``right_associative``)."""

    name: str
    precedence: int
    kind: str = "chain"
    right_associative: bool = False


@dataclass(frozen=True)
class PrefixOperator:
    """A prefix operator: the name the tree stores and the lowest precedence of an infix
    operator its operand may hold (``-`` takes only ``**``; ``not`` takes comparisons)."""

    name: str
    operand: int


# (parser, the name token, the opening token) → the node: ``array(``, ``isset(``, ``[``.
Form = Callable[["Parser", Token, Token], Node]
# A prefix the token kinds alone do not tell (PHP's ``(int)``): consumed and returned, or None.
PrefixForm = Callable[["Parser"], PrefixOperator | None]


@dataclass(frozen=True)
class Grammar:
    """One dialect's expression language."""

    lexicon: Lexicon
    caps: Caps
    binary: Mapping[str, BinaryOperator]
    prefix: Mapping[str, PrefixOperator] = field(default_factory=dict)
    literals: Mapping[str, Callable[[Token], Any]] = field(default_factory=dict)
    variables: Mapping[str, Callable[[Token], Variable]] = field(default_factory=dict)
    constants: Mapping[str, Any] = field(default_factory=dict)  # words, any case
    functions: Mapping[str, Function] = field(default_factory=dict)  # names, any case
    forms: Mapping[str, Form] = field(default_factory=dict)  # ``name(`` or punctuation
    prefix_forms: Sequence[PrefixForm] = ()
    noun: str = "expression"  # how messages name the text: "the condition is empty"


_N = TypeVar("_N", bound=Node)


def parse(grammar: Grammar, text: str) -> Node:
    """The tree of ``text``; ``ExpressionError`` naming what is not accepted and where."""
    caps = grammar.caps
    if len(text) > caps.max_length:
        raise ExpressionError(f"the {grammar.noun} is longer than {caps.max_length} characters")
    parser = Parser(grammar, grammar.lexicon.tokenise(text))
    if not parser.tokens:
        raise ExpressionError(f"the {grammar.noun} is empty")
    root = parser.expression()
    token = parser.peek()
    if token is not None:
        raise ExpressionError(f"unexpected {token.value!r} at position {token.position}")
    return root


class Parser:
    """The reading state over one text's tokens; grammar forms call its helpers."""

    def __init__(self, grammar: Grammar, tokens: list[Token]) -> None:
        self.grammar = grammar
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.nodes = 0
        self.calls = 0
        # Operators that may extend one flat Binary: logic by name, the rest by level.
        self._groups = {
            op.name: (op.name if op.kind == "logic" else op.precedence)
            for op in grammar.binary.values()
        }

    # ------------------------------------------------------------ token access

    def peek(self, offset: int = 0) -> Token | None:
        index = self.index + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"unexpected end of the {self.grammar.noun}")
        self.index += 1
        return token

    def at(self, *values: str) -> bool:
        """Whether the next token is one of ``values`` (an ``op``, or a ``word`` in any case)."""
        token = self.peek()
        return token is not None and token.kind in ("op", "word") and token.value.lower() in values

    def expect(self, value: str, what: str) -> Token:
        if not self.at(value):
            token = self.peek()
            found = "the end" if token is None else f"{token.value!r} at position {token.position}"
            raise ExpressionError(f"{what}: expected {value!r}, found {found}")
        return self.take()

    # ------------------------------------------------------------ caps

    @contextmanager
    def nested(self) -> Iterator[None]:
        """One nesting level deeper for what is read inside."""
        self.depth += 1
        if self.depth > self.grammar.caps.max_depth:
            raise ExpressionError(
                f"the {self.grammar.noun} nests deeper than {self.grammar.caps.max_depth} levels"
            )
        yield
        self.depth -= 1

    def made(self, node: _N) -> _N:
        """Count ``node`` (and a call when it is one) against the caps."""
        caps, noun = self.grammar.caps, self.grammar.noun
        self.nodes += 1
        if self.nodes > caps.max_nodes:
            raise ExpressionError(
                f"the {noun} has more than {caps.max_nodes} parts "
                "(values, variables, operators and calls)"
            )
        if isinstance(node, Call):
            self.calls += 1
            if self.calls > caps.max_calls:
                raise ExpressionError(f"the {noun} makes more than {caps.max_calls} calls")
        return node

    # ------------------------------------------------------------ grammar

    def binary_operator(self) -> tuple[BinaryOperator, Token] | None:
        token = self.peek()
        if token is None or token.kind not in ("op", "word"):
            return None
        key = token.value.lower() if token.kind == "word" else token.value
        operator = self.grammar.binary.get(key)
        return None if operator is None else (operator, token)

    def expression(self, minimum: int = 0) -> Node:
        """An expression whose infix operators all bind at least as tightly as ``minimum``."""
        left = self.prefix()
        while True:
            found = self.binary_operator()
            if found is None or found[0].precedence < minimum:
                return left
            operator, token = found
            self.take()
            if operator.right_associative:
                with self.nested():
                    right = self.expression(operator.precedence)
            else:
                right = self.expression(operator.precedence + 1)
            if operator.kind == "compare":
                left = self.made(Compare(operator.name, left, right))
                after = self.binary_operator()
                if after is not None and after[0].precedence == operator.precedence:
                    raise ExpressionError(
                        f"comparisons cannot be chained ({token.value!r} then {after[0].name!r} "
                        f"at position {after[1].position}); join them with and"
                    )
            elif (
                isinstance(left, Binary)
                and not operator.right_associative
                and self._groups.get(left.rest[0][0]) == self._groups[operator.name]
            ):
                left = self.made(Binary(left.first, (*left.rest, (operator.name, right))))
            else:
                left = self.made(Binary(left, ((operator.name, right),)))

    def prefix(self) -> Node:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"unexpected end of the {self.grammar.noun}")
        operator = None
        if token.kind in ("op", "word"):
            key = token.value.lower() if token.kind == "word" else token.value
            operator = self.grammar.prefix.get(key)
            if operator is not None:
                self.take()
        for form in self.grammar.prefix_forms:
            if operator is not None:
                break
            operator = form(self)
        if operator is None:
            return self.primary()
        with self.nested():
            operand = self.expression(operator.operand)
        return self.made(Unary(operator.name, operand))

    def primary(self) -> Node:
        grammar = self.grammar
        token = self.take()
        if token.kind in grammar.literals:
            return self.made(Literal(grammar.literals[token.kind](token)))
        if token.kind in grammar.variables:
            return self.made(grammar.variables[token.kind](token))
        if token.kind == "op" and token.value == "(":
            with self.nested():
                inner = self.expression()
                self.expect(")", f"the '(' at position {token.position} is not closed")
            return inner
        if token.kind == "op" and token.value in grammar.forms:
            return grammar.forms[token.value](self, token, token)
        if token.kind == "word":
            return self.word(token)
        raise ExpressionError(f"unexpected {token.value!r} at position {token.position}")

    def word(self, token: Token) -> Node:
        grammar, name = self.grammar, token.value.lower()
        if name in grammar.constants:
            return self.made(Literal(grammar.constants[name]))
        if not self.at("("):
            raise ExpressionError(f"unsupported name {token.value!r} at position {token.position}")
        opening = self.take()
        if name in grammar.forms:
            return grammar.forms[name](self, token, opening)
        function = grammar.functions.get(name)
        if function is None:
            raise ExpressionError(
                f"unsupported function {token.value!r} at position {token.position}"
            )
        arguments = self.arguments(token)
        count = len(arguments)
        low, high = function.minimum, function.maximum
        if count < low or (high is not None and count > high):
            expected = (
                f"{low}"
                if high == low
                else f"{low} to {high}"
                if high is not None
                else f"at least {low}"
            )
            raise ExpressionError(
                f"{name}() at position {token.position} takes {expected} arguments, not {count}"
            )
        return self.made(Call(name, function, arguments))

    def arguments(self, token: Token) -> tuple[Node, ...]:
        """Comma-separated expressions up to ``)`` (the ``(`` is already read)."""
        arguments: list[Node] = []
        with self.nested():
            while not self.at(")"):
                arguments.append(self.expression())
                if not self.at(","):
                    break
                self.take()
            self.expect(")", f"{token.value}() at position {token.position}")
        return tuple(arguments)
