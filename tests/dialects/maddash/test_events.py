"""MaDDash events: create, list with filters, get, edit, delete, validation and admin auth."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.conftest import basic
from tests.dialects.maddash.support import (
    OWAMP,
    T0,
    A,
    B,
    C,
    create_event,
    get,
    load_example,
    post_json,
)


@pytest.fixture
def grids(client, admin):
    load_example(client, admin)


def event_ids(client, query: str = "") -> list[int]:
    code, body = get(client, f"/maddash/events{query}")
    assert code == 200
    return sorted(int(event["uri"].rsplit("/", 1)[1]) for event in body["events"])


def test_create_get_and_list(client, admin, grids):
    first = create_event(client, admin)
    second = create_event(client, admin, checkFilters={"checkName": "Throughput"}, endTime=None)
    assert second == first + 1  # small increasing ids
    code, event = get(client, f"/maddash/events/{first}")
    assert code == 200
    assert event["checks"] == [
        f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss",
        f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss+Reverse",
        f"/maddash/grids/OWAMP+Mesh/{A}/{C}/Loss",
        f"/maddash/grids/OWAMP+Mesh/{A}/{C}/Loss+Reverse",
    ]
    listed = get(client, "/maddash/events")[1]["events"]
    assert listed[1] == {
        "uri": f"/maddash/events/{second}",
        "name": "upgrade",
        "description": "firmware",
        "startTime": T0,
        "endTime": -1,
        "changeStatus": True,
    }
    assert get(client, "/maddash/events/999") == (404, "Event resource not found")
    assert get(client, "/maddash/events/abc") == (404, "Event resource not found")
    # Beyond MaDDash: the saved filters, so a client can edit the window.
    assert get(client, f"/maddash/events/{first}")[1]["checkFilters"] == {
        "gridName": [OWAMP],
        "rowName": [A],
    }
    assert "checkFilters" not in listed[0]


def test_occurrences_of_a_recurring_window(client, admin, grids):
    # Mondays 09:00 in New York, 30 min; the US leaves summer time on 2026-11-01.
    start = 1792000000  # 2026-10-15
    event = create_event(
        client,
        admin,
        startTime=start,
        endTime=None,
        recurrence={"cron": "0 9 * * 1", "timeZone": "America/New_York", "duration": 1800},
    )
    span = f"from={start}&to={start + 28 * 86400}"
    code, body = get(client, f"/maddash/events/{event}/occurrences?{span}")
    assert code == 200
    starts = [o["startTime"] for o in body["occurrences"]]
    # 13:00 UTC in October (EDT), 14:00 UTC from November (EST).
    assert [datetime.fromtimestamp(s, UTC).strftime("%m-%d %H:%M") for s in starts] == [
        "10-19 13:00",
        "10-26 13:00",
        "11-02 14:00",
        "11-09 14:00",
    ]
    assert [o["endTime"] - o["startTime"] for o in body["occurrences"]] == [1800] * 4
    assert body["truncated"] is False
    one_off = create_event(client, admin)
    code, body = get(client, f"/maddash/events/{one_off}/occurrences?from={T0}&to={T0 + 60}")
    assert body["occurrences"] == [{"startTime": T0, "endTime": T0 + 3600}]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", (400, "Missing required parameter from")),
        ("?from=1&to=x", (400, "Parameter to must be an integer (UNIX seconds)")),
        ("?from=10&to=5", (400, "Parameter to must be after from")),
        (f"?from=0&to={90 * 86400}", (400, "The span from from to to is at most 62 days")),
    ],
)
def test_occurrences_refuse_bad_spans_in_plain_text(client, admin, grids, query, expected):
    event = create_event(client, admin)
    assert get(client, f"/maddash/events/{event}/occurrences{query}") == expected
    assert get(client, "/maddash/events/999/occurrences?from=0&to=10") == (
        404,
        "Event resource not found",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {1, 2, 3}),
        (f"?gridName={OWAMP}", {1, 2}),
        ("?gridName=Throughput", {3}),
        ("?gridName=OWAMP+Mesh&gridName=Throughput", {1, 2, 3}),  # OR within a key
        (f"?rowName={A}", {1}),
        (f"?rowName={A}&rowName={B}", {1, 2}),
        (f"?columnName={A}", {2}),
        (f"?rowName={A}&columnName={C}", {1}),  # AND across keys, on one check
        (f"?rowName={B}&columnName={C}", set()),  # event 2 covers B->A only
        ("?checkName=Loss+Reverse", {1}),
        ("?checkName=Throughput&gridName=Throughput", {3}),
        (f"?dimensionName={A}", {1, 2}),  # a row or a column
        ("?dimensionName=albq-pt1.es.net", {3}),
        ("?dimensionName=nobody", set()),
        ("?unrelated=1", {1, 2, 3}),
    ],
)
def test_list_filters(client, admin, grids, query, expected):
    create_event(client, admin, checkFilters={"gridName": OWAMP, "rowName": A})
    create_event(
        client,
        admin,
        checkFilters={"rowName": [B], "columnName": A, "checkName": "Loss", "gridName": "*"},
    )
    create_event(client, admin, checkFilters={"gridName": ["Throughput"], "rowName": None})
    assert set(event_ids(client, query)) == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"checkFilters": ...}, "Missing required field checkFilters"),
        ({"description": ...}, "Missing required field description"),
        ({"startTime": ...}, "Missing required field startTime"),
        ({"checkFilters": None}, "Field checkFilters cannot be null"),
        ({"checkFilters": []}, "Invalid type for field checkFilters: ARRAY"),
        ({"checkFilters": {"gridName": 5}}, "Invalid type for filter gridName: NUMBER"),
        ({"checkFilters": {"rowName": [A, True]}}, "Invalid type for filter rowName: TRUE"),
        ({"checkFilters": {"rowName": []}}, "Filter rowName cannot be an empty array"),
        (
            {"checkFilters": {"rowName": "nobody"}},
            "No checks matched search filter. Event was not created.",
        ),
        ({"name": None}, "Field name cannot be null"),
        ({"name": 3}, "Field name must be a string"),
        ({"description": None}, "Field description cannot be null"),
        ({"startTime": None}, "Field startTime cannot be null"),
        ({"startTime": 1.5}, "Field startTime must be an integer (UNIX seconds)"),
        ({"endTime": "soon"}, "Field endTime must be an integer (UNIX seconds)"),
        ({"changeStatus": "yes"}, "Field changeStatus must be a boolean"),
        (
            {"recurrence": {"cron": "* * *", "duration": 60}},
            "recurrence.cron must be a 5-field cron expression",
        ),
        (
            {"recurrence": {"cron": "0 2 * * 0", "timeZone": "Mars/Base", "duration": 60}},
            "recurrence.timeZone is not an IANA time zone: Mars/Base",
        ),
        (
            {"recurrence": {"cron": "0 2 * * 0", "duration": 0}},
            "recurrence.duration must be a positive number of seconds",
        ),
    ],
)
def test_create_validation_is_400_plain_text(client, admin, grids, body, message):
    full = {
        "checkFilters": {"gridName": OWAMP},
        "name": "n",
        "description": "d",
        "startTime": T0,
        "endTime": T0 + 60,
    }
    sent = {key: value for key, value in (full | body).items() if value is not ...}
    answer = post_json(client, "/maddash/admin/events", sent, admin)
    assert (answer.status_code, answer.body.decode()) == (400, message)
    assert event_ids(client) == []


def test_missing_fields_are_named_and_no_match_comes_first(client, admin, grids):
    answer = post_json(client, "/maddash/admin/events", {"checkFilters": {}}, admin)
    assert (answer.status_code, answer.body) == (400, b"Missing required field name")
    nothing = post_json(
        client, "/maddash/admin/events", {"checkFilters": {"checkName": "Nope"}}, admin
    )
    assert nothing.body == b"No checks matched search filter. Event was not created."


def test_edit_and_delete(client, admin, grids):
    event = create_event(client, admin)
    edited = post_json(
        client,
        f"/maddash/admin/events/{event}",
        {
            "checkFilters": {"gridName": "Throughput"},
            "name": "moved",
            "description": "later",
            "startTime": T0 + 60,
            "coverNewChecks": True,
        },
        admin,
        method="put",
    )
    assert edited.status_code == 200, edited.body
    body = json.loads(edited.body)
    assert (body["name"], body["endTime"], body["coverNewChecks"]) == ("moved", -1, True)
    assert len(body["checks"]) == 2
    assert event_ids(client, "?gridName=Throughput") == [event]
    assert event_ids(client, f"?gridName={OWAMP}") == []
    bad = post_json(
        client, f"/maddash/admin/events/{event}", {"checkFilters": {}}, admin, method="put"
    )
    assert (bad.status_code, bad.body) == (400, b"Missing required field name")
    gone = client.http.delete(f"/maddash/admin/events/{event}", headers=admin)
    assert json.loads(gone.body) == {"status": 0, "message": "Successfully deleted event"}
    assert get(client, f"/maddash/events/{event}")[0] == 404
    again = client.http.delete(f"/maddash/admin/events/{event}", headers=admin)
    assert (again.status_code, again.body) == (404, b"Event resource not found")
    unknown = post_json(client, "/maddash/admin/events/77", {}, admin, method="put")
    assert unknown.status_code == 404


def test_admin_routes_need_an_admin_and_reads_are_public(client, admin, user, grids):
    body = {"checkFilters": {}, "name": "n", "description": "d", "startTime": T0}
    anonymous = post_json(client, "/maddash/admin/events", body)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == 'Basic realm="MaDDash Administrative API"'
    wrong = post_json(client, "/maddash/admin/events", body, basic("root", "wrong"))
    assert wrong.status_code == 401
    assert post_json(client, "/maddash/admin/events", body, user).status_code == 403
    assert client.http.delete("/maddash/admin/events/1", headers=user).status_code == 403
    assert post_json(client, "/maddash/admin/results", {}, user).status_code == 403
    assert post_json(client, "/maddash/admin/config", {}, user).status_code == 403
    assert post_json(client, "/maddash/admin/events/1", body, method="put").status_code == 401
    assert event_ids(client) == []
    assert get(client, "/maddash/grids")[0] == 200


def test_operations_are_recorded_as_events(client, admin, grids):
    event = create_event(client, admin)
    client.http.delete(f"/maddash/admin/events/{event}", headers=admin)
    types = {
        e["event_type"]
        for e in json.loads(client.http.get("/v2/events?limit=100", headers=admin).body)
    }
    assert {"maddash.config.load", "maddash.event.create", "maddash.event.delete"} <= types


def test_a_pre_handler_can_refuse_creating_an_event(client, admin, grids):
    from tests.engine.conftest import add_handler

    add_handler(
        1,
        "RequestMangler",
        "refuse",
        ["maddash.event.create"],
        position="pre",
        options={"message": "change freeze"},
    )
    body = {"checkFilters": {}, "name": "n", "description": "d", "startTime": T0}
    answer = post_json(client, "/maddash/admin/events", body, admin)
    assert answer.status_code == 403 and b"change freeze" in answer.body
    assert event_ids(client) == []


def test_a_window_covers_a_bounded_number_of_checks(client, admin, grids, monkeypatch):
    from chalicelib.dialects.maddash import windows as maintenance

    monkeypatch.setattr(maintenance, "MAX_CHECKS", 3)
    body = {"checkFilters": {}, "name": "all", "description": "", "startTime": T0}
    answer = post_json(client, "/maddash/admin/events", body, admin)
    assert (answer.status_code, answer.body) == (400, b"A window covers at most 3 checks")
