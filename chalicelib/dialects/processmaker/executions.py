"""ProcessMaker's planned executions (APP_EVENT): planned when a task starts, closed once.

1. ``plan_executions`` runs when a delegation (a task of a case) starts: for every ACTIVE event
   related to the task (SINGLE on it; MULTIPLE from it, to it or between, following the first
   route at each step) it writes one OPEN record and plans due work of kind ``KIND`` keyed by
   the record, due ``evn_when`` days after the start (TASK_STARTED) or estimated duration +
   ``evn_when`` days after it (AFTER_TIME). Calendar days: no working calendar is applied.
2. ``close_task_executions`` runs when the delegation finishes: its OPEN SINGLE records become
   CLOSE (result TASK_FINISHED) and their due work is cancelled, so a routed task never fires.
3. The scheduler's job (``engine/processmaker_jobs``) closes a record with its outcome:
   ``close_execution``; a failed attempt is counted by ``note_failure``.
The log lists records per event or per workspace (PENDING for OPEN, COMPLETED for CLOSE).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.core import due_work
from chalicelib.core.model import format_stored_time
from chalicelib.dialects.processmaker.designer import dumps, get_item, loads
from chalicelib.errors import ValidationFailed
from chalicelib.store.access import store_access, update_if
from chalicelib.store.processmaker import (
    CLOSE,
    OPEN,
    ProcessMakerModel,
    appevent_sk,
    case_pk,
)

KIND = "processmaker.execution"
MAX_ATTEMPTS = 3  # ProcessMaker's EVN_MAX_ATTEMPTS
STATUS_NAMES = {OPEN: "PENDING", CLOSE: "COMPLETED"}  # as the admin "Logs → Events" screen
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
DEFAULT_PAGE = 50
MAX_PAGE = 500


@dataclass(frozen=True)
class Execution:
    """One planned execution of an event for one delegation of a case."""

    workspace: str
    app_uid: str
    del_index: int
    evn_uid: str
    fields: dict[str, Any]  # app_number, prj_uid, tas_uid, tri_uid, evn_action, evn_related_to
    status: str
    attempts: int
    due_at: datetime
    last_execution: str | None = None
    error: str | None = None
    result: str | None = None

    @property
    def work_key(self) -> str:
        return f"{self.workspace}/{self.app_uid}/{self.del_index}/{self.evn_uid}"


def due_time(event: dict[str, Any], started_at: datetime) -> datetime:
    """When ``event`` fires for a task started at ``started_at`` (calendar days, fractions ok)."""
    days = float(event["evn_when"])
    if event["evn_when_occurs"] != "TASK_STARTED":
        days += float(event["evn_tas_estimated_duration"])  # stored in days
    return started_at + timedelta(days=days)


def _between(project: dict[str, Any], start: str, end: str) -> list[str]:
    """Tasks from ``start`` to ``end`` following the first route of each (both included)."""
    first_route: dict[str, str] = {}
    for route in project["routes"]:
        first_route.setdefault(route["tas_uid"], route["rou_next_task"])
    path, current = [start], start
    while current != end and current in first_route and first_route[current] not in path:
        current = first_route[current]
        path.append(current)
    return path if current == end else [start, end]


def related_events(
    project: dict[str, Any], events: list[dict[str, Any]], tas_uid: str
) -> list[dict[str, Any]]:
    """The ACTIVE events that relate to task ``tas_uid`` (ProcessMaker's createAppEvents)."""
    related = []
    for event in events:
        if event["evn_status"] != "ACTIVE" or not event["evn_action"]:
            continue
        if event["evn_related_to"] == "SINGLE":
            if event["tas_uid"] == tas_uid:
                related.append(event)
        elif tas_uid in _between(project, event["evn_tas_uid_from"], event["evn_tas_uid_to"]):
            related.append(event)
    return related


def _from_item(workspace: str, item: ProcessMakerModel) -> Execution:
    data = loads(item)
    return Execution(
        workspace=workspace,
        app_uid=data["app_uid"],
        del_index=int(data["del_index"]),
        evn_uid=data["evn_uid"],
        fields=data,
        status=item.status or OPEN,
        attempts=int(item.attempts or 0),
        due_at=datetime.fromisoformat(item.due_at),
        last_execution=item.last_execution,
        error=item.error,
        result=item.result,
    )


def _item_key(execution: Execution) -> ProcessMakerModel:
    return ProcessMakerModel(
        case_pk(execution.workspace, execution.app_uid),
        appevent_sk(execution.del_index, execution.evn_uid),
    )


def plan_executions(
    workspace: str,
    case: dict[str, Any],
    del_index: int,
    tas_uid: str,
    started_at: datetime,
    events: list[dict[str, Any]],
) -> list[Execution]:
    """Write an OPEN record and plan due work for each of ``events`` (already related)."""
    planned = []
    for event in events:
        due_at = due_time(event, started_at)
        fields = {
            "app_uid": case["app_uid"],
            "app_number": case["app_number"],
            "del_index": del_index,
            "evn_uid": event["evn_uid"],
            "prj_uid": case["pro_uid"],
            "tas_uid": tas_uid,
            "tri_uid": event["tri_uid"],
            "evn_action": event["evn_action"],
            "evn_related_to": event["evn_related_to"],
            "evn_description": event["evn_description"],
        }
        planned.append(
            Execution(
                workspace, case["app_uid"], del_index, event["evn_uid"], fields, OPEN, 0, due_at
            )
        )
    if not planned:
        return planned
    with store_access(), ProcessMakerModel.batch_write() as batch:
        for execution in planned:
            due = format_stored_time(execution.due_at)
            item = _item_key(execution)
            item.kind = "appevent"
            item.data = dumps(execution.fields)
            item.status, item.attempts, item.due_at = OPEN, 0, due
            item.due_key = f"{due}#{execution.work_key}"
            item.event_key = f"{workspace}#{execution.evn_uid}"
            item.status_key = f"{workspace}#{OPEN}"
            item.workspace_key = workspace
            batch.save(item)
    for execution in planned:
        due_work.plan_work(KIND, execution.work_key, execution.due_at, {"key": execution.work_key})
    return planned


def load_execution(work_key: str) -> Execution | None:
    """The record a due-work key names, or None (a malformed key names nothing)."""
    parts = work_key.split("/")
    if len(parts) != 4 or not parts[2].isdigit():
        return None
    workspace, app_uid, del_index, evn_uid = parts
    item = get_item(case_pk(workspace, app_uid), appevent_sk(int(del_index), evn_uid))
    return None if item is None else _from_item(workspace, item)


def close_execution(
    execution: Execution,
    now: datetime,
    result: str,
    *,
    attempts: int | None = None,
    error: str | None = None,
) -> bool:
    """OPEN → CLOSE with ``result`` (and the error kept); False when it was closed already."""
    actions = [
        ProcessMakerModel.status.set(CLOSE),
        ProcessMakerModel.status_key.set(f"{execution.workspace}#{CLOSE}"),
        ProcessMakerModel.last_execution.set(format_stored_time(now)),
        ProcessMakerModel.result.set(result),
    ]
    if attempts is not None:
        actions.append(ProcessMakerModel.attempts.set(attempts))
    if error is not None:
        actions.append(ProcessMakerModel.error.set(error[:1000]))
    return update_if(_item_key(execution), actions, ProcessMakerModel.status == OPEN)


def note_failure(execution: Execution, now: datetime, attempts: int, error: str) -> None:
    """A failed attempt: counted, its error and time kept; the record stays OPEN."""
    update_if(
        _item_key(execution),
        [
            ProcessMakerModel.attempts.set(attempts),
            ProcessMakerModel.error.set(error[:1000]),
            ProcessMakerModel.last_execution.set(format_stored_time(now)),
        ],
        ProcessMakerModel.status == OPEN,
    )


def close_task_executions(workspace: str, app_uid: str, del_index: int, now: datetime) -> int:
    """A delegation finished: close its OPEN SINGLE records and cancel their due work."""
    with store_access():
        items = list(
            ProcessMakerModel.query(
                case_pk(workspace, app_uid),
                ProcessMakerModel.sk.startswith(f"appevent#{del_index:05d}#"),
            )
        )
    closed = 0
    for item in items:
        execution = _from_item(workspace, item)
        if execution.status != OPEN or execution.fields.get("evn_related_to") != "SINGLE":
            continue
        if close_execution(execution, now, "TASK_FINISHED"):
            due_work.cancel_work(KIND, execution.work_key, execution.due_at)
            closed += 1
    return closed


# ---------------------------------------------------------------- the log


def _date(text: str | None) -> str | None:
    return None if text is None else datetime.fromisoformat(text).strftime(DATE_FORMAT)


def to_wire(execution: Execution) -> dict[str, Any]:
    """A log line: ProcessMaker's APP_EVENT columns in lower case, plus result and error."""
    fields = execution.fields
    return {
        "app_uid": execution.app_uid,
        "app_number": fields.get("app_number"),
        "del_index": execution.del_index,
        "evn_uid": execution.evn_uid,
        "evn_description": fields.get("evn_description", ""),
        "evn_action": fields.get("evn_action"),
        "prj_uid": fields.get("prj_uid"),
        "tas_uid": fields.get("tas_uid"),
        "tri_uid": fields.get("tri_uid"),
        "app_evn_action_date": execution.due_at.strftime(DATE_FORMAT),
        "app_evn_attempts": execution.attempts,
        "app_evn_last_execution_date": _date(execution.last_execution),
        "app_evn_status": STATUS_NAMES.get(execution.status, execution.status),
        "app_evn_result": execution.result,
        "app_evn_error": execution.error,
    }


def _page_size(limit: Any) -> int:
    if limit in (None, ""):
        return DEFAULT_PAGE
    try:
        size = int(limit)
    except (TypeError, ValueError):
        raise ValidationFailed("Invalid value specified for `limit`", field="limit") from None
    if not 1 <= size <= MAX_PAGE:
        raise ValidationFailed("Invalid value specified for `limit`", field="limit")
    return size


def _after(marker: str) -> str:
    """The due key an opaque ``marker`` (URL-safe, as ``next`` hands it out) stands for."""
    try:
        return base64.urlsafe_b64decode(marker + "=" * (-len(marker) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed("Invalid value specified for `marker`", field="marker") from None


def list_executions(
    workspace: str,
    *,
    evn_uid: str | None = None,
    status: str | None = None,
    limit: Any = None,
    marker: str | None = None,
) -> tuple[list[Execution], str | None]:
    """One page of records by due time: of one event, or of the workspace (by status).

    ``status`` is PENDING or COMPLETED; ``marker`` is the ``next`` of the previous page.
    """
    size = _page_size(limit)
    statuses = {name: raw for raw, name in STATUS_NAMES.items()}
    if status and status not in statuses:
        raise ValidationFailed("Invalid value specified for `status`", field="status")
    index: Any
    if evn_uid is not None:
        index, hash_key = ProcessMakerModel.by_event, f"{workspace}#{evn_uid}"
    elif status:
        index, hash_key = ProcessMakerModel.by_status, f"{workspace}#{statuses[status]}"
    else:
        index, hash_key = ProcessMakerModel.by_workspace, workspace
    condition = ProcessMakerModel.due_key > _after(marker) if marker else None
    found: list[Execution] = []
    with store_access():
        for item in index.query(hash_key, condition, page_size=size + 1):
            if evn_uid is not None and status and item.status != statuses[status]:
                continue
            found.append(_from_item(workspace, item))
            if len(found) > size:
                break
    if len(found) <= size:
        return found, None
    page = found[:size]
    last = page[-1]
    key = f"{format_stored_time(last.due_at)}#{last.work_key}"
    return page, base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")
