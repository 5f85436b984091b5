"""moto's answers with items in them written as plain JSON, without its generic serializer.

moto 5.2 renders every response through a shape-driven serializer that walks the botocore
model attribute by attribute: ~2.5 ms per item. The stream pump's ``GetRecords`` (up to 100
records with full images, one per event stored) cost more than the writes it reported, and a
Panko page's Queries spent most of their time there, all in the process of the embedded
DynamoDB and under its interpreter lock. The results moto builds for these operations are
already in wire form but for two types, which ``_wire`` converts as that serializer does:
binaries to base64 text, and times to epoch seconds (millisecond precision; moto's times are
naive UTC). Errors, and every other operation, still go through moto's serializer.

``install()`` patches the handlers once per process (the embedded server of ``make run``).
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

__all__ = ["ITEM_OPERATIONS", "install", "records_json"]

# DynamoDB operations whose results are items (and counts, keys, capacity): plain JSON.
ITEM_OPERATIONS = frozenset(
    {
        "Query",
        "Scan",
        "GetItem",
        "BatchGetItem",
        "TransactGetItems",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
        "TransactWriteItems",
    }
)


def _wire(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return round(moment.timestamp(), 3)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} has no DynamoDB wire form")


def records_json(result: dict[str, Any]) -> str:
    """A result (``GetRecords``' records and next iterator, a Query's items ...) as JSON."""
    return json.dumps(result, default=_wire, separators=(",", ":"))


def get_records(self: Any) -> str:
    """``DynamoDBStreamsHandler.get_records`` of moto 5.2, answering the JSON body itself."""
    arn = self._get_param("ShardIterator")
    limit = self._get_param("Limit")
    return records_json(self.backend.get_records(arn, 1000 if limit is None else limit))


def install() -> None:
    """Replace moto's ``GetRecords`` handler and the serializing of DynamoDB's item results
    (once per process)."""
    from moto.dynamodb.responses import DynamoHandler
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    if getattr(DynamoDBStreamsHandler, "_event_service_plain_json", False):
        return
    DynamoDBStreamsHandler.get_records = get_records
    DynamoDBStreamsHandler._event_service_plain_json = True

    original = DynamoHandler.serialized

    def serialized(self: Any, action_result: Any) -> Any:
        result = action_result.result
        if isinstance(result, dict) and self._get_action() in ITEM_OPERATIONS:
            # Status and headers as moto's serializer gives them, for an empty result.
            status, headers, _ = original(self, type(action_result)({}))
            return status, headers, records_json(result)
        return original(self, action_result)

    DynamoHandler.serialized = serialized
