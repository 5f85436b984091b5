"""Ingest: events/s of one 1,000-event ``POST /v2/events`` against the same writes done directly.

Three runs on moto's in-process DynamoDB, each of ``BENCH_INGEST_EVENTS`` (default 1000) new
events with five traits:
- the app: ``POST /v2/events`` through ``chalice.test.Client`` (parse, validate, size check,
  catalog summaries once per type, conditional writes in transactions of 100);
- ``core.events.record_events`` alone (the store's part of that request);
- boto3 directly: the same items (each event conditional on a new message id, with its
  trait-index entries), in ``TransactWriteItems`` of up to 100 actions (the floor for "never
  overwrite" writes), and as one ``PutItem`` each (the old way).
Printed: events/s and the ratio of each to the direct boto3 transactions (target <= 1.5 for
``record_events``), plus the DynamoDB requests each made. moto's transactions roll back by
item here as in ``make run`` (local/moto_transactions.py); unpatched, moto copies the table
once per item of a transaction and this bench took ~20 minutes.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from typing import Any

from bench.support import DynamoDBCounter, bench_environment, silence_logs

ENV_EVENTS = "BENCH_INGEST_EVENTS"


def _wire(prefix: str, count: int) -> list[dict[str, Any]]:
    return [
        {
            "message_id": f"{prefix}-{index:06d}",
            "event_type": f"bench.type{index % 3}",
            "generated": "2024-01-01T00:00:00",
            "traits": [
                {"name": "host", "type": "string", "value": f"host-{index % 50}"},
                {"name": "size", "type": "integer", "value": index},
                {"name": "load", "type": "float", "value": index / 7},
                {"name": "zone", "type": "string", "value": "zone-a"},
                {"name": "seen", "type": "datetime", "value": "2024-01-01T00:00:01"},
            ],
            "raw": {"index": index},
        }
        for index in range(count)
    ]


def _events(prefix: str, count: int):
    from chalicelib.dialects.panko.ingest import Owner, events_from_wire

    owner = Owner(username="bench", project_id=None, user_id="bench", admin=True)
    return events_from_wire(_wire(prefix, count), owner)


def _direct(client: Any, table: str, prefix: str, count: int, grouped: bool) -> tuple[float, int]:
    """The store's writes done by hand: each event conditional on its id, with its trait-index
    entries (one per declared trait it carries) in the same transaction, never split; the
    seconds it took and the requests it sent."""
    from chalicelib.core.event_items import to_item, trait_entries
    from chalicelib.store.event_traits import EventTraitModel

    traits_table = EventTraitModel.Meta.table_name
    writes = []
    for event in _events(prefix, count):
        item = to_item(event)
        writes.append((item.serialize(), [entry.serialize() for entry in trait_entries(item)]))
    requests = 0
    started = time.perf_counter()
    if grouped:
        group: list[dict[str, Any]] = []
        for event_item, entries in writes:
            if len(group) + 1 + len(entries) > 100:
                client.transact_write_items(TransactItems=group)
                requests += 1
                group = []
            group.append(
                {
                    "Put": {
                        "TableName": table,
                        "Item": event_item,
                        "ConditionExpression": "attribute_not_exists(message_id)",
                    }
                }
            )
            group.extend({"Put": {"TableName": traits_table, "Item": e}} for e in entries)
        if group:
            client.transact_write_items(TransactItems=group)
            requests += 1
    else:
        for event_item, entries in writes:
            client.put_item(
                TableName=table,
                Item=event_item,
                ConditionExpression="attribute_not_exists(message_id)",
            )
            for entry in entries:
                client.put_item(TableName=traits_table, Item=entry)
            requests += 1 + len(entries)
    return time.perf_counter() - started, requests


@contextlib.contextmanager
def _fresh_store() -> Iterator[None]:
    """A new moto account with empty tables: every run starts from the same empty table."""
    from moto import mock_aws

    from local import moto_transactions

    moto_transactions.install()
    with mock_aws():
        from chalicelib.core import catalog
        from chalicelib.settings import get_settings
        from chalicelib.store.tables import bind_all, create_all_tables

        bind_all(get_settings())
        create_all_tables(wait=False)
        catalog.forget_cache()
        yield


def main() -> None:
    count = int(os.environ.get(ENV_EVENTS, "1000"))
    runs: dict[str, tuple[float, int]] = {}
    with bench_environment("bench-ingest-"):
        import boto3
        from chalice.test import Client

        from app import app
        from chalicelib import observability
        from chalicelib.auth.principal import Principal
        from chalicelib.auth.principals import create_principal
        from chalicelib.auth.tokens import issue_token
        from chalicelib.core import events
        from chalicelib.store.catalog import CatalogModel
        from chalicelib.store.events import EventModel

        silence_logs(observability.logger.name)
        for name, grouped in (
            ("boto3 TransactWriteItems x100", True),
            ("boto3 PutItem each", False),
        ):
            with _fresh_store():
                client = boto3.client("dynamodb", region_name="us-east-1")
                runs[name] = _direct(client, EventModel.Meta.table_name, "d", count, grouped)

        with _fresh_store():
            counter = DynamoDBCounter().install(EventModel, CatalogModel)
            batch = _events("core", count)
            counter.reset()
            started = time.perf_counter()
            events.record_events(batch)
            runs["record_events"] = (time.perf_counter() - started, counter.requests)

        with _fresh_store():
            counter = DynamoDBCounter().install(EventModel, CatalogModel)
            # A token names a stored principal (its credential version is checked).
            admin = create_principal(
                Principal("bench", roles=("admin",), user_id="bench"), "bench-password-1"
            )
            headers = {"X-Auth-Token": issue_token(admin), "Content-Type": "application/json"}
            body = json.dumps(_wire("api", count))
            with Client(app) as http:
                counter.reset()
                started = time.perf_counter()
                answer = http.http.post("/v2/events", headers=headers, body=body)
                runs["POST /v2/events"] = (time.perf_counter() - started, counter.requests)
                assert answer.status_code == 201, answer.body[:300]

    direct = runs["boto3 TransactWriteItems x100"][0]
    print(f"   {count} events in one request, against moto in-process (a fresh table per run)")
    for name, (seconds, requests) in runs.items():
        print(
            f"   {name:<32}{count / seconds:9.0f} events/s   x{seconds / direct:5.2f} of the"
            f" direct transactions   {requests} DynamoDB requests"
        )
    ratio = runs["record_events"][0] / direct
    print(f"   record_events / direct boto3 transactions: {ratio:.2f} (target <= 1.5)")
    grouped_requests = runs["boto3 TransactWriteItems x100"][1]
    single_requests = runs["boto3 PutItem each"][1]
    print(
        f"   (against DynamoDB the round trips dominate: {grouped_requests} requests instead of"
        f" {single_requests}; moto's transactions roll back by item, as in make run)"
    )


if __name__ == "__main__":
    main()
