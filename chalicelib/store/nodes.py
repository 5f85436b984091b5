"""The node registry (opCommon's nodes): one table of node items and their lookup keys.

- a node: ``pk="node#<name>"``, with ``kind="node"`` so the sparse ``by_kind`` index lists
  every node by name;
- one lookup item per name, host, alias and address of a node:
  ``pk="key#<lowercased value>"`` naming the node and carrying a copy of its opEvents
  activation, so resolving a host is one GetItem.
A key belongs to one node: two nodes claiming the same alias are refused by the conditional
write of the lookup item.
"""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model, string_list

SHORT_NAME = "nodes"
NODE_KIND = "node"


def node_pk(name: str) -> str:
    return f"node#{name}"


def key_pk(value: str) -> str:
    return f"key#{value.strip().lower()}"


class NodesByKind(GlobalSecondaryIndex):
    """Every node (node items only), by name."""

    class Meta:
        index_name = "by_kind"
        projection = AllProjection()

    kind = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute(range_key=True)


class NodeModel(Model):
    """A node item or a lookup item (see the module docstring)."""

    class Meta(BaseMeta):
        table_name = SHORT_NAME

    pk = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()  # the node's name (on lookup items: the node the key names)
    kind = UnicodeAttribute(null=True)  # "node" on node items only (sparse index)
    host = UnicodeAttribute(null=True)
    addresses = string_list(default=list)
    aliases = string_list(default=list)
    activated_opevents = BooleanAttribute(default=True)

    by_kind = NodesByKind()


bind_model(NodeModel, SHORT_NAME)
