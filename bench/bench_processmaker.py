"""ProcessMaker's timed events: what a tick and a case start cost in DynamoDB requests.

Figures, against moto's in-process DynamoDB (request counts carry over to AWS; times do not):
- a scheduler tick (``scheduler.run_due_work``, what the schedule Lambda runs) with 10,000
  planned executions of which none is due. Target: at most 2 requests (the heartbeat and one
  Query per due-work shard), whatever is planned;
- starting a case at a task with 5 related events, through the route's path
  (``operations.perform`` + ``processmaker_cases.start_case``): requests per case, by
  operation, and the same without the operation event.
``BENCH_PROCESSMAKER_PLANNED`` (default 10000) sets how much is planned.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

from bench.support import DynamoDBCounter, bench_environment, silence_logs

ENV_PLANNED = "BENCH_PROCESSMAKER_PLANNED"
WORKSPACE = "bench"
CASES = 5


def _plan_far_away(count: int) -> None:
    """``count`` executions planned a year ahead, written in batches (fast to set up)."""
    from chalicelib.core import due_work
    from chalicelib.core.model import utcnow
    from chalicelib.dialects.processmaker import executions
    from chalicelib.store.due_work import DueWorkModel

    later = utcnow() + timedelta(days=365)
    with DueWorkModel.batch_write() as batch:
        for index in range(count):
            key = f"{WORKSPACE}/{index:032x}/1/{'e' * 32}"
            work = due_work.DueWork(executions.KIND, key, later + timedelta(seconds=index))
            batch.save(
                due_work._item(work)
            )  # the item plan_work writes, without 10,000 round trips


def _designer_project() -> tuple[str, str]:
    """A project whose first task has 5 related events; returns (prj_uid, first task)."""
    from chalicelib.dialects.processmaker import designer
    from chalicelib.dialects.processmaker import events as pm_events
    from chalicelib.engine.modules.base import module_rules

    project = designer.create_project(
        WORKSPACE,
        {
            "prj_name": "bench",
            "tasks": [{"tas_title": "first"}, {"tas_title": "second"}],
        },
    )
    first = project["tasks"][0]["tas_uid"]
    trigger = designer.create_trigger(
        WORKSPACE,
        project["prj_uid"],
        {
            "tri_title": "log",
            "tri_handlermodule": "Logging",
            "tri_action": "logging",
            "tri_options": {"message": "case {app_number}"},
        },
        module_rules(),
        by_admin=True,  # a Logging trigger is an admin's (only WebHook and Counter are not)
    )
    for when in range(5):
        pm_events.create_event(
            WORKSPACE,
            project["prj_uid"],
            {
                "evn_description": f"event {when}",
                "evn_status": "ACTIVE",
                "evn_action": "EXECUTE_TRIGGER",
                "evn_related_to": "SINGLE",
                "tas_uid": first,
                "evn_tas_estimated_duration": 1,
                "evn_time_unit": "DAYS",
                "evn_when": when + 1,
                "evn_when_occurs": "TASK_STARTED",
                "tri_uid": trigger["tri_uid"],
            },
        )
    return project["prj_uid"], first


def main() -> None:
    from moto import mock_aws

    planned = int(os.environ.get(ENV_PLANNED, "10000"))
    with bench_environment("bench-pm-"), mock_aws():
        from chalicelib import observability
        from chalicelib.auth.principal import Principal
        from chalicelib.dialects import jobs as dialect_jobs
        from chalicelib.dialects.processmaker import cases
        from chalicelib.engine import operations
        from chalicelib.settings import get_settings
        from chalicelib.store.tables import ALL_MODELS, bind_all, create_all_tables

        bind_all(get_settings())
        create_all_tables(wait=False)
        silence_logs(observability.logger.name)
        counter = DynamoDBCounter().install(*(model for model, _ in ALL_MODELS))

        started = time.perf_counter()
        _plan_far_away(planned)
        setup_seconds = time.perf_counter() - started
        dialect_jobs.run_due_work()  # first tick: imports and registers the jobs
        counter.reset()
        started = time.perf_counter()
        report = dialect_jobs.run_due_work()
        tick_seconds = time.perf_counter() - started
        tick_requests, _ = counter.snapshot()

        prj_uid, first = _designer_project()
        caller = Principal("bench", roles=("admin",))
        body = {"pro_uid": prj_uid, "tas_uid": first, "variables": {"amount": 1}}
        counter.reset()
        for _ in range(CASES):
            operations.perform(
                "processmaker.case.start",
                caller,
                {**body, "workspace": WORKSPACE},
                lambda p: cases.start_case(WORKSPACE, body),
            )
        with_event, _ = counter.snapshot()
        for _ in range(CASES):
            cases.start_case(WORKSPACE, body)
        core_only, _ = counter.snapshot()

    def per_case(requests: dict[str, int]) -> str:
        named = ", ".join(f"{name} {count / CASES:g}" for name, count in sorted(requests.items()))
        return f"{sum(requests.values()) / CASES:g} requests/case ({named})"

    print(f"   planned {planned} executions a year ahead in {setup_seconds:.1f} s (batch writes)")
    print(
        f"   tick with {planned} planned, none due: {sum(tick_requests.values())} DynamoDB "
        f"request(s) {tick_requests} in {tick_seconds * 1000:.1f} ms; work {report['work']} "
        f"(target: <= 2)"
    )
    print(f"   case start, 5 related events, route path: {per_case(with_event)}")
    print(f"   case start, 5 related events, core only:  {per_case(core_only)}")


if __name__ == "__main__":
    main()
