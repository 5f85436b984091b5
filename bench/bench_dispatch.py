"""Dispatch with a WebHook to a local receiver: records/s sequential against concurrent.

``BENCH_DISPATCH_RECORDS`` (default 200) new events, read back from moto's stream, go through
``dispatch.handle_stream_batch`` in batches of 100 with one bound WebHook handler posting to a
local HTTP receiver that answers after ``BENCH_RECEIVER_MS`` (default 20 ms, a nearby real
endpoint). Run once with ``EVENT_SERVICE_DISPATCH_CONCURRENCY=1`` (records one after another,
as before) and once with the default pool; each run on fresh events, so every execution is
claimed, posted and finished exactly once (checked: one POST per record). Target: the pool at
>= 4x the sequential records/s.

Then destinations that do not block each other: one batch of 20 events bound to a receiver
answering in 1 s and, last in the batch, 1 event bound to a fast receiver; the figure is the
fast one's delay from the batch's start to its receiver getting the post. Target: <= 0.5 s.
"""

from __future__ import annotations

import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.support import bench_environment, silence_logs

BATCH_SIZE = 100


def _receiver(delay: float) -> tuple[ThreadingHTTPServer, list[float]]:
    posts: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(delay)
            posts.append(time.perf_counter())
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, posts


def _run(count: int, concurrency: int, prefix: str, posts: list[float]) -> float:
    from bench.bench_engine import _batches, _stream_records
    from chalicelib.engine import dispatch
    from chalicelib.settings import reset_settings

    os.environ["EVENT_SERVICE_DISPATCH_CONCURRENCY"] = str(concurrency)
    reset_settings()
    batches = _batches(_stream_records(f"{prefix}.hook", count))
    before = len(posts)
    started = time.perf_counter()
    for batch in batches:
        result = dispatch.handle_stream_batch(batch)
        if result["batchItemFailures"]:
            raise RuntimeError(f"bench batch failed: {result}")
    seconds = time.perf_counter() - started
    if len(posts) - before != count:
        raise RuntimeError(f"{len(posts) - before} posts for {count} records")
    return seconds


def _hook(handler_id: int, event_type: str, server: ThreadingHTTPServer) -> None:
    from chalicelib.store.handlers import HandlerModel

    HandlerModel(
        id=handler_id,
        name=f"bench {event_type}",
        events=[event_type],
        handlermodule="WebHook",
        action="post_webhook",
        options={
            "URL": f"http://127.0.0.1:{server.server_address[1]}/hook",
            "content_type": "application/json",
            "replace": "True",
            "data": '{"id": "{message_id}"}',
        },
    ).save()


def _fast_beside_slow() -> tuple[float, float]:
    """(fast delivery's delay, the batch's duration) for 20 slow events plus 1 fast one."""
    from bench.bench_engine import _stream_records
    from chalicelib.core.handler_set_version import bump_handler_set_version
    from chalicelib.engine import dispatch

    slow, slow_posts = _receiver(1.0)
    fast, fast_posts = _receiver(0.0)
    try:
        _hook(3, "slowdest.hook", slow)
        _hook(4, "fastdest.hook", fast)
        bump_handler_set_version()
        records = _stream_records("slowdest.hook", 20) + _stream_records("fastdest.hook", 1)
        started = time.perf_counter()
        result = dispatch.handle_stream_batch({"Records": records})
        seconds = time.perf_counter() - started
        if result["batchItemFailures"] or len(slow_posts) != 20 or len(fast_posts) != 1:
            raise RuntimeError(f"per-destination bench: {result}, {len(slow_posts)} slow posts")
        return fast_posts[0] - started, seconds
    finally:
        slow.shutdown()
        fast.shutdown()


def main() -> None:
    from moto import mock_aws

    count = max(BATCH_SIZE, int(os.environ.get("BENCH_DISPATCH_RECORDS", "200")))
    delay = float(os.environ.get("BENCH_RECEIVER_MS", "20")) / 1000
    server, posts = _receiver(delay)
    results = {}
    with bench_environment("bench-dispatch-"), mock_aws():
        from chalicelib import observability
        from chalicelib.core.handler_set_version import bump_handler_set_version
        from chalicelib.settings import Settings, get_settings, reset_settings
        from chalicelib.store.handlers import HandlerModel
        from chalicelib.store.tables import bind_all, create_all_tables

        bind_all(get_settings())
        create_all_tables(wait=False)
        silence_logs(observability.logger.name)
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        for prefix in ("sequential", "pool"):
            HandlerModel(
                id=1 if prefix == "sequential" else 2,
                name=f"bench {prefix}",
                events=[f"{prefix}.hook"],
                handlermodule="WebHook",
                action="post_webhook",
                options={
                    "URL": url,
                    "content_type": "application/json",
                    "replace": "True",
                    "data": '{"id": "{message_id}"}',
                },
            ).save()
        bump_handler_set_version()
        default = Settings().dispatch_concurrency
        saved = os.environ.get("EVENT_SERVICE_DISPATCH_CONCURRENCY")
        try:
            results["sequential (concurrency 1)"] = _run(count, 1, "sequential", posts)
            results[f"pool (concurrency {default})"] = _run(count, default, "pool", posts)
        finally:
            if saved is None:
                os.environ.pop("EVENT_SERVICE_DISPATCH_CONCURRENCY", None)
            else:
                os.environ["EVENT_SERVICE_DISPATCH_CONCURRENCY"] = saved
            reset_settings()
        fast_delay, batch_seconds = _fast_beside_slow()
    server.shutdown()
    sequential = results["sequential (concurrency 1)"]
    print(
        f"   {count} records in batches of {BATCH_SIZE}, one WebHook each, receiver answering"
        f" in {delay * 1000:.0f} ms, moto in-process"
    )
    for name, seconds in results.items():
        print(
            f"   {name:<28}{count / seconds:9.0f} records/s   x{sequential / seconds:5.2f}"
            " of sequential"
        )
    print("   every record posted exactly once in each run (target: pool >= 4x sequential)")
    print(
        f"   per destination: 1 event to a fast receiver beside 20 to a 1 s one: delivered"
        f" after {fast_delay:.2f} s (target <= 0.5 s); the batch took {batch_seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
