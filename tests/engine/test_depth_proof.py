"""Depth is not the client's to set (issue 18): a client-sent ``X-Event-Service-Depth: 4``
once made an ingest that no audit or alert handler saw. Only a signed depth counts."""

from __future__ import annotations

import json

from chalicelib.core import events
from chalicelib.core.counters import get_counter
from chalicelib.core.executions import depth_headers
from chalicelib.engine import dispatch
from tests.engine.conftest import add_handler, read_stream


def _ingest(client, admin, message_id: str, extra: dict[str, str]) -> None:
    body = json.dumps({"event_type": "audit.me", "message_id": message_id})
    headers = {**admin, "Content-Type": "application/json", **extra}
    response = client.http.post("/v2/events", headers=headers, body=body)
    assert response.status_code == 201, response.body


def _dispatch(message_id: str) -> None:
    batch = {"Records": read_stream([message_id])}
    assert dispatch.handle_stream_batch(batch) == {"batchItemFailures": []}


def test_a_client_sent_depth_does_not_skip_post_handlers(client, admin):
    add_handler(1, "Counter", "increase_counter", ["audit.me"], options={"counter_name": "seen"})

    _ingest(client, admin, "sneaky", {"X-Event-Service-Depth": "4"})
    assert events.get_event("sneaky").depth == 0
    _dispatch("sneaky")
    assert get_counter("seen") == 1

    # a forged signature (or one made for another body) proves nothing either
    forged = {**depth_headers(4, b"another body")}
    _ingest(client, admin, "forged", forged)
    assert events.get_event("forged").depth == 0
    _dispatch("forged")
    assert get_counter("seen") == 2


def test_a_signed_depth_counts(client, admin):
    add_handler(1, "Counter", "increase_counter", ["audit.me"], options={"counter_name": "seen"})
    body = json.dumps({"event_type": "audit.me", "message_id": "forwarded"})
    headers = {**admin, "Content-Type": "application/json", **depth_headers(4, body.encode())}
    assert client.http.post("/v2/events", headers=headers, body=body).status_code == 201

    assert events.get_event("forwarded").depth == 4
    _dispatch("forwarded")
    assert get_counter("seen") == 0  # beyond max_event_depth: a handler loop stops here
