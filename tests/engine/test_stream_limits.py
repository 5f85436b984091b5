"""The stream within Lambda's limits: the deadline kept, leases bounded, concurrent records
with exactly-once effects, an exact handler cache, and the depth header over real HTTP."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chalicelib.core.executions import list_executions
from chalicelib.engine import dispatch, executor
from chalicelib.engine.modules import outbound
from chalicelib.engine.modules.base import ActionFailed
from chalicelib.store.executions import ExecutionModel
from local.lambda_context import LocalLambdaContext
from tests.engine.conftest import add_handler, make_event, read_stream, stream_batch
from tests.engine.test_dispatch import webhook


def _context(seconds: float) -> LocalLambdaContext:
    return LocalLambdaContext("handle_event_stream", timeout_seconds=seconds)


def test_a_record_without_time_for_an_attempt_is_left_for_redelivery(allow_private, receiver):
    add_handler(1, "WebHook", "post_webhook", ["Node Down"], options=webhook(receiver))
    batch = stream_batch(make_event(node="n1"))
    sequence = batch["Records"][0]["dynamodb"]["SequenceNumber"]

    late = dispatch.handle_stream_batch(batch, _context(5))  # 5 s < 10 s attempt + margin

    assert late == {"batchItemFailures": [{"itemIdentifier": sequence}]}
    assert receiver.posts("/hook") == []
    # The redelivery, with time to spare, runs it exactly once.
    assert dispatch.handle_stream_batch(batch, _context(60)) == {"batchItemFailures": []}
    assert len(receiver.posts("/hook")) == 1
    assert [e["status"] for e in list_executions()] == ["ok"]


def test_no_backoff_runs_past_the_deadline(allow_private, settings_env, receiver, monkeypatch):
    settings_env(
        EVENT_SERVICE_ACTION_BACKOFF_SECONDS="30", EVENT_SERVICE_OUTBOUND_DEADLINE_SECONDS="2"
    )
    receiver.answer_with((503, b"busy"), (200, b"{}"))
    add_handler(1, "WebHook", "post_webhook", ["Node Down"], options=webhook(receiver))
    batch = stream_batch(make_event(node="n1"))
    slept: list[float] = []
    session_class = executor.BatchSession
    original_init = session_class.__init__

    def recording_init(self, context=None, settings=None, sleep=None):
        original_init(self, context, settings, sleep=slept.append)

    monkeypatch.setattr(session_class, "__init__", recording_init)
    result = dispatch.handle_stream_batch(batch, _context(20))  # 20 s < 30 s backoff
    monkeypatch.setattr(session_class, "__init__", original_init)
    assert len(result["batchItemFailures"]) == 1
    assert slept == [] and len(receiver.posts("/hook")) == 1
    [claim] = list(ExecutionModel.scan())
    assert claim.status == "running" and claim.lease_until == 0  # released: taken over at once
    assert dispatch.handle_stream_batch(batch, _context(60)) == {"batchItemFailures": []}
    assert [e["status"] for e in list_executions()] == ["ok"]


def test_a_lease_never_outlives_the_invocation(aws):
    session = executor.BatchSession(_context(30))
    assert session.lease_seconds() <= 30
    assert executor.BatchSession(None).lease_seconds() == 300  # outside Lambda: the setting


@pytest.fixture
def trickler():
    """A server that answers 200 and then sends its body one byte every 0.2 s for 10 s."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", "50")
            self.end_headers()
            import time

            try:
                for _ in range(50):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass

        def log_message(self, *args):
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_the_outbound_deadline_is_total_not_per_read(allow_private, trickler):
    # Each byte arrives well within a per-read timeout; the whole answer does not.
    with outbound.deadline_within(1.0), pytest.raises(ActionFailed, match="deadline exceeded"):
        outbound.post(trickler, b"{}", {"Content-Type": "application/json"}, timeout=10)


def test_concurrent_records_and_deliveries_keep_exactly_once_effects(
    allow_private, settings_env, receiver
):
    settings_env(EVENT_SERVICE_DISPATCH_CONCURRENCY="8")
    add_handler(1, "WebHook", "post_webhook", ["Node Down"], options=webhook(receiver))
    add_handler(2, "Counter", "increase_counter", ["Node Down"], options={"counter_name": "n"})
    batch = stream_batch(*(make_event(node=f"n{i}") for i in range(24)))
    results = []
    deliveries = [
        threading.Thread(target=lambda: results.append(dispatch.handle_stream_batch(batch)))
        for _ in range(2)
    ]
    for delivery in deliveries:
        delivery.start()
    for delivery in deliveries:
        delivery.join()
    # What one delivery found claimed by the other is retried; a redelivery finishes nothing new.
    while any(r["batchItemFailures"] for r in results[-1:]):
        results.append(dispatch.handle_stream_batch(batch))
    dispatch.handle_stream_batch(batch)
    nodes = [post.json()["node"] for post in receiver.posts("/hook")]
    assert sorted(nodes) == sorted(f"n{i}" for i in range(24))
    from chalicelib.core.counters import get_counter

    assert get_counter("n") == 24
    assert len(list_executions(limit=1000)) == 48


def test_a_handler_applies_to_every_event_recorded_after_its_write(client, admin, receiver):
    from tests.dialects.privacyidea.support import call  # the privacyIDEA API, as a user would

    # The stream side warms its cache on an unrelated batch first.
    dispatch.handle_stream_batch(stream_batch(make_event("warm.up")))
    form = {
        "name": "hook",
        "event": "test.sent",
        "handlermodule": "WebHook",
        "action": "post_webhook",
        "position": "post",
        "option.URL": f"{receiver.url}/hook",
        "option.content_type": "application/json",
        "option.replace": "True",
        "option.data": '{"id": "{message_id}"}',
    }
    created = call(client, "POST", "/event", admin, form=form)
    assert created.status_code == 200, created.body
    body = [{"event_type": "test.sent", "message_id": "right-after"}]
    headers = {**admin, "Content-Type": "application/json"}
    assert client.http.post("/v2/events", headers=headers, body=json.dumps(body)).status_code == 201
    assert dispatch.handle_stream_batch({"Records": read_stream(["right-after"])}) == {
        "batchItemFailures": []
    }
    assert [post.json() for post in receiver.posts("/hook")] == [{"id": "right-after"}]

    handler_id = created.json_body["result"]["value"]
    assert call(client, "POST", f"/event/disable/{handler_id}", admin).status_code == 200
    body = [{"event_type": "test.sent", "message_id": "after-disable"}]
    assert client.http.post("/v2/events", headers=headers, body=json.dumps(body)).status_code == 201
    dispatch.handle_stream_batch({"Records": read_stream(["after-disable"])})
    assert len(receiver.posts("/hook")) == 1


def test_a_batch_of_older_events_reads_no_handler_set_again(aws, monkeypatch):
    from chalicelib.core import handlers

    add_handler(1, "Logging", "logging", ["Node Down"])
    old = stream_batch(*(make_event() for _ in range(3)))
    monkeypatch.setattr(executor, "CLOCK_MARGIN", timedelta(0))  # clocks agree in one process
    dispatch.handle_stream_batch(stream_batch(make_event()))  # reads the set
    calls = []
    real = handlers.list_handlers
    monkeypatch.setattr(handlers, "list_handlers", lambda: calls.append(1) or real())
    versions = []
    real_version = executor.read_handler_set_version
    monkeypatch.setattr(
        executor, "read_handler_set_version", lambda: versions.append(1) or real_version()
    )
    dispatch.handle_stream_batch(old)
    assert calls == [] and versions == []
