"""ProcessMaker 3.x project events (``BusinessModel\\Event``): validation, storage, wire shape.

Validation runs in ProcessMaker's order (notes C.3): Restler's field checks first, in the
order the fields are declared, then the business checks (project, task(s), trigger). Beyond
ProcessMaker: tasks and triggers must belong to the event's project, a PUT or DELETE of an
event of another project is refused, and ``evn_conditions`` must parse (``conditions``: PHP
as designers write it, without ``eval``, within its length and depth limits).
``evn_tas_estimated_duration`` is stored in days and shown in the unit it was sent in;
``evn_when`` is always days and may be fractional.
"""

from __future__ import annotations

from typing import Any

from chalicelib.dialects.processmaker.conditions import parse_condition
from chalicelib.dialects.processmaker.designer import (
    find_by_uid,
    get_item,
    get_project,
    invalid,
    load_trigger,
    loads,
    new_uid,
    required,
    save_project_item,
    task_not_found,
    task_of,
    text_field,
    trigger_not_found,
)
from chalicelib.errors import ValidationFailed
from chalicelib.store.access import store_access
from chalicelib.store.processmaker import ProcessMakerModel, project_pk

STATUSES = ("ACTIVE", "INACTIVE")
ACTIONS = ("SEND_MESSAGE", "EXECUTE_CONDITIONAL_TRIGGER", "EXECUTE_TRIGGER")
RELATIONS = ("SINGLE", "MULTIPLE")
TIME_UNITS = ("DAYS", "HOURS")
WHEN_OCCURS = ("AFTER_TIME", "TASK_STARTED")
# ``filter`` of the list: the legacy UI's names, mapped by evn_action (not evn_related_to).
FILTERS = {
    "message": "SEND_MESSAGE",
    "conditional": "EXECUTE_CONDITIONAL_TRIGGER",
    "multiple": "EXECUTE_TRIGGER",
}
# The response keys, in ProcessMaker's order.
WIRE_KEYS = (
    "evn_uid",
    "evn_description",
    "evn_status",
    "evn_action",
    "evn_related_to",
    "tas_uid",
    "evn_tas_uid_from",
    "evn_tas_uid_to",
    "evn_tas_estimated_duration",
    "evn_time_unit",
    "evn_when",
    "evn_when_occurs",
    "evn_conditions",
    "tri_uid",
)
# Restler's declared checks, in declaration order: (name, kind, choices).
_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("evn_description", "text", ()),
    ("evn_status", "choice", STATUSES),
    ("evn_action", "choice", ACTIONS),
    ("evn_related_to", "choice", RELATIONS),
    ("evn_tas_estimated_duration", "number", ()),
    ("evn_time_unit", "choice", TIME_UNITS),
    ("evn_when", "number", ()),
    ("evn_when_occurs", "choice", WHEN_OCCURS),
    ("tri_uid", "text", ()),
)
_OPTIONAL = ("tas_uid", "evn_tas_uid_from", "evn_tas_uid_to", "evn_conditions")


def event_not_found(evn_uid: str) -> ValidationFailed:
    return ValidationFailed(f"The event with evn_uid: '{evn_uid}' does not exist.", field="evn_uid")


ROW_NOT_FOUND = "This row does not exist!"


def _number(body: dict[str, Any], name: str) -> float:
    value = body.get(name)
    if value is None:
        raise required(name)
    if isinstance(value, bool):
        raise invalid(name, ". Expecting numeric value")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise invalid(name, ". Expecting numeric value") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise invalid(name, ". Expecting numeric value")
    return number


def _choice(body: dict[str, Any], name: str, choices: tuple[str, ...]) -> str:
    value = body.get(name)
    if value is None:
        raise required(name)
    if value not in choices:
        raise invalid(name)
    return value


def _fields(body: Any) -> dict[str, Any]:
    """Restler's layer: every declared field checked in order; returns the plain values."""
    if not isinstance(body, dict):
        raise ValidationFailed("the body must be a JSON object", field="body")
    values: dict[str, Any] = {}
    for name, kind, choices in _FIELDS:
        if kind == "text":
            values[name] = text_field(body, name)
        elif kind == "choice":
            values[name] = _choice(body, name, choices)
        else:
            values[name] = _number(body, name)
    for name in _OPTIONAL:
        values[name] = text_field(body, name, optional=True)
    return values


def _business_checks(workspace: str, project: dict[str, Any], values: dict[str, Any]) -> None:
    """ProcessMaker's ``saveEvents`` checks after the project's: tasks, trigger, condition."""
    if values["evn_related_to"] == "SINGLE":
        if not values["tas_uid"]:
            raise ValidationFailed("The field tas_uid is required.", field="tas_uid")
        if task_of(project, values["tas_uid"]) is None:
            raise task_not_found(values["tas_uid"])
        values["evn_tas_uid_from"] = values["evn_tas_uid_to"] = ""
    else:
        for name in ("evn_tas_uid_from", "evn_tas_uid_to"):
            if not values[name]:
                raise ValidationFailed(f"The field {name} is required.", field=name)
            if task_of(project, values[name]) is None:
                raise task_not_found(values[name])  # ProcessMaker's message names tas_uid
        values["tas_uid"] = ""
    if load_trigger(workspace, project["prj_uid"], values["tri_uid"]) is None:
        raise trigger_not_found(values["tri_uid"])
    if values["evn_conditions"].strip():
        try:
            parse_condition(values["evn_conditions"])
        except ValueError as exc:
            raise invalid("evn_conditions", f": {exc}") from exc


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    """The values as stored: the estimated duration in days."""
    stored = dict(values)
    if stored["evn_time_unit"] == "HOURS":
        stored["evn_tas_estimated_duration"] = stored["evn_tas_estimated_duration"] / 24
    return stored


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def to_wire(event: dict[str, Any]) -> dict[str, Any]:
    """The event as ProcessMaker returns it: its keys in order, the duration in its unit."""
    wire = {key: event.get(key, "") for key in WIRE_KEYS}
    duration = event["evn_tas_estimated_duration"]
    if event["evn_time_unit"] == "HOURS":
        duration = round(duration * 24, 2)
    wire["evn_tas_estimated_duration"] = _plain_number(duration)
    wire["evn_when"] = _plain_number(event["evn_when"])
    wire["evn_conditions"] = event.get("evn_conditions") or None
    return wire


def _save(workspace: str, prj_uid: str, event: dict[str, Any]) -> None:
    save_project_item(workspace, prj_uid, "event", event["evn_uid"], event)


def create_event(workspace: str, prj_uid: str, body: Any) -> dict[str, Any]:
    """Validate and store a new event (any ``evn_uid`` in the body is ignored)."""
    values = _fields(body)
    project = get_project(workspace, prj_uid)
    _business_checks(workspace, project, values)
    event = {"evn_uid": new_uid(), "prj_uid": prj_uid, **_stored(values)}
    _save(workspace, prj_uid, event)
    return event


def load_event(workspace: str, prj_uid: str, evn_uid: str) -> dict[str, Any]:
    """The stored event of that project; refuses a missing one or another project's."""
    item = get_item(project_pk(workspace, prj_uid), f"event#{evn_uid}")
    if item is not None:
        return loads(item)
    if find_by_uid(workspace, evn_uid, "event") is not None:
        raise ValidationFailed(ROW_NOT_FOUND, field="evn_uid")
    raise event_not_found(evn_uid)


def get_event(workspace: str, prj_uid: str, evn_uid: str) -> dict[str, Any]:
    get_project(workspace, prj_uid)
    return load_event(workspace, prj_uid, evn_uid)


def update_event(workspace: str, prj_uid: str, evn_uid: str, body: Any) -> dict[str, Any]:
    """Replace an event's fields; unlike ProcessMaker, it must belong to ``prj_uid``."""
    values = _fields(body)
    project = get_project(workspace, prj_uid)
    load_event(workspace, prj_uid, evn_uid)
    _business_checks(workspace, project, values)
    event = {"evn_uid": evn_uid, "prj_uid": prj_uid, **_stored(values)}
    _save(workspace, prj_uid, event)
    return event


def delete_event(workspace: str, prj_uid: str, evn_uid: str) -> None:
    """Delete an event of ``prj_uid``; its planned executions stay (they close as skipped)."""
    get_project(workspace, prj_uid)
    load_event(workspace, prj_uid, evn_uid)
    with store_access():
        ProcessMakerModel(project_pk(workspace, prj_uid), f"event#{evn_uid}").delete()


def list_events(workspace: str, prj_uid: str, filter_name: str | None = None) -> list[dict]:
    """The project's events, optionally only those of one ``filter`` (mapped by evn_action)."""
    if filter_name and filter_name not in FILTERS:
        raise invalid("filter")
    get_project(workspace, prj_uid)
    events = project_events(workspace, prj_uid)
    if filter_name:
        events = [event for event in events if event["evn_action"] == FILTERS[filter_name]]
    return events


def project_events(workspace: str, prj_uid: str) -> list[dict[str, Any]]:
    """Every stored event of a project (one Query)."""
    with store_access():
        items = ProcessMakerModel.query(
            project_pk(workspace, prj_uid), ProcessMakerModel.sk.startswith("event#")
        )
        return [loads(item) for item in items]
