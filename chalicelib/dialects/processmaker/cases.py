"""ProcessMaker cases, enough to run events: start at a task, set variables, route to the next.

A case holds its variables and its delegations (task instances, ``del_index`` 1, 2, …).
Starting a delegation plans the executions of the events related to its task; finishing it
(``route_case``) closes its SINGLE executions and starts the task the project's first route
from it names, or completes the case when there is none (or it is ``-1``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.core.model import format_stored_time, utcnow
from chalicelib.dialects.processmaker.designer import (
    END_OF_PROCESS,
    check_workspace,
    dumps,
    get_item,
    get_project,
    invalid,
    loads,
    new_uid,
    task_not_found,
    task_of,
    text_field,
)
from chalicelib.dialects.processmaker.events import project_events
from chalicelib.dialects.processmaker.executions import (
    close_task_executions,
    plan_executions,
    related_events,
)
from chalicelib.errors import ValidationFailed
from chalicelib.store import meta
from chalicelib.store.access import store_access
from chalicelib.store.processmaker import ProcessMakerModel, case_pk

TO_DO = "TO_DO"
COMPLETED = "COMPLETED"


def case_not_found(app_uid: str) -> ValidationFailed:
    return ValidationFailed(
        f"The application with app_uid: '{app_uid}' does not exist.", field="app_uid"
    )


def _variables(value: Any) -> dict[str, Any]:
    """An object, or ProcessMaker's list of objects (merged in order)."""
    if value is None:
        return {}
    parts = value if isinstance(value, list) else [value]
    merged: dict[str, Any] = {}
    for part in parts:
        if not isinstance(part, dict):
            raise invalid("variables", ". Expecting an object or a list of objects")
        merged.update({str(key): item for key, item in part.items()})
    return merged


def _save(workspace: str, case: dict[str, Any]) -> None:
    item = ProcessMakerModel(case_pk(workspace, case["app_uid"]), "case", kind="case")
    item.data = dumps(case)
    with store_access():
        item.save()


def load_case(workspace: str, app_uid: str) -> dict[str, Any]:
    item = get_item(case_pk(workspace, app_uid), "case")
    if item is None:
        raise case_not_found(app_uid)
    return loads(item)


def find_case(workspace: str, app_uid: str) -> dict[str, Any] | None:
    item = get_item(case_pk(workspace, app_uid), "case")
    return None if item is None else loads(item)


def delegation_open(case: dict[str, Any], del_index: int) -> bool:
    """True while delegation ``del_index`` of ``case`` is unfinished."""
    return any(
        d["del_index"] == del_index and d["finished_at"] is None for d in case["delegations"]
    )


def _start_task(
    workspace: str, case: dict[str, Any], project: dict[str, Any], tas_uid: str, now: datetime
) -> int:
    """Open a delegation of ``tas_uid`` and plan its events; returns how many were planned."""
    del_index = len(case["delegations"]) + 1
    case["delegations"].append(
        {
            "del_index": del_index,
            "tas_uid": tas_uid,
            "started_at": format_stored_time(now),
            "finished_at": None,
        }
    )
    case["tas_uid"], case["del_index"] = tas_uid, del_index
    _save(workspace, case)
    events = related_events(project, project_events(workspace, project["prj_uid"]), tas_uid)
    return len(plan_executions(workspace, case, del_index, tas_uid, now, events))


def start_case(
    workspace: str,
    body: Any,
    now: datetime | None = None,
    *,
    owner: tuple[str | None, str | None] = (None, None),
) -> dict[str, Any]:
    """Start a case of ``pro_uid`` at ``tas_uid`` with ``variables``; its first delegation.

    ``owner`` (project id, user id) is who starts it: its executions' events are theirs
    (never whatever ``project_id``/``user_id`` variables say).
    """
    check_workspace(workspace)
    if not isinstance(body, dict):
        raise ValidationFailed("the body must be a JSON object", field="body")
    pro_uid, tas_uid = text_field(body, "pro_uid"), text_field(body, "tas_uid")
    variables = _variables(body.get("variables"))
    project = get_project(workspace, pro_uid)
    if task_of(project, tas_uid) is None:
        raise task_not_found(tas_uid)
    case = {
        "app_uid": new_uid(),
        "app_number": meta.next_sequence_value(f"processmaker.app_number.{workspace}"),
        "pro_uid": pro_uid,
        "app_status": TO_DO,
        "tas_uid": tas_uid,
        "del_index": 1,
        "variables": variables,
        "delegations": [],
        "owner": {"project_id": owner[0], "user_id": owner[1]},
    }
    _start_task(workspace, case, project, tas_uid, now or utcnow())
    return case


def set_variables(workspace: str, app_uid: str, body: Any) -> dict[str, Any]:
    """Merge variables into the case (an object, or a list of objects)."""
    check_workspace(workspace)
    case = load_case(workspace, app_uid)
    case["variables"].update(_variables(body))
    _save(workspace, case)
    return case


def route_case(workspace: str, app_uid: str, now: datetime | None = None) -> dict[str, Any]:
    """Finish the current task (closing its SINGLE executions) and start the next one."""
    check_workspace(workspace)
    now = now or utcnow()
    case = load_case(workspace, app_uid)
    if case["app_status"] != TO_DO:
        raise ValidationFailed(
            f"The application with app_uid: '{app_uid}' is already completed.", field="app_uid"
        )
    current = case["delegations"][-1]
    current["finished_at"] = format_stored_time(now)
    project = get_project(workspace, case["pro_uid"])
    following = next(
        (r["rou_next_task"] for r in project["routes"] if r["tas_uid"] == current["tas_uid"]),
        END_OF_PROCESS,
    )
    if following == END_OF_PROCESS or task_of(project, following) is None:
        case["app_status"], case["tas_uid"] = COMPLETED, ""
        _save(workspace, case)
    else:
        _start_task(workspace, case, project, following, now)
    close_task_executions(workspace, app_uid, current["del_index"], now)
    return case


def to_wire(case: dict[str, Any]) -> dict[str, Any]:
    """The case as ``GET /cases/{app_uid}`` shows it."""
    current = [
        {"tas_uid": d["tas_uid"], "del_index": d["del_index"], "del_init_date": d["started_at"]}
        for d in case["delegations"]
        if d["finished_at"] is None
    ]
    return {
        "app_uid": case["app_uid"],
        "app_number": case["app_number"],
        "pro_uid": case["pro_uid"],
        "app_status": case["app_status"],
        "current_task": current,
        "variables": case["variables"],
    }
