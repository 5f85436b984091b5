"""Dispatch from the stream: exactly-once effects, retries, partial batch failures, loops."""

from __future__ import annotations

import copy
import time

from chalicelib.core.executions import list_executions
from chalicelib.engine import dispatch
from tests.engine.conftest import add_handler, load_stream_fixture, make_event, stream_batch


def webhook(receiver, data='{"event": "{event_type}", "node": "{node}"}'):
    return {
        "URL": f"{receiver.url}/hook",
        "content_type": "application/json",
        "replace": "True",
        "data": data,
    }


def test_a_redelivered_batch_never_repeats_an_effect(allow_private, receiver):
    add_handler(1, "WebHook", "post_webhook", ["Node Down"], options=webhook(receiver))
    batch = load_stream_fixture("node_events.json")

    first = dispatch.handle_stream_batch(batch)
    again = dispatch.handle_stream_batch(copy.deepcopy(batch))

    assert first == again == {"batchItemFailures": []}
    assert [r.json() for r in receiver.posts("/hook")] == [
        {"event": "Node Down", "node": "router1"}
    ]
    [execution] = list_executions(handler_id=1)
    assert execution["status"] == "ok" and execution["attempts"] == 1
    assert execution["message_id"] == "fixture-node-down-1"
    assert execution["execution_id"] == "fixture-node-down-1#1"


def test_one_undecodable_record_fails_alone(allow_private, receiver):
    add_handler(
        1, "WebHook", "post_webhook", ["Node Down", "admin.user.create"], options=webhook(receiver)
    )
    batch = load_stream_fixture("mixed_batch.json")

    result = dispatch.handle_stream_batch(batch)

    assert result == {"batchItemFailures": [{"itemIdentifier": "1100000000017454423010"}]}
    # The good records around it ran; the MODIFY record is not an event happening.
    assert sorted(r.json()["event"] for r in receiver.posts()) == ["Node Down", "admin.user.create"]


def test_a_failing_webhook_is_retried_then_recorded_failed(allow_private, receiver):
    receiver.answer_with((500, b"receiver exploded"))
    add_handler(1, "WebHook", "post_webhook", ["Node Down"], options=webhook(receiver))
    add_handler(
        2,
        "Counter",
        "increase_counter",
        ["Node Down"],
        ordering=5,
        options={"counter_name": "downs"},
    )

    result = dispatch.handle_stream_batch(stream_batch(make_event(node="n1")))

    assert result == {"batchItemFailures": []}  # an action failure is not a record failure
    assert len(receiver.posts("/hook")) == 3  # action_max_attempts
    [failed] = list_executions(status="failed")
    assert failed["handler_id"] == 1 and failed["attempts"] == 3
    assert failed["error"].startswith("HTTP 500 from http://127.0.0.1:")
    assert "receiver exploded" in failed["error"]
    # ... and the next handler still ran.
    from chalicelib.core.counters import get_counter

    assert get_counter("downs") == 1
    assert list_executions(handler_id=2)[0]["status"] == "ok"


def test_a_transient_failure_succeeds_on_retry(allow_private, receiver):
    receiver.answer_with((503, b"busy"), (200, b"{}"))
    add_handler(1, "WebHook", "post_webhook", ["Node Down"], options=webhook(receiver))

    dispatch.handle_stream_batch(stream_batch(make_event(node="n1")))

    assert len(receiver.posts()) == 2
    [execution] = list_executions(handler_id=1)
    assert execution["status"] == "ok" and execution["attempts"] == 2 and not execution["error"]


def test_a_client_error_is_not_retried(allow_private, receiver):
    receiver.answer_with((404, b"no such hook"))
    add_handler(1, "WebHook", "post_webhook", ["Node Down"], options=webhook(receiver))

    dispatch.handle_stream_batch(stream_batch(make_event(node="n1")))

    assert len(receiver.posts()) == 1
    [execution] = list_executions(handler_id=1)
    assert execution["status"] == "failed" and execution["attempts"] == 1
    assert "HTTP 404" in execution["error"]


def test_handlers_run_in_ordering_and_skip_on_conditions(aws):
    from chalicelib.core.counters import get_counter

    add_handler(
        3,
        "Counter",
        "increase_counter",
        ["Node Down"],
        ordering=2,
        options={"counter_name": "order"},
    )
    add_handler(
        1, "Counter", "reset_counter", ["Node Down"], ordering=1, options={"counter_name": "order"}
    )
    add_handler(
        2,
        "Counter",
        "increase_counter",
        ["Node Down"],
        ordering=3,
        options={"counter_name": "big"},
        conditions={"priority": ">5"},
    )
    add_handler(
        4,
        "Counter",
        "increase_counter",
        ["Node Down"],
        active=False,
        options={"counter_name": "inactive"},
    )
    add_handler(
        5, "Counter", "increase_counter", ["Node Up"], options={"counter_name": "other-event"}
    )

    # One event per batch: records of a batch run concurrently, handlers of one event in order.
    dispatch.handle_stream_batch(stream_batch(make_event(priority=3)))
    dispatch.handle_stream_batch(stream_batch(make_event(priority=6)))

    # reset (ordering 1) runs before increase (ordering 2) for each event.
    assert get_counter("order") == 1
    assert get_counter("big") == 1
    assert get_counter("inactive") == get_counter("other-event") == 0
    skipped = list_executions(status="skipped")
    assert [(e["handler_id"], e["detail"]) for e in skipped] == [(2, "condition priority not met")]
    assert len(list_executions(status="ok")) == 5


def test_a_record_without_bound_handlers_writes_nothing(aws):
    add_handler(1, "Counter", "increase_counter", ["Other"], options={"counter_name": "x"})
    result = dispatch.handle_stream_batch(load_stream_fixture("node_events.json"))
    assert result == {"batchItemFailures": []}
    assert list_executions() == []


def test_events_beyond_the_depth_limit_run_no_handler(aws):
    from chalicelib.core.counters import get_counter
    from chalicelib.core.model import build_event

    add_handler(1, "Counter", "increase_counter", ["Loop"], options={"counter_name": "loops"})
    deep = build_event(event_type="Loop", depth=4)  # max_event_depth is 3
    shallow = build_event(event_type="Loop", depth=3)

    dispatch.handle_stream_batch(stream_batch(deep, shallow))

    assert get_counter("loops") == 1
    [skipped] = list_executions(status="skipped")
    assert skipped["message_id"] == deep.message_id and "max_event_depth" in skipped["detail"]


def test_events_recorded_by_an_execution_are_one_level_deeper(aws):
    from chalicelib.core.events import get_event
    from chalicelib.core.executions import running_at_depth
    from chalicelib.engine import operations

    with running_at_depth(2):
        operations.perform("test.op", None, {"x": 1}, lambda params: params)
    operations.perform("test.op", None, {"x": 2}, lambda params: params)
    from tests.engine.conftest import read_stream

    depths = sorted(
        get_event(r["dynamodb"]["Keys"]["message_id"]["S"]).depth for r in read_stream()
    )
    assert depths == [0, 2]


def test_a_failed_handler_with_abort_on_error_stops_the_ones_after_it(aws, settings_env):
    from chalicelib.core.counters import get_counter

    add_handler(
        1,
        "Counter",
        "increase_counter",
        ["Node Down"],
        ordering=1,
        options={"counter_name": "before"},
    )
    add_handler(
        2,
        "WebHook",
        "post_webhook",
        ["Node Down"],
        ordering=2,
        abort_on_error=True,
        options={
            "URL": "http://169.254.169.254/latest",
            "content_type": "application/json",
            "replace": "False",
            "data": "{}",
        },
    )
    add_handler(
        3,
        "Counter",
        "increase_counter",
        ["Node Down"],
        ordering=3,
        options={"counter_name": "after"},
    )

    dispatch.handle_stream_batch(stream_batch(make_event()))

    assert get_counter("before") == 1 and get_counter("after") == 0
    by_handler = {e["handler_id"]: e for e in list_executions()}
    assert by_handler[2]["status"] == "failed" and "metadata" in by_handler[2]["error"]
    assert by_handler[2]["attempts"] == 1  # a refused destination is not worth a retry
    assert by_handler[3]["status"] == "skipped" and "abort_on_error" in by_handler[3]["detail"]


def test_a_crashed_claim_is_taken_over_after_its_lease(aws):
    from chalicelib.core.counters import get_counter
    from chalicelib.store.executions import ExecutionModel

    add_handler(1, "Counter", "increase_counter", ["Node Down"], options={"counter_name": "c"})
    event = make_event()
    batch = stream_batch(event)

    def crashed_claim(lease_until: float) -> None:
        ExecutionModel(
            f"{event.message_id}#1",
            message_id=event.message_id,
            handler_id=1,
            event_type="Node Down",
            handlermodule="Counter",
            action="increase_counter",
            status="running",
            started_at="2025-01-01T00:00:00.000000",
            started_key=f"2025-01-01T00:00:00.000000#{event.message_id}#1",
            day="2025-01-01",
            day_key="2025-01-01#0",
            handler_key="1#0",
            claim_token="dead-container",
            lease_until=lease_until,
        ).save()

    # Still leased by the (crashed?) first delivery: the record fails and is retried later.
    crashed_claim(time.time() + 300)
    busy = dispatch.handle_stream_batch(batch)
    assert busy["batchItemFailures"] == [
        {"itemIdentifier": batch["Records"][0]["dynamodb"]["SequenceNumber"]}
    ]
    assert get_counter("c") == 0

    # The lease has run out: the next delivery takes the execution over, once.
    crashed_claim(time.time() - 1)
    assert dispatch.handle_stream_batch(batch) == {"batchItemFailures": []}
    assert dispatch.handle_stream_batch(batch) == {"batchItemFailures": []}
    assert get_counter("c") == 1
    assert list_executions(handler_id=1)[0]["status"] == "ok"


def test_a_live_claim_is_respected_even_when_conditions_no_longer_hold(aws):
    from chalicelib.core import executions
    from chalicelib.core.handlers import cached_handlers

    add_handler(
        1,
        "Counter",
        "increase_counter",
        ["Node Down"],
        options={"counter_name": "c"},
        conditions={"counter": "c > 5"},
    )
    event = make_event()
    batch = stream_batch(event)
    [handler] = cached_handlers()
    assert executions.claim_execution(handler, event, 300).state == "claimed"

    busy = dispatch.handle_stream_batch(batch)

    assert len(busy["batchItemFailures"]) == 1
    assert list_executions(handler_id=1)[0]["status"] == "running"


def test_the_store_unavailable_fails_the_record(aws):
    from chalicelib.store.executions import ExecutionModel

    add_handler(1, "Counter", "increase_counter", ["Node Down"], options={"counter_name": "c"})
    batch = load_stream_fixture("node_events.json")
    ExecutionModel.delete_table()

    result = dispatch.handle_stream_batch(batch)

    assert result == {
        "batchItemFailures": [{"itemIdentifier": batch["Records"][0]["dynamodb"]["SequenceNumber"]}]
    }


def test_a_binding_that_cannot_run_is_recorded_failed(aws):
    add_handler(1, "Nope", "x", ["Node Down"])
    add_handler(2, "Logging", "no_such_action", ["Node Down"])
    add_handler(3, "RequestMangler", "set", ["Node Down"], options={"parameter": "a", "value": "b"})
    add_handler(4, "Logging", "logging", ["Node Down"], conditions={"priority": ">"})

    assert dispatch.handle_stream_batch(stream_batch(make_event())) == {"batchItemFailures": []}

    errors = {e["handler_id"]: e["error"] for e in list_executions(status="failed")}
    assert errors == {
        1: "unknown handler module 'Nope'",
        2: "unknown action 'no_such_action' of Logging",
        3: "RequestMangler does not run at position post",
        4: errors[4],
    }
    assert errors[4].startswith("condition error: ValidationFailed: condition priority")


def test_the_handler_set_is_read_once_per_batch(aws, monkeypatch):
    from chalicelib.core import handlers

    add_handler(1, "Logging", "logging", ["Node Down"])
    calls = []
    real = handlers.list_handlers
    monkeypatch.setattr(handlers, "list_handlers", lambda: calls.append(1) or real())
    handlers.forget_cached_handlers()

    dispatch.handle_stream_batch(stream_batch(*(make_event() for _ in range(5))))

    assert len(calls) == 1
