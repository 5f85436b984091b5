"""opEvents' listing keeps every event: a whole window or a 400, a read budget that holds."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.dialects.opevents import support as opevents_support
from tests.dialects.opevents.support import EVENTS, json_get

writer = opevents_support.writer

T0 = 1_800_000_000.0
WINDOW = {"o_start": str(T0 - 10), "o_end": str(T0 + 5000)}


def store_events(count: int, *, every: int = 0, details: str = "needle") -> list[str]:
    """``count`` events one second apart, written straight to opEvents' table (fast); every
    ``every``-th one carries ``details``. Their ids, oldest first."""
    from chalicelib.core.model import format_stored_time
    from chalicelib.dialects.opevents.events import _entry
    from chalicelib.dialects.opevents.properties import new_event_id, normalise
    from chalicelib.store.opevents import OpEventModel

    ids = []
    with OpEventModel.batch_write() as batch:
        for n in range(count):
            moment = T0 + n
            marked = every and n % every == 0
            properties = normalise(
                {
                    "node": f"node{n % 7}",
                    "event": "Node Down",
                    "details": details if marked else f"ping {n}",
                    "time": moment,
                }
            )
            event_id = new_event_id(moment)
            generated = format_stored_time(datetime.fromtimestamp(moment, UTC).replace(tzinfo=None))
            batch.save(_entry(event_id, properties, generated))
            ids.append(event_id)
    return ids


@pytest.fixture
def dynamodb_reads(monkeypatch):
    """Items DynamoDB evaluated per Query (its ScannedCount), in call order."""
    from pynamodb.connection.table import TableConnection

    scanned: list[int] = []
    original = TableConnection.query

    def counting(self, *args, **kwargs):
        page = original(self, *args, **kwargs)
        scanned.append(page["ScannedCount"])
        return page

    monkeypatch.setattr(TableConnection, "query", counting)
    return scanned


def test_a_listing_returns_every_event_of_the_window(client, writer):
    ids = store_events(1200)  # more than the 1,000 the listing used to stop at

    response = json_get(client, EVENTS, writer, **WINDOW)

    assert response.status_code == 200
    assert [event["id"] for event in response.json_body] == ids[::-1]
    assert "X-OpEvents-Continue" not in response.headers and "Link" not in response.headers


def test_a_window_too_large_for_one_answer_is_a_400_not_a_cut(client, writer, monkeypatch):
    from chalicelib.dialects.opevents import query

    ids = store_events(30)
    one = query.answer_bytes(json_get(client, EVENTS, writer, **WINDOW).json_body[0])
    monkeypatch.setattr(query, "MAX_RESPONSE_BYTES", 10 * one)

    response = json_get(client, EVENTS, writer, **WINDOW)

    assert response.status_code == 400
    assert response.json_body == {
        "success": 0,
        "error": f"the window holds more events than one answer carries ({10 * one} bytes): "
        "narrow it (o_start, o_end, o_node_name, ev_event_name) "
        "or page through it with limit and o_continue",
    }
    # a narrower window fits
    narrow = json_get(client, EVENTS, writer, o_start=str(T0 + 25), o_end=str(T0 + 100))
    assert [event["id"] for event in narrow.json_body] == ids[25:][::-1]
    # a client that pages gets every event, page by page
    assert follow(client, writer, limit="1000") == ids[::-1]


def test_the_answer_size_counts_what_lambda_carries():
    from chalicelib.dialects.opevents.query import answer_bytes

    event = {"details": 'say "hi"', "id": "x"}
    assert answer_bytes(event) == len(json.dumps(json.dumps(event, separators=(",", ":")))) - 1


def follow(client, headers, **query) -> list[str]:
    seen, params = [], {**WINDOW, **query}
    while True:
        response = json_get(client, EVENTS, headers, **params)
        assert response.status_code == 200, response.body
        seen += [event["id"] for event in response.json_body]
        token = response.headers.get("X-OpEvents-Continue")
        if token is None:
            return seen
        params["o_continue"] = token


@pytest.mark.parametrize("details", ["nothing matches", "regex:^nothing"])
def test_a_zero_match_filter_costs_at_most_the_read_budget(
    client, writer, monkeypatch, dynamodb_reads, details
):
    from chalicelib.dialects.opevents import query

    store_events(300)
    monkeypatch.setattr(query, "READ_BUDGET", 60)
    dynamodb_reads.clear()

    response = json_get(client, EVENTS, writer, **WINDOW, ev_event_details=details, limit="10")

    assert response.status_code == 200 and response.json_body == []
    assert 0 < sum(dynamodb_reads) <= 60
    assert response.headers["X-OpEvents-Continue"]
    # unpaged, the same request is a 400 that says why, after no more reads than the budget
    dynamodb_reads.clear()
    refused = json_get(client, EVENTS, writer, **WINDOW, ev_event_details=details)
    assert refused.status_code == 400
    assert refused.json_body["error"].startswith("the window holds more than 60 events to read")
    assert sum(dynamodb_reads) <= 60


def test_following_the_continuation_finds_each_match_once(
    client, writer, monkeypatch, dynamodb_reads
):
    from chalicelib.dialects.opevents import query

    ids = store_events(300, every=37)
    monkeypatch.setattr(query, "READ_BUDGET", 50)
    seen, params, requests = [], {**WINDOW, "ev_event_details": "needle", "limit": "5"}, 0
    while True:
        dynamodb_reads.clear()
        response = json_get(client, EVENTS, writer, **params)
        requests += 1
        assert response.status_code == 200 and sum(dynamodb_reads) <= 50
        seen += [event["id"] for event in response.json_body]
        token = response.headers.get("X-OpEvents-Continue")
        if token is None:
            break
        params["o_continue"] = token
    assert seen == [ids[n] for n in range(0, 300, 37)][::-1]
    assert requests >= 300 // 50


def test_the_node_index_listing_is_budgeted_too(client, writer, monkeypatch, dynamodb_reads):
    from chalicelib.dialects.opevents import query

    ids = store_events(140)
    monkeypatch.setattr(query, "READ_BUDGET", 25)
    dynamodb_reads.clear()
    first = json_get(client, EVENTS, writer, **WINDOW, o_node_name="node3", limit="1000")
    assert first.status_code == 200 and sum(dynamodb_reads) <= 25
    everything = follow(client, writer, o_node_name="node3", limit="1000")
    assert everything == [ids[n] for n in range(140) if n % 7 == 3][::-1]
