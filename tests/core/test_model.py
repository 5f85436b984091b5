from datetime import datetime

import pytest

from chalicelib.core.model import build_event, infer_trait, make_trait, parse_timestamp
from chalicelib.errors import ValidationFailed


def test_timestamps_become_naive_utc():
    assert parse_timestamp("2014-01-01T06:00:00+01:00") == datetime(2014, 1, 1, 5, 0)
    assert parse_timestamp("2014-01-01T05:00:00Z") == datetime(2014, 1, 1, 5, 0)
    with pytest.raises(ValueError):
        parse_timestamp("yesterday")


@pytest.mark.parametrize(
    ("trait_type", "value", "expected"),
    [
        ("string", 101, "101"),
        ("integer", "101", 101),
        ("float", "1.5", 1.5),
        ("datetime", "2014-01-01T05:00:00", datetime(2014, 1, 1, 5)),
    ],
)
def test_make_trait_converts_to_its_type(trait_type, value, expected):
    assert make_trait("t", trait_type, value).value == expected


@pytest.mark.parametrize(
    ("trait_type", "value"),
    [("integer", "abc"), ("integer", 1.5), ("float", "nan"), ("datetime", "x"), ("bool", 1)],
)
def test_make_trait_refuses_what_it_cannot_convert(trait_type, value):
    with pytest.raises(ValidationFailed):
        make_trait("t", trait_type, value)


def test_string_traits_are_cropped_to_255():
    assert len(make_trait("t", "string", "x" * 300).value) == 255


def test_trait_wire_values_are_text():
    assert make_trait("d", "datetime", "2014-01-01T05:00:00").wire_value() == "2014-01-01T05:00:00"
    assert make_trait("d", "datetime", "2014-01-01T05:00:00.5").wire_value() == (
        "2014-01-01T05:00:00.500000"
    )
    assert infer_trait("n", 3).type == "integer"
    assert infer_trait("b", True).wire_value() == "True"


def test_identity_arguments_become_traits_and_win_over_traits():
    event = build_event(event_type="x", project_id="p1", user_id="u1")
    assert event.project_id == "p1" and event.trait("user_id").value == "u1"
    owned = build_event(
        event_type="x", traits=[make_trait("project_id", "string", "p2")], project_id="p1"
    )
    assert owned.project_id == "p1"  # the creator's (see tests/core/test_owners.py)
    named = build_event(
        event_type="x",
        traits=[make_trait("project_id", "string", "p2")],
        project_id="p1",
        owner_from_traits=True,
    )
    assert named.project_id == "p2"


def test_traits_are_ordered_by_name_then_type():
    event = build_event(
        event_type="x",
        traits=[
            make_trait("b", "integer", 1),
            make_trait("a", "float", 1),
            make_trait("b", "string", 1),
        ],
    )
    assert [(t.name, t.type) for t in event.traits] == [
        ("a", "float"),
        ("b", "string"),
        ("b", "integer"),
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"event_type": ""},
        {"event_type": 5},
        {"event_type": "x", "message_id": "a#b"},
        {"event_type": "x", "message_id": 7},
        {"event_type": "x", "generated": "not a time"},
    ],
)
def test_build_event_refuses_bad_parts(kwargs):
    with pytest.raises(ValidationFailed):
        build_event(**kwargs)
