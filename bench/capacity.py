"""DynamoDB capacity units from the requests a run actually made (botocore hooks, no clock).

On-demand DynamoDB bills a write request unit per 1 KB of item written, for the table and
again for every global secondary index the item is written to, and a read request unit per
4 KB read (half for an eventually consistent read). ``CapacityMeter`` sizes each request's
items from the request and the answer (their JSON length, which is close to DynamoDB's own
item size for these short attribute names) and adds the units up per table.
"""

from __future__ import annotations

import json
import math
from typing import Any

_WRITES = {"PutItem", "UpdateItem", "DeleteItem"}


def _size(item: Any) -> int:
    return len(json.dumps(item, separators=(",", ":"))) if item else 0


class CapacityMeter:
    """Write and read request units per table, estimated from each call's items."""

    def __init__(self, indexes_by_table: dict[str, int]) -> None:
        self.indexes_by_table = indexes_by_table
        self.write_units: dict[str, float] = {}
        self.read_units: dict[str, float] = {}
        self.requests: dict[str, int] = {}

    @classmethod
    def for_models(cls, models: list[Any]) -> CapacityMeter:
        indexes = {}
        for model in models:
            meta_indexes = getattr(model, "_indexes", None) or {}
            indexes[model.Meta.table_name] = len(meta_indexes)
        meter = cls(indexes)
        hooked: set[int] = set()
        for model in models:
            events = model._get_connection().connection.client.meta.events
            if id(events) not in hooked:
                hooked.add(id(events))
                events.register("before-parameter-build.dynamodb", meter._asked)
                events.register("after-call.dynamodb", meter._answered)
        return meter

    def reset(self) -> None:
        self.write_units.clear()
        self.read_units.clear()
        self.requests.clear()

    @property
    def total_write_units(self) -> float:
        return sum(self.write_units.values())

    @property
    def total_read_units(self) -> float:
        return sum(self.read_units.values())

    def _add(self, bucket: dict[str, float], table: str, units: float) -> None:
        bucket[table] = bucket.get(table, 0) + units

    def _write(self, table: str, item_bytes: int) -> None:
        units = max(1, math.ceil(item_bytes / 1024))
        self._add(self.write_units, table, units * (1 + self.indexes_by_table.get(table, 0)))

    def _read(self, table: str, item_bytes: int, consistent: bool) -> None:
        units = max(1, math.ceil(item_bytes / 4096)) * (1 if consistent else 0.5)
        self._add(self.read_units, table, units)

    @staticmethod
    def _asked(params: dict | None = None, context: dict | None = None, **_: Any) -> None:
        if context is not None:
            context["capacity_params"] = dict(params or {})  # after-call sees the same context

    def _answered(
        self, model: Any = None, parsed: dict | None = None, context: dict | None = None, **_: Any
    ) -> None:
        operation = getattr(model, "name", "?")
        params, parsed = (context or {}).get("capacity_params") or {}, parsed or {}
        self.requests[operation] = self.requests.get(operation, 0) + 1
        table = params.get("TableName", "?")
        consistent = bool(params.get("ConsistentRead"))
        if operation in _WRITES:
            self._write(table, _size(params.get("Item")) or _size(parsed.get("Attributes")) or 1)
        elif operation == "TransactWriteItems":
            for entry in params.get("TransactItems", []):
                for body in entry.values():
                    # A transaction bills two units per KB written.
                    self._write(body.get("TableName", "?"), 2 * (_size(body.get("Item")) or 1))
        elif operation == "BatchWriteItem":
            for name, requests in params.get("RequestItems", {}).items():
                for request in requests:
                    self._write(name, _size(request.get("PutRequest", {}).get("Item")) or 1)
        elif operation == "GetItem":
            self._read(table, _size(parsed.get("Item")), consistent)
        elif operation in ("Query", "Scan"):
            self._read(table, _size(parsed.get("Items")), consistent)
        elif operation == "BatchGetItem":
            for name, items in (parsed.get("Responses") or {}).items():
                for item in items:
                    self._read(name, _size(item), False)
