"""The stored form of an event: the events-table item, its shards, its size, the stream image.

``storable_item`` is the core boundary every write passes: an event DynamoDB would refuse
(too many traits, an item over 400 KB) is a ``ValidationFailed`` before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from chalicelib.core.model import (
    TRAIT_TYPE_RANK,
    Event,
    Trait,
    format_stored_time,
    parse_timestamp,
    utcnow,
)
from chalicelib.errors import ValidationFailed
from chalicelib.settings import get_settings
from chalicelib.store.event_traits import EventTraitModel
from chalicelib.store.events import EventModel
from chalicelib.store.shards import shard_of

# DynamoDB's item limit, less a margin for the estimate's rounding and attribute overheads.
MAX_ITEM_BYTES = 400 * 1024
ITEM_SIZE_MARGIN = 8 * 1024


def time_shard_of(message_id: str, shards: int | None = None) -> str:
    """The time shard an event lives in: a stable hash of its message id."""
    return str(shard_of(message_id, shards or get_settings().time_shards))


def type_key_of(event_type: str, message_id: str, shards: int | None = None) -> str:
    """The ``by_type`` partition of an event: its type and a shard, so no type is one hot key."""
    return f"{event_type}#{shard_of(message_id, shards or get_settings().type_shards)}"


def owner_key_of(project_id: str | None, user_id: str | None) -> str:
    """The ``by_owner`` partition: (project, user) as Panko's non-admin visibility needs it."""
    return f"{project_id or ''}#{user_id or ''}"


def _value_size(value: dict[str, Any]) -> int:
    """DynamoDB's size of one serialized attribute value (bytes, rounded up)."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return len(str(inner).lstrip("-").replace(".", "")) // 2 + 2
    if kind == "B":
        return len(inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + _value_size(v) for k, v in inner.items())
    if kind == "L":
        return 3 + sum(1 + _value_size(v) for v in inner)
    if kind in ("SS", "NS", "BS"):
        return sum(len(str(v)) for v in inner)
    return 1  # BOOL, NULL


def item_size(item: EventModel) -> int:
    """The size DynamoDB counts for ``item`` (attribute names plus values)."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.serialize().items())


def stored_trait_value(trait: Trait) -> Any:
    if isinstance(trait.value, datetime):
        return format_stored_time(trait.value)
    return trait.value


def to_item(event: Event) -> EventModel:
    """The stored form of ``event``."""
    traits: dict[str, dict[str, Any]] = {}
    for trait in event.traits:
        traits.setdefault(trait.name, {})[trait.type] = stored_trait_value(trait)
    generated = format_stored_time(event.generated)
    return EventModel(
        message_id=event.message_id,
        event_type=event.event_type,
        type_key=type_key_of(event.event_type, event.message_id),
        owner_key=owner_key_of(event.project_id, event.user_id),
        generated=generated,
        gen_key=f"{generated}#{event.message_id}",
        time_shard=time_shard_of(event.message_id),
        traits=traits,
        raw=json.dumps(event.raw, separators=(",", ":"), default=str),
        source=event.source,
        project_id=event.project_id,
        user_id=event.user_id,
        recorded_by=event.recorded_by,
        recorded_at=format_stored_time(utcnow()),
        depth=event.depth,
    )


# A partition key holds at most 2048 bytes: a longer trait key is stored as its digest.
MAX_TRAIT_KEY_BYTES = 1024


def trait_index_value(trait_type: str, value: Any) -> str:
    """A trait value as the trait index keys it: equal exactly when an ``eq`` filter of that
    type matches (the stored text of a time; a float's shortest repr, -0.0 as 0.0)."""
    if trait_type == "float":
        return repr(float(value) + 0.0)
    if trait_type == "integer":
        return str(int(value))
    if isinstance(value, datetime):
        return format_stored_time(value)
    return str(value)


def _trait_value_key(*parts: str) -> str:
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    if len(text.encode()) > MAX_TRAIT_KEY_BYTES:
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    return text


def trait_partitions(name: str, trait_type: str, value: Any, event_type: str | None = None):
    """Every trait-index partition of ``name`` = ``value`` (of one event type, when given)."""
    parts = (name, trait_type, trait_index_value(trait_type, value))
    key = _trait_value_key(*parts) if event_type is None else _trait_value_key(event_type, *parts)
    return [f"{key}#{shard}" for shard in range(get_settings().type_shards)]


def trait_entries(item: EventModel) -> list[EventTraitModel]:
    """The trait-index entries of a stored event: one per declared trait (and type) it has."""
    indexed = get_settings().indexed_traits
    stored = item.traits.as_dict() if hasattr(item.traits, "as_dict") else dict(item.traits or {})
    body = {name: getattr(item, name) for name in EventModel.get_attributes()}
    shard = shard_of(item.message_id, get_settings().type_shards)
    entries = []
    for name in indexed:
        for trait_type, value in dict(stored.get(name) or {}).items():
            if trait_type not in TRAIT_TYPE_RANK:
                continue
            parts = (name, trait_type, trait_index_value(trait_type, value))
            entries.append(
                EventTraitModel(
                    trait_key=f"{_trait_value_key(*parts)}#{shard}",
                    type_trait_key=f"{_trait_value_key(item.event_type, *parts)}#{shard}",
                    **body,
                )
            )
    return entries


def storable_item(event: Event) -> EventModel:
    """``to_item(event)``, or ``ValidationFailed`` when DynamoDB would refuse it."""
    return sized_storable_item(event)[0]


def sized_storable_item(event: Event) -> tuple[EventModel, int]:
    """``storable_item`` and its ``item_size``: a batch groups its transactions by size
    without serializing each item once more."""
    max_traits = get_settings().max_traits
    if len(event.traits) > max_traits:
        raise ValidationFailed(
            f"event {event.message_id} has {len(event.traits)} traits; at most {max_traits}",
            field="traits",
        )
    item = to_item(event)
    size = item_size(item)
    if size > MAX_ITEM_BYTES - ITEM_SIZE_MARGIN:
        raise ValidationFailed(
            f"event {event.message_id} is {size} bytes stored; at most "
            f"{MAX_ITEM_BYTES - ITEM_SIZE_MARGIN}",
            field="event",
        )
    return item, size


def parse_stored_time(text: str) -> datetime:
    """A stored time; also reads years written unpadded (``500-01-01…``) before the fix."""
    head, sep, rest = text.partition("-")
    if sep and head.isdigit() and len(head) < 4:
        text = f"{int(head):04d}-{rest}"
    return parse_timestamp(text)


def _trait_from_stored(name: str, trait_type: str, value: Any) -> Trait:
    if trait_type == "datetime":
        return Trait(name, trait_type, parse_stored_time(value))
    if trait_type == "integer":
        return Trait(name, trait_type, int(value))
    if trait_type == "float":
        return Trait(name, trait_type, float(value))
    return Trait(name, trait_type, str(value))


def traits_of(item: EventModel) -> list[Trait]:
    """The item's traits, by name then type rank (Panko's order inside an event)."""
    stored = item.traits.as_dict() if hasattr(item.traits, "as_dict") else dict(item.traits or {})
    traits = [
        _trait_from_stored(name, trait_type, value)
        for name, by_type in stored.items()
        for trait_type, value in dict(by_type).items()
        if trait_type in TRAIT_TYPE_RANK
    ]
    traits.sort(key=lambda t: (t.name, t.rank))
    return traits


def from_item(item: EventModel) -> Event:
    """The event a stored item holds."""
    traits = traits_of(item)
    return Event(
        message_id=item.message_id,
        event_type=item.event_type,
        generated=parse_stored_time(item.generated),
        traits=tuple(traits),
        raw=json.loads(item.raw or "{}"),
        source=item.source,
        project_id=item.project_id,
        user_id=item.user_id,
        recorded_by=item.recorded_by,
        depth=int(item.depth or 0),
        recorded_at=parse_stored_time(item.recorded_at) if item.recorded_at else None,
    )


def event_from_stream_image(image: dict[str, Any]) -> Event:
    """Decode a DynamoDB stream ``NewImage`` of the events table into an event."""
    return from_item(EventModel.from_raw_data(image))
