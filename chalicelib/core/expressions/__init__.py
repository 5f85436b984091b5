"""The expression core both condition dialects stand on: tokeniser, tree, Pratt parser,
iterative evaluator, caps, and RE2 patterns.

A dialect declares a ``Grammar`` (its tokens, operators, literals, variables, functions, caps)
and a ``Semantics`` (what its values and operators mean); ``parse`` and ``evaluate`` do the
rest. ProcessMaker's PHP conditions use all of it; privacyIDEA's comparisons build the same
``Compare`` tree from their own split rule and share the evaluator, errors and patterns.
"""

from __future__ import annotations

from chalicelib.core.expressions.caps import Caps
from chalicelib.core.expressions.errors import ExpressionError
from chalicelib.core.expressions.evaluator import Semantics, evaluate, lookup
from chalicelib.core.expressions.parser import (
    BinaryOperator,
    Form,
    Grammar,
    Parser,
    PrefixOperator,
    parse,
)
from chalicelib.core.expressions.patterns import compile_pattern
from chalicelib.core.expressions.tokens import Lexicon, Rule, Token
from chalicelib.core.expressions.tree import (
    Binary,
    Call,
    Compare,
    Function,
    Literal,
    Node,
    Sequence,
    Unary,
    Variable,
)

__all__ = [
    "Binary",
    "BinaryOperator",
    "Call",
    "Caps",
    "Compare",
    "ExpressionError",
    "Form",
    "Function",
    "Grammar",
    "Lexicon",
    "Literal",
    "Node",
    "Parser",
    "PrefixOperator",
    "Rule",
    "Semantics",
    "Sequence",
    "Token",
    "Unary",
    "Variable",
    "compile_pattern",
    "evaluate",
    "lookup",
    "parse",
]
