"""ProcessMaker 3's project structure (``POST /project`` with ``diagrams``) as tasks and routes.

ProcessMaker's designer sends a BPMN project: ``diagrams[0]`` holds ``activities``,
``events``, ``gateways``, ``flows`` (and ``artifacts``, ``laneset``, ``lanes``, ``data``,
``participants`` for the drawing). ``BpmnWorkflow::createFromStruct`` gives every element a
new uid and answers the map ``[{"object", "old_uid", "new_uid"}]``. Here:

- an activity of type ``TASK`` (a user, manual or empty task) is a task, titled ``act_name``;
- a sequence flow from a task to a task is a route; from a task to an end event, the route
  that ends the case; from a start event, where a case starts (``POST /cases`` names the task);
- artifacts, lanes, pools and data objects only draw the diagram: they are accepted and left;
- what would need behaviour this service does not have is refused with a 400 naming it:
  gateways, sub-processes, script/service/send/receive tasks, timer/conditional/signal
  starts, intermediate events, throwing end events, message flows, flow conditions, and a
  task with more than one outgoing flow (a case here follows one route from a task).
Messages for missing types are ProcessMaker's own.
"""

from __future__ import annotations

from typing import Any

from chalicelib.dialects.processmaker.vocabulary import END_OF_PROCESS, invalid, new_uid
from chalicelib.errors import ValidationFailed

__all__ = ["from_structure"]

TASK_TYPES = {"", "EMPTY", "EMPTYTASK", "USERTASK", "MANUALTASK"}
START_MARKERS = {"EMPTY", "MESSAGE", "MESSAGECATCH"}  # a case starts by POST /cases
END_MARKERS = {"EMPTY", "TERMINATE"}
DRAWING_ONLY = ("artifacts", "laneset", "lanes", "data", "participants")
ACTIVITY, EVENT, GATEWAY = "bpmnActivity", "bpmnEvent", "bpmnGateway"


def _unsupported(what: str, why: str = "") -> ValidationFailed:
    return invalid("diagrams", f": {what} is not supported here{why}")


def _text(element: dict[str, Any], key: str) -> str:
    value = element.get(key)
    return "" if value is None else str(value).strip()


def _elements(diagram: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = diagram.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise invalid("diagrams", f": `{key}` must be a list of objects")
    return value


def _diagram(body: dict[str, Any]) -> dict[str, Any]:
    diagrams = body["diagrams"]
    if not isinstance(diagrams, list) or not diagrams or not isinstance(diagrams[0], dict):
        raise invalid("diagrams", ": expecting a list with one diagram object")
    if len(diagrams) > 1:
        raise _unsupported("more than one diagram")
    return diagrams[0]


def _tasks(activities: list[dict[str, Any]], uid_map: list[dict[str, str]]) -> dict[str, str]:
    """Activity uid -> new task uid; ``tasks`` filled in order."""
    new: dict[str, str] = {}
    for activity in activities:
        uid, kind = _text(activity, "act_uid"), _text(activity, "act_type").upper()
        if not kind:
            raise ValidationFailed(f"For activity: {uid} `act_type` is required but missing.")
        if kind != "TASK":
            raise _unsupported(f"activity {uid} of type {kind}")
        task_type = _text(activity, "act_task_type").upper()
        if task_type not in TASK_TYPES:
            raise _unsupported(f"activity {uid} of task type {task_type}")
        if not uid or uid in new:
            raise invalid("diagrams", f": activity uid {uid!r} is missing or repeated")
        new[uid] = new_uid()
        uid_map.append({"object": "activity", "old_uid": uid, "new_uid": new[uid]})
    return new


def _events(events: list[dict[str, Any]], uid_map: list[dict[str, str]]) -> dict[str, str]:
    """Event uid -> "START" or "END" (after checking each is one this service can follow)."""
    kinds: dict[str, str] = {}
    for event in events:
        uid = _text(event, "evn_uid")
        kind, marker = _text(event, "evn_type").upper(), _text(event, "evn_marker").upper()
        if not kind:
            raise ValidationFailed(f"For event: {uid} `evn_type` is required but missing.")
        if not marker:
            raise ValidationFailed(f"For event: {uid} `evn_marker` is required but missing.")
        allowed = {"START": START_MARKERS, "END": END_MARKERS}.get(kind)
        if allowed is None or marker not in allowed:
            raise _unsupported(f"event {uid} ({kind} {marker})")
        kinds[uid] = kind
        uid_map.append({"object": "event", "old_uid": uid, "new_uid": new_uid()})
    return kinds


def _routes(
    flows: list[dict[str, Any]],
    tasks: dict[str, str],
    events: dict[str, str],
    uid_map: list[dict[str, str]],
) -> list[dict[str, str]]:
    routes: list[dict[str, str]] = []
    for flow in flows:
        uid, kind = _text(flow, "flo_uid"), _text(flow, "flo_type").upper() or "SEQUENCE"
        if kind == "ASSOCIATION":
            continue  # an annotation's line: drawing only
        if kind != "SEQUENCE":
            raise _unsupported(f"flow {uid} of type {kind}")
        if _text(flow, "flo_condition"):
            raise _unsupported(f"the condition of flow {uid}")
        origin, target = _text(flow, "flo_element_origin"), _text(flow, "flo_element_dest")
        ends = []
        for element, side in ((origin, "origin"), (target, "dest")):
            if element in tasks:
                ends.append("task")
            elif element in events:
                ends.append(events[element])
            else:
                raise invalid(
                    "diagrams", f": flow {uid} names an unknown flo_element_{side} {element!r}"
                )
        uid_map.append({"object": "flow", "old_uid": uid, "new_uid": new_uid()})
        if ends == ["task", "task"]:
            routes.append({"tas_uid": tasks[origin], "rou_next_task": tasks[target]})
        elif ends == ["task", "END"]:
            routes.append({"tas_uid": tasks[origin], "rou_next_task": END_OF_PROCESS})
        elif ends[0] != "START" or ends[1] == "START":
            raise invalid(
                "diagrams", f": flow {uid} cannot run from {ends[0].lower()} to {ends[1].lower()}"
            )
    outgoing: dict[str, int] = {}
    for route in routes:
        outgoing[route["tas_uid"]] = outgoing.get(route["tas_uid"], 0) + 1
    for old, new in tasks.items():
        if outgoing.get(new, 0) > 1:
            raise _unsupported(f"more than one outgoing flow from activity {old}")
    return routes


def from_structure(
    body: dict[str, Any], prj_uid: str
) -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]:
    """(tasks, routes, ProcessMaker's uid map) of a project structure; 400 for what is not
    supported (see the module docstring), never an empty project from a non-empty diagram."""
    diagram = _diagram(body)
    uid_map = [{"object": "project", "old_uid": _text(body, "prj_uid"), "new_uid": prj_uid}]
    uid_map.append(
        {"object": "diagram", "old_uid": _text(diagram, "dia_uid"), "new_uid": new_uid()}
    )
    process = body.get("process")
    if isinstance(process, dict):
        uid_map.append(
            {"object": "process", "old_uid": _text(process, "pro_uid"), "new_uid": prj_uid}
        )
    for key in DRAWING_ONLY:
        _elements(diagram, key)
    gateways = _elements(diagram, "gateways")
    if gateways:
        gateway = gateways[0]
        raise _unsupported(
            f"gateway {_text(gateway, 'gat_uid')} ({_text(gateway, 'gat_type') or 'untyped'})",
            " (a task routes to one next task)",
        )
    activities = _elements(diagram, "activities")
    if not activities:
        raise invalid("diagrams", ": the diagram has no activities (tasks)")
    new_tasks = _tasks(activities, uid_map)
    events = _events(_elements(diagram, "events"), uid_map)
    routes = _routes(_elements(diagram, "flows"), new_tasks, events, uid_map)
    titles = {_text(a, "act_uid"): _text(a, "act_name") or "Untitled task" for a in activities}
    tasks = [{"tas_uid": new, "tas_title": titles[old]} for old, new in new_tasks.items()]
    return tasks, routes, uid_map
