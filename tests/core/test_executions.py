"""Execution history: claims, final states and listings through the indexes."""

from __future__ import annotations

import time

import pytest

from chalicelib.core import depth, executions
from chalicelib.core.handlers import HandlerConfig
from chalicelib.core.model import build_event
from chalicelib.errors import ValidationFailed
from chalicelib.store.executions import ExecutionModel


def handler(handler_id, name="h"):
    return HandlerConfig(handler_id, name, ("E",), "Logging", "logging")


def event(message_id, event_type="E"):
    return build_event(event_type=event_type, message_id=message_id)


def run(handler_config, ev, status="ok", error=None):
    outcome = executions.claim_execution(handler_config, ev, 60)
    assert outcome.state == "claimed"
    assert executions.finish_execution(
        outcome.claim, status, attempts=2 if error else 1, error=error, detail={"n": 1}
    )


def test_claims_are_exclusive_and_final_states_are_never_repeated(aws):
    h, ev = handler(1), event("m1")
    first = executions.claim_execution(h, ev, 60)
    assert first.state == "claimed"
    assert executions.claim_execution(h, ev, 60).state == "busy"
    assert executions.record_skipped(h, ev, "late") == "busy"
    assert executions.finish_execution(first.claim, "ok", attempts=1)
    assert executions.claim_execution(h, ev, 60).state == "done"
    assert executions.record_skipped(h, ev, "late") == "done"
    stored = executions.get_execution("m1", 1)
    assert stored["status"] == "ok" and stored["attempts"] == 1
    assert stored["finished_at"] >= stored["started_at"] and stored["duration_ms"] >= 0
    assert ExecutionModel.get("m1#1").lease_until is None


def test_a_claim_taken_over_cannot_be_finished_by_its_old_owner(aws):
    h, ev = handler(1), event("m1")
    old = executions.claim_execution(h, ev, -1)  # a lease already expired
    new = executions.claim_execution(h, ev, 60)
    assert new.state == "claimed"
    assert not executions.finish_execution(old.claim, "failed", attempts=1, error="late")
    assert executions.finish_execution(new.claim, "ok", attempts=1)
    assert executions.get_execution("m1", 1)["status"] == "ok"


def test_list_by_handler_status_type_message_and_day(aws):
    run(handler(1, "one"), event("m1", "A"))
    run(handler(2, "two"), event("m1", "A"), status="failed", error="HTTP 500 from x")
    run(handler(1, "one"), event("m2", "B"))
    executions.record_skipped(handler(2, "two"), event("m2", "B"), "condition node not met")

    everything = executions.list_executions()
    assert [e["execution_id"] for e in everything] == ["m2#2", "m2#1", "m1#2", "m1#1"]
    assert [e["execution_id"] for e in executions.list_executions(handler_id=1)] == ["m2#1", "m1#1"]
    [failed] = executions.list_executions(status="failed")
    assert failed == {
        "execution_id": "m1#2",
        "message_id": "m1",
        "event_type": "A",
        "handler_id": 2,
        "handler_name": "two",
        "handlermodule": "Logging",
        "action": "logging",
        "status": "failed",
        "attempts": 2,
        "started_at": failed["started_at"],
        "finished_at": failed["finished_at"],
        "duration_ms": failed["duration_ms"],
        "error": "HTTP 500 from x",
        "detail": '{"n": 1}',
    }
    [skipped] = executions.list_executions(status="skipped")
    assert skipped["detail"] == "condition node not met" and skipped["error"] is None
    assert [e["execution_id"] for e in executions.list_executions(event_type="B")] == [
        "m2#2",
        "m2#1",
    ]
    assert [e["execution_id"] for e in executions.list_executions(message_id="m1")] == [
        "m1#2",
        "m1#1",
    ]
    assert [
        e["execution_id"] for e in executions.list_executions(message_id="m1", handler_id=1)
    ] == ["m1#1"]
    assert [e["execution_id"] for e in executions.list_executions(limit=1)] == ["m2#2"]
    assert executions.list_executions(handler_id=9) == []


def test_listing_never_scans(aws, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("scan")

    monkeypatch.setattr(ExecutionModel, "scan", refuse)
    run(handler(1), event("m1"))
    assert len(executions.list_executions()) == 1


@pytest.mark.parametrize(
    "kwargs", [{"status": "done"}, {"limit": 0}, {"limit": 1001}, {"limit": "5"}]
)
def test_bad_filters_are_refused(aws, kwargs):
    with pytest.raises(ValidationFailed):
        executions.list_executions(**kwargs)


def test_depth_context_and_header():
    assert executions.current_depth() == 0
    with executions.running_at_depth(3):
        assert executions.current_depth() == 3
    assert executions.current_depth() == 0
    signed = executions.depth_headers(2, b"body")
    assert executions.depth_from_headers(signed, b"body") == 2
    lowered = {key.lower(): value for key, value in signed.items()}
    assert executions.depth_from_headers(lowered, b"body") == 2
    # unproven: no signature, another body, another depth, another key
    assert executions.depth_from_headers({"x-event-service-depth": "2"}) == 0
    assert executions.depth_from_headers(signed, b"other body") == 0
    forged = {**signed, executions.DEPTH_HEADER: "3"}
    assert executions.depth_from_headers(forged, b"body") == 0
    assert executions.depth_from_headers({"X-Event-Service-Depth": "nope"}) == 0
    assert executions.depth_from_headers({}) == 0
    moved = {**signed, depth.DEPTH_TIME_HEADER: str(int(time.time()) + 1)}
    assert executions.depth_from_headers(moved, b"body") == 0


def test_a_depth_proof_is_good_for_a_few_minutes_only():
    """A receiver that saw a body and its signed depth cannot send them again later."""
    window = depth.DEPTH_PROOF_SECONDS
    recent = executions.depth_headers(2, b"body", now=time.time() - window + 30)
    assert executions.depth_from_headers(recent, b"body") == 2
    stale = executions.depth_headers(2, b"body", now=time.time() - window - 30)
    assert executions.depth_from_headers(stale, b"body") == 0
    future = executions.depth_headers(2, b"body", now=time.time() + window + 30)
    assert executions.depth_from_headers(future, b"body") == 0


def test_a_peer_sharing_the_federation_secret_proves_its_depth(aws, monkeypatch):
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("EVENT_SERVICE_FEDERATION_SECRET", "shared-by-both-peers")
    reset_settings()
    signed = executions.depth_headers(2, b"body")
    assert executions.depth_from_headers(signed, b"body") == 2
    monkeypatch.setenv("EVENT_SERVICE_FEDERATION_SECRET", "another-deployment")
    reset_settings()
    assert executions.depth_from_headers(signed, b"body") == 0


@pytest.mark.parametrize("by", [{}, {"handler_id": 1}, {"message_id": "m-shared"}])
def test_history_pages_with_a_marker_over_the_sharded_day_index(aws, by):
    from chalicelib.errors import InvalidMarker

    for index in range(23):
        ev = event("m-shared" if by.get("message_id") else f"m{index:02d}")
        run(handler(1 if not by.get("message_id") else index + 1), ev)
    keys = {item.day_key for item in ExecutionModel.scan()}
    if not by:
        assert len(keys) > 1  # one day, several partitions
    everything = executions.list_executions(limit=1000, **by)
    assert len(everything) == 23
    started = [item["started_at"] for item in everything]
    assert started == sorted(started, reverse=True)
    paged, marker = [], None
    while True:
        page = executions.list_executions(limit=5, marker=marker, **by)
        if not page:
            break
        paged += page
        marker = page[-1]["execution_id"]
    assert [item["execution_id"] for item in paged] == [i["execution_id"] for i in everything]
    with pytest.raises(InvalidMarker):
        executions.list_executions(marker="nope#1")
