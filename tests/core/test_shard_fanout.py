"""Shard fan-out: every shard's first Query in flight at once, the later rounds bounded by the
cut, one shared read budget, no request left running, and the same order and markers as one
sorted listing of everything."""

from __future__ import annotations

import dataclasses
import random
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.core import events
from chalicelib.core.event_queries import EventQuery, TraitFilter, type_shard_keys
from chalicelib.core.model import Event, build_event, make_trait
from chalicelib.store.events import EventModel

T0 = datetime(2020, 1, 1)
TYPES = ("a", "b", "c")


class _Requests:
    """Counts Queries sent and answered; ``gate`` > 0 makes each one wait (bounded) until that
    many are in flight at once."""

    def __init__(self, gate: int = 0) -> None:
        self.gate = gate
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most = 0
        self.sent = 0
        self.answered = 0
        self.all_in = threading.Event()

    def _is_query(self, request: Any) -> bool:
        target = request.headers.get("X-Amz-Target") or b"" if request is not None else b""
        return b"Query" in (target if isinstance(target, bytes) else target.encode())

    def on_send(self, request: Any = None, **kwargs: Any) -> None:
        if not self._is_query(request):
            return
        with self.lock:
            self.sent += 1
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            if self.gate and self.in_flight >= self.gate:
                self.all_in.set()
        if self.gate:
            # Sequential reads never get here twice at once: the wait ends by its guard.
            self.all_in.wait(5)

    def on_answer(self, **kwargs: Any) -> None:
        with self.lock:
            self.answered += 1
            self.in_flight -= 1

    def __enter__(self) -> _Requests:
        hooks = EventModel._get_connection().connection.client.meta.events
        hooks.register("before-send.dynamodb", self.on_send)
        hooks.register("after-call.dynamodb.Query", self.on_answer)
        hooks.register("after-call-error.dynamodb.Query", self.on_answer)
        return self

    def __exit__(self, *exc: Any) -> None:
        hooks = EventModel._get_connection().connection.client.meta.events
        hooks.unregister("before-send.dynamodb", self.on_send)
        hooks.unregister("after-call.dynamodb.Query", self.on_answer)
        hooks.unregister("after-call-error.dynamodb.Query", self.on_answer)


def _record(count: int, seed: int = 7) -> list[Event]:
    rng = random.Random(seed)
    stored = []
    for index in range(count):
        event = build_event(
            event_type=rng.choice(TYPES),
            message_id=f"m{rng.randrange(10**8):08d}-{index}",
            # Coarse times: many ties on 'generated', broken by message id.
            generated=T0 + timedelta(seconds=rng.randrange(count // 3)),
            traits=[make_trait("n", "integer", rng.randrange(10))],
        )
        events.record_event(event)
        stored.append(event)
    return stored


def _expected(stored: list[Event], query: EventQuery) -> list[str]:
    keys = dict(query.sort)
    chosen = [
        e
        for e in stored
        if (query.event_type is None or e.event_type == query.event_type)
        and all(f.matches(e) for f in query.traits)
    ]
    # message_id breaks ties, in the direction of the first key unless given.
    tie = keys.get("message_id", query.sort[0][1])
    chosen.sort(key=lambda e: e.message_id, reverse=tie == "desc")
    if "generated" in keys:
        chosen.sort(key=lambda e: e.generated, reverse=keys["generated"] == "desc")
    return [e.message_id for e in chosen]


def _read_all(query: EventQuery, budget: int | None = None) -> tuple[list[str], int]:
    """Every page through markers: the ids in order and the largest items read by a page."""
    ids: list[str] = []
    most_read = 0
    marker = None
    for _ in range(500):
        page = events.list_page(dataclasses.replace(query, marker=marker, read_budget=budget))
        most_read = max(most_read, page.items_read)
        ids += [e.message_id for e in page.events]
        if not page.ended_early and len(page.events) < query.limit:
            return ids, most_read
        marker = page.next_marker
        assert marker is not None
    raise AssertionError("the listing did not end")


def test_pages_through_every_shard_give_the_full_sorted_listing(aws):
    stored = _record(1500)
    queries = [
        EventQuery(limit=397),
        EventQuery(limit=350, sort=(("generated", "desc"),)),
        EventQuery(limit=161, event_type="b"),
        EventQuery(limit=180, event_type="a", sort=(("generated", "desc"),)),
        EventQuery(limit=373, sort=(("message_id", "desc"),)),
        EventQuery(limit=350, sort=(("generated", "asc"), ("message_id", "desc"))),
        EventQuery(limit=140, traits=(TraitFilter("n", "integer", "eq", 3),)),
    ]
    for query in queries:
        ids, _ = _read_all(query)
        assert ids == _expected(stored, query), query
    # A small budget ends pages early: the sealed continuations still cover everything, once.
    for query in (queries[3], queries[6]):
        ids, most_read = _read_all(query, budget=300)
        assert ids == _expected(stored, query), query
        assert most_read <= 300


def test_every_shards_first_query_is_in_flight_at_once(aws):
    shards = len(type_shard_keys("t"))
    assert shards > 1
    for index in range(3 * shards):
        events.record_event(
            build_event(
                event_type="t", message_id=f"e{index:03d}", generated=T0 + timedelta(seconds=index)
            )
        )
    with _Requests(gate=shards) as probe:
        page = events.list_page(EventQuery(event_type="t", limit=2 * shards))
    assert probe.most == shards
    assert [e.message_id for e in page.events] == [f"e{i:03d}" for i in range(2 * shards)]
    assert page.items_read <= 3 * shards
    # Nothing still running once the page is returned.
    assert probe.in_flight == 0 and probe.sent == probe.answered


def test_a_typed_page_costs_two_rounds_and_reads_little_in_vain(aws, monkeypatch):
    from chalicelib.core import event_queries

    rounds: list[int] = []
    made = event_queries._merged

    def counted(*args: Any, **kwargs: Any):
        fan_out = made(*args, **kwargs)
        rounds.append(0)
        original = fan_out._round

        def round_(reads):
            rounds[-1] += 1
            return original(reads)

        monkeypatch.setattr(fan_out, "_round", round_)
        return fan_out

    monkeypatch.setattr(event_queries, "_merged", counted)
    _record(1200)
    page = events.list_page(EventQuery(event_type="a", limit=100))
    assert len(page.events) == 100
    assert rounds == [2] or rounds == [1]
    assert page.items_read <= 150


def test_a_failing_shard_leaves_no_request_running(aws, monkeypatch):
    _record(300)
    real_query = EventModel.by_time.query
    calls = {"n": 0}

    def failing(partition, *args: Any, **kwargs: Any):
        calls["n"] += 1
        if partition == "3":
            raise RuntimeError("shard 3 is down")
        return real_query(partition, *args, **kwargs)

    monkeypatch.setattr(EventModel.by_time, "query", failing)
    with _Requests() as probe, pytest.raises(RuntimeError):
        events.list_page(EventQuery(limit=50))
    assert probe.in_flight == 0 and probe.sent == probe.answered


def test_the_budget_is_shared_by_the_concurrent_reads(aws):
    _record(600)
    nothing = (TraitFilter("n", "integer", "gt", 100),)
    for budget in (40, 75, 130):
        page = events.list_page(EventQuery(limit=500, traits=nothing, read_budget=budget))
        assert page.items_read <= budget
