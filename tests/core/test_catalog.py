"""Summaries maintained on write: event types and trait descriptions."""

from __future__ import annotations

import pytest

from chalicelib.core import catalog, events
from chalicelib.core.model import build_event, make_trait
from chalicelib.store.catalog import CatalogModel


def _record(event_type, *traits, message_id=None):
    event = build_event(
        event_type=event_type,
        message_id=message_id,
        traits=[make_trait(*trait) for trait in traits],
    )
    events.record_event(event)
    return event


def test_event_types_are_sorted_by_name_and_listed_once(aws):
    assert catalog.list_event_types() == []
    for event_type in ("Zoo", "Foo", "Bar", "Foo", "compute.instance.update"):
        _record(event_type)
    assert catalog.list_event_types() == ["Bar", "Foo", "Zoo", "compute.instance.update"]


def test_trait_descriptions_by_type_rank_then_name(aws):
    _record("t", ("zeta", "string", "z"), ("when", "datetime", "2014-01-01T00:00:00"))
    _record("t", ("alpha", "float", 1.5), ("beta", "integer", 2), ("alpha", "string", "a"))
    _record("other", ("only_here", "integer", 1))
    assert catalog.list_trait_descriptions("t") == [
        ("alpha", "string"),
        ("zeta", "string"),
        ("beta", "integer"),
        ("alpha", "float"),
        ("when", "datetime"),
    ]
    assert catalog.list_trait_descriptions("other") == [("only_here", "integer")]
    assert catalog.list_trait_descriptions("unknown") == []


def test_summaries_are_written_once_per_container(aws, monkeypatch):
    _record("t", ("a", "string", "x"))
    writes = []
    original = CatalogModel.save
    monkeypatch.setattr(CatalogModel, "save", lambda self, *a, **k: writes.append(self.sk))
    _record("t", ("a", "string", "y"))
    assert writes == []
    _record("t", ("b", "integer", 1))
    assert writes == ["1#b"]
    monkeypatch.setattr(CatalogModel, "save", original)
    catalog.forget_cache()
    _record("t", ("a", "string", "z"), ("b", "integer", 2))  # rewriting a summary is harmless
    assert catalog.list_trait_descriptions("t") == [("a", "string"), ("b", "integer")]


def test_the_summary_is_noted_before_the_event_is_written(aws, monkeypatch):
    from pynamodb.exceptions import PutError

    from chalicelib.errors import StoreUnavailable
    from chalicelib.store.events import EventModel

    def failing_save(self, *args, **kwargs):
        raise PutError("boom")

    monkeypatch.setattr(EventModel, "save", failing_save)
    with pytest.raises(StoreUnavailable):
        _record("t", ("a", "string", "x"), message_id="m")
    monkeypatch.undo()
    assert catalog.list_event_types() == ["t"]  # listed, so a retried write is never missed
    _record("t", ("a", "string", "x"), message_id="m")
    assert events.get_event("m").event_type == "t"
