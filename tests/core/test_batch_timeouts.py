"""All-or-nothing under timeouts: a batch whose store call fails part-way says exactly what
was stored (503, retryable), never a 500; sending it again stores the rest."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ReadTimeoutError
from pynamodb.connection.base import Connection
from pynamodb.exceptions import TransactWriteError

from chalicelib.core import events
from chalicelib.core.model import build_event

BATCH = [{"event_type": "bulk", "message_id": f"m{i:03d}"} for i in range(250)]


@pytest.fixture
def second_transaction_times_out(monkeypatch):
    """The second TransactWriteItems call gets no answer (what botocore raises on a timeout)."""
    real = Connection.transact_write_items
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            timeout = ReadTimeoutError(endpoint_url="https://dynamodb.example")
            raise TransactWriteError("Failed to write transaction items", cause=timeout)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "transact_write_items", flaky)
    return calls


def test_a_timeout_part_way_reports_exactly_what_was_stored(aws, second_transaction_times_out):
    batch = [build_event(event_type="bulk", message_id=item["message_id"]) for item in BATCH]
    with pytest.raises(events.PartiallyStored) as caught:
        events.record_events(batch)
    assert caught.value.status_code == 503
    assert caught.value.stored == [f"m{i:03d}" for i in range(100)]
    assert caught.value.not_stored == [f"m{i:03d}" for i in range(100, 250)]
    in_store = {e.message_id for e in events.list_events(events.EventQuery(limit=1000))}
    assert in_store == set(caught.value.stored)


def test_over_http_a_503_naming_the_stored_then_a_resend_completes(
    client, admin, second_transaction_times_out
):
    headers = {**admin, "Content-Type": "application/json"}
    first = client.http.post("/v2/events", headers=headers, body=json.dumps(BATCH))
    assert first.status_code == 503, first.body
    fault = first.json_body["error_message"]["faultstring"]
    assert "100 of 250 new events were stored" in fault and "from m000 to m099" in fault
    again = client.http.post("/v2/events", headers=headers, body=json.dumps(BATCH))
    assert again.status_code == 201
    assert again.json_body["duplicates"] == [f"m{i:03d}" for i in range(100)]
    assert again.json_body["stored"] == [f"m{i:03d}" for i in range(100, 250)]
