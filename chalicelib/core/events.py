"""The one event store: record, fetch and list events, whatever dialect they come from.

The stored form of an event (item, shard, stream image) lives in ``event_items``.

Listing always reads a key or an index (never a Scan) and pages by keyset:
- a ``message_id`` filter is a GetItem;
- an ``event_type`` filter reads the ``by_type`` index, one Query per page;
- otherwise the ``by_time`` (or ``by_id``) index is read on every time shard and merged.
Trait and visibility filters are DynamoDB filter expressions on the index read; each page's
size follows how much of the previous one the filters passed (see ``_paced``). A marker costs
one GetItem (its time decides where the next page starts).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib import metrics
from chalicelib.core import catalog
from chalicelib.core.errors import EventNotFound, InvalidMarker, ValidationFailed
from chalicelib.core.event_items import (
    from_item,
    stored_trait_value,
    to_item,
    traits_of,
)
from chalicelib.core.model import (
    Event,
    Trait,
    format_stored_time,
)
from chalicelib.settings import get_settings
from chalicelib.store.access import save_if, store_access
from chalicelib.store.events import EventModel, EventsById, EventsByTime

SORT_KEYS = ("message_id", "generated")
SORT_DIRECTIONS = ("asc", "desc")
DEFAULT_SORT: tuple[tuple[str, str], ...] = (("generated", "asc"), ("message_id", "asc"))
OPERATORS = ("lt", "le", "eq", "ne", "ge", "gt")
# Upper bound of every gen_key that starts with a given time: '#' then a message id sorts below.
_KEY_CEILING = "#\U0010ffff"
MAX_PAGE_SIZE = 1000  # items one listing request reads at most (DynamoDB also stops at 1 MB)


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class RecordResult:
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def record_event(event: Event) -> bool:
    """Store ``event`` once. Returns False (and stores no event) if its message id exists.

    The summaries are noted first: should the event's write fail, a retry still finds its
    type listed (a type without events, at worst), never an event missing from the summary.
    """
    item = to_item(event)
    catalog.note_event(event)
    return save_if(item, EventModel.message_id.does_not_exist())


def record_events(events: Iterable[Event]) -> RecordResult:
    """Store every event not stored yet; duplicates (in the store or the batch) are skipped."""
    result = RecordResult()
    seen: set[str] = set()
    for event in events:
        if event.message_id in seen or not record_event(event):
            result.duplicates.append(event.message_id)
        else:
            result.stored.append(event.message_id)
            metrics.count("EventsRecorded", dialect=event.source)
        seen.add(event.message_id)
    return result


# ---------------------------------------------------------------- reading


def _get_item(message_id: str) -> EventModel | None:
    with store_access():
        try:
            return EventModel.get(message_id)
        except EventModel.DoesNotExist:
            return None


@dataclass(frozen=True)
class Visibility:
    """Who is asking: decides which events they may see.

    ``everything``: no restriction. ``user`` None: events of ``project`` or with no project
    (Panko's admin). ``user`` set: events of that user in ``project`` (Panko's non-admin).
    A ``project`` of None means "no project": only events without one match it.
    """

    everything: bool = False
    project: str | None = None
    user: str | None = None

    @classmethod
    def all(cls) -> Visibility:
        return cls(everything=True)

    def condition(self):
        if self.everything:
            return None
        unowned = EventModel.project_id.does_not_exist()
        if self.user is not None:
            owned = unowned if self.project is None else EventModel.project_id == self.project
            return owned & (EventModel.user_id == self.user)
        if self.project is None:
            return unowned
        return unowned | (EventModel.project_id == self.project)

    def allows(self, event: Event) -> bool:
        if self.everything:
            return True
        if self.user is not None:
            return event.project_id == self.project and event.user_id == self.user
        return event.project_id is None or event.project_id == self.project


@dataclass(frozen=True)
class TraitFilter:
    """``trait <op> value`` where the event has trait ``name`` stored with ``type``."""

    name: str
    type: str
    op: str
    value: Any

    def condition(self):
        path = EventModel.traits[self.name][self.type]
        value = stored_trait_value(Trait(self.name, self.type, self.value))
        compare = {
            "lt": path < value,
            "le": path <= value,
            "eq": path == value,
            "ne": path != value,
            "ge": path >= value,
            "gt": path > value,
        }[self.op]
        # "ne" must not match events that lack the trait (as Panko's SQL join).
        return path.exists() & compare

    def matches(self, event: Event) -> bool:
        trait = event.trait(self.name, self.type)
        if trait is None:
            return False
        left, right = trait.value, self.value
        return {
            "lt": left < right,
            "le": left <= right,
            "eq": left == right,
            "ne": left != right,
            "ge": left >= right,
            "gt": left > right,
        }[self.op]


@dataclass(frozen=True)
class EventQuery:
    """What to list. ``sort`` is a list of (key, direction); ``marker`` a message id."""

    event_type: str | None = None
    message_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    traits: tuple[TraitFilter, ...] = ()
    visibility: Visibility = field(default_factory=Visibility.all)
    sort: tuple[tuple[str, str], ...] = DEFAULT_SORT
    limit: int = 100
    marker: str | None = None

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValidationFailed("limit must be a positive integer", field="limit")
        for key, direction in self.sort:
            if key not in SORT_KEYS or direction not in SORT_DIRECTIONS:
                raise ValidationFailed(f"invalid sort {key}:{direction}", field="sort")
        for trait_filter in self.traits:
            if trait_filter.op not in OPERATORS:
                raise ValidationFailed(f"invalid operator {trait_filter.op}", field="q")


def get_event(message_id: str, visibility: Visibility | None = None) -> Event:
    """The event ``message_id`` if ``visibility`` allows it; ``EventNotFound`` otherwise."""
    item = _get_item(message_id)
    event = from_item(item) if item is not None else None
    if event is None or not (visibility or Visibility.all()).allows(event):
        raise EventNotFound(message_id)
    return event


def _sort_value(event: Event, key: str) -> Any:
    return event.generated if key == "generated" else event.message_id


class _Keyset:
    """The total order of a listing and the 'after the marker' test."""

    def __init__(self, sort: tuple[tuple[str, str], ...]) -> None:
        keys: list[tuple[str, str]] = []
        for key, direction in sort:
            if key not in (k for k, _ in keys):
                keys.append((key, direction))
        # message_id is unique: ordering ends there. Without it, ties on 'generated' are broken
        # by message_id in the same direction, so paging never skips or repeats an event.
        if "message_id" not in (k for k, _ in keys):
            keys.append(("message_id", keys[0][1] if keys else "asc"))
        self.keys = tuple(keys)

    def after(self, event: Event, marker: Event) -> bool:
        for key, direction in self.keys:
            mine, theirs = _sort_value(event, key), _sort_value(marker, key)
            if mine != theirs:
                return mine > theirs if direction == "asc" else mine < theirs
        return False

    def sort_group(self, group: list[Event]) -> list[Event]:
        for key, direction in reversed(self.keys[1:]):
            group.sort(key=lambda e, k=key: _sort_value(e, k), reverse=direction == "desc")
        return group


def _combine(conditions: list[Any]):
    combined = None
    for condition in conditions:
        if condition is not None:
            combined = condition if combined is None else combined & condition
    return combined


def _paced(results: Any, first_page: int, target: int) -> Iterator[EventModel]:
    """The items of one query, each page sized to what is still wanted from it.

    The first page reads ``first_page`` items; about ``target`` are expected to be used. When
    a filter passes only part of what it reads, the next page is about (still wanted / pass
    rate): a selective filter costs a few large requests rather than many small ones, and a
    top-up after an unfiltered page stays small.
    """
    pages = results.page_iter  # PynamoDB's page iterator: one request per page
    pages.page_size = min(MAX_PAGE_SIZE, first_page)
    scanned = passed = 0
    for page in pages:
        items = page.get("Items") or []
        scanned += page.get("ScannedCount", len(items))
        passed += len(items)
        for raw in items:
            yield EventModel.from_raw_data(raw)
        still_wanted = max(target - passed, -(-target // 4))
        if passed:
            size = -(-still_wanted * scanned * 11 // (passed * 10)) + 1
        else:
            size = pages.page_size * 4
        pages.page_size = min(MAX_PAGE_SIZE, max(2, size))


def _shard_reader(
    read: Callable[..., Any], shards: int, wanted: int, **kwargs: Any
) -> list[Iterator[EventModel]]:
    """One paced query per time shard; together they are expected to supply ``wanted``."""
    share = -(-wanted // shards)
    # A quarter more than an even share absorbs the shards' uneven split of the first page.
    first_page = max(2, -(-wanted * 5 // (4 * shards)) + 1)
    return [_paced(read(str(shard), **kwargs), first_page, share) for shard in range(shards)]


def list_events(query: EventQuery) -> list[Event]:
    """Events matching ``query`` in its order, at most ``query.limit``, after ``query.marker``."""
    keyset = _Keyset(query.sort)
    marker = None
    if query.marker is not None:
        marker_item = _get_item(query.marker)
        marker = from_item(marker_item) if marker_item is not None else None
        # A marker the caller may not see is "not found": its existence is not theirs to learn.
        if marker is None or not query.visibility.allows(marker):
            raise InvalidMarker(query.marker)

    if query.message_id is not None:
        item = _get_item(query.message_id)
        candidates = [from_item(item)] if item is not None else []
        return [
            event
            for event in candidates
            if _matches_in_memory(event, query) and (marker is None or keyset.after(event, marker))
        ][: query.limit]

    with store_access():
        stream = _ordered_items(query, keyset, marker)
        return list(itertools.islice(stream, query.limit))


def _matches_in_memory(event: Event, query: EventQuery) -> bool:
    if query.event_type is not None and event.event_type != query.event_type:
        return False
    if query.start is not None and event.generated < query.start:
        return False
    if query.end is not None and event.generated > query.end:
        return False
    return query.visibility.allows(event) and all(f.matches(event) for f in query.traits)


def _ordered_items(query: EventQuery, keyset: _Keyset, marker: Event | None) -> Iterator[Event]:
    primary, direction = keyset.keys[0]
    forward = direction == "asc"
    filters = [query.visibility.condition(), *(f.condition() for f in query.traits)]
    shards = get_settings().time_shards
    # A page reads the marker itself again (the range starts at its time): one more item.
    wanted = query.limit + (1 if marker is not None else 0)

    if primary == "generated":
        low = format_stored_time(query.start) if query.start else None
        high = format_stored_time(query.end) + _KEY_CEILING if query.end else None
        if marker is not None:
            # Inclusive of the marker's time: ties with the marker are decided by the keyset.
            marker_time = format_stored_time(marker.generated)
            if forward:
                low = max(low, marker_time) if low else marker_time
            else:
                marker_high = marker_time + _KEY_CEILING
                high = min(high, marker_high) if high else marker_high
        if low is not None and high is not None and low > high:
            return  # an empty range: DynamoDB refuses a BETWEEN whose bounds cross
        range_condition = _range_condition(low, high)
        filter_condition = _combine(filters)
        if query.event_type is not None:
            results = EventModel.by_type.query(
                query.event_type,
                range_key_condition=range_condition,
                filter_condition=filter_condition,
                scan_index_forward=forward,
            )
            merged: Iterable[EventModel] = _paced(results, wanted, wanted)
        else:
            readers = _shard_reader(
                EventModel.by_time.query,
                shards,
                wanted,
                range_key_condition=range_condition,
                filter_condition=filter_condition,
                scan_index_forward=forward,
            )
            merged = heapq.merge(*readers, key=lambda i: i.gen_key, reverse=not forward)
    else:
        if query.event_type is not None:
            filters.append(EventModel.event_type == query.event_type)
        if query.start is not None:
            filters.append(EventModel.generated >= format_stored_time(query.start))
        if query.end is not None:
            filters.append(EventModel.generated <= format_stored_time(query.end))
        range_condition = None
        if marker is not None:
            range_condition = (
                EventsById.message_id > marker.message_id
                if forward
                else EventsById.message_id < marker.message_id
            )
        readers = _shard_reader(
            EventModel.by_id.query,
            shards,
            wanted,
            range_key_condition=range_condition,
            filter_condition=_combine(filters),
            scan_index_forward=forward,
        )
        merged = heapq.merge(*readers, key=lambda i: i.message_id, reverse=not forward)

    events = (from_item(item) for item in merged)
    if primary == "generated" and len(keyset.keys) > 1 and keyset.keys[1][1] != direction:
        # Mixed directions: the index order is right between times; reorder each tie group.
        grouped = itertools.groupby(events, key=lambda e: e.generated)
        events = (e for _, group in grouped for e in keyset.sort_group(list(group)))
    for event in events:
        if marker is None or keyset.after(event, marker):
            yield event


def _range_condition(low: str | None, high: str | None):
    key = EventsByTime.gen_key  # by_time and by_type share the attribute name
    if low is not None and high is not None:
        return key.between(low, high)
    if low is not None:
        return key >= low
    if high is not None:
        return key <= high
    return None


# ---------------------------------------------------------------- trait instances


def list_trait_instances(event_type: str, trait_name: str | None = None) -> list[Trait]:
    """Every stored trait of events of ``event_type`` (only ``trait_name`` when given).

    One entry per stored instance, no dedupe, ordered by type rank then name (Panko reads its
    text, integer, float and datetime tables in turn); within a name, in event time order.
    Reads the ``by_type`` index: its cost grows with the number of events of that type.
    """
    condition = EventModel.traits[trait_name].exists() if trait_name else None
    with store_access():
        items = EventModel.by_type.query(
            event_type, filter_condition=condition, attributes_to_get=["traits"]
        )
        instances = [
            trait
            for item in items
            for trait in traits_of(item)
            if trait_name is None or trait.name == trait_name
        ]
    instances.sort(key=lambda t: (t.rank, t.name))
    return instances
