"""The stream trigger's work: decode a DynamoDB stream batch of the events table and run the
``post`` handlers of each new event, reporting failed records (partial batch response).

Records of a batch are independent (each is a distinct event, and every (event, handler)
execution is claimed once), so they run concurrently in a small bounded thread pool
(``dispatch_concurrency``): a batch waiting on webhooks takes about as long as its slowest
records, not their sum. The handler set is read once for the whole batch, before the pool.

Destinations do not block each other: a record is started only while each destination
(``host:port``) its handlers may call has fewer than ``dispatch_per_destination`` records in
flight, so twenty events bound to a slow receiver hold at most that many workers and a record
bound elsewhere starts at once on a free one. Records waiting for a destination keep their
batch order.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from chalicelib import metrics, observability
from chalicelib.core.event_items import event_from_stream_image
from chalicelib.core.model import Event
from chalicelib.settings import Settings, get_settings


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

    settings = get_settings()
    workers = max(1, min(settings.dispatch_concurrency, len(decoded)))
    if decoded:
        waiting = [(record, event, session.destinations(event)) for record, event in decoded]
        for record, error in _run_bounded(handle, waiting, workers, settings):
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


def _run_bounded(
    handle: Any,
    waiting: list[tuple[dict[str, Any], Event, frozenset[str]]],
    workers: int,
    settings: Settings,
) -> list[tuple[dict[str, Any], BaseException]]:
    """Run ``handle`` on each waiting event in a pool of ``workers``, never more than
    ``dispatch_per_destination`` records at once per destination; the records that raised."""
    per_destination = max(1, settings.dispatch_per_destination)
    in_flight: Counter[str] = Counter()
    running: dict[Future[None], tuple[dict[str, Any], frozenset[str]]] = {}
    failures: list[tuple[dict[str, Any], BaseException]] = []
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dispatch") as pool:
        while waiting or running:
            # The first waiting records whose destinations have room, in batch order. With
            # nothing running every destination has room, so this always makes progress.
            for item in list(waiting):
                if len(running) >= workers:
                    break
                record, event, keys = item
                if all(in_flight[key] < per_destination for key in keys):
                    waiting.remove(item)
                    in_flight.update(keys)
                    running[pool.submit(handle, event)] = (record, keys)
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in done:
                record, keys = running.pop(future)
                in_flight.subtract(keys)
                error = future.exception()
                if error is not None:
                    failures.append((record, error))
    return failures
