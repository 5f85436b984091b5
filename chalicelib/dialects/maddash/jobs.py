"""MaDDash's timed jobs: the kinds of due work its windows plan, registered with the scheduler.

No Chalice here: the schedule Lambda imports this through ``engine/jobs.py``.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.core.due_work import DueWork
from chalicelib.dialects.maddash.window_apply import apply_window
from chalicelib.dialects.maddash.windows import END, START, SYNC
from chalicelib.engine.scheduler import JobResult, Reschedule, register_kind


def run_window_work(work: DueWork, now: datetime) -> JobResult:
    """A window's start, end or sync: apply it; recurring starts and ends come back."""
    following = apply_window(work.kind, work.key, work.due_at, now)
    return Reschedule(following) if following is not None else None


def register_jobs() -> None:
    """Register MaDDash's kinds (the scheduler calls this every tick: a dict update)."""
    for kind in (START, END, SYNC):
        register_kind(kind, run_window_work)
