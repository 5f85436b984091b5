"""GetRecords and DynamoDB's item results answered as plain JSON (local/moto_json.py): what a
client parses is what moto's serializer gave, binaries (top level and nested), numbers, sets
and the creation time; errors stay moto's."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import boto3
import pytest
from moto import mock_aws

from local import moto_json

TABLE = "streams-test"


@pytest.fixture
def clients(monkeypatch):
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    moto_json.install()
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        yield dynamodb, boto3.client("dynamodbstreams", region_name="us-east-1")


ITEM = {
    "k": {"S": "a"},
    "b": {"B": b"\x00\xff"},
    "m": {"M": {"x": {"B": b"\x01"}, "l": {"L": [{"N": "1.5"}, {"BS": [b"z"]}]}}},
    "n": {"NULL": True},
    "t": {"BOOL": False},
    "s": {"SS": ["q"]},
}


def test_get_records_hands_over_every_type_as_the_serializer_did(clients):
    dynamodb, streams = clients
    before = time.time()
    dynamodb.put_item(TableName=TABLE, Item=ITEM)
    dynamodb.put_item(TableName=TABLE, Item={"k": {"S": "a"}, "v": {"N": "2"}})
    arn = dynamodb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]

    page = streams.get_records(ShardIterator=iterator, Limit=1)
    (insert,) = page["Records"]
    (modify,) = streams.get_records(ShardIterator=page["NextShardIterator"])["Records"]

    assert insert["eventName"] == "INSERT" and modify["eventName"] == "MODIFY"
    assert insert["dynamodb"]["NewImage"] == ITEM
    assert modify["dynamodb"]["OldImage"] == ITEM
    assert modify["dynamodb"]["NewImage"] == {"k": {"S": "a"}, "v": {"N": "2"}}
    assert modify["dynamodb"]["Keys"] == {"k": {"S": "a"}}
    created = insert["dynamodb"]["ApproximateCreationDateTime"]
    assert before - 1 <= created.timestamp() <= time.time() + 1
    assert (
        int(modify["dynamodb"]["SequenceNumber"]) == int(insert["dynamodb"]["SequenceNumber"]) + 1
    )


def test_the_creation_time_is_utc_epoch_seconds():
    naive = datetime(2026, 1, 2, 3, 4, 5, 678900)
    body = moto_json.records_json({"Records": [{"t": naive}], "NextShardIterator": "x"})
    expected = round(naive.replace(tzinfo=UTC).timestamp(), 3)
    assert body == f'{{"Records":[{{"t":{expected}}}],"NextShardIterator":"x"}}'


def test_item_results_hand_over_every_type_as_the_serializer_did(clients):
    dynamodb, _ = clients
    dynamodb.put_item(TableName=TABLE, Item=ITEM)
    key = {"k": {"S": "a"}}

    assert dynamodb.get_item(TableName=TABLE, Key=key)["Item"] == ITEM
    assert dynamodb.scan(TableName=TABLE)["Items"] == [ITEM]
    page = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="k = :k",
        ExpressionAttributeValues={":k": {"S": "a"}},
        Limit=1,
    )
    assert page["Items"] == [ITEM] and page["Count"] == 1 and page["ScannedCount"] == 1
    batch = dynamodb.batch_get_item(RequestItems={TABLE: {"Keys": [key]}})
    assert batch["Responses"][TABLE] == [ITEM] and batch["UnprocessedKeys"] == {}
    (got,) = dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": TABLE, "Key": key}}])[
        "Responses"
    ]
    assert got["Item"] == ITEM
    updated = dynamodb.update_item(
        TableName=TABLE,
        Key=key,
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": {"B": b"\x02"}},
        ReturnValues="ALL_NEW",
    )
    assert updated["Attributes"] == {**ITEM, "v": {"B": b"\x02"}}
    old = dynamodb.delete_item(TableName=TABLE, Key=key, ReturnValues="ALL_OLD")
    assert old["Attributes"] == {**ITEM, "v": {"B": b"\x02"}}


def test_errors_are_still_moto_s_own(clients):
    dynamodb, _ = clients
    dynamodb.put_item(TableName=TABLE, Item=ITEM)
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.put_item(TableName=TABLE, Item=ITEM, ConditionExpression="attribute_not_exists(k)")
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException) as raised:
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": TABLE,
                        "Item": ITEM,
                        "ConditionExpression": "attribute_not_exists(k)",
                    }
                }
            ]
        )
    reasons = raised.value.response["CancellationReasons"]
    assert [reason["Code"] for reason in reasons] == ["ConditionalCheckFailed"]
