"""The engine: stream records per second through ``dispatch.handle_stream_batch``.

Figures, against moto's in-process DynamoDB (real DynamoDB latencies differ; the ratios and
request counts are what carry over):
- decoding alone (``dispatch.decode_record``): the floor every record pays;
- dispatch with one bound ``Logging`` handler (claim, action, final write), as a ratio to
  decoding the same records;
- the same batches delivered again (every claim already final: no effect repeats);
- dispatch with no bound handler, and the DynamoDB requests it makes, counted with botocore
  ``before-send`` hooks. Target: no request per record beyond one (cached) read of the
  handler set per batch.

Each run is also shown without the time spent inside DynamoDB calls (botocore
``before-call``/``after-call`` hooks): moto dominates the totals; that figure is the engine's.
``BENCH_ENGINE_RECORDS`` (default 300) sets the number of records per run, in batches of 100.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from bench.support import DynamoDBCounter, bench_environment, print_legend, silence_logs

ENV_RECORDS = "BENCH_ENGINE_RECORDS"
BATCH_SIZE = 100


def _stream_records(event_type: str, count: int) -> list[dict[str, Any]]:
    """``count`` new events recorded, read back from moto's stream in Lambda's shape."""
    from chalicelib.core.events import record_event
    from chalicelib.core.model import Trait, build_event
    from chalicelib.settings import get_settings
    from local.stream_pump import read_stream_records

    wanted = set()
    for index in range(count):
        event = build_event(
            event_type=event_type,
            traits=[
                Trait("node", "string", f"node-{index % 50}"),
                Trait("priority", "integer", index % 7),
                Trait("details", "string", "bench event"),
            ],
            source="bench",
        )
        record_event(event)
        wanted.add(event.message_id)
    records = read_stream_records(get_settings().table_name("events"))
    return [r for r in records if r["dynamodb"]["Keys"]["message_id"]["S"] in wanted]


def _batches(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"Records": records[start : start + BATCH_SIZE]}
        for start in range(0, len(records), BATCH_SIZE)
    ]


def _timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:10.0f} records/s"


def main() -> None:

    count = max(BATCH_SIZE, int(os.environ.get(ENV_RECORDS, "300")))
    # One record at a time: "without DynamoDB time" subtracts time spent in calls, which only
    # means something sequentially (bench_dispatch measures the concurrent pool).
    saved = os.environ.pop("EVENT_SERVICE_DISPATCH_CONCURRENCY", None)
    os.environ["EVENT_SERVICE_DISPATCH_CONCURRENCY"] = "1"
    try:
        _main(count)
    finally:
        os.environ.pop("EVENT_SERVICE_DISPATCH_CONCURRENCY", None)
        if saved is not None:
            os.environ["EVENT_SERVICE_DISPATCH_CONCURRENCY"] = saved


def _main(count: int) -> None:
    from moto import mock_aws

    with bench_environment("bench-"), mock_aws():
        from chalicelib import observability
        from chalicelib.core.handlers import forget_cached_handlers
        from chalicelib.engine import dispatch
        from chalicelib.engine.executor import forget_handler_set
        from chalicelib.engine.modules.event_logging import event_logger
        from chalicelib.settings import get_settings
        from chalicelib.store.handlers import HandlerModel
        from chalicelib.store.tables import ALL_MODELS, bind_all, create_all_tables

        bind_all(get_settings())
        create_all_tables(wait=False)
        silence_logs(observability.logger.name, event_logger("pi-eventlogger").name)
        HandlerModel(
            id=1,
            name="bench logging",
            events=["bench.logged"],
            handlermodule="Logging",
            action="logging",
            options={"message": "{event_type} on {node} (p{priority})"},
        ).save()
        forget_cached_handlers()

        logged = _batches(_stream_records("bench.logged", count))
        unbound = _batches(_stream_records("bench.unbound", count))
        all_batches = logged + unbound

        def decode_all() -> None:
            for batch in all_batches:
                for record in batch["Records"]:
                    dispatch.decode_record(record)

        decode_seconds = min(_timed(decode_all) for _ in range(3)) / 2  # per run of `count`

        def dispatch_all(batches: list[dict[str, Any]]) -> None:
            for batch in batches:
                result = dispatch.handle_stream_batch(batch)
                if result["batchItemFailures"]:
                    raise RuntimeError(f"bench batch failed: {result}")

        counter = DynamoDBCounter().install(*(model for model, _ in ALL_MODELS))
        forget_cached_handlers()
        counter.snapshot()
        runs = {}
        runs["dispatch, Logging handler"] = (
            _timed(lambda: dispatch_all(logged)),
            *counter.snapshot(),
        )
        runs["same batches redelivered"] = (
            _timed(lambda: dispatch_all(logged)),
            *counter.snapshot(),
        )
        forget_cached_handlers()  # start cold: the first batch reads the handler set
        forget_handler_set()
        runs["dispatch, no bound handler"] = (
            _timed(lambda: dispatch_all(unbound)),
            *counter.snapshot(),
        )

    print(f"   {count} stream records per run, in batches of {BATCH_SIZE}, against moto")
    print(f"   {'decode only':30}{_rate(count, decode_seconds)}")
    for name, (seconds, requests, store_seconds) in runs.items():
        engine_seconds = max(seconds - store_seconds, 1e-9)
        print(
            f"   {name:30}{_rate(count, seconds)}  x{seconds / decode_seconds:7.1f} decode time;"
            f" without DynamoDB time {_rate(count, engine_seconds)}"
            f" x{engine_seconds / decode_seconds:5.1f};"
            f" {sum(requests.values()) / count:.3f} requests/record {requests}"
        )
    _, unbound_requests, _ = runs["dispatch, no bound handler"]
    total = sum(unbound_requests.values())
    print(
        f"   no bound handler: {total} DynamoDB request(s) for {count} records in "
        f"{len(unbound)} batches, {total / count:.4f} per record (target: <= 0.01; the set is"
        " read once, then only its version, and only for events newer than the cached set)"
    )
    print_legend(
        "records/s: stream records through dispatch.handle_stream_batch per second of wall time;",
        "decode only: decoding the records alone, the floor every record pays; x decode time:",
        "  that run's time / the decode-only time;",
        "without DynamoDB time: the same with the time inside DynamoDB calls (moto) taken out,",
        "  i.e. the engine's own cost; requests/record: DynamoDB requests per stream record,",
        "  per operation in braces; redelivered: the same batches again (every claim is final,",
        "  so no action runs twice); no bound handler: records whose type no handler names.",
    )


if __name__ == "__main__":
    main()
