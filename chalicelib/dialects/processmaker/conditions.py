"""ProcessMaker's conditions (``@#amount > 1000 and @@region == 'EU'``), parsed by hand.

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

Limits: a condition is at most ``MAX_LENGTH`` characters and nests at most ``MAX_DEPTH``
levels (parentheses, calls, arrays, unary operators); ``and``/``or`` chains and chains of
``+ - * / % .`` are flat lists evaluated in a loop, so their length costs no stack.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from chalicelib.dialects.processmaker import php

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "Condition", "evaluate_condition", "parse_condition"]

MAX_LENGTH = 32_768
MAX_DEPTH = 32

_NUMBER = (
    r"0[xX][0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0[bB][01]+(?:_[01]+)*|0[oO][0-7]+(?:_[0-7]+)*"
    r"|(?:\d+(?:_\d+)*)?\.\d+(?:_\d+)*(?:[eE][+-]?\d+(?:_\d+)*)?"
    r"|\d+(?:_\d+)*\.(?:\d+(?:_\d+)*)?(?:[eE][+-]?\d+(?:_\d+)*)?"
    r"|\d+(?:_\d+)*[eE][+-]?\d+(?:_\d+)*"
    r"|\d+(?:_\d+)*"
)
_TOKEN = re.compile(
    rf"""(?:
      (?P<number>{_NUMBER})
    | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<variable>@[@#%?$=&][A-Za-z_]\w*)
      (?P<path>(?:\s*\[\s*(?:'\w+'|"\w+"|\w+)\s*\])+|->[A-Za-z_]\w*)?
    | (?P<op>===|!==|==|!=|<>|<=|>=|=>|&&|\|\||\*\*|[<>!()\[\],.+\-*/%])
    | (?P<word>[A-Za-z_]\w*)
    )""",
    re.VERBOSE | re.DOTALL,
)
_SPACE = re.compile(r"\s+")
_HINTS = {
    "=": "'=' (assignment); compare with '=='",
    "$": "'$' (PHP variables); use a case variable such as @@name",
    "?": "'?' (the ternary operator)",
    ";": "';'",
}
_CASTS = {
    "int": php.to_int,
    "integer": php.to_int,
    "float": php.to_float,
    "double": php.to_float,
    "string": php.to_string,
    "bool": php.truthy,
    "boolean": php.truthy,
}
_CONSTANTS = {"true": True, "false": False, "null": None}
# binary operators: (precedence, kind); higher binds tighter
_BINARY = {
    "or": (1, "logic"),
    "xor": (2, "logic"),
    "and": (3, "logic"),
    "||": (4, "logic"),
    "&&": (5, "logic"),
    "==": (6, "compare"),
    "!=": (6, "compare"),
    "<>": (6, "compare"),
    "===": (6, "compare"),
    "!==": (6, "compare"),
    "<": (7, "compare"),
    "<=": (7, "compare"),
    ">": (7, "compare"),
    ">=": (7, "compare"),
    ".": (8, "chain"),
    "+": (9, "chain"),
    "-": (9, "chain"),
    "*": (10, "chain"),
    "/": (10, "chain"),
    "%": (10, "chain"),
}
_NOT_OPERAND = 6  # `not` negates an equality-level expression
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "e": "\x1b", "f": "\f", "\\": "\\"}
_ESCAPES |= {"$": "$", '"': '"'}


class ConditionError(ValueError):
    """Why a condition is not valid (at save) or cannot be evaluated (when it fires)."""


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    position: int  # 1-based, for messages
    path: str = ""


# ---------------------------------------------------------------- the tree


class Node:
    def value(self, variables: Mapping[str, Any]) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Const(Node):
    constant: Any

    def value(self, variables: Mapping[str, Any]) -> Any:
        return self.constant


_SQL_SPECIAL = re.compile(r"""[\\'"\0\n\r\x1a]""")
_SQL_NAMES = {"\0": "0", "\n": "n", "\r": "r", "\x1a": "Z"}


def _sql_escape(text: str) -> str:
    """MySQL's escaping (``G::sqlEscape``): a backslash before each special character."""
    return _SQL_SPECIAL.sub(lambda m: "\\" + _SQL_NAMES.get(m.group(), m.group()), text)


_PREFIXES: dict[str, Callable[[Any], Any]] = {
    "@": php.to_string,
    "%": php.to_int,
    "#": php.to_float,
    "?": lambda v: quote_plus(php.to_string(v), safe="-_."),
    "$": lambda v: _sql_escape(php.to_string(v)),
    "=": lambda v: v,
    "&": lambda v: v,
}


@dataclass(frozen=True)
class Var(Node):
    prefix: str
    name: str
    path: tuple[str, ...] = ()

    def raw(self, variables: Mapping[str, Any]) -> Any:
        value = variables.get(self.name)
        for key in self.path:
            if isinstance(value, dict):
                value = value.get(key)
            elif isinstance(value, list) and key.lstrip("-").isdigit():
                index = int(key)
                value = value[index] if 0 <= index < len(value) else None
            else:
                value = None
        return value

    def value(self, variables: Mapping[str, Any]) -> Any:
        return _PREFIXES[self.prefix](self.raw(variables))


@dataclass(frozen=True)
class IsSet(Node):
    targets: tuple[Var, ...]

    def value(self, variables: Mapping[str, Any]) -> Any:
        return all(target.raw(variables) is not None for target in self.targets)


@dataclass(frozen=True)
class Empty(Node):
    operand: Node

    def value(self, variables: Mapping[str, Any]) -> Any:
        return not php.truthy(self.operand.value(variables))


@dataclass(frozen=True)
class Call(Node):
    name: str
    function: php.Function
    arguments: tuple[Node, ...]

    def value(self, variables: Mapping[str, Any]) -> Any:
        return self.function.body(*(argument.value(variables) for argument in self.arguments))


@dataclass(frozen=True)
class ArrayLiteral(Node):
    entries: tuple[tuple[Node | None, Node], ...]

    def value(self, variables: Mapping[str, Any]) -> Any:
        if all(key is None for key, _ in self.entries):
            return [item.value(variables) for _, item in self.entries]
        result: dict[str, Any] = {}
        for key, item in self.entries:
            name = str(len(result)) if key is None else php.to_string(key.value(variables))
            result[name] = item.value(variables)
        return result


@dataclass(frozen=True)
class Unary(Node):
    operator: str
    operand: Node

    def value(self, variables: Mapping[str, Any]) -> Any:
        value = self.operand.value(variables)
        if self.operator in ("!", "not"):
            return not php.truthy(value)
        if self.operator in _CASTS:
            return _CASTS[self.operator](value)
        number = php.to_number(value)
        return -number if self.operator == "-" else number


@dataclass(frozen=True)
class Power(Node):
    base: Node
    exponent: Node

    def value(self, variables: Mapping[str, Any]) -> Any:
        base, exponent = (
            php.to_number(self.base.value(variables)),
            php.to_number(self.exponent.value(variables)),
        )
        small = isinstance(base, int) and (
            abs(base) <= 1 or exponent * abs(base).bit_length() <= 64
        )
        if small and isinstance(exponent, int) and exponent >= 0:
            return _php_int(base**exponent)
        try:
            result = float(base) ** exponent
        except OverflowError:
            return float("inf")
        except ZeroDivisionError:
            raise ConditionError("'**': zero to a negative power") from None
        return float("nan") if isinstance(result, complex) else result


_INT_RANGE = range(-(2**63), 2**63)


def _php_int(number: int | float) -> int | float:
    """PHP's integers are 64-bit: beyond, a result becomes a float (as PHP's overflow)."""
    return float(number) if isinstance(number, int) and number not in _INT_RANGE else number


def _arithmetic(operator: str, left: Any, right: Any) -> Any:
    if operator == ".":
        return php.to_string(left) + php.to_string(right)
    if operator == "%":
        dividend, divisor = php.to_int(left), php.to_int(right)
        if divisor == 0:
            raise ConditionError("modulo by zero")
        return abs(dividend) % abs(divisor) * (-1 if dividend < 0 else 1)
    a, b = php.to_number(left), php.to_number(right)
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


@dataclass(frozen=True)
class Chain(Node):
    """``first op operand op operand …`` of one precedence level, left to right, in a loop."""

    first: Node
    rest: tuple[tuple[str, Node], ...]

    def value(self, variables: Mapping[str, Any]) -> Any:
        result = self.first.value(variables)
        for operator, operand in self.rest:
            result = _arithmetic(operator, result, operand.value(variables))
        return result


@dataclass(frozen=True)
class Logic(Node):
    """An ``and``/``or``/``xor`` chain: evaluated in a loop, ``and``/``or`` short-circuit."""

    operator: str  # "and", "or" or "xor"
    operands: tuple[Node, ...]

    def value(self, variables: Mapping[str, Any]) -> Any:
        if self.operator == "xor":
            result = False
            for operand in self.operands:
                result = result != php.truthy(operand.value(variables))
            return result
        stop = self.operator == "or"  # the value that decides the chain
        for operand in self.operands:
            if php.truthy(operand.value(variables)) == stop:
                return stop
        return not stop


@dataclass(frozen=True)
class Compare(Node):
    operator: str
    left: Node
    right: Node

    def value(self, variables: Mapping[str, Any]) -> Any:
        a, b = self.left.value(variables), self.right.value(variables)
        op = self.operator
        if op == "===":
            return php.strict_equal(a, b)
        if op == "!==":
            return not php.strict_equal(a, b)
        if op == "==":
            return php.loose_equal(a, b)
        if op in ("!=", "<>"):
            return not php.loose_equal(a, b)
        order = php.compare(a, b)
        return {"<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0}[op]


_LOGIC_NAME = {"||": "or", "&&": "and", "or": "or", "and": "and", "xor": "xor"}


# ---------------------------------------------------------------- reading the text


def _number(text: str, position: int) -> Const:
    digits = text.replace("_", "")
    lowered = digits.lower()
    if lowered.startswith(("0x", "0b", "0o")):
        base = {"x": 16, "b": 2, "o": 8}[lowered[1]]
        return Const(int(digits[2:], base))
    if re.fullmatch(r"0\d+", digits):  # PHP's legacy octal: 017 is 15
        if not re.fullmatch(r"0[0-7]+", digits):
            raise ConditionError(f"invalid numeric literal {text!r} at position {position}")
        return Const(int(digits, 8))
    if re.fullmatch(r"\d+", digits):
        return Const(int(digits))
    return Const(float(digits))


def _string(text: str, position: int) -> str:
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


def _path(text: str) -> tuple[str, ...]:
    if text.startswith("->"):
        return (text[2:],)
    return tuple(key.strip("'\"") for key in re.findall(r"\[\s*([^\]\s]+)\s*\]", text))


def _tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while True:
        space = _SPACE.match(text, position)
        if space:
            position = space.end()
        if position >= len(text):
            return tokens
        match = _TOKEN.match(text, position)
        if match is None:
            char = text[position]
            what = _HINTS.get(char, repr(char))
            raise ConditionError(f"unsupported {what} at position {position + 1}")
        kind = match.lastgroup or ""
        if kind == "path":
            kind = "variable"
        end = match.end()
        if kind == "number" and end < len(text) and (text[end].isalnum() or text[end] == "_"):
            raise ConditionError(
                f"invalid numeric literal {text[position : end + 1]!r} at position {position + 1}"
            )
        value = match.group(kind)
        tokens.append(Token(kind, value, position + 1, match.group("path") or ""))
        position = end


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0

    # -- token access

    def peek(self, offset: int = 0) -> Token | None:
        index = self.index + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise ConditionError("unexpected end of the condition")
        self.index += 1
        return token

    def at(self, *values: str) -> bool:
        token = self.peek()
        return token is not None and token.kind in ("op", "word") and token.value.lower() in values

    def expect(self, value: str, what: str) -> None:
        if not self.at(value):
            token = self.peek()
            found = "the end" if token is None else f"{token.value!r} at position {token.position}"
            raise ConditionError(f"{what}: expected {value!r}, found {found}")
        self.take()

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"the condition nests deeper than {MAX_DEPTH} levels")

    # -- grammar

    def binary_operator(self) -> tuple[str, int, str] | None:
        token = self.peek()
        if token is None or token.kind not in ("op", "word"):
            return None
        operator = token.value.lower() if token.kind == "word" else token.value
        if operator not in _BINARY:
            return None
        precedence, kind = _BINARY[operator]
        return operator, precedence, kind

    def expression(self, minimum: int = 1) -> Node:
        left = self.unary()
        while True:
            found = self.binary_operator()
            if found is None or found[1] < minimum:
                return left
            operator, precedence, kind = found
            token = self.take()
            right = self.expression(precedence + 1)
            if kind == "logic":
                name = _LOGIC_NAME[operator]
                if isinstance(left, Logic) and left.operator == name:
                    left = Logic(name, (*left.operands, right))
                else:
                    left = Logic(name, (left, right))
            elif kind == "chain":
                if isinstance(left, Chain) and _BINARY[left.rest[0][0]][0] == precedence:
                    left = Chain(left.first, (*left.rest, (operator, right)))
                else:
                    left = Chain(left, ((operator, right),))
            else:
                left = Compare(operator, left, right)
                after = self.binary_operator()
                if after is not None and after[1] == precedence:
                    raise ConditionError(
                        f"comparisons cannot be chained ({token.value!r} then {after[0]!r} "
                        f"at position {self.peek().position}); join them with and"  # type: ignore[union-attr]
                    )

    def unary(self) -> Node:
        token = self.peek()
        if token is None:
            raise ConditionError("unexpected end of the condition")
        if token.kind == "word" and token.value.lower() == "not":
            self.take()
            self.deeper()
            operand = self.expression(_NOT_OPERAND)
            self.depth -= 1
            return Unary("not", operand)
        if token.kind == "op" and token.value in ("!", "-", "+"):
            self.take()
            self.deeper()
            operand = self.unary()
            self.depth -= 1
            return Unary(token.value, operand)
        cast = self.cast()
        if cast is not None:
            self.deeper()
            operand = self.unary()
            self.depth -= 1
            return Unary(cast, operand)
        base = self.primary()
        if self.at("**"):
            self.take()
            self.deeper()
            exponent = self.unary()  # right-associative, and binds tighter than unary minus
            self.depth -= 1
            return Power(base, exponent)
        return base

    def cast(self) -> str | None:
        opening, word, closing = self.peek(), self.peek(1), self.peek(2)
        if (
            opening is not None
            and opening.value == "("
            and word is not None
            and word.kind == "word"
            and word.value.lower() in _CASTS
            and closing is not None
            and closing.value == ")"
        ):
            self.index += 3
            return word.value.lower()
        return None

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return _number(token.value, token.position)
        if token.kind == "string":
            return Const(_string(token.value, token.position))
        if token.kind == "variable":
            return Var(token.value[1], token.value[2:], _path(token.path))
        if token.kind == "op" and token.value == "(":
            self.deeper()
            inner = self.expression()
            self.expect(")", f"the '(' at position {token.position} is not closed")
            self.depth -= 1
            return inner
        if token.kind == "op" and token.value == "[":
            return self.array(token, "]")
        if token.kind == "word":
            return self.word(token)
        raise ConditionError(f"unexpected {token.value!r} at position {token.position}")

    def word(self, token: Token) -> Node:
        name = token.value.lower()
        if name in _CONSTANTS:
            return Const(_CONSTANTS[name])
        if not self.at("("):
            raise ConditionError(f"unsupported name {token.value!r} at position {token.position}")
        opening = self.take()
        if name == "array":
            return self.array(opening, ")")
        if name == "isset":
            return self.isset(token)
        if name == "empty":
            self.deeper()
            operand = self.expression()
            self.expect(")", f"empty() at position {token.position}")
            self.depth -= 1
            return Empty(operand)
        function = php.FUNCTIONS.get(name)
        if function is None:
            raise ConditionError(
                f"unsupported function {token.value!r} at position {token.position}"
            )
        arguments = self.arguments(token)
        count = len(arguments)
        if count < function.minimum or (function.maximum is not None and count > function.maximum):
            expected = (
                f"{function.minimum}"
                if function.maximum == function.minimum
                else f"{function.minimum} to {function.maximum}"
                if function.maximum is not None
                else f"at least {function.minimum}"
            )
            raise ConditionError(
                f"{name}() at position {token.position} takes {expected} arguments, not {count}"
            )
        return Call(name, function, arguments)

    def arguments(self, token: Token) -> tuple[Node, ...]:
        self.deeper()
        arguments: list[Node] = []
        while not self.at(")"):
            arguments.append(self.expression())
            if not self.at(","):
                break
            self.take()
        self.expect(")", f"{token.value}() at position {token.position}")
        self.depth -= 1
        return tuple(arguments)

    def isset(self, token: Token) -> Node:
        targets = []
        for argument in self.arguments(token):
            if not isinstance(argument, Var):
                raise ConditionError(
                    f"isset() at position {token.position} takes case variables only"
                )
            targets.append(argument)
        if not targets:
            raise ConditionError(f"isset() at position {token.position} takes a variable")
        return IsSet(tuple(targets))

    def array(self, opening: Token, closing: str) -> Node:
        self.deeper()
        entries: list[tuple[Node | None, Node]] = []
        while not self.at(closing):
            item = self.expression()
            key = None
            if self.at("=>"):
                self.take()
                key, item = item, self.expression()
            entries.append((key, item))
            if not self.at(","):
                break
            self.take()
        self.expect(closing, f"the array at position {opening.position}")
        self.depth -= 1
        return ArrayLiteral(tuple(entries))


@dataclass(frozen=True)
class Condition:
    """A parsed condition: ``holds(variables)`` evaluates it."""

    text: str
    root: Node

    def holds(self, variables: Mapping[str, Any]) -> bool:
        try:
            return php.truthy(self.root.value(variables))
        except (php.PhpError, ArithmeticError, OSError) as exc:
            raise ConditionError(str(exc)) from None


def parse_condition(text: str) -> Condition:
    """Parse ``text``; ``ConditionError`` (a ``ValueError``) naming what is not accepted."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"the condition is longer than {MAX_LENGTH} characters")
    parser = _Parser(text)
    if not parser.tokens:
        raise ConditionError("the condition is empty")
    root = parser.expression()
    token = parser.peek()
    if token is not None:
        raise ConditionError(f"unexpected {token.value!r} at position {token.position}")
    return Condition(text, root)


def evaluate_condition(text: str, variables: Mapping[str, Any]) -> bool:
    """True when ``text`` is empty or holds on ``variables``; ``ValueError`` when invalid."""
    if not text or not text.strip():
        return True
    return parse_condition(text).holds(variables)
