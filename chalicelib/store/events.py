"""The one events table: every event of every dialect, with indexes by time, type, id, owner.

Every index's partition key is sharded or naturally spread: ``by_time``/``by_id`` on a time
shard, ``by_type`` on ``"<type>#<shard>"`` (one busy type is several partitions), ``by_owner``
on ``"<project>#<user>"``. Readers fan out over the shards and merge in key order.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import AttributeContainer, MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model

SHORT_NAME = "events"


class EventsByTime(GlobalSecondaryIndex):
    """All events in (generated, message_id) order, spread over ``time_shard`` partitions."""

    class Meta:
        index_name = "by_time"
        projection = AllProjection()

    time_shard = UnicodeAttribute(hash_key=True)
    gen_key = UnicodeAttribute(range_key=True)


class EventsByType(GlobalSecondaryIndex):
    """Events of one type in (generated, message_id) order, per ``type_key`` shard."""

    class Meta:
        index_name = "by_type"
        projection = AllProjection()

    type_key = UnicodeAttribute(hash_key=True)
    gen_key = UnicodeAttribute(range_key=True)


class EventsByOwner(GlobalSecondaryIndex):
    """Events of one (project, user) in (generated, message_id) order: Panko's non-admins."""

    class Meta:
        index_name = "by_owner"
        projection = AllProjection()

    owner_key = UnicodeAttribute(hash_key=True)
    gen_key = UnicodeAttribute(range_key=True)


class EventsById(GlobalSecondaryIndex):
    """All events in message_id order, spread over ``time_shard`` partitions."""

    class Meta:
        index_name = "by_id"
        projection = AllProjection()

    time_shard = UnicodeAttribute(hash_key=True)
    message_id = UnicodeAttribute(range_key=True)


class EventBody(AttributeContainer):
    """A stored event's attributes but its keys: the events table's, and each trait index
    entry's copy (chalicelib/store/event_traits.py)."""

    event_type = UnicodeAttribute()
    type_key = UnicodeAttribute()  # f"{event_type}#{shard}": the by_type partition
    owner_key = UnicodeAttribute()  # f"{project_id or ''}#{user_id or ''}"
    generated = UnicodeAttribute()  # fixed-width naive UTC, microseconds: sortable as text
    time_shard = UnicodeAttribute()
    traits: MapAttribute[str, Any] = MapAttribute(default=dict)
    raw = UnicodeAttribute(default="{}")  # JSON text: keeps floats and nesting exactly
    source = UnicodeAttribute(default="api")
    project_id = UnicodeAttribute(null=True)
    user_id = UnicodeAttribute(null=True)
    recorded_by = UnicodeAttribute(null=True)
    recorded_at = UnicodeAttribute()
    # How many handler executions led to this event; dispatch stops at a limit to break loops.
    depth = NumberAttribute(default=0)


class EventModel(EventBody, Model):
    """One stored event. ``traits`` maps a trait name to ``{type name: value}``."""

    class Meta(BaseMeta):
        table_name = SHORT_NAME
        # The stream feeds the engine; NEW_IMAGE is all dispatch needs.
        stream_view_type = "NEW_IMAGE"

    message_id = UnicodeAttribute(hash_key=True)
    gen_key = UnicodeAttribute()  # f"{generated}#{message_id}": the keyset ordering key

    by_time = EventsByTime()
    by_type = EventsByType()
    by_id = EventsById()
    by_owner = EventsByOwner()


bind_model(EventModel, SHORT_NAME)
