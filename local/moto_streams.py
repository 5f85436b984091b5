"""moto's DynamoDB Streams ``GetRecords`` answered as plain JSON, without its generic serializer.

moto 5.2 renders every response through a shape-driven serializer that walks the botocore
model attribute by attribute. For ``GetRecords`` (up to 100 records with full images, read by
the stream pump for every event stored) that walk cost ~2.5 ms per record: reading the stream
behind a 1,000-event ingest took longer than the ingest, in the same process as the embedded
DynamoDB and under its interpreter lock. The records moto keeps are already in wire form but
for two types, which ``_wire`` converts as that serializer does: binaries to base64 text, and
the creation time to epoch seconds (millisecond precision; moto's times are naive UTC).

``install()`` patches the handler once per process (the embedded server of ``make run``).
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

__all__ = ["install", "records_json"]


def _wire(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return round(moment.timestamp(), 3)
    raise TypeError(f"{type(value).__name__} has no DynamoDB Streams wire form")


def records_json(result: dict[str, Any]) -> str:
    """A ``GetRecords`` result (records and next iterator) as its JSON body."""
    return json.dumps(result, default=_wire, separators=(",", ":"))


def get_records(self: Any) -> str:
    """``DynamoDBStreamsHandler.get_records`` of moto 5.2, answering the JSON body itself."""
    arn = self._get_param("ShardIterator")
    limit = self._get_param("Limit")
    return records_json(self.backend.get_records(arn, 1000 if limit is None else limit))


def install() -> None:
    """Replace moto's ``GetRecords`` handler (once per process)."""
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    if getattr(DynamoDBStreamsHandler, "_event_service_plain_json", False):
        return
    DynamoDBStreamsHandler.get_records = get_records
    DynamoDBStreamsHandler._event_service_plain_json = True
