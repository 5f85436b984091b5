"""The node registry: opCommon's nodes, and resolving an event's host to its canonical node.

A node has a name, a host, addresses, aliases and a per-product activation (only opEvents'
is kept). Every name, host, alias and address is also a lookup key (case-insensitive) that
belongs to exactly one node, so resolving a host is one GetItem, never a scan. A node and its
lookup keys are written together in one transaction.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.settings import get_settings
from chalicelib.store.access import store_access
from chalicelib.store.nodes import NODE_KIND, NodeModel, key_pk, node_pk

NODE_FIELDS = ("name", "host", "addresses", "aliases", "activated")
MAX_NAME = 255
# A transaction holds at most 100 items: the node, and at most this many keys (plus old ones).
MAX_KEYS = 48


@dataclass(frozen=True)
class Node:
    """One node as opCommon describes it (``activated`` only for opEvents)."""

    name: str
    host: str
    addresses: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    activated: bool = True

    def lookup_keys(self) -> list[str]:
        """Every lookup key of the node (lowercased, without repeats)."""
        values = (self.name, self.host, *self.aliases, *self.addresses)
        return list(dict.fromkeys(key_pk(value) for value in values if value.strip()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "host": self.host,
            "addresses": list(self.addresses),
            "aliases": list(self.aliases),
            "activated": {"opEvents": self.activated},
        }


@dataclass(frozen=True)
class ResolvedNode:
    """The node an event belongs to, and whether it was created for the event."""

    name: str
    created: bool = field(default=False)


def _text(value: Any, name: str, *, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise ValidationFailed(f"{name} is required", field=name)
        return None
    if not isinstance(value, str) or len(value) > MAX_NAME or not value.strip():
        raise ValidationFailed(
            f"{name} must be a non-empty string of at most {MAX_NAME} characters", field=name
        )
    return value.strip()


def _texts(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValidationFailed(f"{name} must be a list of strings", field=name)
    return tuple(dict.fromkeys(_text(item, name, required=True) or "" for item in value))


def _activated(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, dict):
        raise ValidationFailed('activated must be an object like {"opEvents": true}')
    flag = value.get("opEvents", True)
    if flag in (True, 1, "1", "true"):
        return True
    if flag in (False, 0, "0", "false"):
        return False
    raise ValidationFailed("activated.opEvents must be true or false", field="activated")


def node_from_dict(data: Any, *, name: str | None = None) -> Node:
    """A validated node from opCommon's JSON shape; ``name`` is the one the URL names."""
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object")
    unknown = sorted(set(data) - set(NODE_FIELDS))
    if unknown:
        raise ValidationFailed(f"unknown node properties: {', '.join(unknown)}")
    given = _text(data.get("name"), "name", required=name is None)
    if name is not None and given is not None and given != name:
        raise ValidationFailed(f"the body names node {given}, the URL {name}", field="name")
    node_name = given or name or ""
    addresses = _texts(data.get("addresses"), "addresses")
    for address in addresses:
        try:
            ipaddress.ip_address(address)
        except ValueError as exc:
            raise ValidationFailed(f"not an IP address: {address}", field="addresses") from exc
    node = Node(
        name=node_name,
        host=_text(data.get("host"), "host") or node_name,
        addresses=addresses,
        aliases=_texts(data.get("aliases"), "aliases"),
        activated=_activated(data.get("activated")),
    )
    if len(node.lookup_keys()) > MAX_KEYS:
        raise ValidationFailed(f"a node has at most {MAX_KEYS} names, aliases and addresses")
    return node


def _from_item(item: NodeModel) -> Node:
    return Node(
        name=item.name,
        host=item.host or item.name,
        addresses=tuple(item.addresses or ()),
        aliases=tuple(item.aliases or ()),
        activated=bool(item.activated_opevents),
    )


def _node_item(node: Node) -> NodeModel:
    return NodeModel(
        node_pk(node.name),
        name=node.name,
        kind=NODE_KIND,
        host=node.host,
        addresses=list(node.addresses),
        aliases=list(node.aliases),
        activated_opevents=node.activated,
    )


def _get_item(name: str) -> NodeModel | None:
    with store_access():
        try:
            return NodeModel.get(node_pk(name))
        except NodeModel.DoesNotExist:
            return None


def get_node(name: str) -> Node:
    item = _get_item(name)
    if item is None:
        raise NotFound(f"Node {name} not found")
    return _from_item(item)


def list_nodes() -> list[Node]:
    """Every node by name (one Query of the sparse ``by_kind`` index)."""
    with store_access():
        return [_from_item(item) for item in NodeModel.by_kind.query(NODE_KIND)]


def _write(node: Node, *, old: Node | None, must_exist: bool) -> None:
    """Write ``node`` and its keys (dropping ``old``'s keys it no longer has), all or nothing."""
    owned = (NodeModel.pk.does_not_exist()) | (NodeModel.name == node.name)
    node_condition = NodeModel.pk.exists() if must_exist else NodeModel.pk.does_not_exist()
    keys = node.lookup_keys()

    def conflict() -> Exception:
        if not must_exist and _get_item(node.name) is not None:
            return Conflict(f"Node {node.name} already exists")
        if must_exist and _get_item(node.name) is None:
            return NotFound(f"Node {node.name} not found")
        return Conflict(f"a name, host, alias or address of {node.name} belongs to another node")

    with (
        store_access(on_condition_failed=conflict),
        TransactWrite(connection=NodeModel._get_connection().connection) as tx,
    ):
        tx.save(_node_item(node), condition=node_condition)
        for pk in keys:
            lookup = NodeModel(pk, name=node.name, activated_opevents=node.activated)
            tx.save(lookup, condition=owned)
        for pk in set(old.lookup_keys() if old else ()) - set(keys):
            tx.delete(NodeModel(pk), condition=NodeModel.name == node.name)


def create_node(node: Node) -> Node:
    """Store a new node; ``Conflict`` if it exists or one of its keys is another node's."""
    _write(node, old=None, must_exist=False)
    return node


def replace_node(node: Node) -> Node:
    """Replace a stored node (its keys follow); ``NotFound`` when there is none."""
    _write(node, old=get_node(node.name), must_exist=True)
    return node


def delete_node(name: str) -> Node:
    """Delete a node and its keys; ``NotFound`` when there is none."""
    node = get_node(name)
    with (
        store_access(on_condition_failed=lambda: NotFound(f"Node {name} not found")),
        TransactWrite(connection=NodeModel._get_connection().connection) as tx,
    ):
        tx.delete(NodeModel(node_pk(name)), condition=NodeModel.pk.exists())
        for pk in node.lookup_keys():
            tx.delete(NodeModel(pk), condition=NodeModel.name == name)
    return node


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _lookup(host: str) -> tuple[str, bool] | None:
    """(node name, activated) of the node a lookup key names, or None."""
    with store_access():
        try:
            item = NodeModel.get(key_pk(host))
        except NodeModel.DoesNotExist:
            return None
    return item.name, bool(item.activated_opevents)


def resolve_event_node(node: str | None, host: str | None) -> ResolvedNode:
    """The known, opEvents-activated node of an event: ``node`` itself, else ``host``'s.

    ``host`` (a name, alias or address) resolves through its lookup key: one GetItem. An
    unknown host makes a new node when ``OPEVENTS_AUTO_CREATE_NODES`` is on. Unknown or
    deactivated nodes are ``ValidationFailed`` (opEvents' API refuses their events).
    """
    created = False
    if node:
        item = _get_item(node)
        if item is None:
            raise ValidationFailed(f"node {node} is not known to opEvents", field="node")
        found: tuple[str, bool] | None = (item.name, bool(item.activated_opevents))
    elif not host:
        raise ValidationFailed("a node or a host property is required", field="node")
    else:
        found = _lookup(host)
        if found is None and get_settings().opevents_auto_create_nodes:
            created = _auto_create(host)
            found = (host, True) if created else _lookup(host)
    if found is None:
        raise ValidationFailed(f"no node known to opEvents for host {host}", field="host")
    name, activated = found
    if not activated:
        raise ValidationFailed(f"node {name} is disabled for opEvents", field="node")
    return ResolvedNode(name, created=created)


def _auto_create(host: str) -> bool:
    """Create a node named after an unknown host (opEvents' ``opevents_auto_create_nodes``).

    False when another request created it (or a node claimed the key) first.
    """
    address = _is_address(host)
    try:
        create_node(Node(name=host, host=host, addresses=(host,) if address else ()))
    except Conflict:
        return False
    return True
