"""Summaries of what the store holds, maintained on write: event types and trait descriptions."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.core.model import TRAIT_TYPE_RANK, TRAIT_TYPES, Event
from chalicelib.store.access import store_access
from chalicelib.store.catalog import CatalogModel

EVENT_TYPES = "event_type"

# Summary items this container has already written: a hot event type costs one write, once.
_known: set[tuple[str, str]] = set()


def _trait_partition(event_type: str) -> str:
    return f"trait#{event_type}"


def _summaries(events: Iterable[Event]) -> dict[tuple[str, str], CatalogModel]:
    """The summary items ``events`` need, once each."""
    wanted: dict[tuple[str, str], CatalogModel] = {}
    for event in events:
        key = (EVENT_TYPES, event.event_type)
        if key not in wanted:
            wanted[key] = CatalogModel(*key, name=event.event_type)
        for trait in event.traits:
            key = (_trait_partition(event.event_type), f"{trait.rank}#{trait.name}")
            if key not in wanted:
                wanted[key] = CatalogModel(*key, name=trait.name, trait_type=trait.type)
    return wanted


def note_events(events: Iterable[Event]) -> None:
    """Record the types and trait descriptions of ``events``: each summary written once per
    call (in batches of 25), and not again by this container (idempotent puts)."""
    new = {key: item for key, item in _summaries(events).items() if key not in _known}
    if not new:
        return
    with store_access():
        if len(new) == 1:
            next(iter(new.values())).save()
        else:
            with CatalogModel.batch_write() as batch:
                for item in new.values():
                    batch.save(item)
    _known.update(new)


def note_event(event: Event) -> None:
    """Record one event's type and trait descriptions."""
    note_events([event])


def forget_cache() -> None:
    """Drop the per-container cache (tests, and after tables are recreated)."""
    _known.clear()


def list_event_types() -> list[str]:
    """Every event type ever recorded, sorted by name."""
    with store_access():
        return [item.name for item in CatalogModel.query(EVENT_TYPES)]


def list_trait_descriptions(event_type: str) -> list[tuple[str, str]]:
    """(name, type) of every trait seen on ``event_type``, by type rank then name."""
    with store_access():
        items = list(CatalogModel.query(_trait_partition(event_type)))
    pairs = [(item.name, item.trait_type or "string") for item in items]
    pairs.sort(key=lambda pair: (TRAIT_TYPE_RANK.get(pair[1], len(TRAIT_TYPES)), pair[0]))
    return pairs
