"""What the benchmarks share: a moto environment, quiet logs, and a DynamoDB request counter."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

__all__ = [
    "DynamoDBCounter",
    "bench_environment",
    "forget_process_caches",
    "print_legend",
    "silence_logs",
]

# Fake credentials and a local stage: every client talks to moto, never to an account.
_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_SESSION_TOKEN": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "EVENT_SERVICE_STAGE": "local",
}
TABLE_PREFIX = "EVENT_SERVICE_TABLE_PREFIX"


@contextlib.contextmanager
def environment_of(changes: Mapping[str, str | None]) -> Iterator[None]:
    """Within the block, the environment has ``changes`` (None: unset) and the settings and
    the process's caches are read from it; both as they were afterwards."""
    from chalicelib.settings import reset_settings

    saved = {name: os.environ.get(name) for name in changes}
    _apply(changes)
    reset_settings()
    forget_process_caches()
    try:
        yield
    finally:
        _apply(saved)
        reset_settings()
        forget_process_caches()


def _apply(changes: Mapping[str, str | None]) -> None:
    for name, value in changes.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextlib.contextmanager
def bench_environment(table_prefix: str) -> Iterator[None]:
    """Within the block, settings name tables ``{table_prefix}…`` and AWS points at moto."""
    with environment_of({**_ENVIRONMENT, TABLE_PREFIX: table_prefix, "AWS_ENDPOINT_URL": None}):
        yield


def forget_process_caches() -> None:
    """What the process remembers of a store (principals, handler sets, the catalog): every
    benchmark starts on its own moto account, and one module's cached principal or handler set
    would be another's revoked token or missing handler."""
    from chalicelib.auth import principals
    from chalicelib.core import catalog, handlers
    from chalicelib.engine import executor

    catalog.forget_cache()
    handlers.forget_cached_handlers()
    principals.forget()
    executor.forget_handler_set()


def silence_logs(*logger_names: str) -> None:
    """Send these loggers' lines to /dev/null: writing them costs the same, a terminal does not."""
    import logging

    sink = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(sink)


def print_legend(*lines: str) -> None:
    """What the table above means, column by column: figures are data, never a verdict."""
    print("   legend:")
    for line in lines:
        print(f"     {line}")


class DynamoDBCounter:
    """DynamoDB requests per operation, items read, and time spent in calls (botocore hooks).

    ``before-send`` counts a request; ``after-call`` adds the items a read answered (a
    Query's or Scan's ``ScannedCount``, a GetItem's item, a BatchGetItem's items);
    ``before-call``/``after-call`` time each call.
    """

    def __init__(self) -> None:
        self.by_operation: dict[str, int] = {}
        self.items = 0
        self.seconds = 0.0
        # Records are dispatched from a thread pool: one start stack per thread, one lock.
        self._local = threading.local()
        self._lock = threading.Lock()

    @property
    def requests(self) -> int:
        return sum(self.by_operation.values())

    def install(self, *models: Any) -> DynamoDBCounter:
        """Count the requests of these PynamoDB models' clients (one hook set per client)."""
        for events in client_events(models):
            events.register("before-send.dynamodb", self._sent)
            events.register("before-call.dynamodb", self._start)
            events.register("after-call.dynamodb", self._answered)
            events.register("after-call-error.dynamodb", self._stop)
        return self

    def reset(self) -> None:
        self.by_operation.clear()
        self.items = 0
        self.seconds = 0.0

    def snapshot(self) -> tuple[dict[str, int], float]:
        """(requests per operation, seconds in DynamoDB calls) since the last one; resets."""
        taken = (dict(self.by_operation), self.seconds)
        self.reset()
        return taken

    def _sent(self, request: Any = None, **kwargs: Any) -> None:
        target = (request.headers.get("X-Amz-Target") or b"?") if request is not None else b"?"
        if isinstance(target, bytes):
            target = target.decode()
        operation = target.rsplit(".", 1)[-1]
        with self._lock:
            self.by_operation[operation] = self.by_operation.get(operation, 0) + 1

    def _stack(self) -> list[float]:
        stack = getattr(self._local, "started", None)
        if stack is None:
            stack = self._local.started = []
        return stack

    def _start(self, **kwargs: Any) -> None:
        self._stack().append(time.perf_counter())

    def _stop(self, **kwargs: Any) -> None:
        stack = self._stack()
        if stack:
            elapsed = time.perf_counter() - stack.pop()
            with self._lock:
                self.seconds += elapsed

    def _answered(self, parsed: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self._stop()
        parsed = parsed or {}
        with self._lock:
            self._count_items(parsed)

    def _count_items(self, parsed: dict[str, Any]) -> None:
        if "ScannedCount" in parsed:
            self.items += parsed["ScannedCount"]
        elif "Item" in parsed:
            self.items += 1
        elif isinstance(parsed.get("Responses"), dict):  # BatchGetItem: items per table
            self.items += sum(len(items) for items in parsed["Responses"].values())


def client_events(models: Iterable[Any]) -> Iterator[Any]:
    """The botocore event emitter of each distinct client these PynamoDB models use (models
    often share one: a hook registered twice would count each request twice)."""
    seen: set[int] = set()
    for model in models:
        events = model._get_connection().connection.client.meta.events
        if id(events) not in seen:
            seen.add(id(events))
            yield events
