"""Engine fixtures: handlers written to the store, stream batches read from moto's real
DynamoDB stream, a local HTTP receiver, and the JSON stream fixtures under tests/events/."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

EVENTS_DIR = Path(__file__).resolve().parent.parent / "events"


def load_stream_fixture(name: str) -> dict[str, Any]:
    """A Lambda stream event stored under tests/events/."""
    return json.loads((EVENTS_DIR / name).read_text())


def add_handler(
    handler_id: int,
    module: str,
    action: str,
    events: list[str] | tuple[str, ...],
    *,
    options: dict[str, str] | None = None,
    conditions: dict[str, str] | None = None,
    position: str = "post",
    ordering: int = 0,
    active: bool = True,
    abort_on_error: bool = False,
    name: str | None = None,
) -> int:
    """Write a handler configuration straight into the store (and note the set changed)."""
    from chalicelib.core.handler_set_version import bump_handler_set_version
    from chalicelib.core.handlers import forget_cached_handlers
    from chalicelib.store.handlers import HandlerModel

    HandlerModel(
        id=handler_id,
        name=name or f"handler {handler_id}",
        events=list(events),
        handlermodule=module,
        action=action,
        position=position,
        ordering=ordering,
        active=active,
        abort_on_error=abort_on_error,
        options=dict(options or {}),
        conditions=dict(conditions or {}),
    ).save()
    forget_cached_handlers()
    bump_handler_set_version()
    return handler_id


def read_stream(message_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Every record of the events table's moto stream, in the shape Lambda delivers."""
    from chalicelib.settings import get_settings
    from local.stream_pump import read_stream_records

    records = read_stream_records(get_settings().table_name("events"))
    if message_ids is None:
        return records
    return [r for r in records if r["dynamodb"]["Keys"]["message_id"]["S"] in message_ids]


def deliver_new_records(seen: set[str]) -> int:
    """Hand every stream record not delivered yet to the stream handler; how many there were."""
    from chalicelib.engine import dispatch

    fresh = [r for r in read_stream() if r["eventID"] not in seen]
    seen.update(r["eventID"] for r in fresh)
    if fresh:
        assert dispatch.handle_stream_batch({"Records": fresh}) == {"batchItemFailures": []}
    return len(fresh)


def stream_batch(*events: Any) -> dict[str, Any]:
    """Record ``events`` in the store and return the stream batch that delivers them."""
    from chalicelib.core.events import record_event

    for event in events:
        record_event(event)
    ids = [event.message_id for event in events]
    records = read_stream(ids)
    records.sort(key=lambda r: ids.index(r["dynamodb"]["Keys"]["message_id"]["S"]))
    return {"Records": records}


def make_event(event_type: str = "Node Down", message_id: str | None = None, **traits: Any):
    """An event with traits inferred from the keyword values."""
    from chalicelib.core.model import build_event, infer_trait

    return build_event(
        event_type=event_type,
        message_id=message_id,
        traits=[infer_trait(name, value) for name, value in traits.items()],
        source="opevents",
    )


@pytest.fixture(autouse=True)
def _fresh_engine_state():
    """Clients and pools made under one test's moto must not leak into the next test."""
    from chalicelib.engine.modules import federation, notification, outbound

    for forget in (notification.forget_clients, outbound.forget_pools, federation.forget_sessions):
        forget()
    yield
    for forget in (notification.forget_clients, outbound.forget_pools, federation.forget_sessions):
        forget()


@pytest.fixture
def settings_env(aws, monkeypatch):
    """Change settings through the environment for one test: ``settings_env(NAME="v")``.

    monkeypatch restores the environment; the ``aws`` fixture re-reads settings for the next.
    """
    from chalicelib.engine.modules import outbound
    from chalicelib.settings import reset_settings

    def apply(**env: str) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        reset_settings()
        outbound.forget_pools()

    yield apply
    monkeypatch.undo()
    reset_settings()


@pytest.fixture
def allow_private(settings_env):
    """Webhooks may reach private addresses (the local receiver is on 127.0.0.1)."""
    settings_env(EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE="1")


# ---------------------------------------------------------------- a real local HTTP receiver


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local HTTP server that records what it gets and answers from a script."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    # Answers used in turn, the last one repeating: (status, body, headers).
    answers: list[tuple[int, bytes, dict[str, str]]] = field(
        default_factory=lambda: [(200, b'{"ok": true}', {})]
    )
    # Path-specific answers (checked first).
    routes: dict[str, tuple[int, bytes, dict[str, str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    served: int = 0
    delay: float = 0.0  # seconds to wait before answering (to exercise timeouts)

    def answer_with(self, *answers: tuple[int, bytes] | tuple[int, bytes, dict[str, str]]):
        self.answers = [(a[0], a[1], a[2] if len(a) > 2 else {}) for a in answers]

    def posts(self, path: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if path is None or r.path.split("?")[0] == path]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with state.lock:
                state.requests.append(
                    Received("POST", self.path, {k: v for k, v in self.headers.items()}, body)
                )
                route = state.routes.get(self.path.split("?")[0])
                if route is not None:
                    status, content, headers = route
                else:
                    index = min(state.served, len(state.answers) - 1)
                    status, content, headers = state.answers[index]
                    state.served += 1
            if state.delay:
                import time

                time.sleep(state.delay)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            except OSError:  # the client gave up waiting
                self.close_connection = True

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
