"""privacyIDEA's comparisons over the expression core, checked with privacyIDEA's own cases
(``tests/test_lib_utils_compare.py``, ``test_13_string_contains`` and
``test_16_compare_generic_condition``)."""

from __future__ import annotations

import pytest

from chalicelib.core.expressions import Compare, ExpressionError, Literal, Variable, evaluate
from chalicelib.engine.compare import PRIVACYIDEA, compare, parse_comparison

ATTRIBUTES = {
    "a": "10",
    "b": "100",
    "c": "1000",
    "e": 1000,
    "text": "ABC",
    "list": ["123", "ABC", "XYZ"],
}


def holds(condition: str) -> bool:
    comparison = parse_comparison(condition, keyed=True)
    return compare(ATTRIBUTES.get(comparison.left), comparison)


@pytest.mark.parametrize(
    "condition",
    [
        "a<100",
        "a <100",
        "a '<' 100",
        "a > 1",
        "a '>' 1",
        "b==100",
        "b'=='100",
        "b 'equals' 100",
        "b!=200",
        "b'!='200",
        "b '!equals' 200",
        "e == 1000",
        "text < ABD",
        "text '<' ABD",
        "text == ABC",
        "text 'equals' ABC",
        "text 'string_contains' B",
        "text '!string_contains' D",
        "text 'in' 123,ABC,XYZ",
        "text '!in' 123,ABCD,XYZ",
        "text 'matches' [A-Z]{3}",
        "text '!matches' [1-9]{3}",
        "list 'contains' ABC",
        "list '!contains' AB",
    ],
)
def test_privacyideas_true_cases_hold(condition):
    assert holds(condition) is True


@pytest.mark.parametrize(
    "condition",
    [
        "a== 100",
        "a '==' 100",
        "a'equals'100",
        "b>100",
        "c < 500",
        "c <500",
        "c '<' 500",
        "text > ABD",
        "text '>' ABD",
        "text == ABCD",
        "text 'string_contains' D",
        "text '!string_contains' A",
        "text 'in' 123,ABCD,XYZ",
        "text '!in' 123,ABC,XYZ",
        "text '!matches' [A-Z]{3}",
        "text 'matches' [1-9]{3}",
        "list '!contains' ABC",
        "list 'contains' AB",
        "d==1",  # a key that does not exist never matches
        "d<1",
        "d>1",
        "e==ABC",
    ],
)
def test_privacyideas_false_cases_do_not_hold(condition):
    assert holds(condition) is False


def test_string_contains_ignores_case_as_privacyidea_does():
    for needle, expected in (("hello", True), ("Hello", True), ("ello", True), ("hello!", False)):
        comparison = parse_comparison(f"'string_contains'{needle}")
        assert compare("hello world", comparison) is expected, needle
    assert compare("Hello World", parse_comparison("'!string_contains'WORLD")) is False


def test_a_comparison_is_the_cores_compare_tree_under_privacyideas_semantics():
    comparison = parse_comparison("host 'matches' web-[0-9]+", keyed=True)
    assert comparison.tree == Compare("matches", Variable("host"), Literal("web-[0-9]+"))
    assert evaluate(comparison.tree, PRIVACYIDEA, {"host": "web-12"}) is True
    assert evaluate(comparison.tree, PRIVACYIDEA, {}) is False
    with pytest.raises(ExpressionError, match="not part of privacyIDEA's conditions"):
        PRIVACYIDEA.binary("+", 1, 2)
