"""The node registry: validation, lookup keys, resolution of an event's node."""

from __future__ import annotations

import pytest

from chalicelib.dialects.opevents import nodes
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.store.nodes import NodeModel, key_pk

ROUTER = {
    "name": "router1",
    "host": "router1.example.com",
    "aliases": ["r1"],
    "addresses": ["10.0.0.1"],
}


def stored_keys() -> dict[str, str]:
    """Every lookup key in the table and the node it names (a test may scan)."""
    return {item.pk: item.name for item in NodeModel.scan() if item.pk.startswith("key#")}


def test_node_from_dict_defaults_and_refusals():
    node = nodes.node_from_dict({"name": "sw1"})
    assert node == nodes.Node("sw1", "sw1")
    assert node.to_dict() == {
        "name": "sw1",
        "host": "sw1",
        "addresses": [],
        "aliases": [],
        "activated": {"opEvents": True},
    }
    assert not nodes.node_from_dict({**ROUTER, "activated": {"opEvents": 0}}).activated
    for bad, message in [
        ({}, "name is required"),
        ({"name": "x", "addresses": ["not-an-ip"]}, "not an IP address"),
        ({"name": "x", "aliases": "r1"}, "aliases must be a list"),
        ({"name": "x", "activated": {"opEvents": "maybe"}}, "activated.opEvents"),
        ({"name": "x", "colour": "red"}, "unknown node properties: colour"),
        ({"name": "x", "aliases": [f"a{i}" for i in range(60)]}, "at most"),
    ]:
        with pytest.raises(ValidationFailed, match=message):
            nodes.node_from_dict(bad)
    with pytest.raises(ValidationFailed, match="the body names node x, the URL y"):
        nodes.node_from_dict({"name": "x"}, name="y")


def test_create_writes_a_key_per_name_host_alias_and_address(aws):
    nodes.create_node(nodes.node_from_dict(ROUTER))
    assert stored_keys() == {
        key_pk(v): "router1" for v in ("router1", "router1.example.com", "r1", "10.0.0.1")
    }
    assert nodes.get_node("router1").aliases == ("r1",)
    assert [n.name for n in nodes.list_nodes()] == ["router1"]


def test_a_key_belongs_to_one_node(aws):
    nodes.create_node(nodes.node_from_dict(ROUTER))
    with pytest.raises(Conflict, match="already exists"):
        nodes.create_node(nodes.node_from_dict({"name": "router1"}))
    with pytest.raises(Conflict, match="belongs to another node"):
        nodes.create_node(nodes.node_from_dict({"name": "router2", "aliases": ["R1"]}))
    assert [n.name for n in nodes.list_nodes()] == ["router1"]  # nothing half-written
    assert set(stored_keys().values()) == {"router1"}


def test_replace_moves_the_keys_and_delete_removes_them(aws):
    nodes.create_node(nodes.node_from_dict(ROUTER))
    nodes.replace_node(nodes.node_from_dict({"name": "router1", "aliases": ["edge"]}))
    assert stored_keys() == {key_pk("router1"): "router1", key_pk("edge"): "router1"}
    # The freed alias can now name another node.
    nodes.create_node(nodes.node_from_dict({"name": "router2", "aliases": ["r1"]}))
    nodes.delete_node("router1")
    assert stored_keys() == {key_pk("router2"): "router2", key_pk("r1"): "router2"}
    with pytest.raises(NotFound):
        nodes.delete_node("router1")
    with pytest.raises(NotFound):
        nodes.replace_node(nodes.node_from_dict({"name": "router1"}))


def test_resolution(aws, monkeypatch):
    from chalicelib.settings import reset_settings

    nodes.create_node(nodes.node_from_dict(ROUTER))
    nodes.create_node(nodes.node_from_dict({"name": "off", "activated": {"opEvents": False}}))
    for host in ("R1", "10.0.0.1", "router1.EXAMPLE.com", "router1"):
        assert nodes.resolve_event_node(None, host) == nodes.ResolvedNode("router1")
    assert nodes.resolve_event_node("router1", "ignored") == nodes.ResolvedNode("router1")
    with pytest.raises(ValidationFailed, match="disabled"):
        nodes.resolve_event_node(None, "off")
    with pytest.raises(ValidationFailed, match="no node known to opEvents for host ghost"):
        nodes.resolve_event_node(None, "ghost")
    with pytest.raises(ValidationFailed, match="not known"):
        nodes.resolve_event_node("R1", None)  # a node is named exactly, not looked up

    monkeypatch.setenv("OPEVENTS_AUTO_CREATE_NODES", "true")
    reset_settings()
    assert nodes.resolve_event_node(None, "ghost") == nodes.ResolvedNode("ghost", created=True)
    assert nodes.resolve_event_node(None, "ghost") == nodes.ResolvedNode("ghost")
    with pytest.raises(ValidationFailed, match="disabled"):
        nodes.resolve_event_node(None, "off")  # auto-creation never revives a disabled node
    monkeypatch.delenv("OPEVENTS_AUTO_CREATE_NODES")
    reset_settings()
