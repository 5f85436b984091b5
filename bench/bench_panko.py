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

Indexed traits (``EVENT_SERVICE_INDEXED_TRAITS``, ``host`` among the defaults): an ``eq`` on
``host`` reads the trait index (target: at most 1.5 items read per item returned, with and
without ``event_type``); ``zone``, as selective but not declared, reads the time index with a
filter, for comparison. The write cost the index adds per event is modelled from the stored
sizes: a table write costs ceil(KB) write units (twice in a transaction), each index copy
ceil(KB) once.

Modelled latency: every DynamoDB request is given a fixed round trip (``BENCH_ROUND_TRIP_MS``,
default 10 ms, slept in a botocore ``before-send`` hook) and each request's start and end are
recorded; a page's latency in round trips is the longest chain of requests each sent after
the previous one answered (moto's own time aside, it is what DynamoDB's latency would cost).
Targets: <= 3 round trips for a typed page and a time page over 20 shards, <= 1.5 items read
per item returned.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from bench.support import (
    DynamoDBCounter,
    bench_environment,
    client_events,
    print_legend,
    silence_logs,
)

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
                    make_trait("zone", "string", f"zone-{index % 100:03d}"),
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
        ("trait 1% (host, indexed)", _query(("host", "eq", "string", "host-042")), 1),
        ("trait 0.5% (size<5)", _query(("size", "lt", "integer", "5")), 1),
        (
            "type + trait 1% (host)",
            _query(
                ("event_type", "eq", "string", EVENT_TYPES[0]),
                ("host", "eq", "string", "host-042"),
            ),
            1,
        ),
        ("trait 1% (zone, undeclared)", _query(("zone", "eq", "string", "zone-042")), 1),
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


class RoundTrips:
    """Each request's (start, end), with a fixed round trip slept before it is sent."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.calls: list[tuple[float, float]] = []
        self._local = threading.local()
        self._lock = threading.Lock()

    def install(self, *models: Any) -> RoundTrips:
        for events in client_events(models):
            # The call's start is its first hook (before serialising): a thread of a round
            # that waits for the interpreter lock does not look like a later round.
            events.register("before-parameter-build.dynamodb", self._start)
            events.register("before-send.dynamodb", self._send)
            events.register("after-call.dynamodb", self._answered)
            events.register("after-call-error.dynamodb", self._answered)
        return self

    def _start(self, **kwargs: Any) -> None:
        self._local.started = time.perf_counter()

    def _send(self, **kwargs: Any) -> None:
        time.sleep(self.seconds)

    def _answered(self, **kwargs: Any) -> None:
        started = getattr(self._local, "started", None)
        if started is not None:
            with self._lock:
                self.calls.append((started, time.perf_counter()))
            self._local.started = None

    def depth(self) -> int:
        """The longest chain of requests each sent after the one before it answered."""
        calls = sorted(self.calls)
        depths: list[int] = []
        for index, (start, _) in enumerate(calls):
            before = [depths[j] for j in range(index) if calls[j][1] <= start]
            depths.append(1 + max(before, default=0))
        return max(depths, default=0)


def _modelled(client: Any, headers: dict[str, str], count: int, *models: Any) -> None:
    """Typed, time and indexed-trait pages (first and next) with a fixed round trip each."""
    from chalicelib.settings import get_settings

    trip = float(os.environ.get("BENCH_ROUND_TRIP_MS", "10")) / 1000
    trips = RoundTrips(trip).install(*models)
    counter = DynamoDBCounter().install(*models)
    settings = get_settings()
    scenarios = {name: query for name, query, _ in _scenarios(count)}
    # Threads of one round take turns on the interpreter lock while moto answers the others:
    # switch often, so each reaches its send while the others are still in flight.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    print(
        f"   modelled page latency, {trip * 1000:.0f} ms per request ({settings.type_shards} type"
        f" shards, {settings.time_shards} time shards, limit 100):"
    )
    for name in ("event_type", "time range", "trait 1% (host, indexed)", "type + trait 1% (host)"):
        marker = None
        for page in ("first page", "next page"):
            trips.calls.clear()
            counter.reset()
            url = f"/v2/events?{scenarios[name]}" + (f"&marker={marker}" if marker else "")
            started = time.perf_counter()
            response = client.http.get(url, headers=headers)
            wall = time.perf_counter() - started
            assert response.status_code == 200, response.body
            body = response.json_body
            ratio = counter.items / len(body) if body else float("nan")
            print(
                f"   {name + ', ' + page:<36}{trips.depth():>3} round trips (target <= 3)"
                f"{counter.requests:>4} requests, {wall * 1000:5.0f} ms wall;"
                f" {ratio:5.2f} read/returned (target <= 1.5)"
            )
            if len(body) < 100:
                break
            marker = body[-1]["message_id"]
    trips.seconds = 0.0
    sys.setswitchinterval(switch)


def _write_units(size: int) -> int:
    return max(1, math.ceil(size / 1024))


def _write_cost() -> None:
    """Write units per event with and without its trait-index entries (from stored sizes)."""
    from chalicelib.core.event_items import item_size, storable_item, trait_entries
    from chalicelib.core.model import build_event, make_trait

    def event(traits: list[Any]):
        return build_event(
            event_type=EVENT_TYPES[0],
            message_id="ev-cost",
            generated=T0,
            traits=[make_trait("parity", "string", "even"), *traits],
            raw={"index": 1},
            project_id=PROJECT,
            user_id="user-1",
        )

    print("   write cost per event (the events table has 4 indexes, the trait index 1):")
    for label, traits in (
        ("no declared trait", []),
        ("host", [make_trait("host", "string", "host-042")]),
        (
            "host, resource_id, instance_id",
            [
                make_trait("host", "string", "host-042"),
                make_trait("resource_id", "string", "3f2a9c1e-7d41-4f7a-9b8e-1c2d3e4f5a6b"),
                make_trait("instance_id", "string", "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"),
            ],
        ),
    ):
        item = storable_item(event(traits))
        entries = trait_entries(item)
        units = _write_units(item_size(item))
        transactional = bool(entries)
        wcu = units * (2 if transactional else 1) + 4 * units
        wcu += sum(3 * _write_units(item_size(entry)) for entry in entries)
        written = item_size(item) * 5 + sum(item_size(entry) * 2 for entry in entries)
        print(
            f"   {label:<36}{1 + len(entries):>3} items ({5 + 2 * len(entries):>2} with index"
            f" copies), {written / 1024:5.1f} KB, {wcu:>3} write units"
            + (" (transactional)" if transactional else " (one PutItem)")
        )


def main() -> None:
    count = int(os.environ.get(ENV_EVENTS, "3000"))
    with bench_environment("bench-panko-"):
        from chalice.test import Client
        from moto import mock_aws

        from local import moto_transactions

        # Each event with a declared trait is one small transaction: moto's own rollback would
        # copy the whole table for each (the embedded runtime's fix, local/moto_transactions.py).
        moto_transactions.install()
        with mock_aws():
            from app import app
            from chalicelib import observability
            from chalicelib.auth.principal import Principal
            from chalicelib.auth.principals import create_principal
            from chalicelib.auth.tokens import issue_token
            from chalicelib.core import catalog
            from chalicelib.settings import get_settings
            from chalicelib.store.event_traits import EventTraitModel
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
            # Stored too: a token of an unknown principal is refused as revoked.
            stranger = create_principal(
                Principal("stranger", roles=("user",), project_id="p-other", user_id="x"),
                "stranger-password",
            )
            stranger_headers = {"X-Auth-Token": issue_token(stranger)}
            counter = DynamoDBCounter().install(EventModel, EventTraitModel)
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
                _modelled(client, headers, count, EventModel, EventTraitModel)
            _write_cost()
            print_legend(
                "each row: one GET /v2/events query (default limit 100) read page by page through",
                "  markers; pages: pages read; returned: events returned over those pages;",
                "req 1st page / req next pages: DynamoDB requests for the first page / per later",
                "  page on average (a later page adds a GetItem for its marker's time);",
                "read/returned: DynamoDB items read (a Query's ScannedCount, a GetItem's item)",
                "  per event returned; 1.00 = nothing read in vain. Targets (README): at most 1.5",
                "  for the event_type, time range, message_id and indexed trait (host) rows.",
                "modelled latency: round trips = the longest chain of requests each sent after",
                "  the previous answered (a page's latency at a fixed round trip per request).",
                "write cost: items = the event and its trait-index entries; write units as",
                "  DynamoDB bills them (a transactional table write twice).",
            )
            catalog.forget_cache()
