"""Counters published as CloudWatch embedded metric format (Lambda Powertools ``Metrics``).

Call sites only count (``count("ActionExecutions", module="WebHook", status="ok")``): a dict
update, no import beyond this stdlib-only module. Each entry point flushes once per
invocation (``flush("api" | "stream" | "schedule")``): counts are grouped by their dimensions,
each group printed as one EMF JSON line on stdout, where CloudWatch Logs turns it into metrics
(and ``make run`` shows it in its log). Powertools is imported on the first flush that has
something to say, so a path that counts nothing pays nothing. The first flush of each function
in a container adds ``ColdStart``.

Metrics (namespace ``EventService``; every one also has ``service`` and ``function``):
``EventsRecorded`` (dialect), ``ActionExecutions`` (module, status: ok|failed|skipped),
``BatchItemFailures``, ``SchedulerTransitions`` (transition: done|retried|failed|taken|left|
unknown), ``LoginLockouts`` (a login refused while its username is locked out), ``ColdStart``.
infra/alarms.py alarms on ``LoginLockouts`` and charts them all.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

NAMESPACE = "EventService"
SERVICE = "event-service"

_Key = tuple[str, tuple[tuple[str, str], ...]]
_pending: dict[_Key, float] = {}
_flushed_functions: set[str] = set()
_lock = threading.Lock()


def count(name: str, value: float = 1, **dimensions: object) -> None:
    """Add ``value`` to the counter ``name`` with these dimensions (published at the flush)."""
    if not value:
        return
    key = (name, tuple(sorted((dim, str(dim_value)) for dim, dim_value in dimensions.items())))
    with _lock:
        _pending[key] = _pending.get(key, 0) + value


def count_each(name: str, counts: Mapping[str, float], dimension: str) -> None:
    """``count(name, value, **{dimension: key})`` for every non-zero entry of ``counts``."""
    for key, value in counts.items():
        count(name, value, **{dimension: key})


def pending() -> dict[_Key, float]:
    """What the next flush would publish (for tests)."""
    with _lock:
        return dict(_pending)


def flush(function: str) -> int:
    """Publish and forget what was counted; returns how many EMF lines were printed."""
    with _lock:
        taken = dict(_pending)
        _pending.clear()
        cold = function not in _flushed_functions
        _flushed_functions.add(function)
    if cold:
        taken[("ColdStart", ())] = 1
    if not taken:
        return 0
    from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

    groups: dict[tuple[tuple[str, str], ...], list[tuple[str, float]]] = {}
    for (name, dimensions), value in taken.items():
        groups.setdefault(dimensions, []).append((name, value))
    for dimensions, values in groups.items():
        emitter = EphemeralMetrics(namespace=NAMESPACE, service=SERVICE)
        emitter.add_dimension(name="function", value=function)
        for dimension, label in dimensions:
            emitter.add_dimension(name=dimension, value=label)
        for name, count in values:
            emitter.add_metric(name=name, unit=MetricUnit.Count, value=count)
        emitter.flush_metrics()
    return len(groups)
