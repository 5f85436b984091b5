"""moto's ``TransactWriteItems`` with a rollback that snapshots only the items it touches.

moto 5.x deep-copies *every table named in a transaction, once per item of it*, before applying
anything, so that a cancelled transaction can put the tables back. A 100-item transaction on a
table of 5,000 events copied the table (its items and its stream records) 100 times: the cost
of every grouped write grew with everything ever stored, until the embedded runtime's requests
timed out. Here a transaction keeps, per item it touches, a copy of that item as it was (or
"absent"), and the length of each table's stream; a cancelled transaction puts back those items
and drops the stream records it added. What a transaction checks, applies and reports is
moto's own code path (``get_item``, ``put_item``, ``update_item``, ``delete_item`` of the
backend), so conditions and errors behave as before.

``install()`` patches moto's DynamoDB backend once per process: the embedded server of
``make run`` (local/embedded_dynamodb.py) and the tests' in-process moto (tests/conftest.py).
The same change is proposed upstream in local/UPSTREAM.md.
"""

from __future__ import annotations

import copy
import json
from typing import Any

__all__ = ["install", "transact_write_items"]


class _Journal:
    """What a transaction changed: each touched item as it was, each stream's length before."""

    def __init__(self) -> None:
        # (table, hash key, range key) -> the item before the transaction (None: absent).
        self.items: dict[tuple[str, Any, Any], Any] = {}
        self.streams: dict[str, tuple[Any, list[Any], int]] = {}

    def remember(self, backend: Any, table_name: str, key: dict[str, Any]) -> None:
        """Keep ``key``'s item of ``table_name`` as it is now (first touch only)."""
        from moto.dynamodb.models.dynamo_type import DynamoType

        table = backend.tables.get(table_name)
        if table is None or table.hash_key_attr not in key:
            return  # the operation fails before it changes anything
        if table.range_key_attr is not None and table.range_key_attr not in key:
            return
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        if table_name not in self.streams and table.stream_shard is not None:
            shard = table.stream_shard
            self.streams[table_name] = (shard, shard.items, len(shard.items))
        identity = (table_name, hash_key, range_key)
        if identity not in self.items:
            self.items[identity] = copy.deepcopy(table.get_item(hash_key, range_key))

    def roll_back(self, backend: Any) -> None:
        """Put every touched item back as it was; drop the stream records added since."""
        from local import moto_queries

        for (table_name, hash_key, range_key), before in reversed(self.items.items()):
            table = backend.tables.get(table_name)
            if table is None:
                continue
            # Items put back behind put_item's back: the query maps are rebuilt when next read.
            moto_queries.forget(table)
            if range_key is None:
                if before is None:
                    table.items.pop(hash_key, None)
                else:
                    table.items[hash_key] = before
            elif before is None:
                table.items.get(hash_key, {}).pop(range_key, None)
            else:
                table.items[hash_key][range_key] = before
        for shard, records, length in self.streams.values():
            # A shard handing its records to a Lambda mapping starts a new list: leave that be.
            if shard.items is records:
                del records[length:]


_CONDITIONS: dict[str, Any] = {}
_KEPT_CONDITIONS = 256


def _condition(parse: Any, expression: str, names: Any, values: Any) -> Any:
    """moto's parsed condition, parsed once per distinct (expression, names, values).

    Lexing the same ``attribute_not_exists(message_id)`` for every item of every transaction
    was ~45% of moto's time in a 1,000-event ingest; a parsed condition is only evaluated,
    never changed, so one parse serves every item that states it identically.
    """
    key = json.dumps([expression, names, values], sort_keys=True, default=str)
    parsed = _CONDITIONS.get(key)
    if parsed is None:
        if len(_CONDITIONS) >= _KEPT_CONDITIONS:
            _CONDITIONS.clear()
        parsed = _CONDITIONS[key] = parse(expression, names, values)
    return parsed


def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """``DynamoDBBackend.transact_write_items`` of moto 5.2, with the per-item journal."""
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    journal = _Journal()
    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[Any, Any, Any]] = []  # [(Code, Message, Item), ..]
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException
        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            names = op.get("ExpressionAttributeNames")
            values = op.get("ExpressionAttributeValues")
            on_failure = op.get("ReturnValuesOnConditionCheckFailure")
            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            check_unicity(table_name, key)

            current = self.get_item(table_name, key)
            if condition_expression is not None:
                condition_op = _condition(
                    get_filter_expression, condition_expression, names, values
                )
                if not condition_op.expr(current):
                    if on_failure == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)
                # Checked just now, under the request lock: moto need not parse it again.
                condition_expression = None

            if op_type != "ConditionCheck":
                journal.remember(self, table_name, key)
            if op_type == "Put":
                self.put_item(
                    table_name,
                    op["Item"],
                    condition_expression=condition_expression,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name,
                    key,
                    condition_expression=condition_expression,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    condition_expression=condition_expression,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            journal.roll_back(self)
            raise
        except ConditionalCheckFailed as exc:
            errors.append(("ConditionalCheckFailed", str(exc.message), original_item))
        except Exception as exc:  # moto reports any other failure as the item's reason
            errors.append((type(exc).__name__, str(exc), original_item))

    if any(code is not None for code, _, _ in errors):
        journal.roll_back(self)
        raise TransactionCanceledException(errors)


def install() -> None:
    """Replace moto's ``transact_write_items`` (once per process)."""
    from moto.dynamodb.models import DynamoDBBackend

    if getattr(DynamoDBBackend, "_event_service_journal", False):
        return
    DynamoDBBackend.transact_write_items = transact_write_items
    DynamoDBBackend._event_service_journal = True
