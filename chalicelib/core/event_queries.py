"""The query planner of the event store: which key or index a listing reads, and how it pages.

Listing always reads a key or an index (never a Scan) and pages by keyset:
- a ``message_id`` filter is a GetItem;
- an ``eq`` filter on a declared trait (``indexed_traits``) in time order reads the trait
  index (chalicelib/store/event_traits.py), of the event type when one is named: only events
  carrying that value, the visibility and other filters applied to them;
- a caller who sees only their own (project, user) reads the ``by_owner`` index: one Query
  per page, reading only what they may see;
- an ``event_type`` filter reads the ``by_type`` index on each of its type shards, merged;
- otherwise the ``by_time`` (or ``by_id``) index is read on every time shard and merged.
The shards of an index are read concurrently, in rounds, and merged in key order
(``FanOut``, chalicelib/core/shard_fanout.py): a page costs about two round trips whatever the
shard count. Trait and visibility filters are DynamoDB filter expressions on the index read;
a round without a cut sizes each shard's page by how much of its previous one the filters
passed. A marker costs one GetItem (its time decides where the next page starts).

Every listing has a read budget (``read_budget`` items, chalicelib/core/read_budget.py): a
page ends once it has read that many items, matched or not. Its ``continuation`` is a sealed
marker (chalicelib/core/continuation.py) that resumes right after the last item read, which
may lie past the last match and belong to events the caller may not see: sealed, it names
none of them, and it is bound to the caller and the order, so nobody else can follow it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.core import continuation
from chalicelib.core.event_items import (
    from_item,
    owner_key_of,
    stored_trait_value,
    trait_partitions,
)
from chalicelib.core.model import Event, Trait, format_stored_time
from chalicelib.core.read_budget import Budget, BudgetSpent, first_page_size
from chalicelib.core.shard_fanout import FanOut
from chalicelib.errors import EventNotFound, InvalidMarker, ValidationFailed
from chalicelib.settings import get_settings
from chalicelib.store.access import store_access
from chalicelib.store.event_traits import EventTraitModel
from chalicelib.store.events import EventModel, EventsById, EventsByTime

__all__ = [
    "DEFAULT_SORT",
    "OPERATORS",
    "SORT_DIRECTIONS",
    "SORT_KEYS",
    "EventPage",
    "EventQuery",
    "TraitFilter",
    "Visibility",
    "get_event",
    "list_events",
    "list_page",
    "type_shard_keys",
]

SORT_KEYS = ("message_id", "generated")
SORT_DIRECTIONS = ("asc", "desc")
DEFAULT_SORT: tuple[tuple[str, str], ...] = (("generated", "asc"), ("message_id", "asc"))
OPERATORS = ("lt", "le", "eq", "ne", "ge", "gt")
# Upper bound of every gen_key that starts with a given time: '#' then a message id sorts below.
_KEY_CEILING = "#\U0010ffff"


def _get_item(message_id: str) -> EventModel | None:
    with store_access():
        try:
            return EventModel.get(message_id)
        except EventModel.DoesNotExist:
            return None


def type_shard_keys(event_type: str) -> list[str]:
    """Every ``by_type`` partition of ``event_type``."""
    return [f"{event_type}#{shard}" for shard in range(get_settings().type_shards)]


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

    @property
    def owner_key(self) -> str | None:
        """The ``by_owner`` partition holding exactly what this caller sees, if there is one."""
        return owner_key_of(self.project, self.user) if self.user is not None else None

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


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lt": lambda left, right: left < right,
    "le": lambda left, right: left <= right,
    "eq": lambda left, right: left == right,
    "ne": lambda left, right: left != right,
    "ge": lambda left, right: left >= right,
    "gt": lambda left, right: left > right,
}


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
        # "ne" must not match events that lack the trait (as Panko's SQL join).
        return path.exists() & _COMPARE[self.op](path, value)

    def matches(self, event: Event) -> bool:
        trait = event.trait(self.name, self.type)
        return trait is not None and _COMPARE[self.op](trait.value, self.value)


@dataclass(frozen=True)
class EventQuery:
    """What to list. ``sort`` is a list of (key, direction); ``marker`` a message id.

    ``read_budget``: items this listing may read before ending its page (None: the setting).
    """

    event_type: str | None = None
    message_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    traits: tuple[TraitFilter, ...] = ()
    visibility: Visibility = field(default_factory=Visibility.all)
    sort: tuple[tuple[str, str], ...] = DEFAULT_SORT
    limit: int = 100
    marker: str | None = None
    read_budget: int | None = None

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValidationFailed("limit must be a positive integer", field="limit")
        for key, direction in self.sort:
            if key not in SORT_KEYS or direction not in SORT_DIRECTIONS:
                raise ValidationFailed(f"invalid sort {key}:{direction}", field="sort")
        for trait_filter in self.traits:
            if trait_filter.op not in OPERATORS:
                raise ValidationFailed(f"invalid operator {trait_filter.op}", field="q")


@dataclass(frozen=True)
class EventPage:
    """One page of a listing. ``ended_early``: the read budget ended it; more may follow.

    ``continuation``: the sealed marker that resumes after the last item read (set when the
    budget ended the page; it may point past the last event returned).
    """

    events: list[Event]
    ended_early: bool = False
    items_read: int = 0
    continuation: str | None = None

    @property
    def next_marker(self) -> str | None:
        """The marker that continues this listing: the sealed continuation when the budget
        ended the page, otherwise the last event returned (Panko's own marker)."""
        if self.ended_early:
            return self.continuation
        return self.events[-1].message_id if self.events else None


def get_event(message_id: str, visibility: Visibility | None = None) -> Event:
    """The event ``message_id`` if ``visibility`` allows it; ``EventNotFound`` otherwise."""
    item = _get_item(message_id)
    event = from_item(item) if item is not None else None
    if event is None or not (visibility or Visibility.all()).allows(event):
        raise EventNotFound(message_id)
    return event


def _sort_key(key: str, event: Event) -> Any:
    return _sort_value(event, key)


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
            group.sort(key=functools.partial(_sort_key, key), reverse=direction == "desc")
        return group


def _combine(conditions: list[Any]):
    combined = None
    for condition in conditions:
        if condition is not None:
            combined = condition if combined is None else combined & condition
    return combined


def _merged(
    read: Callable[..., Any],
    partitions: list[str],
    wanted: int,
    budget: Budget,
    order_attr: str,
    forward: bool,
    low: str | None,
    high: str | None,
    skip_key: str | None = None,
    filter_condition: Any = None,
) -> FanOut:
    """The partitions (shards) of one index read concurrently in rounds, merged in key order
    (chalicelib/core/shard_fanout.py); ``low``/``high``: the inclusive range of its sort key."""
    key_attr = getattr(EventsById, order_attr) if order_attr == "message_id" else None

    def key_range(low: str | None, high: str | None) -> Any:
        return _range_condition(low, high, key_attr)

    def request(partition: str, condition: Any, start: Any, size: int) -> dict[str, Any]:
        results = read(
            partition,
            range_key_condition=condition,
            filter_condition=filter_condition,
            scan_index_forward=forward,
            last_evaluated_key=start,
            page_size=size,
        )
        return next(results.page_iter)

    for model in (EventModel, EventTraitModel):  # each client made once, not per thread
        model._get_connection().connection.client  # noqa: B018
    return FanOut(
        request,
        partitions,
        EventModel,
        order_attr,
        key_range,
        low,
        high,
        wanted,
        budget,
        forward,
        skip_key=skip_key,
        first_page=first_page_size(wanted, len(partitions), budget),
    )


def list_events(query: EventQuery) -> list[Event]:
    """Events matching ``query`` in its order, at most ``query.limit``, after ``query.marker``."""
    return list_page(query).events


@dataclass(frozen=True)
class _Position:
    """Where a sealed continuation resumes: after ``key`` (the index's order key), or, for a
    listing whose tie groups are reordered, from the start of ``key``'s time (inclusive)."""

    key: str
    inclusive: bool = False

    @classmethod
    def opened(cls, content: Any, marker: str) -> _Position:
        if not isinstance(content, dict) or not isinstance(content.get("k"), str):
            raise InvalidMarker(marker)
        return cls(content["k"], bool(content.get("i")))

    def sealed(self, scope: str) -> str:
        return continuation.seal({"k": self.key, "i": self.inclusive}, scope)


def _scope(query: EventQuery, keyset: _Keyset) -> str:
    """What a sealed marker is bound to: who reads (their visibility) and in what order."""
    seen = query.visibility
    return json.dumps(["events", seen.everything, seen.project, seen.user, keyset.keys])


def _mixed(keyset: _Keyset) -> bool:
    """True when ties on 'generated' go in the other direction than 'generated' itself."""
    primary, direction = keyset.keys[0]
    return primary == "generated" and len(keyset.keys) > 1 and keyset.keys[1][1] != direction


def list_page(query: EventQuery) -> EventPage:
    """One page of ``query``: at most ``query.limit`` events, ended early by the read budget.

    The budget counts every item read, matched or not. A page it ends carries a sealed
    ``continuation`` that resumes after the last item read, which may lie past the last match.
    """
    keyset = _Keyset(query.sort)
    scope = _scope(query, keyset)
    marker = None
    position = None
    if query.marker is not None and continuation.is_sealed(query.marker):
        position = _Position.opened(continuation.open_marker(query.marker, scope), query.marker)
    elif query.marker is not None:
        marker_item = _get_item(query.marker)
        marker = from_item(marker_item) if marker_item is not None else None
        # A marker the caller may not see is "not found": its existence is not theirs to learn.
        if marker is None or not query.visibility.allows(marker):
            raise InvalidMarker(query.marker)

    if query.message_id is not None:
        item = _get_item(query.message_id)
        candidates = [from_item(item)] if item is not None else []
        matched = [
            event
            for event in candidates
            if _matches_in_memory(event, query)
            and (marker is None or keyset.after(event, marker))
            and (position is None or _after_position(event, position, keyset))
        ]
        return EventPage(matched[: query.limit], items_read=len(candidates))

    budget = Budget(query.read_budget or get_settings().read_budget)
    found: list[Event] = []
    merge = _ordered_items(query, keyset, marker, position, budget)
    groups = None
    stream: Iterator[Event] = iter(()) if merge is None else (from_item(i) for i in merge)
    if merge is not None and _mixed(keyset):
        # Mixed directions: the index order is right between times; reorder each tie group.
        groups = _TieGroups(stream, keyset)
        stream = iter(groups)
    events = (e for e in stream if marker is None or keyset.after(e, marker))
    with store_access():
        try:
            for event in events:
                found.append(event)
                if len(found) >= query.limit:
                    break
        except BudgetSpent:
            resume = merge.resume_key if merge is not None else None
            next_position = None
            if resume is not None and _mixed(keyset):
                # Tie groups are reordered: the group being read when the budget ended is
                # read again from its start, unless this page began there (a group larger
                # than a page): then what was read of it is returned, the group split. A
                # group the merge has passed beyond (a later shard frontier) is complete.
                time = resume.split("#", 1)[0]
                pending = [
                    e
                    for e in keyset.sort_group(list(groups.pending if groups else []))
                    if marker is None or keyset.after(e, marker)
                ]
                complete = [e for e in pending if format_stored_time(e.generated) != time]
                found = (found + complete)[: query.limit]
                if not found and position is not None and position.key == time:
                    found = pending[: query.limit]
                    next_position = _Position(resume)
                else:
                    found = [e for e in found if format_stored_time(e.generated) != time]
                    next_position = _Position(time, inclusive=True)
            elif resume is not None:
                next_position = _Position(resume)
            return EventPage(
                found,
                ended_early=True,
                items_read=budget.read,
                continuation=next_position.sealed(scope) if next_position else None,
            )
    return EventPage(found, False, budget.read)


def _after_position(event: Event, position: _Position, keyset: _Keyset) -> bool:
    primary, direction = keyset.keys[0]
    if primary == "message_id":
        key = event.message_id
    elif position.inclusive:
        key = format_stored_time(event.generated)
        return key >= position.key if direction == "asc" else key <= position.key
    else:
        key = f"{format_stored_time(event.generated)}#{event.message_id}"
    return key > position.key if direction == "asc" else key < position.key


def _matches_in_memory(event: Event, query: EventQuery) -> bool:
    if query.event_type is not None and event.event_type != query.event_type:
        return False
    if query.start is not None and event.generated < query.start:
        return False
    if query.end is not None and event.generated > query.end:
        return False
    return query.visibility.allows(event) and all(f.matches(event) for f in query.traits)


def _time_range(query: EventQuery, marker: Event | None, position: _Position | None, forward: bool):
    """(low, high) of the gen_key range to read, or None when the range is empty."""
    low = format_stored_time(query.start) if query.start else None
    high = format_stored_time(query.end) + _KEY_CEILING if query.end else None
    if position is not None:
        # Inclusive of the position itself: the merge skips that one key (DynamoDB has no
        # BETWEEN with an open end).
        bound = position.key
        if forward:
            low = max(low, bound) if low else bound
        else:
            bound = bound + _KEY_CEILING if position.inclusive else bound
            high = min(high, bound) if high else bound
    if marker is not None:
        # Inclusive of the marker's time: ties with the marker are decided by the keyset.
        marker_time = format_stored_time(marker.generated)
        if forward:
            low = max(low, marker_time) if low else marker_time
        else:
            marker_high = marker_time + _KEY_CEILING
            high = min(high, marker_high) if high else marker_high
    if low is not None and high is not None and low > high:
        return None  # DynamoDB refuses a BETWEEN whose bounds cross
    return low, high


def _indexed_filter(query: EventQuery) -> tuple[TraitFilter, list[str]] | None:
    """The first ``eq`` filter on a declared trait, and the trait-index partitions it reads
    (of the query's event type, when it names one); None when no filter is indexed."""
    declared = get_settings().indexed_traits
    for trait_filter in query.traits:
        if trait_filter.op == "eq" and trait_filter.name in declared:
            partitions = trait_partitions(
                trait_filter.name, trait_filter.type, trait_filter.value, query.event_type
            )
            return trait_filter, partitions
    return None


def _ordered_items(
    query: EventQuery,
    keyset: _Keyset,
    marker: Event | None,
    position: _Position | None,
    budget: Budget,
) -> FanOut | None:
    """The merge that reads ``query`` (None: nothing to read)."""
    primary, direction = keyset.keys[0]
    forward = direction == "asc"
    filters = [query.visibility.condition(), *(f.condition() for f in query.traits)]
    time_shards = [str(shard) for shard in range(get_settings().time_shards)]
    # A page reads the marker itself again (the range starts at its time): one more item.
    wanted = query.limit + (1 if marker is not None or position is not None else 0)

    if primary == "generated":
        bounds = _time_range(query, marker, position, forward)
        if bounds is None:
            return None
        owner_key = query.visibility.owner_key
        indexed = _indexed_filter(query)
        if indexed is not None:
            # One trait value: its index entries hold exactly the events carrying it. The
            # filter itself stays in the filter expression (a digest key could be shared).
            partitions = indexed[1]
            read: Callable[..., Any] = EventTraitModel.query
            if query.event_type is not None:
                read = EventTraitModel.by_type.query
                filters.append(EventModel.event_type == query.event_type)
        elif owner_key is not None:
            # Only this (project, user)'s events are visible: read exactly those.
            if query.event_type is not None:
                filters.append(EventModel.event_type == query.event_type)
            read, partitions = EventModel.by_owner.query, [owner_key]
        elif query.event_type is not None:
            read, partitions = EventModel.by_type.query, type_shard_keys(query.event_type)
        else:
            read, partitions = EventModel.by_time.query, time_shards
        merge = _merged(
            read,
            partitions,
            wanted,
            budget,
            "gen_key",
            forward,
            bounds[0],
            bounds[1],
            skip_key=position.key if position is not None and not position.inclusive else None,
            filter_condition=_combine(filters),
        )
    else:
        if query.event_type is not None:
            filters.append(EventModel.event_type == query.event_type)
        if query.start is not None:
            filters.append(EventModel.generated >= format_stored_time(query.start))
        if query.end is not None:
            filters.append(EventModel.generated <= format_stored_time(query.end))
        after = marker.message_id if marker is not None else None
        if position is not None:
            after = position.key if after is None else after
        # Inclusive of ``after`` (the marker or the continuation's position): never yielded.
        merge = _merged(
            EventModel.by_id.query,
            time_shards,
            wanted,
            budget,
            "message_id",
            forward,
            after if forward else None,
            None if forward else after,
            skip_key=after,
            filter_condition=_combine(filters),
        )
    return merge


class _TieGroups:
    """Events in the index's time order, each tie group (same ``generated``) reordered by the
    keyset; ``pending`` is the group still being read when the budget ended the page."""

    def __init__(self, events: Iterator[Event], keyset: _Keyset) -> None:
        self.events = events
        self.keyset = keyset
        self.pending: list[Event] = []

    def __iter__(self) -> Iterator[Event]:
        for event in self.events:
            if self.pending and self.pending[0].generated != event.generated:
                group, self.pending = self.pending, []
                yield from self.keyset.sort_group(group)
            self.pending.append(event)
        group, self.pending = self.pending, []
        yield from self.keyset.sort_group(group)


def _range_condition(low: str | None, high: str | None, key: Any = None):
    """The inclusive range (low, high) of an index's sort key (``gen_key`` unless given)."""
    key = key if key is not None else EventsByTime.gen_key  # the time indexes share the name
    if low is not None and high is not None:
        return key.between(low, high)
    if low is not None:
        return key >= low
    if high is not None:
        return key <= high
    return None
