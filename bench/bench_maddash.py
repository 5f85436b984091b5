"""MaDDash: what an idle scheduler tick costs with many windows planned, and a busy one.

Figures, against moto's in-process DynamoDB (request counts carry over to AWS; times do not):
- ``BENCH_MADDASH_WINDOWS`` (default 10,000) windows planned in the future over a small grid:
  the first ``BENCH_MADDASH_DUE`` through ``core.maintenance.create_window``, the rest
  written in batches with the same items (window item, planned start and end) so that
  setting up 10,000 windows in moto takes seconds, not minutes;
- DynamoDB requests of one tick with none of them due. Target: ≤ 2 (the heartbeat, and one
  Query per due-work shard with the default one shard): a tick's cost grows with the
  transitions due, never with the windows planned;
- requests of a tick where ``BENCH_MADDASH_DUE`` (default 10) windows start, per window.
"""

from __future__ import annotations

import os
import time

from bench.support import DynamoDBCounter, bench_environment, silence_logs

ENV_WINDOWS = "BENCH_MADDASH_WINDOWS"
ENV_DUE = "BENCH_MADDASH_DUE"
HOSTS = [f"host-{n}.example.net" for n in range(4)]
CONFIG = {
    "groups": {"hosts": HOSTS},
    "checks": {"loss": {"name": "Loss"}, "rtt": {"name": "RTT"}},
    "grids": [
        {
            "name": "Mesh",
            "rows": "hosts",
            "columns": "hosts",
            "checks": ["loss", "rtt"],
            "excludeSelf": 1,
        }
    ],
}
HOUR = 3600


def _body(index: int, start: int) -> dict:
    return {
        "checkFilters": {"rowName": HOSTS[index % len(HOSTS)]},
        "name": f"window {index}",
        "description": "bench",
        "startTime": start,
        "endTime": start + HOUR,
        "changeStatus": True,
    }


def _plan_many(ids: range, now: int) -> None:
    """Windows ``ids`` starting in the future, written as create_window writes them."""
    from dataclasses import replace

    from chalicelib.core import due_work
    from chalicelib.core.model import format_stored_time
    from chalicelib.core.recurrence import Timing
    from chalicelib.dialects.maddash.window_items import from_epoch, to_item
    from chalicelib.dialects.maddash.windows import END, START, validate_window
    from chalicelib.store.due_work import DueWorkModel
    from chalicelib.store.maintenance import MaintenanceModel
    from chalicelib.store.meta import raise_sequence_to

    templates = [validate_window(_body(n, now + HOUR)) for n in range(len(HOSTS))]
    with MaintenanceModel.batch_write() as windows, DueWorkModel.batch_write() as planned:
        for window_id in ids:
            start = now + HOUR + window_id * 60
            window = replace(
                templates[window_id % len(HOSTS)], id=window_id, timing=Timing(start, start + HOUR)
            )
            window.planned_start = format_stored_time(from_epoch(start))
            window.planned_end = format_stored_time(from_epoch(start + HOUR))
            windows.save(to_item(window))
            for kind, at in ((START, start), (END, start + HOUR)):
                work = due_work.DueWork(kind=kind, key=str(window_id), due_at=from_epoch(at))
                planned.save(due_work._item(work))
    raise_sequence_to("maddash_window", ids.stop)


def main() -> None:
    from moto import mock_aws

    windows = int(os.environ.get(ENV_WINDOWS, "10000"))
    due = min(windows, int(os.environ.get(ENV_DUE, "10")))
    with bench_environment("bench-maddash-"), mock_aws():
        from chalicelib import observability
        from chalicelib.core.model import utcnow
        from chalicelib.dialects.jobs import run_due_work
        from chalicelib.dialects.maddash.grids import load_config
        from chalicelib.dialects.maddash.window_items import epoch, from_epoch
        from chalicelib.dialects.maddash.windows import create_window
        from chalicelib.settings import get_settings
        from chalicelib.store.tables import ALL_MODELS, bind_all, create_all_tables

        silence_logs(observability.logger.name)
        bind_all(get_settings())
        create_all_tables(wait=False)
        load_config(CONFIG)
        now = epoch(utcnow())
        started = time.perf_counter()
        for index in range(due):
            create_window(_body(index, now - 60))
        _plan_many(range(due + 1, windows + 1), now)
        print(f"   {windows} windows planned in {time.perf_counter() - started:.1f} s")

        counter = DynamoDBCounter().install(*(model for model, _ in ALL_MODELS))
        report = run_due_work(from_epoch(now))
        busy, _ = counter.snapshot()
        report_idle = run_due_work(from_epoch(now + 1))
        idle, _ = counter.snapshot()
        print(
            f"   idle tick ({windows - due} future windows, none due): "
            f"{sum(idle.values())} requests {idle}, {report_idle['work']['done']} done"
            "  (target <= 2)"
        )
        print(
            f"   busy tick ({report['work']['done']} windows starting, 6 checks each): "
            f"{sum(busy.values())} requests, {sum(busy.values()) / max(1, due):.1f} per window"
        )
