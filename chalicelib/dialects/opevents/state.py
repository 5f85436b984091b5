"""opEvents' stateful state: the last state per (node, stateful, element).

opEvents suppresses an event that reports the state already known for its entity, and marks
an up soon after a down as a flap. The known state is one item per entity, changed with one
conditional UpdateItem that returns the previous state: two concurrent reports of the same
state cannot both pass its condition.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.errors import Conflict
from chalicelib.store.access import store_access, update_if
from chalicelib.store.opevents import OpEventStateModel


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


def claim_state(key: str, state: str, event_id: str, moment: float) -> PriorState | None:
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


def release_state(key: str, event_id: str, prior: PriorState | None) -> None:
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
