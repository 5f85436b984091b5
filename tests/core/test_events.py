"""The one event store: record, fetch, list (filters, order, keyset markers), trait instances."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.core import event_items, events
from chalicelib.core.events import EventQuery, TraitFilter, Visibility
from chalicelib.core.model import build_event, make_trait
from chalicelib.errors import EventNotFound, InvalidMarker, ValidationFailed
from chalicelib.store.events import EventModel

T0 = datetime(2014, 1, 1, 5, 0)


def _ids(found):
    return [event.message_id for event in found]


@pytest.fixture
def thirty(aws):
    """m000..m029: three per second, Foo odd / Bar even, trait_B = i, a third without project."""
    for i in range(30):
        event = build_event(
            event_type="Foo" if i % 2 else "Bar",
            message_id=f"m{i:03d}",
            generated=T0 + timedelta(seconds=i // 3),
            traits=[make_trait("trait_B", "integer", i), make_trait("trait_A", "string", f"x{i}")],
            project_id="p1" if i % 3 else None,
        )
        assert events.record_event(event)


def test_record_once_and_read_back(aws):
    event = build_event(
        event_type="t",
        message_id="m1",
        generated="2014-01-01T05:00:00.123456Z",
        traits=[
            make_trait("s", "string", "x"),
            make_trait("i", "integer", 3),
            make_trait("f", "float", 0.25),
            make_trait("d", "datetime", "2014-01-01T06:00:00+01:00"),
            make_trait("s", "integer", 7),
        ],
        raw={"nested": [1, 2.5, None]},
        project_id="p",
        user_id="u",
    )
    assert events.record_event(event)
    assert not events.record_event(build_event(event_type="other", message_id="m1"))
    stored = events.get_event("m1")
    assert stored == event
    assert [(t.name, t.type) for t in stored.traits] == [
        ("d", "datetime"),
        ("f", "float"),
        ("i", "integer"),
        ("project_id", "string"),
        ("s", "string"),
        ("s", "integer"),
        ("user_id", "string"),
    ]
    assert stored.trait("d").value == datetime(2014, 1, 1, 5, 0)


def test_record_events_reports_duplicates_in_store_and_batch(aws):
    first = build_event(event_type="t", message_id="a")
    assert events.record_events([first]).stored == ["a"]
    again = events.record_events([first, build_event(event_type="t", message_id="b"), first])
    assert (again.stored, again.duplicates) == (["b"], ["a", "a"])


def test_stream_image_round_trip(aws):
    event = build_event(event_type="t", message_id="m", traits=[make_trait("n", "integer", 1)])
    image = events.to_item(event).serialize()
    assert event_items.event_from_stream_image(image) == event


def test_get_event_honours_visibility(thirty):
    assert events.get_event("m001", Visibility(project="p1")).message_id == "m001"
    with pytest.raises(EventNotFound, match=r"Event m001 Not Found"):
        events.get_event("m001", Visibility(project="p2"))
    with pytest.raises(EventNotFound):
        events.get_event("nope")


def test_default_order_and_keyset_marker(thirty):
    assert _ids(events.list_events(EventQuery(limit=7))) == [f"m{i:03d}" for i in range(7)]
    page = events.list_events(EventQuery(limit=7, marker="m006"))
    assert _ids(page) == [f"m{i:03d}" for i in range(7, 14)]


def test_sorts_and_markers(thirty):
    desc = events.list_events(EventQuery(sort=(("generated", "desc"),), marker="m010"))
    assert _ids(desc) == [f"m{i:03d}" for i in range(9, -1, -1)]
    by_id = events.list_events(EventQuery(sort=(("message_id", "desc"),), limit=3, marker="m020"))
    assert _ids(by_id) == ["m019", "m018", "m017"]
    mixed = events.list_events(
        EventQuery(sort=(("generated", "asc"), ("message_id", "desc")), limit=4)
    )
    assert _ids(mixed) == ["m002", "m001", "m000", "m005"]
    mixed_after = events.list_events(
        EventQuery(sort=(("generated", "asc"), ("message_id", "desc")), limit=3, marker="m001")
    )
    assert _ids(mixed_after) == ["m000", "m005", "m004"]


@pytest.mark.parametrize(
    "sort",
    [
        (("generated", "asc"),),
        (("generated", "desc"),),
        (("message_id", "asc"),),
        (("message_id", "desc"),),
        (("generated", "desc"), ("message_id", "asc")),
    ],
)
def test_paging_with_every_sort_visits_each_event_once(thirty, sort):
    expected = _ids(events.list_events(EventQuery(sort=sort)))
    assert sorted(expected) == [f"m{i:03d}" for i in range(30)]
    seen, marker = [], None
    while True:
        page = _ids(events.list_events(EventQuery(sort=sort, limit=4, marker=marker)))
        if not page:
            break
        seen += page
        marker = page[-1]
    assert seen == expected


def test_filters(thirty):
    foo_gt_20 = EventQuery(event_type="Foo", traits=(TraitFilter("trait_B", "integer", "gt", 20),))
    assert _ids(events.list_events(foo_gt_20)) == ["m021", "m023", "m025", "m027", "m029"]
    window = EventQuery(start=T0 + timedelta(seconds=2), end=T0 + timedelta(seconds=3))
    assert _ids(events.list_events(window)) == [f"m{i:03d}" for i in range(6, 12)]
    by_id_sorted = EventQuery(
        start=T0 + timedelta(seconds=2),
        end=T0 + timedelta(seconds=3),
        event_type="Bar",
        sort=(("message_id", "desc"),),
    )
    assert _ids(events.list_events(by_id_sorted)) == ["m010", "m008", "m006"]
    one = EventQuery(message_id="m004", traits=(TraitFilter("trait_A", "string", "eq", "x4"),))
    assert _ids(events.list_events(one)) == ["m004"]
    assert _ids(events.list_events(EventQuery(message_id="m004", event_type="Foo"))) == []
    crossed = EventQuery(start=T0 + timedelta(seconds=5), end=T0)
    assert events.list_events(crossed) == []
    past_end = EventQuery(end=T0 + timedelta(seconds=1), marker="m020")
    assert events.list_events(past_end) == []


def test_trait_filters_are_typed_and_ne_needs_the_trait(thirty):
    assert (
        events.list_events(EventQuery(traits=(TraitFilter("trait_B", "string", "eq", "3"),))) == []
    )
    ne = EventQuery(traits=(TraitFilter("trait_B", "integer", "ne", 3),), limit=100)
    assert len(events.list_events(ne)) == 29
    assert events.list_events(EventQuery(traits=(TraitFilter("nope", "integer", "ne", 3),))) == []


def test_visibility(thirty):
    admin_p2 = events.list_events(EventQuery(visibility=Visibility(project="p2")))
    assert len(admin_p2) == 10 and all(e.project_id is None for e in admin_p2)
    assert len(events.list_events(EventQuery(visibility=Visibility(project="p1")))) == 30
    no_project_admin = events.list_events(EventQuery(visibility=Visibility()))
    assert len(no_project_admin) == 10
    user = events.list_events(EventQuery(visibility=Visibility(project="p1", user="u")))
    assert user == []


def test_visibility_of_users_without_a_project(aws):
    for message_id, project, user in (("a", None, "u"), ("b", "p", "u"), ("c", None, "v")):
        events.record_event(
            build_event(event_type="t", message_id=message_id, project_id=project, user_id=user)
        )
    mine = Visibility(project=None, user="u")
    assert _ids(events.list_events(EventQuery(visibility=mine, sort=(("message_id", "asc"),)))) == [
        "a"
    ]
    assert mine.allows(events.get_event("a")) and not mine.allows(events.get_event("b"))


def test_markers_must_exist_and_be_visible(thirty):
    with pytest.raises(InvalidMarker, match=r"Marker nope not found\."):
        events.list_events(EventQuery(marker="nope"))
    with pytest.raises(InvalidMarker):
        events.list_events(EventQuery(marker="m001", visibility=Visibility(project="p2")))
    assert isinstance(InvalidMarker("x"), ValidationFailed)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"limit": 0},
        {"sort": (("name", "asc"),)},
        {"sort": (("generated", "up"),)},
        {"traits": (TraitFilter("a", "string", "like", "x"),)},
    ],
)
def test_queries_are_validated(kwargs):
    with pytest.raises(ValidationFailed):
        EventQuery(**kwargs)


def test_dotted_and_spaced_trait_names(aws):
    events.record_event(
        build_event(
            event_type="t",
            message_id="m",
            traits=[make_trait("a.b", "string", "x"), make_trait("c d", "integer", 1)],
        )
    )
    dotted = EventQuery(traits=(TraitFilter("a.b", "string", "eq", "x"),))
    assert _ids(events.list_events(dotted)) == ["m"]
    spaced = EventQuery(traits=(TraitFilter("c d", "integer", "ge", 1),))
    assert _ids(events.list_events(spaced)) == ["m"]


def test_trait_instances(aws):
    for message_id, moment, traits in (
        ("m1", T0, [make_trait("b", "integer", 2), make_trait("a", "string", "x")]),
        ("m2", T0 + timedelta(1), [make_trait("b", "integer", 2), make_trait("b", "string", "s")]),
        ("m3", T0 + timedelta(2), [make_trait("a", "datetime", T0)]),
    ):
        events.record_event(
            build_event(event_type="t", message_id=message_id, generated=moment, traits=traits)
        )
    everything = events.list_trait_instances("t")
    assert [(t.name, t.type, t.wire_value()) for t in everything] == [
        ("a", "string", "x"),
        ("b", "string", "s"),
        ("b", "integer", "2"),
        ("b", "integer", "2"),
        ("a", "datetime", "2014-01-01T05:00:00"),
    ]
    only_b = events.list_trait_instances("t", "b")
    assert [(t.type, t.value) for t in only_b] == [("string", "s"), ("integer", 2), ("integer", 2)]
    assert events.list_trait_instances("t", "zzz") == []
    assert events.list_trait_instances("other") == []


def test_listing_reads_indexes_never_scans(thirty, monkeypatch):
    def no_scan(*args, **kwargs):
        raise AssertionError("a request path scanned the table")

    monkeypatch.setattr(EventModel, "scan", no_scan)
    events.list_events(EventQuery(traits=(TraitFilter("trait_B", "integer", "gt", 3),)))
    events.list_events(EventQuery(sort=(("message_id", "desc"),)))
    events.list_trait_instances("Foo")
