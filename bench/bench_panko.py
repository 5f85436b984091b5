"""Panko ``GET /v2/events``: DynamoDB requests per page and items read per item returned.

Runs the real app through ``chalice.test.Client`` against moto's in-process DynamoDB with
``BENCH_PANKO_EVENTS`` events (default 3000; six event types, one per second). Requests and
items read are counted on the events table's botocore client (``before-send`` counts a
request, ``after-call`` adds a Query's ``ScannedCount`` or a GetItem's item): these carry over
to real DynamoDB, moto's latencies do not. Targets: at most 1.5 items read per item returned
for the event type, time range and message id filters; a page reads every write shard of its
index (one Query per shard, plus small top-ups; a next page adds one GetItem: the marker's own
time). A trait-only filter
is a filter expression on the time index: its reads grow with the events it has to pass over,
about (1 / selectivity) per item returned, and its requests with their count (pages grow with
the observed pass rate, up to 1000 items). A non-admin's listing reads the owner index
``by_owner`` ((project, user) -> time): only what they may see (target: at most 1.5 items read
per item returned; a non-admin who sees nothing costs one empty Query, not a scan of the time
index). Every listing stops at ``EVENT_SERVICE_READ_BUDGET`` items read once it found some.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from bench.support import DynamoDBCounter, bench_environment, print_legend, silence_logs

ENV_EVENTS = "BENCH_PANKO_EVENTS"
EVENT_TYPES = (
    "compute.instance.create",
    "compute.instance.delete",
    "image.upload",
    "network.create",
    "volume.attach",
    "identity.login",
)
T0 = datetime(2024, 1, 1)
PROJECT = "p-bench"


def _record_events(count: int) -> None:
    from chalicelib.core.events import record_event
    from chalicelib.core.model import build_event, make_trait

    batch = []
    for index in range(count):
        batch.append(
            build_event(
                event_type=EVENT_TYPES[index % len(EVENT_TYPES)],
                message_id=f"ev-{index:06d}",
                generated=T0 + timedelta(seconds=index),
                traits=[
                    make_trait("host", "string", f"host-{index % 100:03d}"),
                    make_trait("parity", "string", "even" if index % 2 == 0 else "odd"),
                    make_trait("size", "integer", index % 1000),
                ],
                raw={"index": index},
                project_id=PROJECT,
                user_id=f"user-{index % 10}",
            )
        )
    # One conditional PutItem each: moto applies a TransactWriteItems by copying the whole
    # table, which at thousands of items costs minutes; this bench is about reads.
    for event in batch:
        record_event(event)


def _query(*filters: tuple[str, str, str, str], **extra: Any) -> str:
    pairs: list[tuple[str, Any]] = []
    for field, op, kind, value in filters:
        pairs += [("q.field", field), ("q.op", op), ("q.type", kind), ("q.value", value)]
    pairs += list(extra.items())
    return urlencode(pairs)


def _scenarios(count: int) -> list[tuple[str, str, int]]:
    """(name, query string, pages to read)."""
    middle = T0 + timedelta(seconds=count // 3)
    end = middle + timedelta(seconds=min(1000, count // 3))
    return [
        ("event_type", _query(("event_type", "eq", "string", EVENT_TYPES[1])), 3),
        (
            "time range",
            _query(
                ("start_timestamp", "ge", "datetime", middle.isoformat()),
                ("end_timestamp", "le", "datetime", end.isoformat()),
            ),
            3,
        ),
        ("message_id", _query(("message_id", "eq", "string", f"ev-{count // 2:06d}")), 1),
        (
            "event_type + time",
            _query(
                ("event_type", "eq", "string", EVENT_TYPES[2]),
                ("start_timestamp", "ge", "datetime", middle.isoformat()),
            ),
            2,
        ),
        ("no filter", "", 2),
        ("trait 50% (parity)", _query(("parity", "eq", "string", "even")), 2),
        ("trait 1% (host)", _query(("host", "eq", "string", "host-042")), 1),
        ("trait 0.5% (size<5)", _query(("size", "lt", "integer", "5")), 1),
        (
            "type + trait 1%",
            _query(
                ("event_type", "eq", "string", EVENT_TYPES[0]),
                ("host", "eq", "string", "host-042"),
            ),
            1,
        ),
        ("sort message_id:desc", _query(sort="message_id:desc"), 2),
        ("non-admin (1 user in 10)", "", 2),
        ("non-admin (sees nothing)", "", 1),
    ]


def _measure(
    client: Any, headers: dict[str, str], query: str, pages: int, counter: DynamoDBCounter
):
    """Per page read through markers: (items returned, requests, items read)."""
    figures = []
    marker = None
    for _ in range(pages):
        counter.reset()
        url = f"/v2/events?{query}" + (f"&marker={marker}" if marker else "")
        response = client.http.get(url, headers=headers)
        assert response.status_code == 200, response.body
        body = response.json_body
        figures.append((len(body), counter.requests, counter.items))
        if len(body) < 100:
            break
        marker = body[-1]["message_id"]
    return figures


def main() -> None:
    count = int(os.environ.get(ENV_EVENTS, "3000"))
    with bench_environment("bench-panko-"):
        from chalice.test import Client
        from moto import mock_aws

        with mock_aws():
            from app import app
            from chalicelib import observability
            from chalicelib.auth.principal import Principal
            from chalicelib.auth.principals import create_principal
            from chalicelib.auth.tokens import issue_token
            from chalicelib.core import catalog
            from chalicelib.settings import get_settings
            from chalicelib.store.events import EventModel
            from chalicelib.store.tables import bind_all, create_all_tables

            silence_logs(observability.logger.name)  # the request log lines would bury the figures
            bind_all(get_settings())
            create_all_tables(wait=False)
            catalog.forget_cache()
            started = time.perf_counter()
            _record_events(count)
            print(f"   recorded {count} events in {time.perf_counter() - started:.1f} s")
            # Tokens name stored principals (a token of an unknown user is refused).
            admin = create_principal(
                Principal("bench", roles=("admin",), project_id=PROJECT, user_id="bench"),
                "bench-password",
            )
            headers = {"X-Auth-Token": issue_token(admin)}
            member = create_principal(
                Principal("member", roles=("user",), project_id=PROJECT, user_id="user-3"),
                "member-password",
            )
            member_headers = {"X-Auth-Token": issue_token(member)}
            stranger = Principal("stranger", roles=("user",), project_id="p-other", user_id="x")
            stranger_headers = {"X-Auth-Token": issue_token(stranger)}
            counter = DynamoDBCounter().install(EventModel)
            print(
                f"   {'GET /v2/events, limit 100':<26}{'pages':>6}{'returned':>9}"
                f"{'req 1st page':>13}{'req next pages':>15}{'read/returned':>14}"
            )
            with Client(app) as client:
                for name, query, pages in _scenarios(count):
                    caller = headers
                    if name.startswith("non-admin"):
                        caller = stranger_headers if "nothing" in name else member_headers
                    figures = _measure(client, caller, query, pages, counter)
                    returned = sum(f[0] for f in figures)
                    read = sum(f[2] for f in figures)
                    later = [f[1] for f in figures[1:]]
                    print(
                        f"   {name:<26}{len(figures):>6}{returned:>9}{figures[0][1]:>13}"
                        + (f"{sum(later) / len(later):>15.1f}" if later else f"{'-':>15}")
                        + (f"{read / returned:>14.2f}" if returned else f"{read:>9} read")
                    )
            print_legend(
                "each row: one GET /v2/events query (default limit 100) read page by page through",
                "  markers; pages: pages read; returned: events returned over those pages;",
                "req 1st page / req next pages: DynamoDB requests for the first page / per later",
                "  page on average (a later page adds a GetItem for its marker's time);",
                "read/returned: DynamoDB items read (a Query's ScannedCount, a GetItem's item)",
                "  per event returned; 1.00 = nothing read in vain. Targets (README): at most 1.5",
                "  for the event_type, time range and message_id rows; 1 request per page for",
                "  event_type.",
            )
            catalog.forget_cache()
