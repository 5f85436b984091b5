"""Named event counters (privacyIDEA's ``eventcounter``): atomic changes, reads and a listing.

Every change is one conditional UpdateItem, so concurrent handler executions never lose an
increment. Without ``allow_negative`` a counter stops at 0, as privacyIDEA's does.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core.model import format_stored_time, utcnow
from chalicelib.errors import StoreUnavailable, ValidationFailed
from chalicelib.store.access import store_access, update_if
from chalicelib.store.counters import CounterModel, all_partitions, partition_of

MAX_NAME = 255
# A clamped decrease races with concurrent changes only in the instant the counter nears 0;
# a few tries settle it.
_CLAMP_TRIES = 5


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise ValidationFailed(
            f"a counter name must be a non-empty string of at most {MAX_NAME} characters",
            field="counter_name",
        )
    return name


def change_counter(name: str, delta: int, allow_negative: bool = False) -> int:
    """Add ``delta`` to counter ``name`` (created at 0); returns the new value.

    When ``allow_negative`` is false a decrease never takes the counter below 0 (and leaves a
    counter that is already negative alone), as privacyIDEA's ``decrease_counter``.
    """
    name = _check_name(name)
    item = CounterModel(name=name)
    now = format_stored_time(utcnow())
    with store_access():
        if delta >= 0 or allow_negative:
            item.update(actions=[CounterModel.value.add(delta), CounterModel.updated_at.set(now)])
            return int(item.value)
        for _ in range(_CLAMP_TRIES):
            if update_if(
                item,
                [CounterModel.value.add(delta), CounterModel.updated_at.set(now)],
                CounterModel.value >= -delta,
            ):
                return int(item.value)
            # below |delta|: the decrease ends at 0
            if update_if(
                item,
                [CounterModel.value.set(0), CounterModel.updated_at.set(now)],
                CounterModel.value.does_not_exist()
                | ((CounterModel.value >= 0) & (CounterModel.value < -delta)),
            ):
                return 0
            current = CounterModel.get(item.pk, name, consistent_read=True)
            if int(current.value or 0) < 0:
                return int(current.value)  # already below zero (allowed once): left alone
    raise StoreUnavailable(f"counter {name} changed too often to decrease it safely")


def reset_counter(name: str) -> int:
    """Set counter ``name`` to 0; returns 0."""
    item = CounterModel(name=_check_name(name))
    with store_access():
        item.update(
            actions=[
                CounterModel.value.set(0),
                CounterModel.updated_at.set(format_stored_time(utcnow())),
            ]
        )
    return 0


def get_counter(name: str) -> int:
    """The value of counter ``name``; 0 for a counter never changed."""
    with store_access():
        try:
            item = CounterModel.get(partition_of(name), name)
        except CounterModel.DoesNotExist:
            return 0
    return int(item.value or 0)


def list_counters() -> list[dict[str, Any]]:
    """Every counter as ``{"name", "value", "updated_at"}``, sorted by name."""
    with store_access():
        items = [item for pk in all_partitions() for item in CounterModel.query(pk)]
    items.sort(key=lambda item: item.name)
    return [
        {"name": item.name, "value": int(item.value or 0), "updated_at": item.updated_at}
        for item in items
    ]
