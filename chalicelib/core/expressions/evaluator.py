"""The evaluator: a tree's value under a dialect's ``Semantics``, without recursion.

Each node that has children is a small generator that yields a child and receives its value;
``evaluate`` drives them from an explicit stack, so the tree's depth never becomes Python's
stack depth. Literals and variables are read in place. ``and``/``or`` short-circuit: the
operand they do not need is never evaluated (a call in it never runs).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any, Protocol

from chalicelib.core.expressions.errors import ExpressionError
from chalicelib.core.expressions.tree import (
    Binary,
    Call,
    Compare,
    Literal,
    Node,
    Sequence,
    Unary,
    Variable,
)

__all__ = ["Semantics", "evaluate", "lookup"]


class Semantics(Protocol):
    """What a dialect's values mean: truth, conversions and every operator but and/or/xor."""

    def truthy(self, value: Any) -> bool: ...

    def convert(self, variable: Variable, stored: Any) -> Any:
        """The value of ``variable`` given what is stored under its name and path."""
        ...

    def unary(self, operator: str, value: Any) -> Any: ...

    def binary(self, operator: str, left: Any, right: Any) -> Any: ...

    def compare(self, operator: str, left: Any, right: Any) -> Any: ...

    def sequence(self, entries: list[tuple[Any, Any]], keyed: bool) -> Any:
        """An array literal's value from its (key, value) entries (keys None when not keyed)."""
        ...


def lookup(variables: Mapping[str, Any], variable: Variable) -> Any:
    """What is stored under ``variable``'s name and path: mapping keys, or list indexes given
    as digits; None where the path leads nowhere."""
    value = variables.get(variable.name)
    for key in variable.path:
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and key.lstrip("-").isdigit():
            index = int(key)
            value = value[index] if 0 <= index < len(value) else None
        else:
            value = None
    return value


_Steps = Generator[Node, Any, Any]


def evaluate(root: Node, semantics: Semantics, variables: Mapping[str, Any]) -> Any:
    """The value of ``root`` with ``variables``; the semantics' errors pass through."""

    def leaf(node: Node) -> tuple[bool, Any]:
        if isinstance(node, Literal):
            return True, node.value
        if isinstance(node, Variable):
            return True, semantics.convert(node, lookup(variables, node))
        return False, None

    done, value = leaf(root)
    if done:
        return value
    if isinstance(root, Compare):  # the usual condition: a value against a value, no stack
        left_done, left = leaf(root.left)
        right_done, right = leaf(root.right)
        if left_done and right_done:
            return semantics.compare(root.operator, left, right)
    stack: list[_Steps] = [_steps(root, semantics, variables)]
    received: Any = None
    while stack:
        try:
            child = stack[-1].send(received)
        except StopIteration as finished:
            stack.pop()
            received = finished.value
            continue
        done, received = leaf(child)
        if not done:
            stack.append(_steps(child, semantics, variables))
            received = None
    return received


def _steps(node: Node, semantics: Semantics, variables: Mapping[str, Any]) -> _Steps:
    if isinstance(node, Binary):
        return _binary(node, semantics)
    if isinstance(node, Compare):
        return _compare(node, semantics)
    if isinstance(node, Unary):
        return _unary(node, semantics)
    if isinstance(node, Call):
        return _call(node, variables)
    if isinstance(node, Sequence):
        return _sequence(node, semantics)
    raise ExpressionError(f"cannot evaluate a {type(node).__name__}")


def _binary(node: Binary, semantics: Semantics) -> _Steps:
    value = yield node.first
    truthy = semantics.truthy
    for operator, operand in node.rest:
        if operator == "and":
            value = truthy(value) and truthy((yield operand))
        elif operator == "or":
            value = truthy(value) or truthy((yield operand))
        elif operator == "xor":
            value = truthy(value) != truthy((yield operand))
        else:
            value = semantics.binary(operator, value, (yield operand))
    return value


def _compare(node: Compare, semantics: Semantics) -> _Steps:
    left = yield node.left
    right = yield node.right
    return semantics.compare(node.operator, left, right)


def _unary(node: Unary, semantics: Semantics) -> _Steps:
    return semantics.unary(node.operator, (yield node.operand))


def _call(node: Call, variables: Mapping[str, Any]) -> _Steps:
    if node.function.reads_variables:
        stored = [
            lookup(variables, argument) if isinstance(argument, Variable) else None
            for argument in node.arguments
        ]
        return node.function.body(*stored)
    arguments = []
    for argument in node.arguments:
        arguments.append((yield argument))
    return node.function.body(*arguments)


def _sequence(node: Sequence, semantics: Semantics) -> _Steps:
    entries = []
    for key, item in node.entries:
        name = None if key is None else (yield key)
        entries.append((name, (yield item)))
    return semantics.sequence(entries, any(key is not None for key, _ in node.entries))
