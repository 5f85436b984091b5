"""The trait index: one entry per stored event and declared trait it carries.

An entry is keyed by the trait's (name, type, value) and a write shard (``trait_key``, one
busy value is several partitions), sorted by ``gen_key`` (time order, as the events' own
indexes), and holds a copy of the event's attributes: a listing reads events straight from
it, one item per event returned. The ``by_type`` index keys the same entries by event type
too (``type_trait_key``). Entries are written in the event's own transaction, never alone.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model
from chalicelib.store.events import EventBody

SHORT_NAME = "event_traits"


class TraitsByType(GlobalSecondaryIndex):
    """Entries of one event type and trait value in time order, per shard."""

    class Meta:
        index_name = "by_type"
        projection = AllProjection()

    type_trait_key = UnicodeAttribute(hash_key=True)
    gen_key = UnicodeAttribute(range_key=True)


class EventTraitModel(EventBody, Model):
    """One (event, indexed trait) entry: the trait's keys and the event's attributes."""

    class Meta(BaseMeta):
        table_name = SHORT_NAME

    trait_key = UnicodeAttribute(hash_key=True)  # (name, type, value) and a shard
    gen_key = UnicodeAttribute(range_key=True)  # f"{generated}#{message_id}"
    type_trait_key = UnicodeAttribute()  # (event type, name, type, value) and a shard
    message_id = UnicodeAttribute()

    by_type = TraitsByType()


bind_model(EventTraitModel, SHORT_NAME)
