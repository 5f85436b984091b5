"""ProcessMaker event conditions: the safe grammar, PHP-like loose comparison, syntax errors."""

from __future__ import annotations

import pytest

from chalicelib.dialects.processmaker.conditions import evaluate_condition, parse_condition

VARIABLES = {"amount": "1500", "VAL": "2", "region": "EU", "zero": "0", "count": 3}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@@amount > 1000", True),
        ("@@amount > 2000", False),
        ("@@VAL == 2", True),  # '2' == 2, as PHP
        ("@@VAL === '2'", True),
        ("@@region == 'EU'", True),
        ('@@region != "EU"', False),
        ("@@region <> 'US'", True),
        ("@@amount >= 1500 and @@region == 'EU'", True),
        ("@@amount >= 1500 && @@region == 'US'", False),
        ("@@amount < 10 or @@region == 'EU'", True),
        ("@@amount < 10 || @@count <= 2", False),
        ("not @@amount > 1000", False),
        ("!(@@amount > 1000 and @@region == 'US')", True),
        ("@#count > 2.5", True),
        ("@@missing == ''", True),  # a missing variable is the empty text
        ("@@missing", False),
        ("@@zero", False),  # "0" is false, as PHP
        ("@@region", True),
        ("true", True),
        ("null", False),
        ("@@region < 'FR'", True),  # texts compare as texts
        ("@@amount > 1000 AND (@@VAL == 1 OR @@VAL == 2)", True),
    ],
)
def test_conditions_evaluate_on_variables(text, expected):
    assert evaluate_condition(text, VARIABLES) is expected


def test_an_empty_condition_holds():
    assert evaluate_condition("", {}) is True
    assert evaluate_condition("   ", {}) is True


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@@amount >", "unexpected end of the condition"),
        ("@@amount > > 1", "unexpected '>'"),
        ("(@@amount > 1", "a '(' is not closed"),
        ("@@amount > 1)", "unexpected ')'"),
        ("system('ls')", "unknown word 'system'"),
        ("@@amount; 1", "unexpected character at position 9"),
        ("__import__('os')", "unknown word '__import__'"),
        ("@@a.b == 1", "unexpected character at position 4"),
        ("", "the condition is empty"),
    ],
)
def test_syntax_errors_say_why(text, reason):
    with pytest.raises(ValueError) as raised:
        parse_condition(text)
    assert str(raised.value) == reason
