"""The local stand-in for Lambda's DynamoDB stream trigger on the events table.

It reads the embedded table's stream (DescribeStream, GetShardIterator, GetRecords), hands each
batch, shaped as Lambda shapes it, to the very handler Lambda runs (``app.handle_event_stream``),
and follows the trigger's settings from the SAM template: partial batch responses retry from the
first failed record, a handler exception bisects the batch, and records still failing after the
retries are dead-lettered (here: one JSON line each in DATA_DIR).

It remembers which events it has handed over (``dispatched_ids``): snapshots store the rest as
pending, and after a restart ``replay`` delivers exactly those (built from the snapshot's
items, as the stream would have carried them) before polling resumes at LATEST.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from local.lambda_context import LocalLambdaContext
from local.persistence import attribute_to_json

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], Any]

# The trigger's settings; infra/build_template.py gives Lambda the same ones (a test compares).
BATCH_SIZE = 100
MAXIMUM_RETRY_ATTEMPTS = 5
BISECT_BATCH_ON_FUNCTION_ERROR = True
DEAD_LETTER_FILE = "stream-dead-letters.jsonl"
_DRAIN_POLLS = 20


@dataclass
class PumpStats:
    """What the pump has done; read by the supervisor and by tests."""

    batches: int = 0  # handler invocations
    records: int = 0  # records done with: handled, or dead-lettered
    retries: int = 0
    dead_lettered: int = 0
    checkpoint: str | None = None  # sequence number of the last record done with


def _sequence_number(record: dict[str, Any]) -> str:
    return record["dynamodb"]["SequenceNumber"]


def _message_id(record: dict[str, Any]) -> str | None:
    key = record.get("dynamodb", {}).get("Keys", {}).get("message_id", {})
    return key.get("S")


def replay_record(item: dict[str, Any], stream_arn: str, index: int, region: str) -> dict[str, Any]:
    """The INSERT record the stream carried for a stored events item (DynamoDB JSON)."""
    return {
        "eventID": f"replay-{index}",
        "eventName": "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": {
            "Keys": {"message_id": item["message_id"]},
            "NewImage": item,
            "SequenceNumber": f"replay-{index:012d}",
            "SizeBytes": len(json.dumps(item)),
            "StreamViewType": "NEW_IMAGE",
        },
        "eventSourceARN": stream_arn,
    }


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record as Lambda delivers it: epoch creation time, base64 binaries, ARN."""
    change = dict(record["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        moment = created if created.tzinfo else created.replace(tzinfo=UTC)
        change["ApproximateCreationDateTime"] = int(moment.timestamp())
    for image in ("Keys", "NewImage", "OldImage"):
        if image in change:
            change[image] = {name: attribute_to_json(v) for name, v in change[image].items()}
    return {**record, "dynamodb": change, "eventSourceARN": stream_arn}


def read_stream_records(table_name: str, client_factory: Callable[[str], Any] | None = None):
    """Every record on ``table_name``'s stream, from the start, as Lambda delivers them.

    For tests, fixtures and benchmarks that want the real stream's records without a pump.
    ``client_factory(service)`` makes the boto3 clients (default: ``boto3.client``).
    """
    if client_factory is None:
        import boto3

        client_factory = boto3.client
    arn = client_factory("dynamodb").describe_table(TableName=table_name)["Table"][
        "LatestStreamArn"
    ]
    streams = client_factory("dynamodbstreams")
    records: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            if not page["Records"]:
                break
            records.extend(lambda_record(record, arn) for record in page["Records"])
            iterator = page.get("NextShardIterator")
    return records


class StreamPump:
    """Polls the stream of ``table_name`` and invokes ``handler(event, context)`` per batch.

    ``start_at`` is where reading begins: ``LATEST`` (the default) after a restore, so restored
    events never re-run their handlers; ``TRIM_HORIZON`` to read everything the stream holds.
    """

    def __init__(
        self,
        handler: Handler,
        *,
        table_name: str,
        data_dir: Path,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        start_at: str = "LATEST",
        batch_size: int = BATCH_SIZE,
        max_retries: int = MAXIMUM_RETRY_ATTEMPTS,
        retry_delay_seconds: float = 0.5,
        poll_seconds: float = 0.5,
        function_name: str = "event-service-local-handle_event_stream",
        session: Any = None,
    ) -> None:
        self.handler = handler
        self.table_name = table_name
        self.data_dir = Path(data_dir)
        self.region = region
        self.start_at = start_at
        self.batch_size = batch_size
        self.max_retries = max_retries
        self.retry_delay_seconds = retry_delay_seconds
        self.poll_seconds = poll_seconds
        self.function_name = function_name
        self.stats = PumpStats()
        self.stream_arn: str | None = None
        self._endpoint_url = endpoint_url
        self._session = session
        self._dynamodb: Any = None
        self._streams: Any = None
        self._iterators: dict[str, str] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_poll_error: str | None = None
        self._dispatched: set[str] = set()
        self._dispatched_lock = threading.Lock()
        self._replay: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ what was dispatched

    def note_dispatched(self, message_ids: Any) -> None:
        """Count ``message_ids`` as handed over (restored events that need no replay)."""
        with self._dispatched_lock:
            self._dispatched.update(message_ids)

    def dispatched_ids(self) -> frozenset[str]:
        """Every event this pump has handed over (or was told needs no replay)."""
        with self._dispatched_lock:
            return frozenset(self._dispatched)

    def replay(self, items: list[dict[str, Any]]) -> StreamPump:
        """Deliver these events items (DynamoDB JSON) first, when the pump starts."""
        self._replay = list(items)
        return self

    def _delivered(self, records: list[dict[str, Any]]) -> None:
        self.note_dispatched(mid for mid in map(_message_id, records) if mid is not None)

    # ------------------------------------------------------------------ reading

    def _clients(self) -> tuple[Any, Any]:
        if self._streams is None:
            if self._session is None:
                import boto3

                self._session = boto3.session.Session(region_name=self.region)
            self._dynamodb = self._session.client("dynamodb", endpoint_url=self._endpoint_url)
            self._streams = self._session.client("dynamodbstreams", endpoint_url=self._endpoint_url)
        return self._dynamodb, self._streams

    def open(self) -> StreamPump:
        """Find the events table's stream and take an iterator on each of its shards."""
        dynamodb, streams = self._clients()
        table = dynamodb.describe_table(TableName=self.table_name)["Table"]
        self.stream_arn = table.get("LatestStreamArn")
        if not self.stream_arn:
            raise RuntimeError(f"table {self.table_name} has no stream")
        shards = streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]
        for shard in shards:
            if "EndingSequenceNumber" in shard.get("SequenceNumberRange", {}):
                continue  # a closed shard: nothing new will ever arrive there
            self._iterators[shard["ShardId"]] = streams.get_shard_iterator(
                StreamArn=self.stream_arn, ShardId=shard["ShardId"], ShardIteratorType=self.start_at
            )["ShardIterator"]
        return self

    def poll_once(self) -> int:
        """One GetRecords per shard, each batch delivered; returns how many records came."""
        if self.stream_arn is None:
            self.open()
        _, streams = self._clients()
        seen = 0
        for shard_id, iterator in list(self._iterators.items()):
            page = streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
            records = [lambda_record(r, self.stream_arn or "") for r in page.get("Records", [])]
            if records:
                self._deliver(records)
                self._delivered(records)
                self.stats.checkpoint = _sequence_number(records[-1])
                seen += len(records)
            if page.get("NextShardIterator"):
                self._iterators[shard_id] = page["NextShardIterator"]
            else:
                del self._iterators[shard_id]  # the shard was closed
        return seen

    # ------------------------------------------------------------------ delivering

    def _invoke(self, records: list[dict[str, Any]]) -> list[str]:
        """Run the handler on ``records``; the sequence numbers it reports as failed."""
        context = LocalLambdaContext(self.function_name, region=self.region)
        self.stats.batches += 1
        response = self.handler({"Records": records}, context) or {}
        failures = response.get("batchItemFailures") or []
        known = {_sequence_number(r) for r in records}
        failed = [f.get("itemIdentifier") for f in failures]
        if any(identifier not in known for identifier in failed):
            # Lambda treats an unknown identifier as the whole batch failing.
            return sorted(known)
        return failed

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        pending = records
        attempt = 0
        while True:
            attempt += 1
            error = None
            try:
                failed = set(self._invoke(pending))
            except Exception as exc:
                log.exception("stream handler raised on %d records", len(pending))
                if BISECT_BATCH_ON_FUNCTION_ERROR and len(pending) > 1:
                    half = len(pending) // 2
                    self._deliver(pending[:half])
                    self._deliver(pending[half:])
                    return
                failed = {_sequence_number(r) for r in pending}
                error = f"{type(exc).__name__}: {exc}"
            if not failed:
                self.stats.records += len(pending)
                return
            first = min(i for i, r in enumerate(pending) if _sequence_number(r) in failed)
            self.stats.records += first
            pending = pending[first:]
            if attempt > self.max_retries:
                self._dead_letter(pending, failed, attempt, error)
                return
            self.stats.retries += 1
            # Interrupted by stop(): the remaining attempts then run back to back.
            self._stopping.wait(self.retry_delay_seconds * attempt)

    def _dead_letter(
        self, pending: list[dict[str, Any]], failed: set[str], attempts: int, error: str | None
    ) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC).isoformat()
        written = 0
        with (self.data_dir / DEAD_LETTER_FILE).open("a", encoding="utf-8") as out:
            for record in pending:
                sequence_number = _sequence_number(record)
                if sequence_number not in failed:
                    self.stats.records += 1  # handled on the last attempt
                    continue
                line = {
                    "dead_lettered_at": now,
                    "function": self.function_name,
                    "stream_arn": self.stream_arn,
                    "sequence_number": sequence_number,
                    "attempts": attempts,
                    "error": error or "reported failed by the handler (batchItemFailures)",
                    "record": record,
                }
                out.write(json.dumps(line, default=str) + "\n")
                written += 1
                self.stats.records += 1
                self.stats.dead_lettered += 1
        log.error(
            "%d stream records dead-lettered to %s after %d attempts",
            written,
            self.data_dir / DEAD_LETTER_FILE,
            attempts,
        )

    # ------------------------------------------------------------------ running

    def start(self) -> StreamPump:
        if self.stream_arn is None:
            self.open()
        self._thread = threading.Thread(target=self._loop, name="stream-pump", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 60.0) -> None:
        """Stop polling after delivering what the stream already holds (bounded)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _poll_logged(self) -> int:
        try:
            seen = self.poll_once()
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}"
            if message != self._last_poll_error:  # once per distinct error, not per poll
                log.warning("stream pump cannot read the stream: %s", message)
            self._last_poll_error = message
            return 0
        self._last_poll_error = None
        return seen

    def _replay_pending(self) -> None:
        records = [
            replay_record(item, self.stream_arn or "", index, self.region)
            for index, item in enumerate(self._replay)
        ]
        self._replay = []
        for start in range(0, len(records), self.batch_size):
            batch = records[start : start + self.batch_size]
            self._deliver(batch)
            self._delivered(batch)
        if records:
            log.info(
                "replayed %d events recorded but not dispatched before a restart", len(records)
            )

    def _loop(self) -> None:
        try:
            self._replay_pending()
        except Exception:
            log.exception("replaying undispatched events failed")
        while not self._stopping.is_set():
            if self._poll_logged() == 0:
                self._stopping.wait(self.poll_seconds)
        for _ in range(_DRAIN_POLLS):
            if self._poll_logged() == 0:
                break
