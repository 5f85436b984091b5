"""``make replay``: batches the stream trigger gave up on, from the on-failure queue (moto SQS)
back through dispatch; the execution ledger keeps every handler's effect to once per event."""

from __future__ import annotations

import json

import boto3

from chalicelib.core.counters import get_counter
from chalicelib.core.events import record_event
from chalicelib.engine import dispatch
from ops import replay
from ops.stage import use_stage
from tests.engine.conftest import add_handler, make_event

from .conftest import STAGE


def stream_records(stream_arn: str) -> tuple[str, list[dict]]:
    streams = boto3.client("dynamodbstreams")
    [shard] = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return shard["ShardId"], streams.get_records(ShardIterator=iterator)["Records"]


def on_failure_message(stream_arn: str, shard: str, first: dict, last: dict, size: int) -> str:
    """What Lambda puts in the on-failure destination for a stream batch it gave up on."""
    return json.dumps(
        {
            "requestContext": {
                "requestId": "c9b8fa9f-5a7f-4a2d-9d4e-0d8d7a1c2b3e",
                "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:handle",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": 6,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
            "version": "1.0",
            "timestamp": "2026-12-01T10:00:00.000Z",
            "DDBStreamBatchInfo": {
                "shardId": shard,
                "startSequenceNumber": first["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": last["dynamodb"]["SequenceNumber"],
                "approximateArrivalOfFirstRecord": "2026-12-01T09:59:00Z",
                "approximateArrivalOfLastRecord": "2026-12-01T09:59:01Z",
                "batchSize": size,
                "streamArn": stream_arn,
            },
        }
    )


def test_replay_runs_what_the_trigger_gave_up_on_once_and_keeps_what_fails(deployed, capsys):
    from local.stream_pump import lambda_record

    use_stage(STAGE)
    add_handler(1, "Counter", "increase_counter", ["Up"], options={"counter_name": "hits"})
    for _ in range(4):
        record_event(make_event("Up"))
    arn = deployed["EventsStreamArn"]
    shard, records = stream_records(arn)
    assert len(records) == 4
    # The trigger handled the first record, then gave up on a batch of the first three (the
    # first was partly redelivered: the ledger must not count it twice); the fourth went
    # through.
    dispatch.handle_stream_batch({"Records": [lambda_record(records[0], arn)]})
    dispatch.handle_stream_batch({"Records": [lambda_record(records[3], arn)]})
    assert get_counter("hits") == 2
    sqs = boto3.client("sqs")
    queue = deployed["StreamDeadLetterQueueUrl"]
    sqs.send_message(
        QueueUrl=queue, MessageBody=on_failure_message(arn, shard, records[0], records[2], 3)
    )
    # A batch whose records the stream no longer holds (trimmed after 24 hours).
    # (moto holds every record; a range past its last one reads as empty as a trimmed one.)
    past = int(records[-1]["dynamodb"]["SequenceNumber"]) + 1000
    trimmed = {"dynamodb": {"SequenceNumber": str(past)}}
    gone = on_failure_message(arn, shard, trimmed, trimmed, 1)
    sqs.send_message(QueueUrl=queue, MessageBody=gone)

    assert replay.main(["--stage", STAGE]) == 1
    out = capsys.readouterr().out
    assert "1 batches (3 records) replayed, 1 failed and left in the queue" in out
    assert "FAILED" in out and "no longer holds" in out
    assert get_counter("hits") == 4  # each of the four events counted once

    [left] = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    assert left["Body"] == gone

    # Replaying again repeats nothing and leaves the failed batch where it is.
    sqs.change_message_visibility(
        QueueUrl=queue, ReceiptHandle=left["ReceiptHandle"], VisibilityTimeout=0
    )
    report = replay.replay(STAGE)
    assert (len(report.replayed), len(report.failed)) == (0, 1)
    assert get_counter("hits") == 4


def test_an_empty_queue_replays_nothing(deployed, capsys):
    assert replay.main(["--stage", STAGE]) == 0
    assert "0 batches (0 records) replayed, 0 failed" in capsys.readouterr().out
