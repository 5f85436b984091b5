"""Panko routes under bounded work: limit cap, refused limits, ingest refusals writing nothing."""

from __future__ import annotations

import json

import pytest

from tests.dialects.panko.support import fault, ids
from tests.dialects.panko.test_ingest import post, stored_ids


@pytest.fixture
def settings_env(aws, monkeypatch):
    from chalicelib.settings import reset_settings

    def apply(**env: str) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        reset_settings()

    yield apply
    monkeypatch.undo()
    reset_settings()


def _ingest(client, admin, count: int) -> None:
    body = [{"event_type": "t", "message_id": f"m{i:03d}"} for i in range(count)]
    assert post(client, admin, body).status_code == 201


def test_a_larger_limit_returns_at_most_the_maximum(client, admin, settings_env):
    settings_env(PANKO_MAX_LIMIT="3")
    _ingest(client, admin, 5)
    response = client.http.get("/v2/events?limit=1000000", headers=admin)
    assert response.status_code == 200 and len(ids(response)) == 3


@pytest.mark.parametrize("limit", ["99999999999999999999", "9" * 5000, "1e3", "-"])
def test_an_unparseable_or_huge_limit_is_a_400(client, admin, limit):
    response = client.http.get(f"/v2/events?limit={limit}", headers=admin)
    assert response.status_code == 400, response.body
    assert "faultstring" in json.loads(response.body)["error_message"]


def test_the_read_budget_ends_a_page_that_its_marker_continues(client, admin, settings_env):
    settings_env(EVENT_SERVICE_READ_BUDGET="10", EVENT_SERVICE_TIME_SHARDS="4")
    _ingest(client, admin, 60)
    seen, marker, pages = [], "", 0
    while True:
        response = client.http.get(f"/v2/events?limit=100{marker}", headers=admin)
        assert response.status_code == 200
        pages += 1
        seen += ids(response)
        if "X-Event-Service-Next-Marker" not in response.headers:
            break
        marker = f"&marker={response.headers['X-Event-Service-Next-Marker']}"
    assert seen == [f"m{i:03d}" for i in range(60)]
    assert pages >= 6  # 60 events at 10 reads a page


def test_a_filter_matching_nothing_ends_within_the_budget_with_a_marker(
    client, admin, settings_env
):
    settings_env(
        EVENT_SERVICE_READ_BUDGET="10", EVENT_SERVICE_TIME_SHARDS="4", EVENT_SERVICE_TYPE_SHARDS="4"
    )
    _ingest(client, admin, 60)
    query = "q.field=event_type&q.value=t&q.field=nope&q.op=eq&q.value=x&q.type=string"
    response = client.http.get(f"/v2/events?{query}", headers=admin)
    assert response.status_code == 200 and ids(response) == []
    # Nothing matched, yet the page ended after its budget and says where to go on.
    marker = response.headers["X-Event-Service-Next-Marker"]
    pages = 1
    while marker:
        response = client.http.get(f"/v2/events?{query}&marker={marker}", headers=admin)
        assert response.status_code == 200 and ids(response) == []
        marker = response.headers.get("X-Event-Service-Next-Marker")
        pages += 1
    assert 6 <= pages <= 20  # it ends: each page moved past what it read


@pytest.mark.parametrize(
    "bad",
    [
        {"event_type": "t", "traits": [{"name": "f", "type": "float", "value": 1e200}]},
        {"event_type": "t", "traits": [{"name": "i", "type": "integer", "value": 10**40 + 1}]},
        {"event_type": "t", "generated": "0500-1-1"},
        {"event_type": "t", "generated": "10000-01-01T00:00:00"},
        {"event_type": "t", "raw": {"blob": "x" * 405_000}},
    ],
)
def test_a_refused_event_writes_nothing_of_its_request(client, admin, bad):
    response = post(client, admin, [{"event_type": "t", "message_id": "first"}, bad])
    assert response.status_code == 400, response.body
    assert fault(response)
    assert stored_ids() == []


def test_an_ancient_date_round_trips_over_the_api(client, admin):
    body = {"event_type": "t", "message_id": "old", "generated": "0500-01-01T00:00:00"}
    assert post(client, admin, body).status_code == 201
    response = client.http.get("/v2/events/old", headers=admin)
    assert json.loads(response.body)["generated"] == "0500-01-01T00:00:00"
    assert ids(client.http.get("/v2/events", headers=admin)) == ["old"]


def test_too_many_events_in_one_request_is_a_400_naming_the_limit(client, admin, settings_env):
    settings_env(EVENT_SERVICE_MAX_EVENTS_PER_REQUEST="4")
    response = post(client, admin, [{"event_type": "t"}] * 5)
    assert response.status_code == 400
    assert "at most 4" in fault(response)
    assert stored_ids() == []


def test_an_ingest_request_records_events_at_the_depth_it_carries(client, admin):
    from chalicelib.core import events
    from chalicelib.core.executions import depth_headers

    body = json.dumps({"event_type": "t", "message_id": "deep"})
    headers = {**admin, "Content-Type": "application/json", **depth_headers(2, body.encode())}
    assert client.http.post("/v2/events", headers=headers, body=body).status_code == 201
    assert events.get_event("deep").depth == 2
