"""opEvents' normalised properties: pure functions, no store."""

from __future__ import annotations

import re

import pytest

from chalicelib.dialects.opevents import properties as props
from chalicelib.errors import ValidationFailed


def test_normalise_fills_the_defaults():
    normalised = props.normalise({"node": "r1", "event": "Node Down", "_id": "forged"}, now=60.5)
    assert normalised == {
        "node": "r1",
        "event": "Node Down",
        "time": 60.5,
        "date": "1970-01-01T00:01:00",
        "priority": 3,
        "level": "Warning",
        "type": "api",
        "acknowledged": 0,
        "escalate": 0,
        "flap": 0,
    }


def test_level_names_the_priority_and_a_level_alone_gives_the_priority():
    assert [props.level_of(p) for p in range(12)] == [
        "Normal",
        "Normal",
        "Normal",
        "Warning",
        "Warning",
        "Minor",
        "Major",
        "Critical",
        "Fatal",
        "Fatal",
        "Fatal",
        "Fatal",
    ]
    assert props.normalise({"host": "h", "event": "E", "level": "major"})["priority"] == 6
    assert props.normalise({"host": "h", "event": "E", "priority": -1})["priority"] == 0


def test_traits_are_typed():
    traits = {
        t.name: t
        for t in props.traits_of(
            props.normalise({"node": "r1", "event": "E", "priority": 6, "extra": [1, 2]}, now=1.0)
        )
    }
    assert (traits["priority"].type, traits["priority"].value) == ("integer", 6)
    assert (traits["time"].type, traits["time"].value) == ("float", 1.0)
    assert (traits["node"].type, traits["acknowledged"].value) == ("string", "0")
    assert traits["extra"].value == "[1, 2]"


def test_ids_look_like_object_ids():
    event_id = props.new_event_id(0x65F0C0FE)
    assert re.fullmatch(r"65f0c0fe[0-9a-f]{16}", event_id) and props.is_event_id(event_id)
    assert not props.is_event_id("65F0C0FE" + "0" * 16) and not props.is_event_id("abc")


@pytest.mark.parametrize(
    "changes",
    [
        None,
        {},
        [],
        "x",
        {"flap": 1},
        {"escalate": "yes"},
        {"tags": {"a": True}},
        {"priority": 11},
        {"level": "Loud"},
        {"tag_bad name": 1},
    ],
)
def test_validate_changes_refuses(changes):
    with pytest.raises(ValidationFailed):
        props.validate_changes(changes)


def test_validate_changes():
    assert props.validate_changes({"acknowledged": True, "priority": "7", "tags": {"t": 1}}) == {
        "acknowledged": 1,
        "escalate": 0,
        "priority": 7,
        "level": "Critical",
        "tag_t": 1,
    }


def test_validate_changes_level_and_tags():
    assert props.validate_changes({"details": "x", "level": "minor", "tag_site": "ams"}) == {
        "details": "x",
        "priority": 5,
        "level": "Minor",
        "tag_site": "ams",
    }
    # a priority given with a level decides it: the level is the priority's
    assert props.validate_changes({"level": "Minor", "priority": 7}) == {
        "priority": 7,
        "level": "Critical",
    }
