"""Named counters changed atomically by the Counter handler module.

A counter lives in one of ``SHARDS`` partitions chosen by a stable hash of its name, so busy
counters spread over partitions while listing them all stays a few Queries, never a Scan.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model
from chalicelib.store.shards import shard_of

SHORT_NAME = "counters"
PARTITION = "counter"
# Fixed for the life of the table: changing it would strand existing counters.
SHARDS = 8


def partition_of(name: str) -> str:
    """The partition key of counter ``name``."""
    return f"{PARTITION}#{shard_of(name, SHARDS)}"


def all_partitions() -> list[str]:
    return [f"{PARTITION}#{shard}" for shard in range(SHARDS)]


class CounterModel(Model):
    class Meta(BaseMeta):
        table_name = SHORT_NAME

    pk = UnicodeAttribute(hash_key=True)  # partition_of(name)
    name = UnicodeAttribute(range_key=True)
    value = NumberAttribute(default=0)
    updated_at = UnicodeAttribute(null=True)

    def __init__(self, hash_key=None, range_key=None, _user_instantiated=True, **attributes):
        # ``CounterModel(name="hits")`` finds its own partition: no writer can misplace one.
        name = range_key if range_key is not None else attributes.get("name")
        if hash_key is None and attributes.get("pk") is None and name is not None:
            hash_key = partition_of(name)
        super().__init__(hash_key, range_key, _user_instantiated, **attributes)


bind_model(CounterModel, SHORT_NAME)
