"""opEvents' node routes: opCommon's node shape, admin writes, operation events."""

from __future__ import annotations

from tests.dialects.opevents import support as opevents_support
from tests.dialects.opevents.support import NODES, ROUTER, call, json_get

writer = opevents_support.writer


def test_node_crud(client, admin, writer):
    created = call(client, "POST", NODES, admin, data=ROUTER)
    assert created.status_code == 201
    assert created.json_body == {**ROUTER, "activated": {"opEvents": True}}
    assert created.headers["Location"] == f"http://localhost{NODES}/router1"
    assert json_get(client, NODES, writer).json_body == [created.json_body]
    assert json_get(client, f"{NODES}/router1", writer).json_body == created.json_body

    replaced = call(
        client,
        "PUT",
        f"{NODES}/router1",
        admin,
        data={"host": "10.0.0.9", "activated": {"opEvents": False}},
    )
    assert replaced.status_code == 200
    assert replaced.json_body == {
        "name": "router1",
        "host": "10.0.0.9",
        "addresses": [],
        "aliases": [],
        "activated": {"opEvents": False},
    }
    assert call(client, "DELETE", f"{NODES}/router1", admin).status_code == 204
    assert json_get(client, f"{NODES}/router1", writer).status_code == 404
    assert json_get(client, NODES, writer).json_body == []


def test_node_refusals(client, admin):
    call(client, "POST", NODES, admin, data=ROUTER)
    again = call(client, "POST", NODES, admin, data=ROUTER)
    assert again.status_code == 409 and again.json_body["success"] == 0
    taken = call(client, "POST", NODES, admin, data={"name": "r2", "addresses": ["10.0.0.1"]})
    assert taken.status_code == 409 and "belongs to another node" in taken.json_body["error"]
    bad = call(client, "POST", NODES, admin, data={"name": "r3", "addresses": ["x"]})
    assert bad.status_code == 400 and bad.json_body == {
        "success": 0,
        "error": "not an IP address: x",
    }
    renamed = call(client, "PUT", f"{NODES}/router1", admin, data={"name": "other"})
    assert renamed.status_code == 400
    missing = call(client, "PUT", f"{NODES}/ghost", admin, data={})
    assert missing.status_code == 404 and missing.json_body == {"error": "Node ghost not found"}
    assert call(client, "DELETE", f"{NODES}/ghost", admin).status_code == 404


def test_node_writes_are_operations_with_events(client, admin):
    from chalicelib.core.events import EventQuery, list_events

    call(client, "POST", NODES, admin, data=ROUTER)
    call(client, "PUT", f"{NODES}/router1", admin, data={"aliases": ["edge"]})
    call(client, "DELETE", f"{NODES}/router1", admin)
    for name in ("opevents.node.create", "opevents.node.update", "opevents.node.delete"):
        [event] = list_events(EventQuery(event_type=name))
        assert event.trait_values()["params.name"] == "router1"
        assert event.trait_values()["logged_in_user"] == "root"
