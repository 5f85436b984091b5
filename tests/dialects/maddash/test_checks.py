"""Check names as MaDDash encodes them, statuses, and the events API's filter semantics."""

from __future__ import annotations

import pytest

from chalicelib.dialects.maddash.checks import (
    CheckRef,
    effective_status,
    encode_name,
    matches,
    parse_filters,
    status_short_name,
)
from chalicelib.errors import ValidationFailed


def test_names_are_form_encoded_like_java():
    assert encode_name("Throughput Reverse") == "Throughput+Reverse"
    assert encode_name("a/b") == "a%2Fb"
    ref = CheckRef("My Grid", "h1", "h/2", "Loss")
    assert ref.uri == "/maddash/grids/My+Grid/h1/h%2F2/Loss"
    assert CheckRef.from_ref(ref.ref) == ref


def test_status_derivation():
    assert effective_status(None, None) == 4
    assert effective_status(2, set()) == 2
    assert effective_status(2, {"1@5"}) == 5
    assert [status_short_name(code) for code in (0, 4, 5, 9)] == [
        "OK",
        "NOT RUN",
        "MAINTENANCE",
        "CUSTOM",
    ]


def test_filters_normalise_wildcards_strings_and_arrays():
    filters = parse_filters(
        {
            "checkFilters": {
                "gridName": "*",
                "rowName": "h1",
                "columnName": ["a", "*"],
                "checkName": None,
                "dimensionName": ["x", "y"],
                "other": 5,
            }
        }
    )
    assert filters == {"rowName": ("h1",), "dimensionName": ("x", "y")}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, True),
        ({"gridName": ("G", "H")}, True),
        ({"gridName": ("H",)}, False),
        ({"rowName": ("r",), "columnName": ("c",)}, True),
        ({"rowName": ("r",), "columnName": ("x",)}, False),
        ({"dimensionName": ("c",)}, True),
        ({"dimensionName": ("r",), "checkName": ("Loss",)}, True),
        ({"dimensionName": ("z",)}, False),
        ({"checkName": ("Ping",)}, False),
    ],
)
def test_matching(filters, expected):
    assert matches(CheckRef("G", "r", "c", "Loss"), filters) is expected


def test_a_non_string_in_an_array_is_refused():
    with pytest.raises(ValidationFailed, match="Invalid type for filter gridName: OBJECT"):
        parse_filters({"checkFilters": {"gridName": [{}]}})
