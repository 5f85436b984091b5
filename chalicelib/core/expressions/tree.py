"""The syntax tree both condition dialects build: literal, variable, unary, binary, compare,
call and sequence nodes. Nodes hold no behaviour: the evaluator gives them a dialect's meaning.

Binary operators of one precedence level are one flat ``Binary`` node (``a + b - c`` is
``Binary(a, (("+", b), ("-", c)))``), so a chain of thousands of ``and``s is a list, not a
thousand-deep tree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Binary",
    "Call",
    "Compare",
    "Function",
    "Literal",
    "Node",
    "Sequence",
    "Unary",
    "Variable",
]


class Node:
    """Any node of the tree."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Literal(Node):
    value: Any


@dataclass(frozen=True, slots=True)
class Variable(Node):
    """A named value read from the evaluation's variables: ``sigil`` is the dialect's prefix
    (ProcessMaker's ``@#`` is ``"#"``), ``path`` the keys read inside it (``grid[1][qty]``)."""

    name: str
    sigil: str = ""
    path: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unary(Node):
    operator: str
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(Node):
    """``first op operand op operand …``, left to right. The operators ``and``, ``or`` and
    ``xor`` are the boolean connectives (``and``/``or`` short-circuit); any other operator is
    the dialect's."""

    first: Node
    rest: tuple[tuple[str, Node], ...]


@dataclass(frozen=True, slots=True)
class Compare(Node):
    operator: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Function:
    """A callable an expression may name: its argument counts and its body. With
    ``reads_variables`` the arguments are variables and the body gets their stored values, not
    their converted ones (PHP's ``isset`` asks whether a variable is null)."""

    minimum: int
    maximum: int | None  # None: any number
    body: Callable[..., Any]
    reads_variables: bool = False


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    function: Function
    arguments: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Sequence(Node):
    """An array literal: entries with an optional key each (``[1, 2]``, ``['a' => 1]``)."""

    entries: tuple[tuple[Node | None, Node], ...]
