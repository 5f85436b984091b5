"""The scheduler job that fires ProcessMaker events: a trigger run as a handler-module action.

Triggers are validated when saved (``designer``, through the one validator
``core.handler_rules.action_problem``). The job of kind ``processmaker.execution`` (one
due-work item per planned execution) runs in the schedule Lambda:

1. the execution record is read; a closed or missing one is done;
2. a delegation already finished closes it TASK_FINISHED; a deleted event or trigger closes
   it SKIPPED (ProcessMaker's "SKIPPED and will be CLOSED");
3. the event's condition is evaluated on the case's current variables: false closes it
   CONDITION_FALSE, an unparsable one FAILED;
4. the trigger's action runs as the stream runs a handler's (``module().run`` with an
   ``ActionContext`` on an event carrying the case's variables as traits): success closes it
   EXECUTED; a failure is counted on the record and raised, so the scheduler retries it with
   backoff, and after the third attempt ``give_up`` closes it FAILED with the error kept.
Every outcome is recorded in the one store as ``processmaker.event.execute``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib import observability
from chalicelib.core import events as event_store
from chalicelib.core.due_work import DueWork
from chalicelib.core.executions import running_at_depth
from chalicelib.core.model import Event, build_event, infer_trait, utcnow
from chalicelib.dialects.processmaker import executions
from chalicelib.dialects.processmaker.cases import delegation_open, find_case
from chalicelib.dialects.processmaker.conditions import evaluate_condition
from chalicelib.dialects.processmaker.designer import (
    counter_namespace,
    get_item,
    load_trigger,
    loads,
)
from chalicelib.engine import operations, scheduler
from chalicelib.engine.modules.base import ActionContext, ActionFailed, get_module
from chalicelib.store.processmaker import CLOSE, project_pk

EXECUTE = "processmaker.event.execute"
operations.declare(EXECUTE)


# ---------------------------------------------------------------- the job


def _execution_event(
    execution: executions.Execution, case: dict[str, Any] | None, outcome: str, **extra: Any
) -> Event:
    """The event an execution records (and the one its action sees: variables as traits).

    Owned by whoever started the case (its ``owner``); ``project_id`` or ``user_id``
    variables are data (``core.model.build_event`` keeps them apart).
    """
    variables: dict[str, Any] = {} if case is None else case["variables"]
    owner: dict[str, Any] = (case or {}).get("owner") or {}
    values = {name: value for name, value in variables.items() if value is not None}
    values.update(
        workspace=execution.workspace,
        app_uid=execution.app_uid,
        app_number=execution.fields.get("app_number"),
        del_index=execution.del_index,
        prj_uid=execution.fields.get("prj_uid"),
        tas_uid=execution.fields.get("tas_uid"),
        evn_uid=execution.evn_uid,
        tri_uid=execution.fields.get("tri_uid"),
        outcome=outcome,
        **{key: value for key, value in extra.items() if value is not None},
    )
    traits = [infer_trait(name, value) for name, value in values.items() if value is not None]
    return build_event(
        event_type=EXECUTE,
        traits=traits,
        raw={"variables": variables},
        source="processmaker",
        project_id=owner.get("project_id"),
        user_id=owner.get("user_id"),
        depth=1,
    )


def _record(
    execution: executions.Execution, case: dict[str, Any] | None, outcome: str, **extra: Any
) -> None:
    try:
        event_store.record_event(_execution_event(execution, case, outcome, **extra))
    except Exception:  # the outcome is kept on the record; a lost history event is logged
        observability.logger.exception(
            "could not record execution event", extra={"key": execution.work_key}
        )


def _close(
    execution: executions.Execution,
    case: dict[str, Any] | None,
    result: str,
    now: datetime,
    **kw: Any,
) -> None:
    if executions.close_execution(execution, now, result, **kw):
        _record(execution, case, result.lower(), attempt=kw.get("attempts"), error=kw.get("error"))


def _run_trigger(trigger: dict[str, Any], event: Event, workspace: str) -> None:
    """The trigger's action, the way the stream runs a handler's (one attempt); the counters
    it changes are the workspace's own."""
    module = get_module(trigger["tri_handlermodule"])
    if module is None or trigger["tri_action"] not in module.actions:
        raise ActionFailed(
            f"unknown action {trigger['tri_handlermodule']}:{trigger['tri_action']}",
            retryable=False,
        )
    context = ActionContext(
        0,
        trigger["tri_title"],
        EXECUTE,
        event=event,
        position="post",
        counter_namespace=counter_namespace(workspace),
    )
    with running_at_depth(event.depth + 1):
        module().run(trigger["tri_action"], dict(trigger["tri_options"]), context)


def run_execution(work: DueWork, now: datetime) -> None:
    """Fire one planned execution (see the module docstring); raises to be retried."""
    execution = executions.load_execution(work.key)
    if execution is None or execution.status == CLOSE:
        return None
    case = find_case(execution.workspace, execution.app_uid)
    if case is None or not delegation_open(case, execution.del_index):
        _close(execution, case, "TASK_FINISHED", now)
        return None
    prj_uid = execution.fields["prj_uid"]
    event_item = get_item(project_pk(execution.workspace, prj_uid), f"event#{execution.evn_uid}")
    event = None if event_item is None else loads(event_item)
    trigger = (
        None if event is None else load_trigger(execution.workspace, prj_uid, event["tri_uid"])
    )
    if event is None or trigger is None:
        _close(execution, case, "SKIPPED", now)
        return None
    try:
        holds = evaluate_condition(event.get("evn_conditions") or "", case["variables"])
    except ValueError as exc:
        _close(execution, case, "FAILED", now, error=f"condition error: {exc}")
        return None
    if not holds:
        _close(execution, case, "CONDITION_FALSE", now)
        return None
    attempt = execution.attempts + 1
    try:
        _run_trigger(trigger, _execution_event(execution, case, "running"), execution.workspace)
    except Exception as exc:
        error = str(exc) if isinstance(exc, ActionFailed) else f"{type(exc).__name__}: {exc}"
        executions.note_failure(execution, now, attempt, error)
        _record(execution, case, "error", attempt=attempt, error=error)
        raise
    _close(execution, case, "EXECUTED", now, attempts=attempt)
    return None


def give_up(work: DueWork, error: str) -> None:
    """The last attempt failed: close the record with its error kept."""
    execution = executions.load_execution(work.key)
    if execution is not None:
        case = find_case(execution.workspace, execution.app_uid)
        _close(execution, case, "FAILED", utcnow(), error=execution.error or error)


def register_jobs() -> None:
    """Register this dialect's kinds with the scheduler (idempotent)."""
    scheduler.register_kind(
        executions.KIND, run_execution, give_up=give_up, max_attempts=executions.MAX_ATTEMPTS
    )
