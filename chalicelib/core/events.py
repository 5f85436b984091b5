"""The one event store: record events, whatever dialect they come from, and read them back.

The stored form of an event (item, shards, size) lives in ``event_items``; the query planner
(which index a listing reads, paging, the read budget) in ``event_queries``, re-exported here.

Writing: every event of a request is validated and turned into its item first
(``storable_item``): one refused event means nothing is written. Each event goes with its
trait-index entries (one per declared trait it carries, ``trait_entries``), always in the
same transaction, so an event is never stored without its entries nor an entry without its
event. The events are written in transactions of up to ``TRANSACTION_SIZE`` actions (and
``TRANSACTION_BYTES``), an event and its entries never split, each event conditional on its
message id not existing (an event is never overwritten): one request per many events
instead of one per event. A transaction cancelled because some ids exist is retried without
them (they are the duplicates). The catalog summaries are noted once per event type and
trait per request, before the events, so a listed type never misses its events' summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib import metrics
from chalicelib.core import catalog, event_queries
from chalicelib.core.event_items import (  # noqa: F401
    item_size,
    sized_storable_item,
    storable_item,
    to_item,
    trait_entries,
    traits_of,
)
from chalicelib.core.event_queries import (  # noqa: F401  (the store's reading API)
    DEFAULT_SORT,
    OPERATORS,
    SORT_DIRECTIONS,
    SORT_KEYS,
    EventPage,
    EventQuery,
    TraitFilter,
    Visibility,
    list_events,
    list_page,
    type_shard_keys,
)
from chalicelib.core.executions import current_depth
from chalicelib.core.model import Event, Trait
from chalicelib.errors import EventNotFound, StoreUnavailable, ValidationFailed
from chalicelib.settings import get_settings
from chalicelib.store.access import condition_failed, save_if, store_access, store_error
from chalicelib.store.event_traits import EventTraitModel
from chalicelib.store.events import EventModel

# DynamoDB's TransactWriteItems takes at most 100 actions and 4 MB.
TRANSACTION_SIZE = 100
TRANSACTION_BYTES = 4 * 1024 * 1024 - 64 * 1024

# An event's item and its trait-index entries: written together or not at all.
Writes = tuple[EventModel, list[EventTraitModel]]


# ---------------------------------------------------------------- ids per owner

# Between a non-admin's own message id and its owner's scope (``#`` is the one character ids
# may not hold; ``~`` reads well in a URL).
OWNER_SCOPE_SEPARATOR = "~"


def owner_scope(project_id: str | None, user_id: str | None) -> str:
    """A short, stable tag of one (project, user): what a non-admin's ids are scoped to."""
    import hashlib

    key = f"{project_id or ''}#{user_id or ''}".encode()
    return hashlib.sha256(key).hexdigest()[:16]


def scoped_message_id(message_id: str, project_id: str | None, user_id: str | None) -> str:
    """``message_id`` within its owner's id space: ``<id>~<scope>``.

    Ids are per owner: two owners sending the same id store two events, so nobody learns
    (as a "duplicate") which ids another tenant holds, nor takes an id before them. The same
    owner sending it again gets Panko's duplicate answer. An id already scoped to this owner
    (read back and sent again) is kept as it is.
    """
    suffix = OWNER_SCOPE_SEPARATOR + owner_scope(project_id, user_id)
    return message_id if message_id.endswith(suffix) else message_id + suffix


def get_event(message_id: str, visibility: Visibility | None = None) -> Event:
    """The event ``message_id`` if ``visibility`` allows it; ``EventNotFound`` otherwise.

    A non-admin (a ``visibility`` with a user) finds its own events by the id it sent too
    (the stored id is scoped to it: ``scoped_message_id``).
    """
    if visibility is not None and visibility.user is not None:
        own = scoped_message_id(message_id, visibility.project, visibility.user)
        if own != message_id:
            try:
                return event_queries.get_event(own, visibility)
            except EventNotFound:
                pass
    return event_queries.get_event(message_id, visibility)


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class RecordResult:
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


class PartiallyStored(StoreUnavailable):
    """The store failed part-way through a batch: some transactions were written, the rest not.

    Says exactly which events are stored (``stored``) and which are not (``not_stored``).
    Sending the same batch again is safe: the stored ids come back as duplicates.
    """

    def __init__(self, stored: list[str], not_stored: list[str], cause: BaseException) -> None:
        self.stored, self.not_stored = stored, not_stored
        super().__init__(
            f"the event store failed part-way: {len(stored)} of {len(stored) + len(not_stored)} "
            f"new events were stored (from {stored[0]} to {stored[-1]} in request order), "
            f"the rest (from {not_stored[0]}) were not; send the same request again: the "
            "stored events are skipped as duplicates",
            cause=cause,
        )


def record_event(event: Event) -> bool:
    """Store ``event`` once. Returns False (and stores no event) if its message id exists.

    The summaries are noted first: should the event's write fail, a retry still finds its
    type listed (a type without events, at worst), never an event missing from the summary.
    """
    item = storable_item(at_current_depth(event))
    catalog.note_events([event])
    entries = trait_entries(item)
    if entries:
        stored = bool(_write_new([(item, entries)]))
    else:
        stored = save_if(item, EventModel.message_id.does_not_exist())
    if stored:
        metrics.count("EventsRecorded", dialect=event.source)
    return stored


def at_current_depth(event: Event) -> Event:
    """``event`` at least as deep as the context recording it: a handler execution, or a
    request carrying ``X-Event-Service-Depth`` (so a handler posting to its own service
    records deeper events, and dispatch stops the loop)."""
    depth = current_depth()
    return replace(event, depth=depth) if depth > event.depth else event


def check_batch_size(count: int) -> None:
    """``ValidationFailed`` naming the limit when one request carries too many events."""
    limit = get_settings().max_events_per_request
    if count > limit:
        raise ValidationFailed(
            f"{count} events in one request; at most {limit} "
            "(EVENT_SERVICE_MAX_EVENTS_PER_REQUEST)",
            field="events",
        )


def record_events(events: Iterable[Event]) -> RecordResult:
    """Store every event not stored yet; duplicates (in the store or the batch) are skipped.

    Every event is validated before the first write: a refused one writes nothing. Each
    transaction of ``TRANSACTION_SIZE`` is all-or-nothing; when the store fails after some
    were written, ``PartiallyStored`` names exactly what was stored (never a bare 500).
    """
    events = [at_current_depth(event) for event in events]
    check_batch_size(len(events))
    items: dict[str, EventModel] = {}
    sizes: dict[str, int] = {}
    order: list[tuple[str, bool]] = []  # (message id, first of its id in the batch)
    for event in events:
        item, size = sized_storable_item(event)
        order.append((event.message_id, event.message_id not in items))
        items.setdefault(event.message_id, item)
        sizes.setdefault(event.message_id, size)
    catalog.note_events(events)
    stored: set[str] = set()
    groups = _transactions([(item, trait_entries(item)) for item in items.values()], sizes)
    for index, group in enumerate(groups):
        try:
            stored.update(_write_new(group))
        except Exception as exc:
            if not stored:
                raise  # nothing written: the store's own error says it all
            written = [m for m in items if m in stored]
            rest = [item.message_id for later in groups[index:] for item, _ in later]
            raise PartiallyStored(written, rest, exc) from exc
    result = RecordResult()
    for message_id, first in order:
        (result.stored if first and message_id in stored else result.duplicates).append(message_id)
    sources = {event.message_id: event.source for event in events}
    for message_id in result.stored:
        metrics.count("EventsRecorded", dialect=sources[message_id])
    return result


def _transactions(writes: list[Writes], sizes: dict[str, int]) -> list[list[Writes]]:
    """``writes`` in request order, grouped within DynamoDB's transaction limits; an event
    and its entries are never split (the settings keep one event's actions under 100).
    ``sizes``: each event's item size by message id (an entry holds a copy of its event)."""
    groups: list[list[Writes]] = []
    actions = size = 0
    for write in writes:
        item, entries = write
        write_actions = 1 + len(entries)
        write_size = sizes[item.message_id] * write_actions
        if groups and (
            actions + write_actions > TRANSACTION_SIZE or size + write_size > TRANSACTION_BYTES
        ):
            groups.append([])
            actions = size = 0
        if not groups:
            groups.append([])
        groups[-1].append(write)
        actions += write_actions
        size += write_size
    return groups


def _write_new(writes: list[Writes]) -> set[str]:
    """Write the events of ``writes`` that do not exist yet, each with its trait-index
    entries, in one transaction; their message ids.

    A cancelled transaction names, per action, which condition failed: those events exist
    already and the rest is tried again (at most once per duplicate, so this ends).
    """
    if len(writes) == 1 and not writes[0][1]:
        item = writes[0][0]
        return {item.message_id} if save_if(item, EventModel.message_id.does_not_exist()) else set()
    connection = EventModel._get_connection().connection
    while writes:
        try:
            with TransactWrite(connection=connection) as transaction:
                for item, entries in writes:
                    transaction.save(item, condition=EventModel.message_id.does_not_exist())
                    for entry in entries:
                        transaction.save(entry)
        except TransactWriteError as exc:
            if exc.cancellation_reasons is None and exc.cause_response_code is None:
                # No answer at all (a timeout): nothing says which items exist.
                raise StoreUnavailable(cause=exc) from exc
            reasons = exc.cancellation_reasons or []
            if not condition_failed(exc) or len(reasons) != sum(1 + len(e) for _, e in writes):
                raise store_error(exc) from exc
            # Each event's own reason comes first among its actions.
            kept, position = [], 0
            for write in writes:
                reason = reasons[position]
                position += 1 + len(write[1])
                if reason is None or reason.code != "ConditionalCheckFailed":
                    kept.append(write)
            writes = kept
            continue
        return {item.message_id for item, _ in writes}
    return set()


# ---------------------------------------------------------------- trait instances


def list_trait_instances(event_type: str, trait_name: str | None = None) -> list[Trait]:
    """Every stored trait of events of ``event_type`` (only ``trait_name`` when given).

    One entry per stored instance, no dedupe, ordered by type rank then name (Panko reads its
    text, integer, float and datetime tables in turn); within a name, in event time order.
    Reads the ``by_type`` index (every type shard): its cost grows with the number of events
    of that type. (Within a name the order is per shard, then time.)
    """
    condition = EventModel.traits[trait_name].exists() if trait_name else None
    with store_access():
        instances = [
            trait
            for key in type_shard_keys(event_type)
            for item in EventModel.by_type.query(
                key, filter_condition=condition, attributes_to_get=["traits", "gen_key"]
            )
            for trait in traits_of(item)
            if trait_name is None or trait.name == trait_name
        ]
    instances.sort(key=lambda t: (t.rank, t.name))
    return instances
