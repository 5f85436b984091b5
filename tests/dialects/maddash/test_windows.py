"""MaDDash windows in the store: "under maintenance?" by node and check, from key Queries."""

from __future__ import annotations

import pytest

from chalicelib.core.maintenance import is_under_maintenance
from chalicelib.dialects.maddash.grids import load_config
from chalicelib.dialects.maddash.windows import (
    WindowNotFound,
    create_window,
    delete_window,
    list_windows,
    load_window,
)
from chalicelib.errors import ValidationFailed

T = 1_900_000_000
CONFIG = {
    "groups": {"hosts": ["r1", "r2", "r3"]},
    "checks": {"ping": {"name": "Ping"}, "loss": {"name": "Loss"}},
    "grids": [
        {
            "name": "G",
            "rows": "hosts",
            "columns": "hosts",
            "checks": ["ping", "loss"],
            "excludeSelf": 1,
        }
    ],
}


def at(seconds):
    from chalicelib.dialects.maddash.window_items import from_epoch

    return from_epoch(seconds)


def window(**fields):
    body = {
        "checkFilters": {"rowName": "r1", "checkName": "Ping"},
        "name": "n",
        "description": "d",
        "startTime": T,
        "endTime": T + 3600,
    } | fields
    return create_window(body, created_by="root", now=at(T - 86_400))


@pytest.fixture
def grid(aws):
    load_config(CONFIG)


def test_a_window_covers_its_nodes_and_check_names_from_start_to_end(grid):
    created = window()
    assert load_window(created.id).checks == ["G/r1/r2/Ping", "G/r1/r3/Ping"]
    assert is_under_maintenance("r1", None, at(T))  # the start is inclusive
    assert is_under_maintenance("r2", None, at(T + 60))  # a column of a covered check
    assert is_under_maintenance(None, "Ping", at(T + 60))
    assert is_under_maintenance("other", "Ping", at(T + 60))
    assert not is_under_maintenance(None, "Loss", at(T + 60))
    assert not is_under_maintenance("r1", None, at(T + 3600))  # the end is exclusive
    assert not is_under_maintenance("r1", None, at(T - 1))
    assert not is_under_maintenance(None, None, at(T + 60))


def test_a_recurring_window_covers_only_its_occurrences(grid):
    window(
        endTime=None,
        recurrence={"cron": "0 * * * *", "timeZone": "UTC", "duration": 600},
        startTime=T - T % 3600,
    )
    hour = T - T % 3600 + 3600
    assert is_under_maintenance("r1", None, at(hour + 599))
    assert not is_under_maintenance("r1", None, at(hour + 600))
    assert is_under_maintenance("r1", None, at(hour + 3600))


def test_deleting_a_window_removes_its_targets(grid):
    created = window()
    delete_window(created.id)
    assert not is_under_maintenance("r1", None, at(T + 60))
    with pytest.raises(WindowNotFound):
        load_window(created.id)


def test_lookups_are_key_queries(grid, monkeypatch):
    from chalicelib.store.maintenance import MaintenanceModel

    window()

    def refuse(*args, **kwargs):
        raise AssertionError("a scan")

    monkeypatch.setattr(MaintenanceModel, "scan", refuse)
    assert is_under_maintenance("r1", "Ping", at(T + 60))
    assert [w.name for w in list_windows(at(T))] == ["n"]


def test_validation_runs_in_maddash_order(grid):
    with pytest.raises(ValidationFailed, match="No checks matched"):
        create_window({"checkFilters": {"rowName": "nobody"}})
    with pytest.raises(ValidationFailed, match="Missing required field name"):
        create_window({"checkFilters": {"rowName": "r1"}})
