"""The expression core on its own: a toy grammar proves the parser, evaluator and caps are the
grammar's, not ProcessMaker's or privacyIDEA's."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chalicelib.core.expressions import (
    Binary,
    BinaryOperator,
    Call,
    Caps,
    Compare,
    ExpressionError,
    Function,
    Grammar,
    Lexicon,
    Literal,
    PrefixOperator,
    Rule,
    Token,
    Unary,
    Variable,
    compile_pattern,
    evaluate,
    lookup,
    parse,
)

CALLS: list[str] = []


def _traced(name: str, value: Any) -> Function:
    def body(*arguments: Any) -> Any:
        CALLS.append(name)
        return value if not arguments else arguments[0]

    return Function(0, 1, body)


LEXICON = Lexicon(
    rules=(
        Rule("number", r"\d+", glued="number"),
        Rule("variable", r"\$[a-z]+(?:\.[a-z0-9]+)*"),
        Rule("op", r"==|<=|&&|\|\||\^|[<()+\-*!,]"),
        Rule("word", r"[a-z]+"),
    ),
    hints={"=": "'=' (use '==')"},
)


def _variable(token: Token) -> Variable:
    name, *path = token.value[1:].split(".")
    return Variable(name, "$", tuple(path))


def toy(**caps: int) -> Grammar:
    """Integers, $variables, + - * ^ (right-assoc power), == < <=, && || and prefix ! -."""
    return Grammar(
        lexicon=LEXICON,
        caps=Caps(**({"max_length": 200, "max_depth": 4, "max_nodes": 50, "max_calls": 3} | caps)),
        binary={
            "||": BinaryOperator("or", 1, "logic"),
            "&&": BinaryOperator("and", 2, "logic"),
            "==": BinaryOperator("==", 3, "compare"),
            "<": BinaryOperator("<", 4, "compare"),
            "<=": BinaryOperator("<=", 4, "compare"),
            "+": BinaryOperator("+", 5),
            "-": BinaryOperator("-", 5),
            "*": BinaryOperator("*", 6),
            "^": BinaryOperator("^", 8, right_associative=True),
        },
        prefix={"!": PrefixOperator("!", 7), "-": PrefixOperator("-", 7)},
        literals={"number": lambda token: int(token.value)},
        variables={"variable": _variable},
        constants={"yes": True, "no": False},
        functions={"one": _traced("one", 1), "boom": _traced("boom", 0)},
        noun="rule",
    )


class Integers:
    def truthy(self, value: Any) -> bool:
        return bool(value)

    def convert(self, variable: Variable, stored: Any) -> Any:
        return 0 if stored is None else stored

    def unary(self, operator: str, value: Any) -> Any:
        return (not value) if operator == "!" else -value

    def binary(self, operator: str, left: Any, right: Any) -> Any:
        return {"+": left + right, "-": left - right, "*": left * right}.get(operator, left**right)

    def compare(self, operator: str, left: Any, right: Any) -> Any:
        return {"==": left == right, "<": left < right, "<=": left <= right}[operator]

    def sequence(self, entries: list[tuple[Any, Any]], keyed: bool) -> Any:
        return [value for _, value in entries]


def run(text: str, variables: dict[str, Any] | None = None, **caps: int) -> Any:
    return evaluate(parse(toy(**caps), text), Integers(), variables or {})


# ---------------------------------------------------------------- tokens


def test_tokens_are_typed_with_1_based_positions():
    assert LEXICON.tokenise(" 12 +$a.b") == [
        Token("number", "12", 2),
        Token("op", "+", 5),
        Token("variable", "$a.b", 6),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1 = 2", "unsupported '=' (use '==') at position 3"),
        ("1 # 2", "unsupported '#' at position 3"),
        ("12ab", "invalid number '12a' at position 1"),
    ],
)
def test_what_no_rule_reads_is_named_with_its_position(text, reason):
    with pytest.raises(ExpressionError, match=f"^{re.escape(reason)}$"):
        LEXICON.tokenise(text)


# ---------------------------------------------------------------- parsing


def test_the_grammar_decides_precedence_and_associativity():
    tree = parse(toy(), "1 + 2 * 3 - 4")
    assert tree == Binary(
        Literal(1), (("+", Binary(Literal(2), (("*", Literal(3)),))), ("-", Literal(4)))
    )
    assert run("1 + 2 * 3 - 4") == 3
    assert run("2 ^ 3 ^ 2") == 512  # right-associative
    assert run("-2 ^ 2") == -4  # the prefix takes only what binds tighter
    assert run("!1 == 0") is True  # (!1) == 0
    assert parse(toy(), "$a.x.y") == Variable("a", "$", ("x", "y"))


def test_same_level_chains_are_one_flat_node():
    tree = parse(toy(max_nodes=10_000, max_length=10_000), " && ".join(["yes"] * 500))
    assert isinstance(tree, Binary) and len(tree.rest) == 499
    assert {operator for operator, _ in tree.rest} == {"and"}
    # || and && are different names: a mixed text is two levels, not one chain
    mixed = parse(toy(), "yes || no && yes")
    assert isinstance(mixed, Binary) and mixed.rest[0][0] == "or"
    assert isinstance(mixed.rest[0][1], Binary) and mixed.rest[0][1].rest[0][0] == "and"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the rule is empty"),
        ("1 +", "unexpected end of the rule"),
        ("1 2", "unexpected '2' at position 3"),
        ("(1", "the '(' at position 1 is not closed: expected ')', found the end"),
        ("nope", "unsupported name 'nope' at position 1"),
        ("nope(1)", "unsupported function 'nope' at position 1"),
        ("one(1, 2)", "one() at position 1 takes 0 to 1 arguments, not 2"),
        (
            "1 < 2 <= 3",
            "comparisons cannot be chained ('<' then '<=' at position 7); join them with and",
        ),
        ("x" * 201, "the rule is longer than 200 characters"),
        ("(((((1)))))", "the rule nests deeper than 4 levels"),
        ("- - - - - 1", "the rule nests deeper than 4 levels"),
        (
            "1" + " + 1" * 25,
            "the rule has more than 50 parts (values, variables, operators and calls)",
        ),
        ("one() + one() + one() + one()", "the rule makes more than 3 calls"),
    ],
)
def test_refusals_name_the_part_and_the_cap(text, reason):
    with pytest.raises(ExpressionError) as raised:
        parse(toy(), text)
    assert str(raised.value) == reason


def test_comparisons_of_different_levels_nest():
    assert run("1 < 2 == yes") is True  # (1 < 2) == yes


# ---------------------------------------------------------------- evaluating


def test_the_evaluator_keeps_its_own_stack():
    """A tree far deeper than Python's recursion limit: the parser's caps would refuse its
    text, but the evaluator itself never recurses."""
    node: Any = Literal(1)
    for _ in range(50_000):
        node = Unary("-", node)
    assert evaluate(node, Integers(), {}) == 1
    node = Literal(0)
    for _ in range(50_000):
        node = Binary(Literal(1), (("+", node),))
    assert evaluate(node, Integers(), {}) == 50_000


def test_and_or_short_circuit_so_the_other_side_never_runs():
    CALLS.clear()
    assert run("no && boom()") is False
    assert run("yes || boom()") is True
    assert CALLS == []
    assert run("yes && one() == 1") is True
    assert CALLS == ["one"]


def test_variables_are_read_by_name_and_path():
    variables = {"a": {"b": [10, 20]}, "n": 3}
    assert run("$a.b.1 + $n", variables) == 23
    assert run("$missing.x + 1", variables) == 1  # the semantics decide what missing is
    assert lookup(variables, Variable("a", path=("b", "7"))) is None


def test_a_function_that_reads_variables_gets_what_is_stored():
    seen: list[Any] = []
    peek = Function(1, None, lambda *stored: seen.extend(stored) or True, reads_variables=True)
    tree = Call("peek", peek, (Variable("a"), Variable("missing")))
    assert evaluate(tree, Integers(), {"a": None}) is True
    assert seen == [None, None]  # not the semantics' conversion (0)
    assert evaluate(Compare("==", Variable("a"), Literal(0)), Integers(), {}) is True


# ---------------------------------------------------------------- patterns


def test_patterns_are_re2_with_a_length_cap():
    assert type(compile_pattern("(a|aa)+")).__module__.startswith("re2")
    assert compile_pattern("(a|aa)+").fullmatch("a" * 200 + "b") is None
    with pytest.raises(ExpressionError, match="at most 5 characters"):
        compile_pattern("abcdef", 5)
    with pytest.raises(ExpressionError, match="RE2"):
        compile_pattern(r"(a)\1")
