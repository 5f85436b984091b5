"""Store access against moto tables: failed conditions and unavailable tables as domain errors."""

from __future__ import annotations

import functools

import pytest
from pynamodb.exceptions import PynamoDBException

from chalicelib.core.events import to_item
from chalicelib.core.model import build_event
from chalicelib.errors import Conflict, StoreFailure, StoreUnavailable
from chalicelib.store.access import condition_failed, save_if, store_access, update_if
from chalicelib.store.events import EventModel


def _item(message_id: str = "ev-1") -> EventModel:
    return to_item(build_event(event_type="access.test", message_id=message_id))


def test_save_if_writes_once_then_reports_the_taken_key(aws):
    first, again = _item(), _item()
    absent = EventModel.message_id.does_not_exist()

    assert save_if(first, absent) is True
    assert save_if(again, absent) is False
    assert EventModel.count() == 1


def test_update_if_is_false_when_the_condition_fails(aws):
    item = _item()
    item.save()

    assert update_if(item, [EventModel.event_type.set("other")], EventModel.depth > 5) is False
    assert EventModel.get("ev-1").event_type == "access.test"
    assert update_if(item, [EventModel.event_type.set("other")], EventModel.depth.exists())
    assert EventModel.get("ev-1").event_type == "other"


def test_a_failed_condition_raises_the_callers_error(aws):
    _item().save()

    exists = functools.partial(Conflict, "ev-1 exists")
    with pytest.raises(Conflict) as raised, store_access(on_condition_failed=exists):
        _item().save(condition=EventModel.message_id.does_not_exist())

    assert condition_failed(raised.value.__cause__)
    assert str(raised.value) == "ev-1 exists"


def test_a_failed_condition_without_a_handler_is_a_store_failure_not_a_retry(aws):
    _item().save()

    with pytest.raises(StoreFailure) as raised, store_access():
        _item().save(condition=EventModel.message_id.does_not_exist())

    # retrying the same write cannot succeed: a 500, never a 503 "retry"
    assert not isinstance(raised.value, StoreUnavailable)
    assert raised.value.status_code == 500 and raised.value.retry_after_seconds is None
    assert isinstance(raised.value.cause, PynamoDBException)


def test_a_deleted_table_is_store_unavailable(aws):
    EventModel.delete_table()

    with pytest.raises(StoreUnavailable) as raised:
        save_if(_item(), EventModel.message_id.does_not_exist())
    assert not condition_failed(raised.value.cause)
    # a table being created or restored is worth a retry: 503 with Retry-After
    assert raised.value.status_code == 503 and raised.value.retry_after_seconds
    with (
        pytest.raises(StoreUnavailable) as again,
        store_access(on_condition_failed=lambda: Conflict()),
    ):
        EventModel.get("ev-1")
    assert again.value.status_code == 503


def test_other_errors_pass_unchanged():
    with pytest.raises(KeyError), store_access():
        raise KeyError("not a store failure")


def _time_out(monkeypatch, operations: set[str]) -> None:
    """Every call of ``operations`` times out, as botocore's read timeout does (no response)."""
    from botocore.client import BaseClient
    from botocore.exceptions import ReadTimeoutError

    real = BaseClient._make_api_call

    def timing_out(self, operation_name, api_params):
        if operation_name in operations:
            raise ReadTimeoutError(endpoint_url="http://dynamodb.test")
        return real(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", timing_out)


def test_a_timed_out_call_is_store_unavailable_not_a_crash(aws, monkeypatch):
    _time_out(monkeypatch, {"PutItem", "GetItem"})

    with pytest.raises(StoreUnavailable) as raised:
        save_if(_item(), EventModel.message_id.does_not_exist())
    assert raised.value.status_code == 503 and raised.value.retry_after_seconds
    assert not condition_failed(raised.value.cause)
    with pytest.raises(StoreUnavailable), store_access():
        EventModel.get("ev-1")


def test_an_ingest_whose_transaction_times_out_answers_503_with_retry_after(
    client, admin, monkeypatch
):
    import json

    _time_out(monkeypatch, {"TransactWriteItems"})
    events = [
        {"event_type": "timeout.test", "message_id": f"t-{n}", "generated": "2026-01-01T00:00:00"}
        for n in range(3)
    ]
    response = client.http.post(
        "/v2/events",
        headers={**admin, "Content-Type": "application/json"},
        body=json.dumps(events),
    )

    assert response.status_code == 503, response.body
    assert response.headers["Retry-After"]
