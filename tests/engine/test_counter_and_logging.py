"""Counter and Logging modules, run from the stream."""

from __future__ import annotations

import logging

import pytest

from chalicelib.core.counters import get_counter
from chalicelib.core.executions import list_executions
from chalicelib.engine import dispatch
from tests.engine.conftest import add_handler, make_event, stream_batch


def test_counter_actions(aws):
    add_handler(1, "Counter", "increase_counter", ["Up"], options={"counter_name": "hits"})
    add_handler(2, "Counter", "decrease_counter", ["Down"], options={"counter_name": "hits"})
    add_handler(
        3,
        "Counter",
        "decrease_counter",
        ["Down"],
        options={"counter_name": "debt", "allow_negative_values": "True"},
    )
    add_handler(4, "Counter", "reset_counter", ["Reset"], options={"counter_name": "hits"})
    add_handler(5, "Counter", "increase_counter", ["Up"], options={"counter_name": "per-{node}"})

    # Records of one batch run concurrently (their order is not kept): order-sensitive steps
    # go in separate batches.
    dispatch.handle_stream_batch(stream_batch(*(make_event("Up", node="r1") for _ in range(3))))
    dispatch.handle_stream_batch(stream_batch(make_event("Down")))
    assert get_counter("hits") == 2 and get_counter("debt") == -1 and get_counter("per-r1") == 3

    dispatch.handle_stream_batch(stream_batch(*(make_event("Down") for _ in range(4))))
    assert get_counter("hits") == 0  # stops at zero without allow_negative_values
    assert get_counter("debt") == -5

    dispatch.handle_stream_batch(stream_batch(make_event("Up")))
    dispatch.handle_stream_batch(stream_batch(make_event("Reset")))
    assert get_counter("hits") == 0
    assert all(e["status"] == "ok" for e in list_executions())


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def captured():
    handlers = {}

    def attach(name):
        from chalicelib.engine.modules.event_logging import event_logger

        event_logger(name)  # the Powertools logger owns logging.getLogger(name)
        handler = handlers[name] = Capture()
        logging.getLogger(name).addHandler(handler)
        return handler

    yield attach
    for name, handler in handlers.items():
        logging.getLogger(name).removeHandler(handler)


def test_logging_with_privacyideas_defaults(aws, captured):
    capture = captured("pi-eventlogger")
    add_handler(1, "Logging", "logging", ["Node Down"])
    event = make_event(node="r1")
    dispatch.handle_stream_batch(stream_batch(event))

    [record] = capture.records
    assert record.getMessage() == "event=Node Down triggered" and record.levelname == "INFO"
    assert record.message_id == event.message_id and record.handler_id == 1


def test_logging_with_a_template(aws, captured):
    capture = captured("ops-events")
    add_handler(
        1,
        "Logging",
        "logging",
        ["Node Down"],
        options={
            "name": "ops-events",
            "level": "WARNING",
            "message": "{node} down at {generated} (p{priority}) by {handler_name}",
        },
    )
    event = make_event(node="r9", priority=4)
    dispatch.handle_stream_batch(stream_batch(event))

    [record] = capture.records
    assert record.levelname == "WARNING"
    assert record.getMessage() == (f"r9 down at {event.generated.isoformat()} (p4) by handler 1")
