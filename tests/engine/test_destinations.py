"""Destinations do not block each other: a slow WebHook receiver holds at most
``dispatch_per_destination`` workers of a batch's pool, and an event bound elsewhere is
delivered while the slow receiver still holds its requests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from chalicelib.engine import dispatch
from chalicelib.engine.modules import outbound
from tests.engine.conftest import add_handler, make_event, stream_batch


class _Gate:
    """A receiver that holds every request until ``release`` is set (``hold``), or answers
    at once; it counts the requests it holds and has answered."""

    def __init__(self, hold: bool) -> None:
        self.hold = hold
        self.release = threading.Event()
        self.first = threading.Event()
        self.lock = threading.Lock()
        self.holding = 0
        self.most_held = 0
        self.answered = 0
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with gate.lock:
                    gate.holding += 1
                    gate.most_held = max(gate.most_held, gate.holding)
                gate.first.set()
                if gate.hold:
                    gate.release.wait(30)
                with gate.lock:
                    gate.holding -= 1
                    gate.answered += 1
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gates() -> Iterator[tuple[_Gate, _Gate]]:
    slow, fast = _Gate(hold=True), _Gate(hold=False)
    yield slow, fast
    slow.close()
    fast.close()


def _hook(url: str) -> dict[str, str]:
    return {"URL": url, "content_type": "application/json", "replace": "True", "data": "{}"}


def test_a_slow_destination_leaves_the_pool_free_for_the_others(allow_private, settings_env, gates):
    slow, fast = gates
    settings_env(
        EVENT_SERVICE_DISPATCH_CONCURRENCY="8",
        EVENT_SERVICE_DISPATCH_PER_DESTINATION="4",
        EVENT_SERVICE_OUTBOUND_DEADLINE_SECONDS="30",
    )
    add_handler(1, "WebHook", "post_webhook", ["Node Down"], options=_hook(slow.url))
    add_handler(2, "WebHook", "post_webhook", ["Node Up"], options=_hook(fast.url))
    # The fast event comes last: in batch order it would wait behind twenty slow ones.
    batch = stream_batch(
        *(make_event("Node Down", node=f"n{i}") for i in range(20)), make_event("Node Up")
    )
    results: list[dict[str, Any]] = []
    delivery = threading.Thread(target=lambda: results.append(dispatch.handle_stream_batch(batch)))
    delivery.start()
    try:
        assert fast.first.wait(20), "the fast receiver got nothing while the slow one held"
        with slow.lock:
            # Delivered while the slow receiver still holds its requests, none answered yet.
            assert slow.holding >= 1 and slow.answered == 0
        assert fast.answered == 1 or fast.holding == 1
    finally:
        slow.release.set()
        delivery.join(60)
    assert results == [{"batchItemFailures": []}]
    assert slow.answered == 20 and fast.answered == 1
    # The slow destination never held more than its share of the pool.
    assert slow.most_held <= 4


def test_destination_key_is_host_and_port() -> None:
    assert outbound.destination_key("https://Hooks.Example.com/x?y=1") == "hooks.example.com:443"
    assert outbound.destination_key("http://10.0.0.1:8080/") == "10.0.0.1:8080"
    assert outbound.destination_key("ftp://x/") is None
