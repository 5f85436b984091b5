"""The stream trigger's work: decode a DynamoDB stream batch of the events table and run the
``post`` handlers of each new event, reporting failed records (partial batch response).
"""

from __future__ import annotations

from typing import Any

from chalicelib import metrics, observability
from chalicelib.core.event_items import event_from_stream_image
from chalicelib.core.model import Event


def decode_record(record: dict[str, Any]) -> Event | None:
    """The new event a stream record carries, or None for records dispatch ignores.

    Only INSERTs are events happening; MODIFY/REMOVE (expiry, repairs) are not. A record
    that cannot be decoded raises, which marks it failed.
    """
    if record.get("eventName") != "INSERT":
        return None
    image = record.get("dynamodb", {}).get("NewImage")
    if not image:
        raise ValueError("stream record has no NewImage: the stream must include new images")
    return event_from_stream_image(image)


def handle_stream_batch(raw_event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Process one stream batch; returns ``{"batchItemFailures": [...]}`` for Lambda.

    Each record is handled on its own, so one bad record never blocks the others. A record
    fails only when the engine cannot do its work (undecodable, the execution store
    unavailable, an execution still claimed by another delivery): it is reported by its
    sequence number and Lambda retries from there. A failing action is not such a failure:
    it is retried, then recorded as failed in the execution history.
    """
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    from chalicelib.engine import executor

    session = executor.BatchSession(context)

    def handle(record) -> None:
        event = decode_record(record.raw_event)
        if event is not None:
            session.run_post_handlers(event)

    processor = BatchProcessor(
        event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False
    )
    response = process_partial_response(
        event=raw_event, record_handler=handle, processor=processor, context=context
    )
    failures = response.get("batchItemFailures", [])
    metrics.count("BatchItemFailures", len(failures))
    observability.logger.info(
        "stream batch",
        extra={"records": len(raw_event.get("Records", [])), "failed": len(failures)},
    )
    return response
