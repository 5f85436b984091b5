"""What the store refuses before any write, and the bounded work of writing and listing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from botocore.exceptions import ClientError
from pynamodb.exceptions import PutError

from chalicelib.core import events
from chalicelib.core.event_queries import EventQuery, TraitFilter, Visibility
from chalicelib.core.model import build_event, make_trait
from chalicelib.errors import StoreFailure, StoreUnavailable, ValidationFailed
from chalicelib.store.access import store_error

T0 = datetime(2020, 1, 1)


@pytest.fixture
def settings_env(aws, monkeypatch):
    from chalicelib.settings import reset_settings

    def apply(**env: str) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        reset_settings()

    yield apply
    monkeypatch.undo()
    reset_settings()


def _ids(found):
    return [event.message_id for event in found]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text, moment",
    [
        ("0001-01-01T00:00:00", datetime(1, 1, 1)),
        ("0500-01-01", datetime(500, 1, 1)),
        ("9999-12-31T23:59:59.999999", datetime(9999, 12, 31, 23, 59, 59, 999999)),
    ],
)
def test_ancient_and_far_future_dates_round_trip_and_sort(aws, text, moment):
    events.record_event(build_event(event_type="t", message_id="old", generated=text))
    events.record_event(build_event(event_type="t", message_id="now", generated=T0))
    assert events.get_event("old").generated == moment
    listed = _ids(events.list_events(EventQuery()))
    assert listed == (["old", "now"] if moment < T0 else ["now", "old"])
    assert _ids(events.list_events(EventQuery(event_type="t"))) == listed


@pytest.mark.parametrize(
    "text", ["500-01-01", "10000-01-01", "0001-01-01T00:00:00+01:00", "9999-12-31T23:00-05:00"]
)
def test_dates_outside_0001_to_9999_are_refused(text):
    with pytest.raises(ValidationFailed):
        build_event(event_type="t", generated=text)


def test_an_event_stored_unpadded_before_the_fix_is_still_readable(aws):
    events.record_event(build_event(event_type="t", message_id="legacy", generated=T0))
    from chalicelib.store.events import EventModel

    EventModel("legacy").update(actions=[EventModel.generated.set("500-01-01T00:00:00.000000")])
    assert events.get_event("legacy").generated == datetime(500, 1, 1)


# ---------------------------------------------------------------- numbers, size, traits


@pytest.mark.parametrize(
    "kind, value", [("float", 1e200), ("float", -1e127), ("float", 1e-200), ("integer", 10**40 + 1)]
)
def test_numbers_dynamodb_cannot_store_are_refused(kind, value):
    with pytest.raises(ValidationFailed):
        make_trait("n", kind, value)


def test_numbers_at_the_edge_of_the_range_are_kept(aws):
    traits = [make_trait("big", "float", 9.9e125), make_trait("i", "integer", 10**37)]
    events.record_event(build_event(event_type="t", message_id="edge", traits=traits))
    stored = events.get_event("edge")
    assert stored.trait("big").value == 9.9e125 and stored.trait("i").value == 10**37


def test_an_oversized_event_refuses_the_whole_batch(aws):
    good = build_event(event_type="t", message_id="good")
    huge = build_event(event_type="t", message_id="huge", raw={"blob": "x" * 405_000})
    with pytest.raises(ValidationFailed, match="bytes stored"):
        events.record_events([good, huge])
    assert events.list_events(EventQuery()) == []


def test_an_event_just_under_the_limit_is_stored(aws):
    event = build_event(event_type="t", message_id="big", raw={"blob": "x" * 380_000})
    assert events.record_events([event]).stored == ["big"]


def test_too_many_traits_are_refused(settings_env):
    settings_env(EVENT_SERVICE_MAX_TRAITS="3")
    traits = [make_trait(f"t{i}", "integer", i) for i in range(4)]
    with pytest.raises(ValidationFailed, match="at most 3"):
        events.record_events([build_event(event_type="t", traits=traits)])
    assert events.list_events(EventQuery()) == []


def _client_error(code: str) -> PutError:
    cause = ClientError({"Error": {"Code": code, "Message": f"{code} happened"}}, "PutItem")
    return PutError("put failed", cause=cause)


def test_store_errors_mean_what_they_say():
    refused = store_error(_client_error("ValidationException"))
    assert isinstance(refused, ValidationFailed) and refused.status_code == 400
    throttled = store_error(_client_error("ProvisionedThroughputExceededException"))
    assert type(throttled) is StoreUnavailable and throttled.retry_after_seconds
    broken = store_error(_client_error("AccessDeniedException"))
    assert isinstance(broken, StoreFailure) and broken.status_code == 500
    assert broken.retry_after_seconds is None


# ---------------------------------------------------------------- grouped writes


def _count_calls(operation: str, model=None) -> list[int]:
    from chalicelib.store.events import EventModel

    calls: list[int] = []
    client = (model or EventModel)._get_connection().connection.client
    client.meta.events.register(
        f"before-call.dynamodb.{operation}", lambda **_: calls.append(1), unique_id=operation
    )
    return calls


def test_events_are_written_in_transactions_of_a_hundred_never_overwriting(aws):
    existing = build_event(event_type="t", message_id="e007", raw={"first": True})
    events.record_event(existing)
    batch = [
        build_event(event_type="t", message_id=f"e{i:03d}", generated=T0 + timedelta(seconds=i))
        for i in range(250)
    ]
    batch.append(batch[3])  # the same id twice in one request
    transactions, puts = _count_calls("TransactWriteItems"), _count_calls("PutItem")
    result = events.record_events(batch)
    assert result.duplicates == ["e003", "e007"] or sorted(result.duplicates) == ["e003", "e007"]
    assert len(result.stored) == 249 and "e007" not in result.stored
    assert events.get_event("e007").raw == {"first": True}  # never overwritten
    assert len(transactions) == 4 and puts == []  # 3 groups, one retried without e007
    assert len(events.list_events(EventQuery(limit=1000))) == 250


def test_the_batch_cap_names_the_limit(settings_env):
    settings_env(EVENT_SERVICE_MAX_EVENTS_PER_REQUEST="5")
    with pytest.raises(ValidationFailed, match="at most 5"):
        events.record_events([build_event(event_type="t") for _ in range(6)])


def test_summaries_are_written_once_per_type_per_request(aws):
    from chalicelib.core import catalog
    from chalicelib.store.catalog import CatalogModel

    writes = _count_calls("BatchWriteItem", CatalogModel)
    batch = [
        build_event(event_type=f"type{i % 2}", traits=[make_trait("a", "integer", i)])
        for i in range(40)
    ]
    events.record_events(batch)
    assert len(writes) == 1  # 2 types + 2 trait descriptions, one batch
    assert catalog.list_event_types() == ["type0", "type1"]


# ---------------------------------------------------------------- listing: budget, owner, shards


def _many(count: int, **owner: str) -> None:
    events.record_events(
        [
            build_event(
                event_type="busy",
                message_id=f"{owner.get('user_id', 'x')}-{i:04d}",
                generated=T0 + timedelta(seconds=i),
                traits=[make_trait("n", "integer", i)],
                **owner,
            )
            for i in range(count)
        ]
    )


def test_the_read_budget_ends_a_page_and_the_marker_continues_it(aws):
    _many(200)
    collected, marker, pages = [], None, 0
    while True:
        page = events.list_page(
            EventQuery(
                traits=(TraitFilter("n", "integer", "ge", 0),),
                limit=500,
                marker=marker,
                read_budget=40,  # two items a shard: the floor with 20 shards
            )
        )
        pages += 1
        assert page.items_read <= 40  # the budget holds, matched or not
        collected += _ids(page.events)
        if not page.ended_early:
            break
        marker = page.next_marker
    assert collected == [f"x-{i:04d}" for i in range(200)]
    assert pages > 2


def test_a_budget_ended_page_keeps_the_order_across_type_shards_and_filters(settings_env):
    settings_env(EVENT_SERVICE_TYPE_SHARDS="4")
    _many(120)
    query = dict(event_type="busy", sort=(("generated", "desc"),), limit=1000, read_budget=12)
    collected, marker = [], None
    while True:
        page = events.list_page(EventQuery(**query, marker=marker))
        collected += _ids(page.events)
        if not page.ended_early:
            break
        marker = page.next_marker
    assert collected == [f"x-{i:04d}" for i in reversed(range(120))]


def test_sharded_type_index_pages_in_order_with_markers(settings_env):
    settings_env(EVENT_SERVICE_TYPE_SHARDS="5")
    _many(37)
    from chalicelib.store.events import EventModel

    keys = {item.type_key for item in EventModel.by_time.query("0")} | {
        item.type_key for shard in "123" for item in EventModel.by_time.query(shard)
    }
    assert len(keys) > 1  # one type, several partitions
    for sort in ((("generated", "asc"),), (("generated", "desc"), ("message_id", "asc"))):
        expected = _ids(events.list_events(EventQuery(sort=sort, limit=1000)))
        paged, marker = [], None
        while True:
            page = _ids(
                events.list_events(EventQuery(event_type="busy", sort=sort, limit=6, marker=marker))
            )
            if not page:
                break
            paged += page
            marker = page[-1]
        assert paged == expected


def test_a_non_admin_listing_reads_only_their_own_events(aws):
    _many(300, project_id="p1", user_id="other")
    _many(5, project_id="p1", user_id="alice")
    mine = Visibility(project="p1", user="alice")
    page = events.list_page(EventQuery(visibility=mine, limit=100))
    assert _ids(page.events) == [f"alice-{i:04d}" for i in range(5)]
    assert page.items_read <= 1.5 * len(page.events)
    nobody = Visibility(project="p2", user="nobody")
    empty = events.list_page(EventQuery(visibility=nobody, limit=100))
    assert empty.events == [] and empty.items_read == 0
    typed = events.list_page(EventQuery(visibility=mine, event_type="busy", limit=2))
    assert _ids(typed.events) == ["alice-0000", "alice-0001"]


def _all_pages(query: dict, budget: int) -> tuple[list[str], list[events.EventPage]]:
    collected, pages, marker = [], [], None
    while True:
        page = events.list_page(EventQuery(**query, marker=marker, read_budget=budget))
        pages.append(page)
        collected += _ids(page.events)
        if not page.ended_early:
            return collected, pages
        assert page.next_marker, "a page the budget ended says where to go on"
        marker = page.next_marker
        assert len(pages) < 100, "the continuation must move"


def test_a_filter_matching_nothing_costs_at_most_the_budget_per_page(aws):
    _many(120)
    nothing = (TraitFilter("n", "integer", "lt", 0),)

    first = events.list_page(EventQuery(traits=nothing, limit=100, read_budget=40))

    assert first.events == [] and first.ended_early
    assert first.items_read <= 40
    collected, pages = _all_pages({"traits": nothing, "limit": 100}, 60)
    assert collected == []
    assert all(page.items_read <= 60 for page in pages)


@pytest.mark.parametrize(
    "sort, event_type",
    [
        ((("generated", "asc"),), None),
        ((("generated", "desc"),), "busy"),
        ((("generated", "desc"), ("message_id", "asc")), None),
        ((("message_id", "desc"),), "busy"),
    ],
)
def test_a_continuation_past_the_last_match_misses_and_repeats_nothing(
    settings_env, sort, event_type
):
    settings_env(EVENT_SERVICE_TIME_SHARDS="3", EVENT_SERVICE_TYPE_SHARDS="3")
    _many(40)
    query = {"sort": sort, "event_type": event_type, "limit": 1000}
    expected = _ids(events.list_events(EventQuery(**query)))
    assert len(expected) == 40
    one = (TraitFilter("n", "integer", "eq", 17),)
    collected, pages = _all_pages({**query, "traits": one}, 9)
    assert collected == ["x-0017"]
    assert len(pages) > 2 and all(page.items_read <= 9 for page in pages)
    collected, pages = _all_pages(query, 9)
    assert collected == expected and all(page.items_read <= 9 for page in pages)


def test_a_continuation_is_sealed_and_bound_to_its_caller(aws):
    _many(40, project_id="p1", user_id="other")
    _many(3, project_id="p1", user_id="alice")
    admin_of_p2 = Visibility(project="p2")
    page = events.list_page(EventQuery(visibility=admin_of_p2, limit=10, read_budget=20))
    assert page.events == [] and page.ended_early
    marker = page.next_marker
    # It points past events of p1 the caller may not see, and names none of them.
    assert marker.startswith("~c1.") and "other" not in marker
    import base64

    raw = base64.urlsafe_b64decode(marker[4:] + "=" * (-len(marker[4:]) % 4))
    assert b"other" not in raw and b"p1" not in raw

    from chalicelib.errors import InvalidMarker

    # Another caller cannot follow it, and a changed byte is refused.
    for visibility in (
        Visibility.all(),
        Visibility(project="p1"),
        Visibility(project="p1", user="alice"),
    ):
        with pytest.raises(InvalidMarker):
            events.list_page(EventQuery(visibility=visibility, marker=marker))
    tampered = marker[:-2] + ("A" if marker[-2] != "A" else "B") + marker[-1]
    with pytest.raises(InvalidMarker):
        events.list_page(EventQuery(visibility=admin_of_p2, marker=tampered))
    # Its own caller follows it to the end and sees nothing of p1.
    collected, _ = _all_pages({"visibility": admin_of_p2, "limit": 10}, 20)
    assert collected == []
