"""GET /v2/events ordering, sort keys and keyset markers across pages."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.dialects.panko.support import fault, ids, q, record, record_scenario

BASE = datetime(2020, 5, 1, 12, 0)


@pytest.fixture
def ties(aws):
    """Twelve events over four instants (three share each), two types, ids not in time order."""
    recorded = []
    for index in range(12):
        recorded.append(
            record(
                f"e{(index * 7) % 12:02d}",
                event_type="Even" if index % 2 == 0 else "Odd",
                generated=BASE + timedelta(seconds=index // 3),
                traits=(("n", "integer", index),),
            )
        )
    return recorded


def _order(events, keys):
    result = list(events)
    for key, direction in reversed(keys):
        result.sort(
            key=lambda e, k=key: e.generated if k == "generated" else e.message_id,
            reverse=direction == "desc",
        )
    return [e.message_id for e in result]


def _pages(client, headers, query, limit):
    seen, marker, pages = [], None, 0
    while True:
        extra = f"&marker={marker}" if marker else ""
        page = ids(client.http.get(f"/v2/events?{query}&limit={limit}{extra}", headers=headers))
        pages += 1
        if not page:
            return seen, pages
        assert len(page) <= limit
        seen += page
        marker = page[-1]
        assert pages < 50


def test_default_order_is_generated_then_message_id(client, admin, ties):
    expected = _order(ties, [("generated", "asc"), ("message_id", "asc")])
    assert ids(client.http.get("/v2/events", headers=admin)) == expected


SORTS = [
    ([], [("generated", "asc"), ("message_id", "asc")]),
    (["message_id"], [("message_id", "asc")]),
    (["message_id:desc"], [("message_id", "desc")]),
    (["generated:desc"], [("generated", "desc"), ("message_id", "desc")]),
    (["generated:asc", "message_id:desc"], [("generated", "asc"), ("message_id", "desc")]),
    (["generated:desc", "message_id:asc"], [("generated", "desc"), ("message_id", "asc")]),
    (["message_id:asc", "generated:desc"], [("message_id", "asc")]),
]


@pytest.mark.parametrize("sort,keys", SORTS, ids=[",".join(s) or "default" for s, _ in SORTS])
def test_sort_orders_and_markers_across_pages(client, admin, ties, sort, keys):
    query = q(sort=sort) if sort else ""
    expected = _order(ties, keys)
    assert ids(client.http.get(f"/v2/events?{query}", headers=admin)) == expected
    for limit in (1, 5):
        seen, _ = _pages(client, admin, query, limit)
        assert seen == expected


@pytest.mark.parametrize(
    "filters",
    [
        (("event_type", "eq", "string", "Odd"),),
        (("start_timestamp", "ge", "datetime", (BASE + timedelta(seconds=1)).isoformat()),),
        (("n", "ge", "integer", "4"),),
        (
            ("event_type", "eq", "string", "Even"),
            ("end_timestamp", "le", "datetime", (BASE + timedelta(seconds=2)).isoformat()),
        ),
    ],
    ids=["event_type", "time", "trait", "type+time"],
)
@pytest.mark.parametrize("sort", [[], ["generated:desc"], ["message_id:desc"]])
def test_markers_page_through_filtered_listings(client, admin, ties, filters, sort):
    query = q(*filters, sort=sort) if sort else q(*filters)
    everything = ids(client.http.get(f"/v2/events?{query}", headers=admin))
    assert everything
    seen, _ = _pages(client, admin, query, 2)
    assert seen == everything


def test_pankos_paginate_query_example(client, admin):
    record_scenario()
    assert ids(client.http.get("/v2/events?limit=1&sort=message_id:asc", headers=admin)) == ["0"]
    page = client.http.get("/v2/events?limit=3&marker=0&sort=message_id:asc", headers=admin)
    assert ids(page) == ["100", "200"]


def test_a_marker_need_not_match_the_filter(client, admin, ties):
    odd = ids(client.http.get(f"/v2/events?{q(('event_type', 'Odd'))}", headers=admin))
    even = ids(client.http.get(f"/v2/events?{q(('event_type', 'Even'))}", headers=admin))
    after = ids(
        client.http.get(f"/v2/events?{q(('event_type', 'Odd'))}&marker={even[0]}", headers=admin)
    )
    assert after == odd  # the first Even event comes before every Odd one


def test_a_marker_the_caller_cannot_see_is_not_found(client, admin, user):
    record("theirs", project_id="p-other", user_id="u-other")
    record("mine", project_id="p1", user_id="u-alice")
    response = client.http.get("/v2/events?marker=theirs", headers=user)
    assert response.status_code == 400
    assert fault(response) == "Marker theirs not found."
    assert ids(client.http.get("/v2/events?marker=mine", headers=user)) == []


def test_traits_inside_an_event_are_ordered_by_name(client, admin):
    record("m1", traits=(("zeta", "string", "z"), ("alpha", "integer", 1), ("mid", "float", 2.5)))
    traits = client.http.get("/v2/events/m1", headers=admin).json_body["traits"]
    assert [t["name"] for t in traits] == ["alpha", "mid", "zeta"]


def test_limit_cuts_and_a_large_limit_returns_everything(client, admin, ties):
    assert len(ids(client.http.get("/v2/events?limit=4", headers=admin))) == 4
    assert len(ids(client.http.get("/v2/events?limit=1000", headers=admin))) == 12
