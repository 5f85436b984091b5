"""``GET /maddash/events`` reads at most its budget of windows, matched or not, and says where
to continue (issue 18: a read budget that always holds)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from chalicelib.store.maintenance import MaintenanceModel
from tests.dialects.maddash.support import create_event, load_example

BUDGET = 10  # the setting's floor


@pytest.fixture
def reads() -> Iterator[list]:
    """Every Query of the maintenance table (each knows how many items it returned), with a
    read budget of BUDGET once settings are read again."""
    from chalicelib.settings import reset_settings

    queries: list = []
    real = MaintenanceModel.query

    def counting(*args, **kwargs):
        result = real(*args, **kwargs)
        queries.append(result)
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MaintenanceModel, "query", counting)
        patch.setenv("EVENT_SERVICE_READ_BUDGET", str(BUDGET))
        yield queries
    reset_settings()


def _listing(client, query: str = "") -> dict:
    answer = client.http.get(f"/maddash/events{query}")
    assert answer.status_code == 200, answer.body
    return json.loads(answer.body)


def test_a_filter_matching_nothing_reads_at_most_the_budget(client, admin, reads):
    from chalicelib.settings import reset_settings

    load_example(client, admin)
    made = [create_event(client, admin) for _ in range(24)]  # all on the OWAMP grid
    reset_settings()  # the small budget from here on
    reads.clear()
    first = _listing(client, "?gridName=Throughput")
    assert sum(result.total_count for result in reads) <= BUDGET
    assert first == {"events": [], "marker": made[BUDGET - 1]}
    # Following the marker pages through every window; each answer reads at most the budget.
    seen: list[int] = []
    everything = _listing(client)
    seen += [int(e["uri"].rsplit("/", 1)[1]) for e in everything["events"]]
    marker = everything.get("marker")
    while marker is not None:
        reads.clear()
        page = _listing(client, f"?marker={marker}")
        assert sum(result.total_count for result in reads) <= BUDGET
        seen += [int(e["uri"].rsplit("/", 1)[1]) for e in page["events"]]
        marker = page.get("marker")
    assert seen == made


def test_a_bad_marker_is_a_400(client):
    answer = client.http.get("/maddash/events?marker=abc")
    assert (answer.status_code, answer.body) == (400, b"marker must be an event id")
