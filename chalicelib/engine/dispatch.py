"""The stream trigger's work: decode a DynamoDB stream batch of the events table and run the
``post`` handlers of each new event, reporting failed records (partial batch response).

Records of a batch are independent (each is a distinct event, and every (event, handler)
execution is claimed once), so they run concurrently in a small bounded thread pool
(``dispatch_concurrency``): a batch waiting on webhooks takes about as long as its slowest
records, not their sum. The handler set is read once for the whole batch, before the pool.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib import metrics, observability
from chalicelib.core.event_items import event_from_stream_image
from chalicelib.core.model import Event
from chalicelib.settings import get_settings


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


def _sequence_number(record: dict[str, Any]) -> str:
    return str(record.get("dynamodb", {}).get("SequenceNumber", ""))


def handle_stream_batch(raw_event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Process one stream batch; returns ``{"batchItemFailures": [...]}`` for Lambda.

    Each record is handled on its own, so one bad record never blocks the others. A record
    fails only when the engine cannot do its work (undecodable, the execution store
    unavailable, an execution still claimed by another delivery, the invocation's deadline
    near): it is reported by its sequence number and Lambda retries from there. A failing
    action is not such a failure: it is retried, then recorded as failed in the execution
    history.
    """
    from chalicelib.engine import executor

    records = raw_event.get("Records") or []
    failed: list[str] = []
    decoded: list[tuple[dict[str, Any], Event]] = []
    for record in records:
        try:
            event = decode_record(record)
        except Exception:
            observability.logger.exception(
                "undecodable stream record", extra={"sequence": _sequence_number(record)}
            )
            failed.append(_sequence_number(record))
            continue
        if event is not None:
            decoded.append((record, event))

    session = executor.BatchSession(context)
    if decoded:
        try:
            session.prepare([event for _, event in decoded])
        except Exception:
            observability.logger.exception("the handler set could not be read")
            failed.extend(_sequence_number(record) for record, _ in decoded)
            decoded = []

    def handle(event: Event) -> None:
        session.run_post_handlers(event)

    workers = max(1, min(get_settings().dispatch_concurrency, len(decoded)))
    if decoded:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dispatch") as pool:
            futures = [(record, pool.submit(handle, event)) for record, event in decoded]
            for record, future in futures:
                error = future.exception()
                if error is not None:
                    observability.logger.warning(
                        "stream record left for redelivery",
                        extra={
                            "sequence": _sequence_number(record),
                            "error": f"{type(error).__name__}: {error}",
                        },
                    )
                    failed.append(_sequence_number(record))
    order = {_sequence_number(record): index for index, record in enumerate(records)}
    failed.sort(key=lambda sequence: order.get(sequence, 0))
    metrics.count("BatchItemFailures", len(failed))
    observability.logger.info(
        "stream batch", extra={"records": len(records), "failed": len(failed)}
    )
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}
