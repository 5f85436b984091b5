"""moto's Query reading only its partition (local/moto_queries.py): answers identical to a
whole-table reading through every kind of write, and the index maps built once, then kept up
to date by the writes (a rolled-back transaction rebuilds them)."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from local import moto_queries, moto_transactions

TABLE = "queries-test"
INDEX = "by_g"


@pytest.fixture
def dynamodb():
    moto_transactions.install()
    moto_queries.install()
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "g", "r")
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": INDEX,
                    "KeySchema": [
                        {"AttributeName": "g", "KeyType": "HASH"},
                        {"AttributeName": "r", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        )
        yield client


def _item(pk: str, sk: str, g: str | None, r: str) -> dict:
    item = {"pk": {"S": pk}, "sk": {"S": sk}, "r": {"S": r}}
    if g is not None:
        item["g"] = {"S": g}
    return item


def _by_index(
    client, g: str, limit: int = 3, forward: bool = True, low: str = "0", high: str | None = None
) -> list[tuple[str, str]]:
    """Every item of partition ``g`` of the index in ``[low, high]``, page by page (Limit
    forces several)."""
    found, start = [], None
    condition = "g = :g AND r >= :low" if high is None else "g = :g AND r BETWEEN :low AND :high"
    values = {":g": {"S": g}, ":low": {"S": low}}
    if high is not None:
        values[":high"] = {"S": high}
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = client.query(
            TableName=TABLE,
            IndexName=INDEX,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=values,
            Limit=limit,
            ScanIndexForward=forward,
            **extra,
        )
        found += [(item["pk"]["S"], item["sk"]["S"]) for item in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            return found


def _expected(
    client, g: str, forward: bool = True, low: str = "0", high: str | None = None
) -> list[tuple[str, str]]:
    """The same answer from a Scan (moto's whole-table reading, untouched)."""
    items = [
        i
        for i in client.scan(TableName=TABLE)["Items"]
        if i.get("g", {}).get("S") == g and low <= i["r"]["S"] <= (high or "~")
    ]
    items.sort(key=lambda i: (i["r"]["S"], i["pk"]["S"], i["sk"]["S"]), reverse=not forward)
    return [(item["pk"]["S"], item["sk"]["S"]) for item in items]


def _agree(client) -> None:
    for g in ("a", "b", "c"):
        for forward in (True, False):
            for low, high in (("0", None), ("03", "08"), ("5", "6")):
                for limit in (1, 3, 50):
                    assert _by_index(client, g, limit, forward, low, high) == _expected(
                        client, g, forward, low, high
                    ), (g, forward, low, high, limit)


def test_index_queries_answer_as_a_whole_table_reading_through_every_kind_of_write(dynamodb):
    for number in range(12):
        dynamodb.put_item(
            TableName=TABLE,
            Item=_item(f"p{number % 4}", f"s{number}", "ab"[number % 2], f"{number:02d}"),
        )
    _agree(dynamodb)  # the maps are built here
    # Put over an item with another index value; an update moving an item to another value;
    # an update removing it from the index; a delete; a batch write.
    dynamodb.put_item(TableName=TABLE, Item=_item("p0", "s0", "b", "50"))
    dynamodb.update_item(
        TableName=TABLE,
        Key={"pk": {"S": "p1"}, "sk": {"S": "s1"}},
        UpdateExpression="SET g = :g",
        ExpressionAttributeValues={":g": {"S": "c"}},
    )
    dynamodb.update_item(
        TableName=TABLE, Key={"pk": {"S": "p2"}, "sk": {"S": "s2"}}, UpdateExpression="REMOVE g"
    )
    dynamodb.delete_item(TableName=TABLE, Key={"pk": {"S": "p3"}, "sk": {"S": "s3"}})
    dynamodb.batch_write_item(
        RequestItems={
            TABLE: [
                {"PutRequest": {"Item": _item("p9", f"s{n}", "c", f"{60 + n}")}} for n in range(5)
            ]
        }
    )
    _agree(dynamodb)
    # A cancelled transaction: its update of g and its put are rolled back.
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": {"pk": {"S": "p0"}, "sk": {"S": "s4"}},
                        "UpdateExpression": "SET g = :g",
                        "ExpressionAttributeValues": {":g": {"S": "c"}},
                    }
                },
                {"Put": {"TableName": TABLE, "Item": _item("p8", "s8", "a", "70")}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": {"pk": {"S": "absent"}, "sk": {"S": "x"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    _agree(dynamodb)
    assert ("p0", "s4") in _expected(dynamodb, "a")


def test_a_table_query_reads_its_partition_with_pages(dynamodb):
    for number in range(10):
        dynamodb.put_item(TableName=TABLE, Item=_item(f"p{number % 2}", f"s{number}", "a", "1"))
    found, start = [], None
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = dynamodb.query(
            TableName=TABLE,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "p1"}},
            Limit=2,
            ScanIndexForward=False,
            **extra,
        )
        found += [item["sk"]["S"] for item in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert found == ["s9", "s7", "s5", "s3", "s1"]
    answer = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "nobody"}},
    )
    assert answer["Items"] == [] and answer["ScannedCount"] == 0


def test_the_index_maps_are_built_once_and_kept_by_the_writes(dynamodb, monkeypatch):
    built = []
    every_item = moto_queries._every_item
    monkeypatch.setattr(
        moto_queries, "_every_item", lambda table: built.append(table.name) or every_item(table)
    )
    for number in range(6):
        dynamodb.put_item(TableName=TABLE, Item=_item("p", f"s{number}", "a", f"{number}"))
    assert len(_by_index(dynamodb, "a")) == 6
    dynamodb.put_item(TableName=TABLE, Item=_item("q", "s", "a", "9"))
    dynamodb.update_item(
        TableName=TABLE,
        Key={"pk": {"S": "p"}, "sk": {"S": "s0"}},
        UpdateExpression="SET g = :g",
        ExpressionAttributeValues={":g": {"S": "b"}},
    )
    assert len(_by_index(dynamodb, "a")) == 6 and _by_index(dynamodb, "b") == [("p", "s0")]
    assert built == [TABLE]  # one pass over the table, for the first query of "g"
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": _item("r", "s", "a", "1")}},
                {"Put": {"TableName": TABLE, "Item": _item("p", "s1", "a", "1")}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": {"pk": {"S": "absent"}, "sk": {"S": "x"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    _agree(dynamodb)
    assert built == [TABLE, TABLE]  # rolled back behind put_item's back: built again
