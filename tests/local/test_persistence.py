"""Snapshots keep users and events across a restart, and restoring never re-runs handlers."""

from __future__ import annotations

import stat
from datetime import datetime

import boto3
import pytest

from chalicelib.auth.principal import Principal
from chalicelib.auth.principals import create_principal, get_principal, verify_credentials
from chalicelib.core.events import get_event, record_event
from chalicelib.core.model import build_event, make_trait
from chalicelib.store.events import EventModel
from chalicelib.store.tables import ALL_MODELS, create_all_tables, tables_reachable
from local.persistence import (
    SnapshotError,
    attribute_from_json,
    attribute_to_json,
    read_snapshot,
    restore_snapshot,
    snapshot_path,
    take_snapshot,
)
from local.stream_pump import StreamPump
from tests.local.support import forget_process_caches, reset_embedded


def table_names() -> dict[str, str]:
    return {short: model.Meta.table_name for model, short in ALL_MODELS}


def test_users_and_events_survive_a_stop_and_start(store, tmp_path):
    client = boto3.client("dynamodb", endpoint_url=store)
    create_principal(Principal("keeper", roles=("user",), user_id="keeper"), "keeper-pass-1")
    kept = build_event(
        event_type="kept.event",
        message_id="kept-1",
        generated=datetime(2024, 5, 6, 7, 8, 9, 123456),
        traits=[
            make_trait("count", "integer", 3),
            make_trait("ratio", "float", 0.25),
            make_trait("when", "datetime", datetime(2024, 1, 2, 3, 4, 5)),
        ],
        project_id="p1",
    )
    assert record_event(kept)

    counts = take_snapshot(client, table_names(), tmp_path)
    assert counts["principals"] == 1 and counts["events"] == 1
    # Password hashes and secret options: readable by the owner only.
    assert stat.S_IMODE(snapshot_path(tmp_path).stat().st_mode) == 0o600

    reset_embedded(store)  # the process stops: the embedded tables are gone
    forget_process_caches()
    assert not tables_reachable()
    create_all_tables(wait=False)  # the process starts again
    restored = restore_snapshot(client, table_names(), tmp_path)

    assert restored == counts
    assert get_principal("keeper").user_id == "keeper"
    assert verify_credentials("keeper", "keeper-pass-1") is not None
    assert get_event("kept-1") == kept


def test_restored_events_do_not_reach_the_handlers_again(store, tmp_path):
    client = boto3.client("dynamodb", endpoint_url=store)
    assert record_event(build_event(event_type="kept.event", message_id="kept-2"))
    take_snapshot(client, table_names(), tmp_path)
    reset_embedded(store)
    forget_process_caches()
    create_all_tables(wait=False)
    restore_snapshot(client, table_names(), tmp_path)

    def handler(event, context):
        delivered.extend(event["Records"])
        return {"batchItemFailures": []}

    def pump(start_at: str) -> StreamPump:
        return StreamPump(
            handler,
            table_name=EventModel.Meta.table_name,
            data_dir=tmp_path,
            endpoint_url=store,
            start_at=start_at,
        ).open()

    delivered: list[dict] = []
    assert pump("LATEST").poll_once() == 0  # what the runtime does after a restore
    # ...while the restore's writes are on the stream, as the earliest reader sees.
    assert pump("TRIM_HORIZON").poll_once() == 1
    assert delivered[0]["dynamodb"]["NewImage"]["message_id"] == {"S": "kept-2"}


def test_binary_values_round_trip_through_json():
    value = {"M": {"blob": {"B": b"\x00\xff"}, "set": {"BS": [b"a"]}, "list": {"L": [{"N": "1"}]}}}
    assert attribute_from_json(attribute_to_json(value)) == value


def test_no_snapshot_means_nothing_to_restore_and_a_broken_one_is_an_error(tmp_path):
    assert read_snapshot(tmp_path) is None
    (tmp_path / "snapshot.json").write_text('{"format": "something else"}')
    with pytest.raises(SnapshotError):
        read_snapshot(tmp_path)


def test_a_snapshot_read_from_memory_holds_what_a_scan_would(store, tmp_path):
    """``make run`` snapshots from moto's memory (a Scan of 5,000 events took 20 s)."""
    import json

    from local.embedded_dynamodb import EmbeddedDynamoDB

    client = boto3.client("dynamodb", endpoint_url=store)
    create_principal(Principal("keeper", roles=("user",), user_id="keeper"), "keeper-pass-1")
    for number in range(30):
        record_event(build_event(event_type="kept", message_id=f"m-{number}", project_id="p1"))
    events = EventModel.Meta.table_name
    client.put_item(
        TableName=events,
        Item={
            "message_id": {"S": "binary"},
            "blob": {"B": b"\x00\xffraw"},
            "nested": {"M": {"inner": {"B": b"\x01\x02"}, "list": {"L": [{"BS": [b"\x03"]}]}}},
        },
    )
    scanned_dir, memory_dir = tmp_path / "scan", tmp_path / "memory"

    take_snapshot(client, table_names(), scanned_dir)
    counts = take_snapshot(
        client, table_names(), memory_dir, read_table=EmbeddedDynamoDB().table_items
    )

    def tables(directory):
        data = json.loads(snapshot_path(directory).read_text())["tables"]
        return {short: sorted(items, key=json.dumps) for short, items in data.items()}

    assert counts["events"] == 31 and counts["principals"] == 1
    assert tables(memory_dir) == tables(scanned_dir)


def test_a_snapshot_in_a_child_process_is_written_by_the_child_from_its_copy(store, tmp_path):
    """``make run`` forks for its snapshots: the supervisor's interpreter keeps answering."""
    import os
    import threading

    from local.persistence import in_child_process

    client = boto3.client("dynamodb", endpoint_url=store)
    record_event(build_event(event_type="forked", message_id="forked-1", traits=[]))
    writers: list[int] = []
    lock = threading.RLock()

    def write() -> None:
        writers.append(os.getpid())  # in the child's memory only
        take_snapshot(client, table_names(), tmp_path)
        (tmp_path / "writer").write_text(str(os.getpid()))

    in_child_process(write, lock)

    assert writers == []  # the parent never ran it
    assert int((tmp_path / "writer").read_text()) != os.getpid()
    events = read_snapshot(tmp_path)["events"]
    assert [item["message_id"]["S"] for item in events] == ["forked-1"]
    assert lock.acquire(blocking=False)  # released after the fork
    lock.release()


def test_a_failed_snapshot_in_a_child_process_is_an_error_here(tmp_path):
    import threading

    from local.persistence import in_child_process

    def fail() -> None:
        raise RuntimeError("disk full")

    with pytest.raises(SnapshotError, match="status 1"):
        in_child_process(fail, threading.Lock())
