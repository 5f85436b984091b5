"""The execution history under its read budget: a page stops after its budget of items read
and of requests, matched or not, and its marker continues right after what it read."""

from __future__ import annotations

import pytest

from chalicelib.core import executions
from chalicelib.errors import InvalidMarker
from tests.core.test_executions import event, handler, run


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


def _queries(monkeypatch) -> list[str]:
    """The DynamoDB Query calls made from now on (their index names)."""
    from botocore.client import BaseClient

    sent: list[str] = []
    real = BaseClient._make_api_call

    def counting(self, operation_name, api_params):
        if operation_name == "Query":
            sent.append(api_params.get("IndexName", ""))
        return real(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", counting)
    return sent


def _follow(budget_pages: list, **filters) -> list[str]:
    collected, marker = [], None
    while True:
        page = executions.list_executions_page(marker=marker, **filters)
        budget_pages.append(page)
        collected += [item["execution_id"] for item in page.executions]
        if page.next_marker is None:
            return collected
        marker = page.next_marker
        assert len(budget_pages) < 200, "the marker must move"


def test_a_type_that_matches_nothing_does_not_read_every_shard_of_every_day(
    settings_env, monkeypatch
):
    settings_env(EVENT_SERVICE_READ_BUDGET="40")  # two items a shard: the floor with 20 shards
    for number in range(60):
        run(handler(1), event(f"m{number:02d}"))
    sent = _queries(monkeypatch)

    first = executions.list_executions_page(event_type="nope")

    assert first.executions == [] and first.next_marker
    assert first.items_read <= 40
    assert len(sent) <= 40  # 20 shards x 31 days would be 620 requests
    pages: list = []
    assert _follow(pages, event_type="nope") == []
    assert all(page.items_read <= 40 for page in pages)


def test_pages_ended_by_the_budget_continue_past_what_they_read(settings_env):
    settings_env(EVENT_SERVICE_TYPE_SHARDS="4")
    for number in range(40):
        run(handler(1), event(f"m{number:02d}", event_type="E" if number % 7 else "rare"))
    everything = [e["execution_id"] for e in executions.list_executions(limit=1000)]
    rare = [e["execution_id"] for e in executions.list_executions(limit=1000, event_type="rare")]
    assert len(everything) == 40 and len(rare) == 6
    settings_env(EVENT_SERVICE_READ_BUDGET="25")

    for filters, expected in (({}, everything), ({"event_type": "rare"}, rare)):
        for by in ({}, {"handler_id": 1}):
            pages: list = []
            assert _follow(pages, limit=1000, **filters, **by) == expected
            assert len(pages) > 1 and all(page.items_read <= 25 for page in pages)


def test_a_sealed_position_is_bound_to_its_listing(settings_env):
    settings_env(EVENT_SERVICE_READ_BUDGET="10", EVENT_SERVICE_TYPE_SHARDS="4")
    for number in range(30):
        run(handler(1), event(f"m{number:02d}"))
    marker = executions.list_executions_page(event_type="nope").next_marker
    assert marker and marker.startswith("~c1.")
    with pytest.raises(InvalidMarker):
        executions.list_executions_page(handler_id=1, marker=marker)
    with pytest.raises(InvalidMarker):
        executions.list_executions_page(marker=marker[:-3] + "AAA")


def test_the_route_answers_the_marker_in_a_header(client, admin, settings_env):
    settings_env(EVENT_SERVICE_READ_BUDGET="10", EVENT_SERVICE_TYPE_SHARDS="4")
    for number in range(30):
        run(handler(1), event(f"m{number:02d}"))
    response = client.http.get("/event/executions?event_type=nope", headers=admin)
    assert response.status_code == 200
    assert response.json_body["result"]["value"] == []
    marker = response.headers["X-Event-Service-Next-Marker"]
    seen = 1
    while marker:
        response = client.http.get(
            f"/event/executions?event_type=nope&marker={marker}", headers=admin
        )
        assert response.status_code == 200 and response.json_body["result"]["value"] == []
        marker = response.headers.get("X-Event-Service-Next-Marker")
        seen += 1
        assert seen < 200
