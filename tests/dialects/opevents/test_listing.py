"""opEvents ``GET /events``: the two-hour default, every filter plain and regex, paging."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.dialects.opevents import support as opevents_support
from tests.dialects.opevents.support import EVENTS, NODES, call, create, json_get

router = opevents_support.router
writer = opevents_support.writer

T0 = 1_800_000_000.0
WINDOW = {"o_start": str(T0 - 100), "o_end": str(T0 + 100)}


@pytest.fixture
def sample(client, writer, router, admin):
    """Five events on two nodes, one second apart (newest last); their ids in that order."""
    call(client, "POST", NODES, admin, data={"name": "switch1"})
    rows = [
        ("router1", "Node Down", "nmis_eventlog", "", "Ping failed"),
        ("router1", "Interface Down", "trap", "Gi0/1", "link lost on uplink"),
        ("switch1", "Node Down", "api", "", "Ping failed twice"),
        ("switch1", "High CPU", "syslog", "cpu0", "CPU at 95%"),
        ("router1", "Interface Up", "trap", "Gi0/1", "link back"),
    ]
    ids = []
    for offset, (node, name, kind, element, details) in enumerate(rows):
        response = create(
            client,
            writer,
            node=node,
            event=name,
            type=kind,
            element=element,
            details=details,
            time=T0 + offset,
        )
        ids.append(response.json_body["id"])
    return ids


def listed(client, headers, **query):
    response = json_get(client, EVENTS, headers, **{**WINDOW, **query})
    assert response.status_code == 200, response.body
    return [event["id"] for event in response.json_body]


def test_newest_first_with_ids(client, writer, sample):
    assert listed(client, writer) == sample[::-1]


@pytest.mark.parametrize(
    ("parameter", "value", "expected"),
    [
        ("o_node_name", "switch1", [3, 2]),
        ("o_node_name", "regex:^sw", [3, 2]),
        ("o_node_name", "regex:ROUTER", []),
        ("o_node_name", "regex:(?i)ROUTER", [4, 1, 0]),
        ("ev_event_name", "Node Down", [2, 0]),
        ("ev_event_name", "Node", []),  # plain means equal
        ("ev_event_name", "regex:^Interface (Up|Down)$", [4, 1]),
        ("ev_event_type", "trap", [4, 1]),
        ("ev_event_type", "regex:log$", [3, 0]),
        ("ev_event_element", "Gi0/1", [4, 1]),
        ("ev_event_element", "regex:^cpu\\d$", [3]),
        ("ev_event_details", "Ping failed", [0]),
        ("ev_event_details", "regex:\\d+%", [3]),
    ],
)
def test_each_filter_plain_and_regex(client, writer, sample, parameter, value, expected):
    assert listed(client, writer, **{parameter: value}) == [sample[i] for i in expected]


def test_filters_combine(client, writer, sample):
    assert listed(
        client, writer, o_node_name="router1", ev_event_type="trap", ev_event_details="regex:back"
    ) == [sample[4]]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (str(T0 + 1), str(T0 + 3), [3, 2, 1]),
        (datetime.fromtimestamp(T0 + 2, UTC).isoformat(), None, [4, 3, 2]),
        (
            "2027-01-15T08:00:00Z",
            datetime.fromtimestamp(T0 + 0.5, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"),
            [0],
        ),
    ],
)
def test_time_window(client, writer, sample, start, end, expected):
    query = {"o_start": start, "o_end": end or str(T0 + 100)}
    assert listed(client, writer, **query) == [sample[i] for i in expected]


def test_default_is_the_last_two_hours(client, writer, router):
    now = time.time()
    ids = [
        create(client, writer, node="router1", event="E", time=now - age).json_body["id"]
        for age in (3 * 3600, 7100, 60)
    ]
    response = json_get(client, EVENTS, writer)
    assert [e["id"] for e in response.json_body] == [ids[2], ids[1]]
    # Only an end: the two hours before it.
    assert [e["id"] for e in json_get(client, EVENTS, writer, o_end=str(now - 3000)).json_body] == [
        ids[1]
    ]


def test_events_json_path_and_html_for_browsers(client, writer, sample):
    by_path = call(client, "GET", f"{EVENTS}.json", writer, query=WINDOW)
    assert [e["id"] for e in by_path.json_body] == sample[::-1]
    browser = call(client, "GET", EVENTS, {**writer, "Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 200 and browser.headers["Content-Type"].startswith("text/html")
    page = browser.body.decode()  # the console's event page, with the JSON's address for no-JS
    assert '<script type="module" src="/console/app.js">' in page
    assert "/omk/opEvents/events.json" in page
    anonymous = call(client, "GET", EVENTS, {"Accept": "text/html"})
    assert anonymous.status_code == 200  # the page holds no data: its login form asks


def test_limit_and_continuation(client, writer, sample):
    seen, pages = [], 0
    query = {**WINDOW, "limit": "2"}
    while True:
        response = json_get(client, EVENTS, writer, **query)
        pages += 1
        seen += [e["id"] for e in response.json_body]
        token = response.headers.get("X-OpEvents-Continue")
        if not token:
            break
        assert (
            "o_continue=" in response.headers["Link"] and 'rel="next"' in response.headers["Link"]
        )
        query["o_continue"] = token
    assert seen == sample[::-1] and pages == 3


def test_continuation_with_a_regex_filter(client, writer, sample):
    query = {**WINDOW, "limit": "1", "ev_event_details": "regex:Ping"}
    first = json_get(client, EVENTS, writer, **query)
    second = json_get(
        client, EVENTS, writer, **query, o_continue=first.headers["X-OpEvents-Continue"]
    )
    assert [e["id"] for e in first.json_body + second.json_body] == [sample[2], sample[0]]
    assert "X-OpEvents-Continue" not in second.headers


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"ev_event_name": "regex:(unclosed"}, "invalid regular expression in ev_event_name"),
        ({"o_node_name": "regex:(a)\\1"}, "invalid regular expression in o_node_name"),
        ({"o_start": "last tuesday"}, "o_start is not a time opEvents reads, not 'last tuesday'"),
        ({"o_end": "32-Dec-2026 20:30:07"}, "o_end is not a time opEvents reads"),
        ({"o_end": "-1 fortnights"}, "o_end is not a time opEvents reads"),
        ({"limit": "0"}, "limit must be an integer from 1 to 10000"),
        ({"limit": "many"}, "limit must be an integer from 1 to 10000"),
        ({"o_continue": "%%%"}, "invalid continuation"),
    ],
)
def test_bad_parameters_are_400(client, writer, query, error):
    response = json_get(client, EVENTS, writer, **query)
    assert response.status_code == 400
    assert response.json_body["success"] == 0
    assert response.json_body["error"].startswith(error)


def test_a_pathological_regex_returns(client, writer, router):
    # (a+)+$ backtracks exponentially in a backtracking engine on "aaa…b"; RE2 is linear.
    create(client, writer, node="router1", event="E", details="a" * 200 + "b", time=T0)
    response = json_get(client, EVENTS, writer, **WINDOW, ev_event_details="regex:(a+)+$")
    assert response.status_code == 200 and response.json_body == []
    matched = json_get(client, EVENTS, writer, **WINDOW, ev_event_details="regex:(a+)+b$")
    assert len(matched.json_body) == 1
