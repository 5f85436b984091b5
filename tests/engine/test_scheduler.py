"""The scheduled function: due work claimed once, run, finished, rescheduled or retried."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.core import due_work
from chalicelib.engine import scheduler

NOW = datetime(2026, 12, 1, 12, 0, 0)


@pytest.fixture
def kinds(monkeypatch):
    """A clean job registry for the test (dialects register theirs at import)."""
    monkeypatch.setattr(scheduler, "_KINDS", {})
    return scheduler


class Context:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def get_remaining_time_in_millis(self) -> int:
        return int(self.seconds * 1000)


def test_a_tick_runs_due_work_once_and_records_the_heartbeat(aws, kinds):
    ran = []
    kinds.register_kind("test", lambda work, now: ran.append((work.key, now)))
    due_work.plan_work("test", "due", NOW - timedelta(seconds=1))
    due_work.plan_work("test", "later", NOW + timedelta(hours=1))

    report = kinds.run_due_work(NOW)

    assert ran == [("due", NOW)]
    assert report["work"]["done"] == 1
    assert kinds.last_tick() == "2026-12-01T12:00:00.000000"
    kinds.run_due_work(NOW)
    assert ran == [("due", NOW)]  # finished work is gone


def test_recurring_work_is_planned_again(aws, kinds):
    def weekly(work, now):
        return scheduler.Reschedule(work.due_at + timedelta(days=7), {"n": work.payload["n"] + 1})

    kinds.register_kind("weekly", weekly)
    due_work.plan_work("weekly", "w", NOW, {"n": 1})
    kinds.run_due_work(NOW)

    (following,) = due_work.due_work(NOW + timedelta(days=7))
    assert following.payload == {"n": 2}
    assert list(due_work.due_work(NOW + timedelta(days=6))) == []


def test_a_failing_job_is_retried_then_given_up(aws, kinds):
    gave_up = []

    def broken(work, now):
        raise RuntimeError("receiver down")

    kinds.register_kind("broken", broken, give_up=lambda w, err: gave_up.append(err))
    due_work.plan_work("broken", "b", NOW)
    first = kinds.run_due_work(NOW)
    assert first["work"]["retried"] == 1
    assert list(due_work.due_work(NOW)) == []  # moved to a later due time
    second = kinds.run_due_work(NOW + timedelta(days=1))
    third = kinds.run_due_work(NOW + timedelta(days=2))

    assert second["work"]["retried"] == 1
    assert third["work"]["failed"] == 1
    assert gave_up == ["RuntimeError: receiver down"]
    assert list(due_work.due_work(NOW + timedelta(days=3))) == []


def test_work_claimed_by_an_overlapping_tick_is_skipped(aws, kinds):
    ran = []
    kinds.register_kind("test", lambda work, now: ran.append(work.key))
    work = due_work.plan_work("test", "a", NOW)
    assert due_work.claim(work, 60)  # another tick holds it

    report = kinds.run_due_work(NOW)

    assert ran == []
    assert report["work"]["taken"] == 1


def test_nothing_is_claimed_when_the_deadline_is_near(aws, kinds):
    ran = []
    kinds.register_kind("test", lambda work, now: ran.append(work.key))
    due_work.plan_work("test", "a", NOW)

    report = kinds.run_due_work(NOW, context=Context(seconds=1))

    assert ran == []
    assert report["work"]["left"] == 1
    kinds.run_due_work(NOW, context=Context(seconds=60))
    assert ran == ["a"]


def test_unknown_kinds_stay_planned(aws, kinds):
    due_work.plan_work("nobody", "x", NOW)
    report = kinds.run_due_work(NOW)
    assert report["work"]["unknown"] == 1
    assert len(list(due_work.due_work(NOW))) == 1
