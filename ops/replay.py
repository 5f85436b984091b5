"""``make replay STAGE=dev``: stream batches from the on-failure queue, back through dispatch.

When the events stream's trigger gives up on a batch (retries or the maximum record age used
up), Lambda puts a message in the stack's on-failure queue. The message names the batch (the
stream, its shard and the first and last sequence numbers), not its records: replay reads those
records from the stream again and hands them, as Lambda would, to the very function Lambda runs
(``dispatch.handle_stream_batch``), here in the operator's process with the stage's settings.
Handlers run at most once per event however often a record is delivered: the execution ledger
skips what already ran, so replaying a batch that partly succeeded repeats nothing.

A batch whose records all went through is deleted from the queue; one that fails again stays
(it becomes visible again at once) and is reported with the reason. The stream keeps records
24 hours: a batch older than that cannot be read back and is reported as failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import Any

from ops.stage import OpsError, require, use_stage

VISIBILITY_SECONDS = 900  # a batch in hand is hidden from another replay meanwhile


@dataclass
class ReplayReport:
    replayed: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(batch["records"] for batch in self.replayed)


class BatchGone(Exception):
    """The stream no longer holds the batch's records (or never did)."""


def batch_info(body: str) -> dict[str, Any]:
    """The ``DDBStreamBatchInfo`` of an on-failure message (Lambda's invocation record)."""
    try:
        return json.loads(body)["DDBStreamBatchInfo"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BatchGone("not a DynamoDB stream batch record") from exc


def read_batch(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The batch's records read back from the stream, shaped as Lambda delivers them."""
    import boto3
    from botocore.exceptions import ClientError

    from local.stream_pump import lambda_record

    streams = boto3.client("dynamodbstreams")
    arn, last = info["streamArn"], int(info["endSequenceNumber"])
    try:
        iterator = streams.get_shard_iterator(
            StreamArn=arn,
            ShardId=info["shardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=info["startSequenceNumber"],
        )["ShardIterator"]
        records: list[dict[str, Any]] = []
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            for record in page["Records"]:
                if int(record["dynamodb"]["SequenceNumber"]) > last:
                    return records
                records.append(lambda_record(record, arn))
            if not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
    except ClientError as exc:
        raise BatchGone(f"the stream no longer holds it ({exc.response['Error']['Code']})") from exc
    if not records:
        raise BatchGone("the stream no longer holds it (no records in its range)")
    return records


def replay(stage: str, *, max_batches: int | None = None) -> ReplayReport:
    """Replay every batch in the stage's on-failure queue (or the first ``max_batches``)."""
    import boto3

    from chalicelib.engine import dispatch
    from local.lambda_context import LocalLambdaContext

    outputs = use_stage(stage)
    queue = require(outputs, "StreamDeadLetterQueueUrl", stage)
    sqs = boto3.client("sqs")
    report = ReplayReport()
    seen: set[str] = set()
    again: list[str] = []
    while max_batches is None or len(seen) < max_batches:
        messages = sqs.receive_message(
            QueueUrl=queue,
            MaxNumberOfMessages=10,
            VisibilityTimeout=VISIBILITY_SECONDS,
            WaitTimeSeconds=0,
        ).get("Messages", [])
        fresh = [m for m in messages if m["MessageId"] not in seen]
        if not fresh:
            break
        for message in fresh:
            seen.add(message["MessageId"])
            summary: dict[str, Any] = {"message_id": message["MessageId"]}
            try:
                info = batch_info(message["Body"])
                summary.update(
                    shard=info["shardId"],
                    first=info["startSequenceNumber"],
                    last=info["endSequenceNumber"],
                )
                records = read_batch(info)
                context = LocalLambdaContext(function_name=f"event-service-{stage}-replay")
                result = dispatch.handle_stream_batch({"Records": records}, context)
                failures = [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
            except BatchGone as exc:
                summary["reason"] = str(exc)
                report.failed.append(summary)
            else:
                summary["records"] = len(records)
                if failures:
                    summary["reason"] = f"records failed again: {', '.join(failures)}"
                    report.failed.append(summary)
                else:
                    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
                    report.replayed.append(summary)
                    continue
            again.append(message["ReceiptHandle"])
    # Failed again: hidden while this run lasted (so it is tried once), visible now for a
    # later replay or a look.
    for handle in again:
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=handle, VisibilityTimeout=0)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--max-batches", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        report = replay(args.stage, max_batches=args.max_batches)
    except OpsError as exc:
        print(f"event-service: {exc}", file=sys.stderr)
        return 1
    for batch in report.replayed:
        print(f"replayed {batch['records']} records ({batch['first']}..{batch['last']})")
    for batch in report.failed:
        print(f"FAILED {batch['message_id']}: {batch['reason']}")
    print(
        f"event-service: {len(report.replayed)} batches ({report.records} records) replayed,"
        f" {len(report.failed)} failed and left in the queue"
    )
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
