"""opEvents ``POST /events`` and ``GET /events/{id}``: creation, refusals, the one store."""

from __future__ import annotations

import json
import re

import pytest

from tests.dialects.opevents import support as opevents_support
from tests.dialects.opevents.support import (
    EVENTS,
    NODES,
    ROUTER,
    call,
    create,
    json_get,
)

# The fixtures this module uses (pytest finds them by name in the module).
router = opevents_support.router
writer = opevents_support.writer

NODE_DOWN = {
    "node": "router1",
    "event": "Node Down",
    "level": "Major",
    "priority": 6,
    "state": "down",
    "stateful": "Node",
    "element": "",
    "details": "Ping failed",
}


def test_create_answers_201_with_location_and_a_24_hex_id(client, writer, router):
    response = create(client, writer, **NODE_DOWN)
    assert response.status_code == 201
    body = response.json_body
    assert set(body) == {"success", "id"} and body["success"] == 1
    assert re.fullmatch(r"[0-9a-f]{24}", body["id"])
    assert response.headers["Location"] == f"http://localhost{EVENTS}/{body['id']}"

    fetched = json_get(client, f"{EVENTS}/{body['id']}", writer)
    assert fetched.status_code == 200
    event = fetched.json_body
    assert {k: event[k] for k in NODE_DOWN} == NODE_DOWN
    assert event["_id"] == event["id"] == body["id"]
    assert event["type"] == "api" and event["acknowledged"] == 0 and event["flap"] == 0
    assert isinstance(event["time"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", event["date"])


def test_location_names_the_https_host_and_stage(client, writer, router):
    headers = {**writer, "Host": "events.example.com", "X-Forwarded-Proto": "https"}
    response = create(client, headers, node="router1", event="Node Down")
    assert response.headers["Location"].startswith(f"https://events.example.com{EVENTS}/")


def test_fetch_with_and_without_json_suffix(client, writer, router):
    event_id = create(client, writer, node="router1", event="Node Down").json_body["id"]
    plain = json_get(client, f"{EVENTS}/{event_id}", writer).json_body
    suffixed = call(client, "GET", f"{EVENTS}/{event_id}.json", writer)
    assert suffixed.status_code == 200 and suffixed.json_body == plain
    browser = call(client, "GET", f"{EVENTS}/{event_id}", {**writer, "Accept": "text/html"})
    assert browser.status_code == 200
    assert browser.headers["Content-Type"].startswith("text/html")
    assert f"{EVENTS}.json" in browser.body.decode()
    assert "/console/app.js" in browser.body.decode()


@pytest.mark.parametrize("path", [f"{EVENTS}/0123456789abcdef01234567.json", f"{EVENTS}/nope"])
def test_fetch_unknown_is_404_with_an_error(client, writer, path):
    response = json_get(client, path, writer)
    assert response.status_code == 404
    assert set(response.json_body) == {"error"} and "not found" in response.json_body["error"]


@pytest.mark.parametrize(
    ("priority", "stored", "level"),
    [
        (-3, 0, "Normal"),
        (0, 0, "Normal"),
        (1, 1, "Normal"),
        (2, 2, "Normal"),
        (3, 3, "Warning"),
        (4, 4, "Warning"),
        (5, 5, "Minor"),
        ("6", 6, "Major"),
        (7, 7, "Critical"),
        (8, 8, "Fatal"),
        (10, 10, "Fatal"),
        (12, 12, "Fatal"),
    ],
)
def test_priority_and_its_level(client, writer, router, priority, stored, level):
    # A client's own level never wins over the one the priority gives.
    event_id = create(
        client, writer, node="router1", event="X", priority=priority, level="Fatal"
    ).json_body["id"]
    event = json_get(client, f"{EVENTS}/{event_id}", writer).json_body
    assert (event["priority"], event["level"]) == (stored, level)


def test_given_time_and_date_are_kept(client, writer, router):
    event_id = create(
        client, writer, node="router1", event="X", time=1691490602.72516, type="trap"
    ).json_body["id"]
    event = json_get(client, f"{EVENTS}/{event_id}", writer).json_body
    assert event["time"] == 1691490602.72516 and event["date"] == "2023-08-08T10:30:02"
    assert event["type"] == "trap"
    from_date = create(client, writer, node="router1", event="X", date="2023-08-08T20:30:02")
    event = json_get(client, f"{EVENTS}/{from_date.json_body['id']}", writer).json_body
    assert event["time"] == 1691526602.0


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"{not json", "malformed JSON"),
        (b"", "a JSON body is required"),
        (b"[1, 2]", "JSON object"),
        (b'{"node": "router1"}', "event is required"),
        (b'{"event": "Node Down"}', "node or a host"),
        (b'{"event": "Node Down", "node": "ghost"}', "ghost is not known"),
        (b'{"event": "Node Down", "host": "ghost.example.com"}', "ghost.example.com"),
        (b'{"event": "X", "node": "router1", "priority": "high"}', "priority"),
        (b'{"event": "X", "node": "router1", "priority": 2.5}', "priority"),
        (b'{"event": "X", "node": "router1", "time": "yesterday"}', "time"),
        (b'{"event": {"a": 1}, "node": "router1"}', "event must be a string"),
        (b'{"event": "' + b"x" * 256 + b'", "node": "router1"}', "longer than 255"),
        (b'{"event": "X", "node": "router1", "details": "' + b"y" * 70000 + b'"}', "exceed"),
    ],
)
def test_bad_input_is_400_and_stores_nothing(client, writer, router, body, error):
    headers = {**writer, "Content-Type": "application/json"}
    response = call(client, "POST", EVENTS, headers, raw=body)
    assert response.status_code == 400
    assert response.json_body["success"] == 0 and error in response.json_body["error"]
    assert json_get(client, EVENTS, writer).json_body == []


def test_deactivated_node_is_refused(client, writer, admin):
    node = {**ROUTER, "activated": {"opEvents": False}}
    assert call(client, "POST", NODES, admin, data=node).status_code == 201
    for properties in ({"node": "router1"}, {"host": "10.0.0.1"}):
        response = create(client, writer, event="Node Down", **properties)
        assert response.status_code == 400
        assert response.json_body == {
            "success": 0,
            "error": "node router1 is disabled for opEvents",
        }


@pytest.mark.parametrize(
    "host", ["router1", "ROUTER1.example.com", "r1", "core-router", "10.0.0.1", "2001:db8::1"]
)
def test_host_resolves_by_name_host_alias_and_address(client, writer, router, host):
    response = create(client, writer, host=host, event="Node Down")
    assert response.status_code == 201, response.body
    event = json_get(client, f"{EVENTS}/{response.json_body['id']}", writer).json_body
    assert event["node"] == "router1" and event["host"] == host


def test_node_wins_over_host(client, writer, router, admin):
    call(client, "POST", NODES, admin, data={"name": "switch1"})
    response = create(client, writer, node="switch1", host="r1", event="Node Down")
    event = json_get(client, f"{EVENTS}/{response.json_body['id']}", writer).json_body
    assert event["node"] == "switch1"


def test_auto_create_nodes(client, writer, monkeypatch):
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("OPEVENTS_AUTO_CREATE_NODES", "1")
    reset_settings()
    try:
        for host in ("new-box.example.com", "192.0.2.7", "new-box.example.com"):
            assert create(client, writer, host=host, event="Node Down").status_code == 201
        nodes = json_get(client, NODES, writer).json_body
        assert sorted(node["name"] for node in nodes) == ["192.0.2.7", "new-box.example.com"]
        by_address = json_get(client, f"{NODES}/192.0.2.7", writer).json_body
        assert by_address["addresses"] == ["192.0.2.7"]
    finally:
        monkeypatch.delenv("OPEVENTS_AUTO_CREATE_NODES")
        reset_settings()


def test_the_event_is_an_event_of_the_one_store(client, admin, router):
    response = create(client, admin, **NODE_DOWN, custom="kept")
    event_id = response.json_body["id"]
    found = call(
        client, "GET", "/v2/events", admin, query={"q.field": "node", "q.value": "router1"}
    ).json_body
    assert [event["message_id"] for event in found] == [event_id]
    [event] = found
    assert event["event_type"] == "Node Down"
    traits = {trait["name"]: (trait["type"], trait["value"]) for trait in event["traits"]}
    assert traits["priority"] == ("integer", "6")
    assert traits["time"][0] == "float"
    assert traits["node"] == ("string", "router1")
    assert traits["custom"] == ("string", "kept")
    assert traits["details"] == ("string", "Ping failed")

    from chalicelib.core.events import get_event

    stored = get_event(event_id)
    assert stored.source == "opevents" and stored.raw["details"] == "Ping failed"


def test_a_handler_bound_to_the_event_name_fires(client, writer, router):
    from chalicelib.core.counters import get_counter
    from chalicelib.engine import dispatch
    from tests.engine.conftest import add_handler, read_stream

    add_handler(1, "Counter", "increase_counter", ["Node Down"], options={"counter_name": "{node}"})
    event_id = create(client, writer, **NODE_DOWN).json_body["id"]
    batch = {"Records": read_stream([event_id])}
    assert dispatch.handle_stream_batch(batch) == {"batchItemFailures": []}
    assert get_counter("router1") == 1


def test_forwarded_depth_is_kept(client, writer, router):
    """A peer's signed depth counts (``depth_headers``); the bare header does not."""
    from chalicelib.core.events import get_event
    from chalicelib.core.executions import depth_headers

    properties = {"node": "router1", "event": "Node Down"}
    body = json.dumps(properties).encode()
    headers = {**writer, **depth_headers(2, body)}
    event_id = call(client, "POST", EVENTS, headers, raw=body).json_body["id"]
    assert get_event(event_id).depth == 2
    unsigned = {**writer, "X-Event-Service-Depth": "2"}
    properties["event"] = "Node Up"
    event_id = create(client, unsigned, **properties).json_body["id"]
    assert get_event(event_id).depth == 0


def test_a_pre_handler_may_refuse_the_creation(client, writer, router):
    from tests.engine.conftest import add_handler

    add_handler(
        1,
        "RequestMangler",
        "refuse",
        ["opevents.event.create"],
        position="pre",
        options={"message": "no events from {logged_in_user}"},
    )
    response = create(client, writer, node="router1", event="Node Down")
    assert response.status_code == 403
    assert response.json_body == {"success": 0, "error": "no events from poller"}
    assert json_get(client, EVENTS, writer).json_body == []


def test_a_browser_gets_the_console_without_the_guard_and_json_stays_guarded(
    client, writer, user, router
):
    """The page holds no data, so it skips the caller guard; the event's JSON does not."""
    event_id = create(client, writer, node="router1", event="Node Down").json_body["id"]
    anonymous = call(client, "GET", f"{EVENTS}/{event_id}", {"Accept": "text/html"})
    assert anonymous.status_code == 200
    assert anonymous.headers["Content-Type"].startswith("text/html")
    suffixed = call(client, "GET", f"{EVENTS}/{event_id}.json", {"Accept": "text/html"})
    assert suffixed.status_code == 401 and suffixed.json_body == {"error": "not authenticated"}
    lacking = call(client, "GET", f"{EVENTS}/{event_id}.json", user)
    assert lacking.status_code == 404 and lacking.json_body == {"error": "Not Found"}
