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
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.core import events
from chalicelib.core.event_items import time_shard_of
from chalicelib.core.model import Event, build_event, format_stored_time
from chalicelib.dialects.opevents.nodes import resolve_event_node
from chalicelib.dialects.opevents.properties import (
    MAX_EVENT_NAME,
    SOURCE,
    is_event_id,
    level_of,
    new_event_id,
    normalise,
    parse_priority,
    traits_of,
    validate_changes,
)
from chalicelib.dialects.opevents.state import (
    Duplicate,
    claim_state,
    release_state,
    state_key,
)
from chalicelib.errors import Conflict, NotFound
from chalicelib.settings import get_settings
from chalicelib.store.access import store_access, update_if
from chalicelib.store.opevents import OpEventModel

# Re-exported: the dialect reads properties and creates events through this one module.
__all__ = [
    "Created",
    "Creator",
    "create_event",
    "entry_properties",
    "get_event",
    "is_event_id",
    "level_of",
    "normalise",
    "parse_priority",
    "update_event",
    "validate_changes",
]
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
            prior = claim_state(key, state.lower(), event_id, properties["time"])
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
                # opEvents names the up "<stateful> Flap" (its classic flap name) and, by its
                # default opevents_no_action_on_flap, acknowledges the down (see _write_entry).
                properties["flap"] = 1
                properties["event"] = flap_name(stateful)
                flap_of = prior.event_id
    try:
        event = _one_store_event(event_id, properties, creator)
        if not events.record_event(event):
            raise Conflict(f"event {event_id} exists")
        _write_entry(_entry(event_id, properties, format_stored_time(event.generated)), flap_of)
    except Exception:
        if key is not None:
            release_state(key, event_id, prior)
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


def flap_name(stateful: str) -> str:
    """The name opEvents gives the up event of a flap."""
    return f"{stateful} Flap"[:MAX_EVENT_NAME]


def _write_entry(entry: OpEventModel, flap_of: str | None) -> None:
    """opEvents' record of the event; on a flap, the down event is acknowledged (its
    escalation stops, as opEvents' ``opevents_no_action_on_flap``) and links back, in the same
    transaction, on the condition that nobody changed it in between (re-read and retried)."""
    if flap_of is None:
        with store_access():
            entry.save(condition=OpEventModel.id.does_not_exist())
        return
    for _ in range(MAX_UPDATE_ATTEMPTS):
        down = _get_entry(flap_of)
        properties = json.loads(down.doc or "{}")
        properties.update(acknowledged=1, escalate=0)
        doc = json.dumps(properties, separators=(",", ":"), default=str)
        try:
            with (
                store_access(on_condition_failed=_DownChanged),
                TransactWrite(connection=OpEventModel._get_connection().connection) as tx,
            ):
                tx.save(entry, condition=OpEventModel.id.does_not_exist())
                tx.update(
                    down,
                    actions=[
                        OpEventModel.links.set(OpEventModel.links.append([entry.id])),
                        OpEventModel.doc.set(doc),
                    ],
                    condition=OpEventModel.doc == down.doc,
                )
            return
        except _DownChanged:
            continue  # a PATCH of the down event came in between: read it again
    raise Conflict(f"event {flap_of} is being changed by others; try again")


class _DownChanged(Exception):
    """The flap's down event changed between its read and the transaction."""


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


MAX_UPDATE_ATTEMPTS = 3


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
