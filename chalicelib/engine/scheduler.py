"""The scheduled function's work: a heartbeat, then every piece of planned work that is due.

Dialects register a job per kind of work (``register_kind``) and plan work through
``core/due_work.plan_work``. Each tick:

1. records the heartbeat (one write);
2. reads the due-work index up to ``now`` (one Query per shard: only what is due);
3. for each due item, while the invocation has time left: claims it with a conditional write
   (an overlapping tick skips it), runs its kind's job, then deletes it or, when the job
   returns a ``Reschedule``, moves it to its next occurrence in the same transaction;
4. a job that raises is retried with backoff up to its kind's attempts; then its ``give_up``
   hook (if any) hears the error and the item is dropped. Unknown kinds are left in place.
Work left when the deadline nears stays due for the next tick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib import metrics, observability
from chalicelib.core import due_work
from chalicelib.core.due_work import DueWork
from chalicelib.core.model import format_stored_time, utcnow
from chalicelib.settings import get_settings
from chalicelib.store.meta import MetaModel

HEARTBEAT_KEY = "scheduler#last_tick"
# Without a Lambda context (a test, a shell), a claim lasts this long.
DEFAULT_LEASE_SECONDS = 300.0


@dataclass(frozen=True)
class Reschedule:
    """A job's answer for recurring work: run again at ``at`` (with ``payload`` if given)."""

    at: datetime
    payload: dict[str, Any] | None = None


JobResult = Reschedule | None
Job = Callable[[DueWork, datetime], JobResult]
GiveUp = Callable[[DueWork, str], None]


@dataclass(frozen=True)
class JobKind:
    run: Job
    give_up: GiveUp | None = None
    max_attempts: int | None = None  # None: the scheduler's setting


_KINDS: dict[str, JobKind] = {}


def register_kind(
    kind: str, run: Job, *, give_up: GiveUp | None = None, max_attempts: int | None = None
) -> None:
    """Run ``run(work, now)`` for every due item of ``kind``."""
    _KINDS[kind] = JobKind(run=run, give_up=give_up, max_attempts=max_attempts)


def registered_kinds() -> list[str]:
    return sorted(_KINDS)


def last_tick() -> str | None:
    """When the scheduler last ran (stored time text), or None if it never has."""
    try:
        return MetaModel.get(HEARTBEAT_KEY).text
    except MetaModel.DoesNotExist:
        return None


def _remaining_seconds(context: Any) -> float | None:
    if context is None or not hasattr(context, "get_remaining_time_in_millis"):
        return None
    return context.get_remaining_time_in_millis() / 1000.0


def _heartbeat(now: datetime) -> int:
    heartbeat = MetaModel(HEARTBEAT_KEY)
    heartbeat.update(
        actions=[
            MetaModel.text.set(format_stored_time(now)),
            MetaModel.number.add(1),
            MetaModel.updated_at.set(format_stored_time(utcnow())),
        ]
    )
    return int(heartbeat.number)


def _run_one(work: DueWork, kind: JobKind, now: datetime, counts: dict[str, int]) -> None:
    settings = get_settings()
    try:
        result = kind.run(work, now)
    except Exception as exc:  # a failing job must not starve the rest of the tick
        error = f"{type(exc).__name__}: {exc}"
        attempts = kind.max_attempts or settings.scheduler_max_attempts
        if work.attempts + 1 < attempts:
            backoff = settings.schedule_interval_seconds * (2**work.attempts)
            due_work.retry(work, now + timedelta(seconds=backoff), error)
            counts["retried"] += 1
        else:
            if kind.give_up is not None:
                kind.give_up(work, error)
            due_work.finish(work)
            counts["failed"] += 1
        observability.logger.warning(
            "timed job failed",
            extra={"kind": work.kind, "key": work.key, "attempt": work.attempts + 1},
        )
        return
    if result is None:
        due_work.finish(work)
    else:
        due_work.finish(work, next_due=result.at, payload=result.payload)
    counts["done"] += 1


def run_due_work(now: datetime | None = None, context: Any = None) -> dict[str, Any]:
    """One tick: heartbeat, then every due item whose kind is registered; returns a report.

    Kinds are registered by their owners before the tick (``dialects/jobs.run_due_work``).
    """
    now = now or utcnow()
    settings = get_settings()
    report: dict[str, Any] = {"tick": format_stored_time(now), "ticks": _heartbeat(now)}
    counts = {"done": 0, "retried": 0, "failed": 0, "taken": 0, "left": 0, "unknown": 0}
    for work in due_work.due_work(now):
        remaining = _remaining_seconds(context)
        if remaining is not None and remaining < settings.schedule_deadline_margin_seconds:
            counts["left"] += 1  # stays due: the next tick takes it
            continue
        kind = _KINDS.get(work.kind)
        if kind is None:
            counts["unknown"] += 1
            continue
        lease = DEFAULT_LEASE_SECONDS if remaining is None else remaining
        if not due_work.claim(work, lease):
            counts["taken"] += 1
            continue
        _run_one(work, kind, now, counts)
    report["work"] = counts
    metrics.count_each("SchedulerTransitions", counts, dimension="transition")
    observability.logger.info("schedule tick", extra=report)
    return report
