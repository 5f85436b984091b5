"""A WebHook posting to its own service over real HTTP stops at the maximum event depth."""

from __future__ import annotations

import json
import threading

import pytest

from chalicelib.core import events
from chalicelib.engine import dispatch
from tests.conftest import ADMIN_PASSWORD
from tests.engine.conftest import add_handler, read_stream


@pytest.fixture
def service(aws):
    """This very app served by Chalice's local HTTP server on a free port."""
    from chalice.config import Config
    from chalice.local import LocalDevServer

    from app import app

    server = LocalDevServer(app, Config.create(chalice_stage="local"), "127.0.0.1", 0)
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server.server_address[1]}"
    server.shutdown()
    server.server.server_close()


def test_a_webhook_posting_to_its_own_service_stops_at_the_depth_limit(admin, service):
    host = service.removeprefix("http://")
    add_handler(
        1,
        "WebHook",
        "post_webhook",
        ["loop.ping"],
        options={
            "URL": f"http://root:{ADMIN_PASSWORD}@{host}/v2/events",
            "content_type": "application/json",
            "replace": "False",
            "data": json.dumps({"event_type": "loop.ping"}),
        },
    )
    from chalicelib.core.model import build_event

    events.record_event(build_event(event_type="loop.ping", message_id="origin"))
    delivered: set[str] = set()
    for _ in range(10):  # the stream, delivered until nothing new arrives
        fresh = [
            r
            for r in read_stream()
            if r["dynamodb"]["SequenceNumber"] not in delivered and r["eventName"] == "INSERT"
        ]
        if not fresh:
            break
        delivered.update(r["dynamodb"]["SequenceNumber"] for r in fresh)
        assert dispatch.handle_stream_batch({"Records": fresh}) == {"batchItemFailures": []}
    pings = events.list_events(events.EventQuery(event_type="loop.ping", limit=100))
    depths = sorted(event.depth for event in pings)
    from chalicelib.settings import get_settings

    limit = get_settings().max_event_depth
    assert depths == list(range(limit + 2))  # 0 .. limit+1: the deepest one runs nothing
    from chalicelib.core.executions import list_executions

    skipped = [e for e in list_executions(limit=100) if e["status"] == "skipped"]
    assert len(skipped) == 1 and "max_event_depth" in skipped[0]["detail"]
