"""opEvents' own tables: the event records as opEvents shows them, and the stateful state.

``opevents`` holds one item per stored opEvents event, keyed by its 24-hex id: the event's
properties (``doc``, JSON text) and the fields listings filter on. Three indexes answer every
listing without a Scan: ``by_time`` (a time shard, ``generated#id``), ``by_node`` (node,
``generated#id``) and ``by_name`` (event name, ``generated#id``). The same event is also an
event of the one store (``events`` table); this item is opEvents' mutable view of it
(acknowledged, escalate, flap links).

``opevents_state`` keeps the last known state per (node, stateful, element): the key of
stateful deduplication and flap detection, written with conditional updates.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model, string_list

SHORT_NAME = "opevents"
STATE_SHORT_NAME = "opevents_state"


class OpEventsByTime(GlobalSecondaryIndex):
    """Every opEvents event in (generated, id) order, spread over ``bucket`` shards."""

    class Meta:
        index_name = "by_time"
        projection = AllProjection()

    bucket = UnicodeAttribute(hash_key=True)
    gen_key = UnicodeAttribute(range_key=True)


class OpEventsByNode(GlobalSecondaryIndex):
    """The events of one node in (generated, id) order."""

    class Meta:
        index_name = "by_node"
        projection = AllProjection()

    node = UnicodeAttribute(hash_key=True)
    gen_key = UnicodeAttribute(range_key=True)


class OpEventsByName(GlobalSecondaryIndex):
    """The events of one name (``Node Down``) in (generated, id) order."""

    class Meta:
        index_name = "by_name"
        projection = AllProjection()

    event = UnicodeAttribute(hash_key=True)
    gen_key = UnicodeAttribute(range_key=True)


class OpEventModel(Model):
    """One opEvents event: its properties and the attributes listings filter on."""

    class Meta(BaseMeta):
        table_name = SHORT_NAME

    id = UnicodeAttribute(hash_key=True)
    bucket = UnicodeAttribute()
    gen_key = UnicodeAttribute()  # f"{generated}#{id}": fixed-width time, then the id
    node = UnicodeAttribute()
    event = UnicodeAttribute()
    type = UnicodeAttribute(null=True)
    element = UnicodeAttribute(null=True)
    details = UnicodeAttribute(null=True)
    doc = UnicodeAttribute(default="{}")  # every property, as JSON text
    # Ids of the partner events (``stateful_eventids``): a flap's down event gains its up here.
    links = string_list(default=list)

    by_time = OpEventsByTime()
    by_node = OpEventsByNode()
    by_name = OpEventsByName()


class OpEventStateModel(Model):
    """The last state reported for one (node, stateful, element), and the event that said so."""

    class Meta(BaseMeta):
        table_name = STATE_SHORT_NAME

    key = UnicodeAttribute(hash_key=True)
    state = UnicodeAttribute()
    event_id = UnicodeAttribute()
    time = NumberAttribute()


bind_model(OpEventModel, SHORT_NAME)
bind_model(OpEventStateModel, STATE_SHORT_NAME)
