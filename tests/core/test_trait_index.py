"""Indexed traits: each event writes one entry per declared trait in its own transaction, and
an ``eq`` filter on a declared trait reads those entries: the same events as reading the time
index with a filter, in the same order, for the caller's visibility only."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.core import events
from chalicelib.core.event_queries import EventQuery, TraitFilter, Visibility
from chalicelib.core.model import build_event, make_trait, parse_timestamp
from chalicelib.settings import ENV_INDEXED_TRAITS, Settings, reset_settings
from chalicelib.store.event_traits import EventTraitModel
from chalicelib.store.events import EventModel

T0 = datetime(2021, 6, 1)


def _event(index: int, **extra: Any):
    traits = [
        make_trait("host", "string", f"h{index % 7}"),
        make_trait("node", "integer", index % 5),
        make_trait("resource_id", "float", float(index % 3)),
        make_trait("instance_id", "datetime", T0 + timedelta(hours=index % 4)),
        make_trait("other", "string", f"o{index % 7}"),
    ]
    return build_event(
        event_type=("a", "b", "c")[index % 3],
        message_id=f"m{index:04d}",
        generated=T0 + timedelta(seconds=index // 2),  # ties on generated
        traits=traits,
        project_id=f"p{index % 2}",
        user_id=f"u{index % 4}",
        **extra,
    )


def _entries() -> list[EventTraitModel]:
    return list(EventTraitModel.scan())


def _read_all(query: EventQuery) -> tuple[list[str], int]:
    ids: list[str] = []
    read = 0
    marker = None
    while True:
        page = events.list_page(dataclasses.replace(query, marker=marker))
        read += page.items_read
        ids += [e.message_id for e in page.events]
        if not page.ended_early and len(page.events) < query.limit:
            return ids, read
        marker = page.next_marker


def _unindexed(monkeypatch) -> None:
    monkeypatch.setenv(ENV_INDEXED_TRAITS, "")
    reset_settings()


def test_each_declared_trait_writes_one_entry_with_the_event(aws):
    assert events.record_event(_event(1))
    entries = _entries()
    # host, node, resource_id, instance_id are declared by default; "other" is not.
    assert sorted(e.trait_key.split(",")[0] for e in entries) == [
        '["host"',
        '["instance_id"',
        '["node"',
        '["resource_id"',
    ]
    assert {e.message_id for e in entries} == {"m0001"}
    assert all(e.gen_key == EventModel.get("m0001").gen_key for e in entries)
    # A duplicate id (even with other trait values) writes neither the event nor entries.
    assert not events.record_event(dataclasses.replace(_event(2), message_id="m0001"))
    assert len(_entries()) == 4
    # No declared trait: no entry, one plain write.
    assert events.record_event(build_event(event_type="x", message_id="plain"))
    assert len(_entries()) == 4


def test_a_batch_keeps_each_event_with_its_entries_within_the_transaction_limit(aws):
    batch = [_event(i) for i in range(60)]  # 60 x (1 + 4) = 300 actions: 4 transactions
    result = events.record_events([*batch, _event(3)])
    assert len(result.stored) == 60 and result.duplicates == ["m0003"]
    assert len(_entries()) == 240
    again = events.record_events([_event(5), _event(70)])
    assert again.stored == ["m0070"] and again.duplicates == ["m0005"]
    assert len(_entries()) == 244


def test_a_failed_transaction_writes_neither_events_nor_entries(aws, monkeypatch):
    from pynamodb.transactions import TransactWrite

    commits = {"n": 0}
    real_commit = TransactWrite._commit

    def second_fails(self):
        commits["n"] += 1
        if commits["n"] == 2:
            raise RuntimeError("store down")
        return real_commit(self)

    monkeypatch.setattr(TransactWrite, "_commit", second_fails)
    with pytest.raises(events.PartiallyStored) as raised:
        events.record_events([_event(i) for i in range(40)])  # 20 events per transaction
    stored = set(raised.value.stored)
    assert len(stored) == 20
    assert {e.message_id for e in _entries()} == stored
    assert {e.message_id for e in EventModel.scan()} == stored


@pytest.mark.parametrize(
    "trait_filter",
    [
        TraitFilter("host", "string", "eq", "h3"),
        TraitFilter("node", "integer", "eq", 2),
        TraitFilter("resource_id", "float", "eq", 1.0),
        TraitFilter("resource_id", "float", "eq", -0.0),
        TraitFilter("resource_id", "integer", "eq", 1),  # another type: no match
        TraitFilter("instance_id", "datetime", "eq", T0 + timedelta(hours=2)),
        # The same moment given with an offset, parsed as Panko's filter value is.
        TraitFilter("instance_id", "datetime", "eq", parse_timestamp("2021-06-01T04:00:00+02:00")),
    ],
)
def test_the_index_gives_what_an_unindexed_read_gives(aws, monkeypatch, trait_filter):
    events.record_events([_event(i) for i in range(90)])
    queries = [
        EventQuery(traits=(trait_filter,), limit=7),
        EventQuery(traits=(trait_filter,), event_type="b", limit=4),
        EventQuery(traits=(trait_filter,), sort=(("generated", "desc"),), limit=5),
        EventQuery(
            traits=(trait_filter, TraitFilter("other", "string", "ne", "o1")),
            sort=(("generated", "asc"), ("message_id", "desc")),
            limit=6,
        ),
        EventQuery(traits=(trait_filter,), visibility=Visibility(project="p1", user="u1")),
        EventQuery(traits=(trait_filter,), visibility=Visibility(project="p0"), limit=3),
    ]
    indexed = [_read_all(query) for query in queries]
    _unindexed(monkeypatch)
    plain = [_read_all(query) for query in queries]
    assert [ids for ids, _ in indexed] == [ids for ids, _ in plain]
    if trait_filter.type != "integer" or trait_filter.name == "node":
        assert indexed[0][0], "the filter matches some events"


def test_the_planner_reads_the_index_with_and_without_event_type(aws, monkeypatch):
    events.record_events([_event(i) for i in range(140)])
    called: list[str] = []
    targets: tuple[tuple[str, Any], ...] = (
        ("trait", EventTraitModel),
        ("trait+type", EventTraitModel.by_type),
        ("time", EventModel.by_time),
        ("type", EventModel.by_type),
        ("owner", EventModel.by_owner),
    )
    for name, target in targets:
        real = target.query

        def spy(*args: Any, _real=real, _name=name, **kwargs: Any):
            called.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(target, "query", spy)

    host = TraitFilter("host", "string", "eq", "h2")
    page = events.list_page(EventQuery(traits=(host,), limit=100))
    assert set(called) == {"trait"} and len(page.events) == 20
    assert page.items_read <= 1.5 * len(page.events)
    called.clear()
    page = events.list_page(EventQuery(traits=(host,), event_type="c", limit=100))
    # (an index's query goes through its model's)
    assert set(called) == {"trait+type", "trait"}
    assert {e.event_type for e in page.events} == {"c"} and len(page.events) == 7
    assert page.items_read <= 1.5 * len(page.events)
    called.clear()
    # A non-admin reads the index too, and sees only their own events.
    mine = Visibility(project="p0", user="u2")
    page = events.list_page(EventQuery(traits=(host,), visibility=mine))
    assert set(called) == {"trait"} and page.events
    assert all((e.project_id, e.user_id) == ("p0", "u2") for e in page.events)
    called.clear()
    # An undeclared trait, or another operator, reads as before.
    events.list_page(EventQuery(traits=(TraitFilter("other", "string", "eq", "o2"),)))
    events.list_page(EventQuery(traits=(TraitFilter("host", "string", "ne", "h2"),)))
    assert set(called) == {"time"}


def test_declared_traits_come_from_the_setting():
    assert Settings.from_env({}).indexed_traits == ("resource_id", "instance_id", "host", "node")
    assert Settings.from_env({ENV_INDEXED_TRAITS: "host, rack"}).indexed_traits == ("host", "rack")
    assert Settings.from_env({ENV_INDEXED_TRAITS: ""}).indexed_traits == ()
    with pytest.raises(ValueError, match=ENV_INDEXED_TRAITS):
        Settings.from_env({ENV_INDEXED_TRAITS: ",".join(f"t{i}" for i in range(25))})


def test_panko_trait_filter_through_the_index_keeps_each_callers_view(
    client, admin, user, monkeypatch
):
    """GET /v2/events?q.field=host&q.op=eq: a non-admin sees only their own events carrying
    the value, an admin of all tenants every one, both read from the trait index."""
    for index in range(24):
        owner = ("p1", "u-alice") if index % 3 == 0 else ("p2", "u-bob")
        events.record_event(
            build_event(
                event_type="compute.instance.update",
                message_id=f"web-{index:02d}",
                generated=T0 + timedelta(minutes=index),
                traits=[make_trait("host", "string", f"h{index % 2}")],
                project_id=owner[0],
                user_id=owner[1],
            )
        )
    read: list[str] = []
    for name, target in (("trait", EventTraitModel), ("time", EventModel.by_time)):
        real = target.query

        def spy(*args: Any, _real=real, _name=name, **kwargs: Any):
            read.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(target, "query", spy)
    url = "/v2/events?q.field=host&q.op=eq&q.value=h0"
    mine = client.http.get(url, headers=user)
    assert mine.status_code == 200
    assert [e["message_id"] for e in mine.json_body] == [f"web-{i:02d}" for i in range(0, 24, 6)]
    every = client.http.get(url + "&q.field=all_tenants&q.value=True", headers=admin)
    assert [e["message_id"] for e in every.json_body] == [f"web-{i:02d}" for i in range(0, 24, 2)]
    assert set(read) == {"trait"}


def test_the_backfill_indexes_events_stored_before_their_trait_was_declared(aws, monkeypatch):
    from chalicelib.core.trait_backfill import backfill_trait_index

    _unindexed(monkeypatch)
    events.record_events([_event(i) for i in range(30)])
    assert _entries() == []
    monkeypatch.setenv(ENV_INDEXED_TRAITS, "host,node")
    reset_settings()
    query = EventQuery(traits=(TraitFilter("host", "string", "eq", "h4"),), limit=3)
    assert _read_all(query)[0] == []  # declared too late: the index misses them
    assert backfill_trait_index(page_size=7) == (30, 60)
    assert backfill_trait_index() == (30, 60)  # again: the same entries, nothing more
    assert len(_entries()) == 60
    assert _read_all(query)[0] == [f"m{i:04d}" for i in range(30) if i % 7 == 4]
