"""The rollback of moto's TransactWriteItems (local/moto_transactions.py): a cancelled
transaction puts back exactly the items it touched and drops the stream records it added, and
no transaction copies a whole table (the cost that made the embedded runtime time out)."""

from __future__ import annotations

import copy

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from local import moto_transactions

TABLE = "journal-test"


@pytest.fixture
def dynamodb():
    moto_transactions.install()
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        )
        yield client


def _key(pk: str, sk: str = "1") -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _everything(client) -> list[dict]:
    return sorted(client.scan(TableName=TABLE)["Items"], key=lambda i: i["pk"]["S"])


def _stream_length() -> int:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].tables[TABLE]
    return len(table.stream_shard.items)


def test_a_cancelled_transaction_leaves_every_item_and_the_stream_as_they_were(dynamodb):
    for name in ("kept", "updated", "deleted"):
        dynamodb.put_item(TableName=TABLE, Item={**_key(name), "n": {"N": "1"}})
    before, records = _everything(dynamodb), _stream_length()

    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": {**_key("new"), "n": {"N": "7"}}}},
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": _key("updated"),
                        "UpdateExpression": "SET n = n + :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
                {"Delete": {"TableName": TABLE, "Key": _key("deleted")}},
                {
                    "Put": {
                        "TableName": TABLE,
                        "Item": _key("kept"),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )

    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _everything(dynamodb) == before
    assert _stream_length() == records


def test_a_transaction_that_holds_applies_every_item(dynamodb):
    dynamodb.put_item(TableName=TABLE, Item={**_key("old"), "n": {"N": "1"}})
    records = _stream_length()

    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": TABLE, "Item": {**_key("new"), "n": {"N": "7"}}}},
            {"Delete": {"TableName": TABLE, "Key": _key("old")}},
        ]
    )

    assert [item["pk"]["S"] for item in _everything(dynamodb)] == ["new"]
    assert _stream_length() == records + 2


def test_a_transaction_copies_only_the_items_it_touches(dynamodb, monkeypatch):
    from moto.dynamodb.models.table import Table

    for number in range(50):
        dynamodb.put_item(TableName=TABLE, Item=_key(f"stored-{number}"))
    copied_tables = []
    real_deepcopy = copy.deepcopy

    def counting_deepcopy(value, memo=None):
        if isinstance(value, Table):
            copied_tables.append(value.name)
        return real_deepcopy(value, memo)

    monkeypatch.setattr(copy, "deepcopy", counting_deepcopy)
    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": TABLE, "Item": _key(f"batch-{number}")}} for number in range(20)
        ]
    )

    assert copied_tables == []
    assert len(_everything(dynamodb)) == 70
