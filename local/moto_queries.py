"""moto's ``Query`` reading only the items of its partition, not the whole table.

moto 5.2 answers every Query, on the table or on an index, by sorting *all* the table's items
(``Table.all_items``) and testing each against the key condition: a Panko page (one Query per
shard of its index) cost time in proportion to everything ever stored, 4x slower at 10,000
events than at 1,000. Here a query is handed only its candidates:
- on the table: the items stored under its partition key (moto's own dict of them);
- on an index: the items whose index partition attribute has the queried value, from a map
  value -> item keys per attribute, built on the first query of that attribute (one pass) and
  kept up to date by every write (``put_item``, ``update_item``).
The map may name more than it should (an item deleted, or changed since): each candidate is
the live item under its key, and moto's own query code still tests every key condition,
sorts, filters and pages exactly as before (``_window`` hands it only the items of the page it
asks for, in the plain case, from the partition sorted once and kept until a write to it). It
never names fewer: every write that can give an item an attribute value passes ``put_item`` or
``update_item``; a rolled-back transaction (local/moto_transactions.py) drops the table's maps,
rebuilt on the next query.

``install()`` patches moto's DynamoDB models once per process (the embedded server).
"""

from __future__ import annotations

import inspect
import threading
from typing import Any

__all__ = ["forget", "install"]

_BUCKETS = "_event_service_buckets"
_SORTED = "_event_service_sorted"
_local = threading.local()


def _identity(item: Any) -> tuple[Any, Any]:
    return item.hash_key, item.range_key


def _live(table: Any, identity: tuple[Any, Any]) -> Any:
    hash_key, range_key = identity
    stored = table.items.get(hash_key)
    if stored is None or range_key is None:
        return stored
    return stored.get(range_key)


def _every_item(table: Any) -> list[Any]:
    if table.range_key_attr:
        return [item for partition in table.items.values() for item in partition.values()]
    return list(table.items.values())


def _note(table: Any, buckets: dict[str, dict[Any, dict[Any, None]]], item: Any) -> None:
    """``item`` (just written) in each map, and its partitions' sorted lists dropped."""
    kept = table.__dict__.get(_SORTED) or {}
    for attribute, bucket in buckets.items():
        value = item.attrs.get(attribute)
        if value is None:
            continue
        try:
            bucket.setdefault(value, {})[_identity(item)] = None
        except TypeError:  # a map or list value: never an index key
            continue
        kept.pop((attribute, value), None)


def forget(table: Any) -> None:
    """Drop ``table``'s maps (after its items changed behind ``put_item``'s back)."""
    table.__dict__.pop(_BUCKETS, None)
    table.__dict__.pop(_SORTED, None)


def _sorted_partition(
    table: Any, index_name: str, attribute: str, value: Any, order: list[str]
) -> list[Any]:
    """The partition's items in the index's order, kept until a write notes that value again
    (its items may have changed order); a kept list may hold items deleted or changed since,
    which the caller skips."""
    kept = table.__dict__.setdefault(_SORTED, {}).setdefault((attribute, value), {})
    if index_name in kept:
        return kept[index_name]
    present = [item for item in _candidates(table, attribute, value) if item.attrs.get(order[1])]
    present.sort(key=lambda item: tuple(item.attrs[a].cast_value for a in order))
    kept[index_name] = present
    return present


def _candidates(table: Any, attribute: str, value: Any) -> list[Any]:
    buckets = table.__dict__.setdefault(_BUCKETS, {})
    bucket = buckets.get(attribute)
    if bucket is None:
        bucket = buckets[attribute] = {}
        _note_all(table, {attribute: bucket}, _every_item(table))
    keys = bucket.get(value) or {}
    found, stale = [], []
    for identity in keys:
        item = _live(table, identity)
        current = item.attrs.get(attribute) if item is not None else None
        if current is not None and current == value:
            found.append(item)
        else:
            stale.append(identity)
    for identity in stale:  # moto answers one request at a time: no query sees this half-done
        del keys[identity]
    return found


def _note_all(table: Any, buckets: dict[str, dict[Any, dict[Any, None]]], items: list[Any]) -> None:
    for item in items:
        _note(table, buckets, item)


def _window(table: Any, arguments: dict[str, Any], attribute: str, value: Any) -> list[Any]:
    """Of an index partition's items, those moto's query will look at for this page.

    moto sorts every candidate (comparing DynamoType objects: most of a query's time in a
    partition of thousands) and then walks them in order, skipping those before
    ``ExclusiveStartKey``, keeping those in the key range until ``Limit`` are kept, and
    looking at one more to decide on ``LastEvaluatedKey``. Here the candidates are sorted in
    the same order by plain values, and moto is handed exactly the ones it would keep and that
    one more: its own code then answers as it would have (it sorts the few again). Only for
    the plain case (one partition and one sort attribute, a ``Limit``, no legacy filters);
    otherwise every candidate.
    """
    limit = arguments.get("limit")
    index = {i.name: i for i in table.all_indexes()}.get(arguments["index_name"])
    if index is None or not limit or arguments.get("filter_kwargs"):
        return _candidates(table, attribute, value)
    hash_keys = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
    range_keys = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
    range_conditions = arguments.get("range_key_conditions") or []
    if len(hash_keys) != 1 or len(range_keys) != 1 or len(range_conditions) > 1:
        return _candidates(table, attribute, value)
    hash_attrs = [*hash_keys, table.hash_key_attr]
    range_attrs = [*range_keys, table.range_key_attr]
    order = [a for a in table._generate_attr_to_sort_by(hash_attrs, range_attrs) if a]
    if order[:2] != [attribute, range_keys[0]]:
        return _candidates(table, attribute, value)
    try:
        present = _sorted_partition(table, index.name, attribute, value, order)
    except (KeyError, TypeError):  # an item without a sort attribute, or values of two types
        return _candidates(table, attribute, value)
    forward = arguments.get("scan_index_forward", True) is not False
    if not forward:
        present = present[::-1]
    start = arguments.get("exclusive_start_key")
    position, end = 0, len(present)
    while start is not None and position < end:  # the items up to the start key: a prefix
        middle = (position + end) // 2
        if table._item_comes_before_dct(present[middle], start, hash_attrs, range_attrs, forward):
            position = middle + 1
        else:
            end = middle
    comparison = arguments.get("range_comparison")
    objects = arguments.get("range_objs")
    compared = range_conditions[0][0] if range_conditions else range_keys[0]
    kept: list[Any] = []
    matched = 0
    for item in present[position:]:
        current = item.attrs.get(attribute)
        if _live(table, _identity(item)) is not item or current is None or current != value:
            continue  # deleted, replaced or moved since the list was sorted
        if matched == limit:
            kept.append(item)  # the one more moto looks at
            break
        if not comparison or item.attrs[compared].compare(comparison, objects):
            kept.append(item)
            matched += 1
        elif matched:
            # A key range is one stretch of the sort order: past it, moto keeps nothing more.
            # (Items outside the range count toward no page's 1 MB, as in DynamoDB.)
            break
    return kept


def install() -> None:
    """Patch moto's ``Table.query``, ``Table.all_items``, ``Table.put_item`` and
    ``DynamoDBBackend.update_item`` (once per process)."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    if getattr(Table, "_event_service_partitioned", False):
        return
    original_query = Table.query
    original_all_items = Table.all_items
    original_put_item = Table.put_item
    original_update_item = DynamoDBBackend.update_item
    signature = inspect.signature(original_query)

    def all_items(self: Any) -> list[Any]:
        hint = getattr(_local, "hint", None)
        if hint is not None and hint[0] is self:
            return hint[1]
        return original_all_items(self)

    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        arguments = bound.arguments
        index_name = arguments.get("index_name")
        if index_name:
            conditions = arguments.get("hash_key_conditions") or []
            if not conditions:
                return original_query(self, *args, **kwargs)
            attribute, value = conditions[0]
            candidates = _window(self, arguments, attribute, value)
        else:
            hash_key = arguments.get("hash_key")
            stored = self.items.get(hash_key) if hash_key is not None else None
            if stored is None:
                candidates = []
            elif self.range_key_attr:
                candidates = list(stored.values())
            else:
                candidates = [stored]
        _local.hint = (self, candidates)
        try:
            return original_query(self, *args, **kwargs)
        finally:
            _local.hint = None

    def put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = original_put_item(self, *args, **kwargs)
        buckets = self.__dict__.get(_BUCKETS)
        if buckets:
            _note(self, buckets, item)
        return item

    def update_item(self: Any, table_name: str, key: dict[str, Any], *args: Any, **kw: Any) -> Any:
        try:
            return original_update_item(self, table_name, key, *args, **kw)
        finally:
            # Changed in place, even when the update then failed: note what it holds now.
            table = self.tables.get(table_name)
            buckets = table.__dict__.get(_BUCKETS) if table is not None else None
            if buckets:
                try:
                    item = table.get_item(*self.get_keys_value(table, key))
                except Exception:  # an invalid key: nothing was changed
                    item = None
                if item is not None:
                    _note(table, buckets, item)

    Table.query = query
    Table.all_items = all_items
    Table.put_item = put_item
    DynamoDBBackend.update_item = update_item
    Table._event_service_partitioned = True
