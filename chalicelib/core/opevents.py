"""opEvents' events: normalised properties in, one stored event out, with stateful dedup.

Creating an event (opEvents' ``POST /events``, then its post-creation processing):
1. the properties are normalised: ``event`` and ``node``/``host`` required, ``time``/``date``
   default to now, ``priority`` clamped at 0 and ``level`` derived from it, ``type`` ``api``;
2. the node is resolved (``core.nodes``: one GetItem) and must be activated for opEvents;
3. a stateful event (``stateful`` and ``state``) claims the new state of its
   (node, stateful, element) with one conditional UpdateItem that returns the previous state:
   the same state again is a duplicate and creates nothing (the caller gets the id of the
   event that reported it), an ``up`` within ``OPEVENTS_FLAP_SECONDS`` of a ``down`` is a flap;
4. the event is recorded in the one store (``core.events.record_event``: one PutItem), its
   type the opEvents ``event`` name and its properties typed traits;
5. opEvents' record of it is written (one PutItem; on a flap, one transaction that also
   links the down event back).
That is 4 DynamoDB requests per event (3 without state). Should 4 or 5 fail, the state claimed
in 3 is handed back, so a retry is not taken for a duplicate.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.core import events
from chalicelib.core.errors import Conflict, NotFound, ValidationFailed
from chalicelib.core.event_items import time_shard_of
from chalicelib.core.model import Event, Trait, build_event, format_stored_time, infer_trait
from chalicelib.core.nodes import resolve_event_node
from chalicelib.settings import get_settings
from chalicelib.store.access import store_access, update_if
from chalicelib.store.opevents import OpEventModel, OpEventStateModel

SOURCE = "opevents"
DEFAULT_TYPE = "api"
DEFAULT_PRIORITY = 3
# The nearest NMIS level of each priority (opEvents' table; 0-1 round up to Normal, 4 down
# to Warning, 9-10 stay Fatal).
LEVELS = (
    "Normal",  # 0
    "Normal",  # 1
    "Normal",  # 2
    "Warning",  # 3
    "Warning",  # 4
    "Minor",  # 5
    "Major",  # 6
    "Critical",  # 7
    "Fatal",  # 8
)
LEVEL_PRIORITY = {"normal": 2, "warning": 3, "minor": 5, "major": 6, "critical": 7, "fatal": 8}
# Assigned by the server: never taken from the input.
SERVER_PROPERTIES = ("_id", "id", "eventid", "stateful_eventids")
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
MAX_EVENT_NAME = 255  # the one store's event type
# The properties are stored twice (opEvents' record, the one-store raw): far below 400 KB.
MAX_PROPERTIES_BYTES = 64 * 1024
ID_PATTERN_LENGTH = 24


# ---------------------------------------------------------------- properties


def level_of(priority: int) -> str:
    """The NMIS level name opEvents shows for ``priority``."""
    return LEVELS[min(max(priority, 0), len(LEVELS) - 1)]


def parse_priority(value: Any) -> int:
    """An integer priority; negatives become 0, values above 10 are kept."""
    if isinstance(value, bool):
        raise ValidationFailed("priority must be an integer from 0 to 10", field="priority")
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(
            f"priority must be an integer from 0 to 10, not {value!r}", field="priority"
        ) from exc
    if not math.isfinite(number) or not number.is_integer():
        raise ValidationFailed(f"priority must be an integer, not {value!r}", field="priority")
    return max(0, int(number))


def _unix_time(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise ValidationFailed(f"{name} must be UNIX seconds", field=name)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if number is None and name == "date" and isinstance(value, str):
        from chalicelib.core.model import parse_timestamp

        try:
            return parse_timestamp(value).replace(tzinfo=UTC).timestamp()
        except ValueError:
            pass
    if number is None or not math.isfinite(number) or number < 0:
        raise ValidationFailed(f"{name} is not a valid time: {value!r}", field=name)
    return number


def _string(properties: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = properties.get(name)
    if value is None or value == "":
        if required:
            raise ValidationFailed(f"the property {name} is required", field=name)
        return None
    if isinstance(value, dict | list | bool):
        raise ValidationFailed(f"the property {name} must be a string", field=name)
    return str(value)


def normalise(data: Any, now: float | None = None) -> dict[str, Any]:
    """opEvents' normalised properties of a new event (node not resolved yet)."""
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object of event properties")
    properties = {k: v for k, v in data.items() if k not in SERVER_PROPERTIES and v is not None}
    name = _string(properties, "event", required=True) or ""
    if len(name) > MAX_EVENT_NAME:
        raise ValidationFailed(
            f"the event name is longer than {MAX_EVENT_NAME} characters", field="event"
        )
    node, host = _string(properties, "node"), _string(properties, "host")
    if not (node or host):
        raise ValidationFailed("a node or a host property is required", field="node")
    for text in ("element", "state", "stateful", "details", "type"):
        if text in properties:
            properties[text] = _string(properties, text) or ""
    if "time" in properties:
        moment = _unix_time(properties["time"], "time")
    elif "date" in properties:
        moment = _unix_time(properties["date"], "date")
    else:
        moment = time.time() if now is None else now
    properties["time"] = moment
    properties.setdefault("date", datetime.fromtimestamp(moment, UTC).strftime(DATE_FORMAT))
    if "priority" in properties:
        priority = parse_priority(properties["priority"])
    else:
        level = str(properties.get("level", "")).strip().lower()
        priority = LEVEL_PRIORITY.get(level, DEFAULT_PRIORITY)
    properties["priority"] = priority
    properties["level"] = level_of(priority)
    properties["type"] = properties.get("type") or DEFAULT_TYPE
    properties["event"] = name
    properties.setdefault("acknowledged", 0)
    properties.setdefault("escalate", 0)
    properties.setdefault("flap", 0)
    if node:
        properties["node"] = node
    if len(json.dumps(properties, default=str)) > MAX_PROPERTIES_BYTES:
        raise ValidationFailed(f"the event's properties exceed {MAX_PROPERTIES_BYTES} bytes")
    return properties


def traits_of(properties: dict[str, Any]) -> list[Trait]:
    """The one store's typed traits: ``priority`` integer, ``time`` float, the rest strings."""
    traits = []
    for name, value in properties.items():
        if name == "priority":
            traits.append(Trait(name, "integer", int(value)))
        elif name == "time":
            traits.append(Trait(name, "float", float(value)))
        elif isinstance(value, dict | list):
            traits.append(infer_trait(name, value))  # JSON text
        else:
            traits.append(Trait(name, "string", str(value)[:255]))
    return traits


def new_event_id(now: float | None = None) -> str:
    """A MongoDB-ObjectId-shaped id: 4 bytes of UNIX time, then 8 random bytes (24 hex)."""
    seconds = int(time.time() if now is None else now) & 0xFFFFFFFF
    return seconds.to_bytes(4, "big").hex() + os.urandom(8).hex()


def is_event_id(value: str) -> bool:
    return len(value) == ID_PATTERN_LENGTH and all(c in "0123456789abcdef" for c in value)


# ---------------------------------------------------------------- state


@dataclass(frozen=True)
class PriorState:
    state: str
    event_id: str
    time: float


class Duplicate(Exception):
    """The event reports the state already known; ``event_id`` reported it first."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        super().__init__(event_id)


def state_key(node: str, stateful: str, element: str) -> str:
    # Unit separators: no node, stateful or element name contains them.
    return f"{node}\x1f{stateful.lower()}\x1f{element}"


class _StateUnchanged(Exception):
    """The conditional state update found the state it would write."""


def _claim_state(key: str, state: str, event_id: str, moment: float) -> PriorState | None:
    """Make ``state`` the known state of ``key``; returns the previous one.

    One conditional UpdateItem (ALL_OLD): it fails when the state is already ``state``, and
    then ``Duplicate`` names the event that reported it. Two concurrent reports of one state
    cannot both pass the condition.
    """
    model = OpEventStateModel
    for _ in range(2):
        try:
            with store_access(on_condition_failed=_StateUnchanged):
                answer = model._get_connection().update_item(
                    key,
                    actions=[
                        model.state.set(state),
                        model.event_id.set(event_id),
                        model.time.set(moment),
                    ],
                    condition=model.state.does_not_exist() | (model.state != state),
                    return_values="ALL_OLD",
                )
        except _StateUnchanged:
            with store_access():
                try:
                    current = model.get(key, consistent_read=True)
                except model.DoesNotExist:
                    continue  # handed back in between (a failed create): claim again
            raise Duplicate(current.event_id) from None
        old = (answer or {}).get("Attributes")
        if not old:
            return None
        return PriorState(old["state"]["S"], old["event_id"]["S"], float(old["time"]["N"]))
    raise Conflict(f"the state of {key!r} is changing; try again")


def _release_state(key: str, event_id: str, prior: PriorState | None) -> None:
    """Hand back a state claimed for an event that could not be stored (best effort)."""
    model = OpEventStateModel
    item = model(key)
    mine = model.event_id == event_id
    try:
        if prior is None:
            with store_access():
                item.delete(condition=mine)
        else:
            actions = [
                model.state.set(prior.state),
                model.event_id.set(prior.event_id),
                model.time.set(prior.time),
            ]
            update_if(item, actions, mine)
    except Exception:  # the original failure is what the caller must see
        pass


# ---------------------------------------------------------------- creating


@dataclass(frozen=True)
class Creator:
    """Who creates the event: its owner in the one store, and the depth it arrives at."""

    username: str
    project_id: str | None = None
    user_id: str | None = None
    depth: int = 0


@dataclass(frozen=True)
class Created:
    event_id: str
    duplicate: bool = False
    flap: bool = False
    node_created: bool = False


def _entry(event_id: str, properties: dict[str, Any], generated: str) -> OpEventModel:
    return OpEventModel(
        event_id,
        bucket=time_shard_of(event_id),
        gen_key=f"{generated}#{event_id}",
        node=properties["node"],
        event=properties["event"],
        type=properties.get("type"),
        element=properties.get("element"),
        details=properties.get("details"),
        doc=json.dumps(properties, separators=(",", ":"), default=str),
        links=list(properties.get("stateful_eventids") or []),
    )


def create_event(data: Any, creator: Creator, *, now: float | None = None) -> Created:
    """Store one opEvents event (see the module docstring for the steps and their cost)."""
    properties = normalise(data, now)
    resolved = resolve_event_node(properties.get("node"), properties.get("host"))
    properties["node"] = resolved.name
    event_id = new_event_id(properties["time"])
    state, stateful = properties.get("state"), properties.get("stateful")
    key = prior = None
    flap_of = None
    if state and stateful:
        key = state_key(resolved.name, stateful, properties.get("element") or "")
        try:
            prior = _claim_state(key, state.lower(), event_id, properties["time"])
        except Duplicate as duplicate:
            return Created(duplicate.event_id, duplicate=True)
        if prior is not None:
            properties["stateful_eventids"] = [prior.event_id]
            flap_window = get_settings().opevents_flap_seconds
            if (
                prior.state == "down"
                and state.lower() == "up"
                and 0 <= properties["time"] - prior.time <= flap_window
            ):
                properties["flap"] = 1
                flap_of = prior.event_id
    try:
        event = _one_store_event(event_id, properties, creator)
        if not events.record_event(event):
            raise Conflict(f"event {event_id} exists")
        _write_entry(_entry(event_id, properties, format_stored_time(event.generated)), flap_of)
    except Exception:
        if key is not None:
            _release_state(key, event_id, prior)
        raise
    return Created(event_id, flap=flap_of is not None, node_created=resolved.created)


def _one_store_event(event_id: str, properties: dict[str, Any], creator: Creator) -> Event:
    generated = datetime.fromtimestamp(properties["time"], UTC).replace(tzinfo=None)
    return build_event(
        event_type=properties["event"],
        message_id=event_id,
        generated=generated,
        traits=traits_of(properties),
        raw=properties,
        source=SOURCE,
        project_id=creator.project_id,
        user_id=creator.user_id,
        recorded_by=creator.username,
        depth=creator.depth,
    )


def _write_entry(entry: OpEventModel, flap_of: str | None) -> None:
    """opEvents' record of the event; on a flap, the down event links back in the same write."""
    if flap_of is None:
        with store_access():
            entry.save(condition=OpEventModel.id.does_not_exist())
        return
    with (
        store_access(),
        TransactWrite(connection=OpEventModel._get_connection().connection) as tx,
    ):
        tx.save(entry, condition=OpEventModel.id.does_not_exist())
        down = OpEventModel(flap_of)
        tx.update(
            down,
            actions=[OpEventModel.links.set(OpEventModel.links.append([entry.id]))],
            condition=OpEventModel.id.exists(),
        )


# ---------------------------------------------------------------- reading and updating


def entry_properties(entry: OpEventModel) -> dict[str, Any]:
    """The event's properties as opEvents shows them, with its id and partner links."""
    properties = json.loads(entry.doc or "{}")
    links = list(entry.links or [])
    if links:
        properties["stateful_eventids"] = links
    properties["_id"] = entry.id
    properties["id"] = entry.id
    return properties


def _get_entry(event_id: str) -> OpEventModel:
    with store_access():
        try:
            return OpEventModel.get(event_id)
        except OpEventModel.DoesNotExist:
            raise NotFound(f"Event {event_id} not found") from None


def get_event(event_id: str) -> dict[str, Any]:
    """One event's properties; ``NotFound`` when there is no such event."""
    return entry_properties(_get_entry(event_id))


UPDATABLE = ("acknowledged", "escalate", "priority", "details", "tags")
EMPTY_INPUT = "Empty input: Please provide the necessary data in the request body."
MAX_UPDATE_ATTEMPTS = 3


def _flag(value: Any, name: str) -> int:
    if value in (True, 1, "1", "true"):
        return 1
    if value in (False, 0, "0", "false"):
        return 0
    raise ValidationFailed(f"{name} must be 0 or 1, not {value!r}", field=name)


def validate_changes(changes: Any) -> dict[str, Any]:
    """The property changes of a PATCH, validated (only opEvents' predefined properties)."""
    if changes is None or changes == {} or changes == []:
        raise ValidationFailed(EMPTY_INPUT)
    if not isinstance(changes, dict):
        raise ValidationFailed("the body must be a JSON object of event properties")
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise ValidationFailed(
            f"Unknown properties: {', '.join(unknown)}; only {', '.join(UPDATABLE)} can be set"
        )
    valid: dict[str, Any] = {}
    for name in ("acknowledged", "escalate"):
        if name in changes:
            valid[name] = _flag(changes[name], name)
    if "priority" in changes:
        valid["priority"] = parse_priority(changes["priority"])
        valid["level"] = level_of(valid["priority"])
    if "details" in changes:
        if not isinstance(changes["details"], str):
            raise ValidationFailed("details must be a string", field="details")
        valid["details"] = changes["details"]
    tags = changes.get("tags")
    if tags is not None:
        if not isinstance(tags, dict) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in tags.values()
        ):
            raise ValidationFailed("tags must be an object of names to values", field="tags")
        valid.update({f"tag_{name}": value for name, value in tags.items()})
    if valid.get("acknowledged") == 1 and "escalate" not in valid:
        valid["escalate"] = 0  # opEvents clears escalation on acknowledgement
    return valid


def update_event(event_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply validated ``changes`` to opEvents' record of an event; its new properties.

    Read, change, write back on the condition that nobody wrote in between (retried): the
    properties are one JSON document. The one-store event keeps what was reported; the update
    itself is recorded there as the operation's event.
    """
    for _ in range(MAX_UPDATE_ATTEMPTS):
        entry = _get_entry(event_id)
        properties = json.loads(entry.doc or "{}")
        properties.update(changes)
        doc = json.dumps(properties, separators=(",", ":"), default=str)
        actions = [OpEventModel.doc.set(doc)]
        if "details" in changes:
            actions.append(OpEventModel.details.set(changes["details"]))
        if update_if(entry, actions, OpEventModel.doc == entry.doc):
            entry.doc = doc
            return entry_properties(entry)
    raise Conflict(f"event {event_id} is being changed by others; try again")
