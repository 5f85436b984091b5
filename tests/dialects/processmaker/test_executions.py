"""Which events relate to a task, and when their executions are due (calendar days)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.dialects.processmaker.executions import due_time, related_events

START = datetime(2026, 12, 4, 16, 0, 0)  # a Friday: calendar days count the weekend
A, B, C, D = ("a" * 32, "b" * 32, "c" * 32, "d" * 32)
PROJECT = {
    "prj_uid": "p" * 32,
    "tasks": [{"tas_uid": uid, "tas_title": uid[0]} for uid in (A, B, C, D)],
    # A → B → C, and a second route A → D that "between" does not follow (first route only).
    "routes": [
        {"tas_uid": A, "rou_next_task": B},
        {"tas_uid": A, "rou_next_task": D},
        {"tas_uid": B, "rou_next_task": C},
        {"tas_uid": C, "rou_next_task": "-1"},
    ],
}


def event(uid="e", **changes):
    base = {
        "evn_uid": uid,
        "evn_status": "ACTIVE",
        "evn_action": "EXECUTE_TRIGGER",
        "evn_related_to": "SINGLE",
        "tas_uid": A,
        "evn_tas_uid_from": "",
        "evn_tas_uid_to": "",
        "evn_tas_estimated_duration": 1.0,
        "evn_time_unit": "DAYS",
        "evn_when": 1.0,
        "evn_when_occurs": "AFTER_TIME",
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    ("changes", "delta"),
    [
        ({"evn_when_occurs": "TASK_STARTED", "evn_when": 3}, timedelta(days=3)),
        ({"evn_when_occurs": "TASK_STARTED", "evn_when": 0.5}, timedelta(hours=12)),
        ({"evn_when_occurs": "TASK_STARTED", "evn_when": 0}, timedelta(0)),
        ({"evn_tas_estimated_duration": 2, "evn_when": 1}, timedelta(days=3)),
        ({"evn_tas_estimated_duration": 2 / 24, "evn_when": 1}, timedelta(days=1, hours=2)),
        ({"evn_tas_estimated_duration": 0.25, "evn_when": 0.25}, timedelta(hours=12)),
    ],
)
def test_due_time_adds_calendar_days(changes, delta):
    assert due_time(event(**changes), START) == START + delta


def test_single_events_relate_to_their_task_only():
    events = [event("on-a"), event("on-b", tas_uid=B)]
    assert [e["evn_uid"] for e in related_events(PROJECT, events, A)] == ["on-a"]
    assert [e["evn_uid"] for e in related_events(PROJECT, events, B)] == ["on-b"]


def test_inactive_events_are_not_planned():
    assert related_events(PROJECT, [event(evn_status="INACTIVE")], A) == []


def test_multiple_events_relate_from_to_and_between_along_the_first_route():
    spanning = event(
        "span", evn_related_to="MULTIPLE", tas_uid="", evn_tas_uid_from=A, evn_tas_uid_to=C
    )
    related = {task: bool(related_events(PROJECT, [spanning], task)) for task in (A, B, C, D)}
    assert related == {A: True, B: True, C: True, D: False}


def test_an_unreachable_end_relates_only_the_two_ends():
    backwards = event(
        "back", evn_related_to="MULTIPLE", tas_uid="", evn_tas_uid_from=C, evn_tas_uid_to=A
    )
    related = {task: bool(related_events(PROJECT, [backwards], task)) for task in (A, B, C)}
    assert related == {A: True, B: False, C: True}
