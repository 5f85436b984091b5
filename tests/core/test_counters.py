"""Named counters: atomic changes, the zero floor, reads and a listing without a Scan."""

from __future__ import annotations

import pytest

from chalicelib.core.counters import change_counter, get_counter, list_counters, reset_counter
from chalicelib.errors import ValidationFailed
from chalicelib.store.counters import SHARDS, CounterModel, partition_of


def test_change_read_and_reset(aws):
    assert get_counter("hits") == 0
    assert change_counter("hits", 1) == 1
    assert change_counter("hits", 5) == 6
    assert change_counter("hits", -2) == 4
    assert reset_counter("hits") == 0 and get_counter("hits") == 0


def test_a_decrease_stops_at_zero_unless_negative_is_allowed(aws):
    assert change_counter("fresh", -1) == 0  # a new counter too
    change_counter("c", 2)
    assert change_counter("c", -5) == 0
    assert change_counter("c", -1) == 0
    assert change_counter("c", -3, allow_negative=True) == -3
    assert change_counter("c", -1) == -3  # already below zero: left alone, never lowered


def test_list_counters_reads_every_shard(aws):
    names = [f"counter-{i}" for i in range(12)]
    for value, name in enumerate(names, start=1):
        change_counter(name, value)
    assert len({partition_of(name) for name in names}) > 1
    listed = list_counters()
    assert [c["name"] for c in listed] == sorted(names)
    assert {c["name"]: c["value"] for c in listed} == {n: v for v, n in enumerate(names, 1)}
    assert all(c["updated_at"] for c in listed)


def test_a_model_written_directly_finds_its_partition(aws):
    CounterModel(name="direct", value=3).save()
    assert get_counter("direct") == 3
    assert partition_of("direct").startswith("counter#")
    assert int(partition_of("direct").split("#")[1]) < SHARDS


@pytest.mark.parametrize("name", ["", "   ", "x" * 256, None])
def test_names_are_checked(aws, name):
    with pytest.raises(ValidationFailed):
        change_counter(name, 1)
