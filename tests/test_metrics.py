"""Metrics: counted at the call sites, published as EMF lines when an entry point flushes."""

from __future__ import annotations

import json

import pytest

from chalicelib import metrics


def _emf_lines(text: str) -> list[dict]:
    found = []
    for line in text.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            found.append(json.loads(line))
    return found


@pytest.fixture(autouse=True)
def fresh_metrics(monkeypatch):
    monkeypatch.setattr(metrics, "_pending", {})
    monkeypatch.setattr(metrics, "_flushed_functions", set())


def test_flush_groups_counts_by_dimensions_and_adds_cold_start_once(capsys):
    metrics.count("ActionExecutions", module="WebHook", status="ok")
    metrics.count("ActionExecutions", module="WebHook", status="ok")
    metrics.count("ActionExecutions", module="Logging", status="failed")
    metrics.count("BatchItemFailures", 0)  # nothing to say: not published
    assert metrics.flush("stream") == 3
    lines = _emf_lines(capsys.readouterr().out)
    by_dims = {(line.get("module"), line.get("status")): line for line in lines}
    assert by_dims[("WebHook", "ok")]["ActionExecutions"] == [2.0]
    assert by_dims[("Logging", "failed")]["ActionExecutions"] == [1.0]
    assert by_dims[(None, None)]["ColdStart"] == [1.0]
    assert all(
        line["function"] == "stream" and line["service"] == "event-service" for line in lines
    )
    assert lines[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == metrics.NAMESPACE
    assert metrics.flush("stream") == 0  # warm and nothing counted: silent
    assert capsys.readouterr().out == ""


def test_scheduler_transitions_are_counted_by_transition():
    metrics.count_each("SchedulerTransitions", {"done": 2, "failed": 0, "retried": 1}, "transition")
    assert metrics.pending() == {
        ("SchedulerTransitions", (("transition", "done"),)): 2,
        ("SchedulerTransitions", (("transition", "retried"),)): 1,
    }


def test_api_ingest_publishes_events_recorded_per_dialect(client, admin, capsys):
    metrics.flush("api")  # the container is warm
    capsys.readouterr()
    response = client.http.post(
        "/v2/events",
        headers={**admin, "Content-Type": "application/json"},
        body=json.dumps([{"event_type": "a.b"}, {"event_type": "a.c"}]),
    )
    assert response.status_code == 201
    lines = _emf_lines(capsys.readouterr().out)
    recorded = [line for line in lines if "EventsRecorded" in line]
    assert [(line["dialect"], line["EventsRecorded"], line["function"]) for line in recorded] == [
        ("panko", [2.0], "api")
    ]


def test_stream_handler_publishes_action_outcomes(aws, capsys):
    from chalicelib.core import handlers
    from chalicelib.core.model import build_event
    from chalicelib.engine import executor
    from chalicelib.engine.modules.base import module_rules

    handlers.save_handler(
        handlers.HandlerDraft.from_params(
            {
                "name": "log",
                "events": ["a.b"],
                "handlermodule": "Logging",
                "action": "logging",
                "position": "post",
            }
        ),
        module_rules(),
    )
    executor.BatchSession(None).run_post_handlers(build_event(event_type="a.b"))
    assert metrics.pending() == {("ActionExecutions", (("module", "Logging"), ("status", "ok"))): 1}


def test_schedule_and_stream_entry_points_flush_as_their_function(aws, capsys):
    import app as application
    from local.lambda_context import LocalLambdaContext
    from local.ticker import scheduled_event

    context = LocalLambdaContext("run_schedule", timeout_seconds=60)
    application.run_schedule(scheduled_event("us-east-1", "tick"), context)
    removal = {
        "eventID": "1",
        "eventName": "REMOVE",  # dispatch ignores it: only the flush is under test
        "eventSource": "aws:dynamodb",
        "dynamodb": {"Keys": {"message_id": {"S": "m"}}, "SequenceNumber": "1"},
    }
    application.handle_event_stream({"Records": [removal]}, context)
    lines = _emf_lines(capsys.readouterr().out)
    assert sorted(line["function"] for line in lines if "ColdStart" in line) == [
        "schedule",
        "stream",
    ]
