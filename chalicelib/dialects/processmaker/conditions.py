"""ProcessMaker's conditions (``@#amount > 1000 and @@region == 'EU'``): a grammar over the
expression core (``chalicelib.core.expressions``) with PHP's values (``php``).

ProcessMaker substitutes the case variables into the text and runs PHP ``eval``; here the
PHP that conditions are written in is parsed into a tree and evaluated, so nothing else can
run. What is accepted (PHP's precedence, lowest first):

    or, xor, and          (words, any case)       ||      &&
    not X                 (our spelling of !(X): binds looser than comparisons, as in SQL)
    == != === !== <>      < <= > >=               (one per operand: PHP has no chains)
    .                     + -                     * / %
    ! - +  (unary)        (int) (float) (string) (bool) casts         **
    numbers in every PHP literal form: 12, 1_000, 0x1A, 0b101, 0o17 and 017, 1.5, .5, 1.5e3
    'text' and "text" (PHP's escapes; a "$" inside double quotes is refused: no interpolation)
    true false null       array(...) and [...]  (with 'key' => value)
    case variables: @@x (text) @%x (integer) @#x (float) @?x (URL-encoded) @$x (SQL-escaped)
                    @=x and @&x (as stored); @@grid[1][field] and @&obj->field read inside
    empty(x)  isset(@@x ...)  and the functions of ``php.FUNCTIONS``

A missing variable is null (so ``@@x`` is ``""``, ``@%x`` 0). Anything else — another
function, ``$x``, ``=``, ``?:``, ``;`` — is refused at save with a message naming it.

Limits (``CAPS``, checked at save): at most ``MAX_LENGTH`` characters, ``MAX_DEPTH`` nesting
levels (parentheses, calls, arrays, unary operators, ``**``), ``MAX_NODES`` parts and
``MAX_CALLS`` function calls; ``and``/``or`` chains and chains of ``+ - * / % .`` are flat
lists, and the evaluator keeps its own stack, so their length costs no Python stack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from chalicelib.core.expressions import (
    BinaryOperator,
    Call,
    Caps,
    ExpressionError,
    Form,
    Function,
    Grammar,
    Lexicon,
    Node,
    Parser,
    PrefixOperator,
    Rule,
    Sequence,
    Token,
    Variable,
    evaluate,
    parse,
)
from chalicelib.dialects.processmaker import php

__all__ = [
    "CAPS",
    "MAX_CALLS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "Condition",
    "ConditionError",
    "evaluate_condition",
    "parse_condition",
]

MAX_LENGTH = 32_768
MAX_DEPTH = 32
MAX_NODES = 10_000
MAX_CALLS = 1_000
CAPS = Caps(max_length=MAX_LENGTH, max_depth=MAX_DEPTH, max_nodes=MAX_NODES, max_calls=MAX_CALLS)

# Why a condition is not valid (at save) or cannot be evaluated (when it fires).
ConditionError = ExpressionError

# ---------------------------------------------------------------- tokens

_NUMBER = (
    r"0[xX][0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0[bB][01]+(?:_[01]+)*|0[oO][0-7]+(?:_[0-7]+)*"
    r"|(?:\d+(?:_\d+)*)?\.\d+(?:_\d+)*(?:[eE][+-]?\d+(?:_\d+)*)?"
    r"|\d+(?:_\d+)*\.(?:\d+(?:_\d+)*)?(?:[eE][+-]?\d+(?:_\d+)*)?"
    r"|\d+(?:_\d+)*[eE][+-]?\d+(?:_\d+)*"
    r"|\d+(?:_\d+)*"
)
_VARIABLE = re.compile(
    r"@([@#%?$=&])([A-Za-z_]\w*)((?:\s*\[\s*(?:'\w+'|\"\w+\"|\w+)\s*\])+|->[A-Za-z_]\w*)?",
    re.DOTALL,
)
_LEXICON = Lexicon(
    rules=(
        Rule("number", _NUMBER, glued="numeric literal"),
        Rule("string", r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\""""),
        Rule("variable", _VARIABLE.pattern),
        Rule("op", r"===|!==|==|!=|<>|<=|>=|=>|&&|\|\||\*\*|[<>!()\[\],.+\-*/%]"),
        Rule("word", r"[A-Za-z_]\w*"),
    ),
    hints={
        "=": "'=' (assignment); compare with '=='",
        "$": "'$' (PHP variables); use a case variable such as @@name",
        "?": "'?' (the ternary operator)",
        ";": "';'",
    },
)

# ---------------------------------------------------------------- literals and variables

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "e": "\x1b", "f": "\f", "\\": "\\"}
_ESCAPES |= {"$": "$", '"': '"'}


def _number(token: Token) -> int | float:
    text, position = token.value, token.position
    digits = text.replace("_", "")
    lowered = digits.lower()
    if lowered.startswith(("0x", "0b", "0o")):
        return int(digits[2:], {"x": 16, "b": 2, "o": 8}[lowered[1]])
    if re.fullmatch(r"0\d+", digits):  # PHP's legacy octal: 017 is 15
        if not re.fullmatch(r"0[0-7]+", digits):
            raise ConditionError(f"invalid numeric literal {text!r} at position {position}")
        return int(digits, 8)
    if re.fullmatch(r"\d+", digits):
        return int(digits)
    return float(digits)


def _string(token: Token) -> str:
    text, position = token.value, token.position
    body = text[1:-1]
    if text[0] == "'":
        return re.sub(r"\\([\\'])", r"\1", body)
    out, index = [], 0
    while index < len(body):
        char = body[index]
        if char == "$":
            raise ConditionError(
                f"unsupported '$' inside a double-quoted text at position {position}: "
                "variables are not interpolated; use a case variable such as @@name"
            )
        if char != "\\" or index + 1 == len(body):
            out.append(char)
            index += 1
            continue
        following = body[index + 1]
        octal = re.match(r"[0-7]{1,3}", body[index + 1 :])
        hexadecimal = re.match(r"x([0-9a-fA-F]{1,2})", body[index + 1 :])
        if following in _ESCAPES:
            out.append(_ESCAPES[following])
            index += 2
        elif octal:
            out.append(chr(int(octal.group(), 8) & 0xFF))
            index += 1 + len(octal.group())
        elif hexadecimal:
            out.append(chr(int(hexadecimal.group(1), 16)))
            index += 1 + len(hexadecimal.group())
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _variable(token: Token) -> Variable:
    """``@#grid[1]['qty']`` → Variable("grid", "#", ("1", "qty")); ``@&obj->f`` reads ``f``."""
    match = _VARIABLE.fullmatch(token.value)
    if match is None:  # the lexicon's rule is this pattern
        raise ConditionError(f"unexpected {token.value!r} at position {token.position}")
    sigil, name, path = match.group(1), match.group(2), match.group(3) or ""
    if path.startswith("->"):
        return Variable(name, sigil, (path[2:],))
    keys = tuple(key.strip("'\"") for key in re.findall(r"\[\s*([^\]\s]+)\s*\]", path))
    return Variable(name, sigil, keys)


# ---------------------------------------------------------------- forms parsed apart

_EMPTY = Function(1, 1, lambda value: not php.truthy(value))
_ISSET = Function(1, None, lambda *stored: all(value is not None for value in stored), True)


def _empty(parser: Parser, token: Token, opening: Token) -> Node:
    with parser.nested():
        operand = parser.expression()
        parser.expect(")", f"empty() at position {token.position}")
    return parser.made(Call("empty", _EMPTY, (operand,)))


def _isset(parser: Parser, token: Token, opening: Token) -> Node:
    targets = parser.arguments(token)
    if any(not isinstance(target, Variable) for target in targets):
        raise ConditionError(f"isset() at position {token.position} takes case variables only")
    if not targets:
        raise ConditionError(f"isset() at position {token.position} takes a variable")
    return parser.made(Call("isset", _ISSET, targets))


def _array(closing: str) -> Form:
    def array(parser: Parser, token: Token, opening: Token) -> Node:
        entries: list[tuple[Node | None, Node]] = []
        with parser.nested():
            while not parser.at(closing):
                item = parser.expression()
                key = None
                if parser.at("=>"):
                    parser.take()
                    key, item = item, parser.expression()
                entries.append((key, item))
                if not parser.at(","):
                    break
                parser.take()
            parser.expect(closing, f"the array at position {opening.position}")
        return parser.made(Sequence(tuple(entries)))

    return array


_CASTS = {
    "int": php.to_int,
    "integer": php.to_int,
    "float": php.to_float,
    "double": php.to_float,
    "string": php.to_string,
    "bool": php.truthy,
    "boolean": php.truthy,
}
_UNARY = 11  # what a prefix operator's operand may hold: only ``**`` binds tighter


def _cast(parser: Parser) -> PrefixOperator | None:
    """``(int)``, ``(string)`` …: three tokens, read as one prefix operator."""
    opening, word, closing = parser.peek(), parser.peek(1), parser.peek(2)
    if (
        opening is not None
        and opening.value == "("
        and word is not None
        and word.kind == "word"
        and word.value.lower() in _CASTS
        and closing is not None
        and closing.value == ")"
    ):
        parser.index += 3
        return PrefixOperator(word.value.lower(), _UNARY)
    return None


# ---------------------------------------------------------------- the grammar


def _operators() -> dict[str, BinaryOperator]:
    """PHP's precedence, lowest first (``and``/``or`` below ``&&``/``||``)."""
    table = {
        "or": BinaryOperator("or", 1, "logic"),
        "xor": BinaryOperator("xor", 2, "logic"),
        "and": BinaryOperator("and", 3, "logic"),
        "||": BinaryOperator("or", 4, "logic"),
        "&&": BinaryOperator("and", 5, "logic"),
        "**": BinaryOperator("**", 12, right_associative=True),
    }
    levels = {6: "== != <> === !==", 7: "< <= > >=", 8: ".", 9: "+ -", 10: "* / %"}
    for precedence, symbols in levels.items():
        kind = "compare" if precedence in (6, 7) else "chain"
        table |= {s: BinaryOperator(s, precedence, kind) for s in symbols.split()}
    return table


GRAMMAR = Grammar(
    lexicon=_LEXICON,
    caps=CAPS,
    binary=_operators(),
    prefix={
        "not": PrefixOperator("not", 6),  # our spelling of !(X): looser than comparisons
        "!": PrefixOperator("!", _UNARY),
        "-": PrefixOperator("-", _UNARY),
        "+": PrefixOperator("+", _UNARY),
    },
    literals={"number": _number, "string": _string},
    variables={"variable": _variable},
    constants={"true": True, "false": False, "null": None},
    functions=php.FUNCTIONS,
    forms={
        "array": _array(")"),
        "[": _array("]"),
        "isset": _isset,
        "empty": _empty,
    },
    prefix_forms=(_cast,),
    noun="condition",
)

# ---------------------------------------------------------------- PHP's meaning

_SQL_SPECIAL = re.compile(r"""[\\'"\0\n\r\x1a]""")
_SQL_NAMES = {"\0": "0", "\n": "n", "\r": "r", "\x1a": "Z"}


def _sql_escape(text: str) -> str:
    """MySQL's escaping (``G::sqlEscape``): a backslash before each special character."""
    return _SQL_SPECIAL.sub(lambda m: "\\" + _SQL_NAMES.get(m.group(), m.group()), text)


_PREFIXES = {
    "@": php.to_string,
    "%": php.to_int,
    "#": php.to_float,
    "?": lambda v: quote_plus(php.to_string(v), safe="-_."),
    "$": lambda v: _sql_escape(php.to_string(v)),
    "=": lambda v: v,
    "&": lambda v: v,
}
_INT_RANGE = range(-(2**63), 2**63)


def _php_int(number: int | float) -> int | float:
    """PHP's integers are 64-bit: beyond, a result becomes a float (as PHP's overflow)."""
    return float(number) if isinstance(number, int) and number not in _INT_RANGE else number


def _power(base: int | float, exponent: int | float) -> int | float:
    small = isinstance(base, int) and (abs(base) <= 1 or exponent * abs(base).bit_length() <= 64)
    if small and isinstance(exponent, int) and exponent >= 0:
        return _php_int(base**exponent)
    try:
        result = float(base) ** exponent
    except OverflowError:
        return float("inf")
    except ZeroDivisionError:
        raise ConditionError("'**': zero to a negative power") from None
    return float("nan") if isinstance(result, complex) else result


class PhpSemantics:
    """PHP 8's values for the expression core (``php``): truthiness, loose comparison,
    numeric strings, the variable prefixes' conversions."""

    def truthy(self, value: Any) -> bool:
        return php.truthy(value)

    def convert(self, variable: Variable, stored: Any) -> Any:
        return _PREFIXES[variable.sigil](stored)

    def unary(self, operator: str, value: Any) -> Any:
        if operator in ("!", "not"):
            return not php.truthy(value)
        if operator in _CASTS:
            return _CASTS[operator](value)
        number = php.to_number(value)
        return -number if operator == "-" else number

    def binary(self, operator: str, left: Any, right: Any) -> Any:
        if operator == ".":
            return php.to_string(left) + php.to_string(right)
        if operator == "%":
            dividend, divisor = php.to_int(left), php.to_int(right)
            if divisor == 0:
                raise ConditionError("modulo by zero")
            return abs(dividend) % abs(divisor) * (-1 if dividend < 0 else 1)
        a, b = php.to_number(left), php.to_number(right)
        if operator == "**":
            return _power(a, b)
        if operator == "+":
            return _php_int(a + b)
        if operator == "-":
            return _php_int(a - b)
        if operator == "*":
            return _php_int(a * b)
        if b == 0:
            raise ConditionError("division by zero")
        quotient = a / b
        exact = isinstance(a, int) and isinstance(b, int) and a % b == 0
        return int(quotient) if exact else quotient

    def compare(self, operator: str, left: Any, right: Any) -> bool:
        if operator == "===":
            return php.strict_equal(left, right)
        if operator == "!==":
            return not php.strict_equal(left, right)
        if operator == "==":
            return php.loose_equal(left, right)
        if operator in ("!=", "<>"):
            return not php.loose_equal(left, right)
        order = php.compare(left, right)
        return {"<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0}[operator]

    def sequence(self, entries: list[tuple[Any, Any]], keyed: bool) -> Any:
        if not keyed:
            return [item for _, item in entries]
        result: dict[str, Any] = {}
        for key, item in entries:
            result[str(len(result)) if key is None else php.to_string(key)] = item
        return result


PHP = PhpSemantics()


@dataclass(frozen=True)
class Condition:
    """A parsed condition: ``holds(variables)`` evaluates it."""

    text: str
    root: Node

    def holds(self, variables: Mapping[str, Any]) -> bool:
        try:
            return php.truthy(evaluate(self.root, PHP, variables))
        except (php.PhpError, ArithmeticError, OSError) as exc:
            raise ConditionError(str(exc)) from None


def parse_condition(text: str) -> Condition:
    """Parse ``text``; ``ConditionError`` (a ``ValueError``) naming what is not accepted."""
    return Condition(text, parse(GRAMMAR, text))


def evaluate_condition(text: str, variables: Mapping[str, Any]) -> bool:
    """True when ``text`` is empty or holds on ``variables``; ``ValueError`` when invalid."""
    if not text or not text.strip():
        return True
    return parse_condition(text).holds(variables)
