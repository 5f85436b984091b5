"""The stage's alarms, their topic and the dashboard, in the packaged template."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from chalicelib import metrics
from infra import alarms, build_template
from tests.conftest import USER_PASSWORD, basic

PROJECT_DIR = Path(__file__).resolve().parents[2]


def by_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource["Type"] == kind
    }


def watched(alarm: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(namespace, metric, dimensions) of every metric an alarm reads."""
    properties = alarm["Properties"]
    if "MetricName" in properties:
        stats = [
            {
                "Namespace": properties["Namespace"],
                "MetricName": properties["MetricName"],
                "Dimensions": properties["Dimensions"],
            }
        ]
    else:
        stats = [m["MetricStat"]["Metric"] for m in properties["Metrics"] if "MetricStat" in m]
    return [
        (
            stat["Namespace"],
            stat["MetricName"],
            {d["Name"]: json.dumps(d["Value"]) for d in stat["Dimensions"]},
        )
        for stat in stats
    ]


def test_every_alarm_notifies_the_topic_at_a_threshold_parameter(template):
    parameters = template["Parameters"]
    found = by_type(template, "AWS::CloudWatch::Alarm")
    assert found
    for name, alarm in found.items():
        properties = alarm["Properties"]
        assert properties["AlarmActions"] == [{"Ref": alarms.TOPIC}], name
        assert properties["Threshold"]["Ref"] in parameters, name
    for threshold in alarms.THRESHOLDS:
        assert parameters[threshold.parameter]["Default"] == threshold.default
    assert template["Resources"][alarms.TOPIC]["Type"] == "AWS::SNS::Topic"


def test_the_email_subscription_exists_only_when_an_address_is_given(template):
    [subscription] = by_type(template, "AWS::SNS::Subscription").values()
    assert subscription["Condition"] == alarms.HAS_EMAIL
    assert subscription["Properties"]["Endpoint"] == {"Ref": alarms.EMAIL}
    assert template["Parameters"][alarms.EMAIL]["Default"] == ""
    assert template["Conditions"][alarms.HAS_EMAIL] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": alarms.EMAIL}, ""]}]
    }


def test_the_stream_queue_and_api_are_watched(template):
    metrics_watched = [
        m for alarm in by_type(template, "AWS::CloudWatch::Alarm").values() for m in watched(alarm)
    ]
    queue = json.dumps({"Fn::GetAtt": [build_template.DEAD_LETTER_QUEUE, "QueueName"]})
    assert ("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": queue}) in (
        metrics_watched
    )
    stream = json.dumps({"Ref": "HandleEventStream"})
    assert ("AWS/Lambda", "IteratorAge", {"FunctionName": stream}) in metrics_watched
    api_name = template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["info"]["title"]
    assert (
        "AWS/ApiGateway",
        "5XXError",
        {"ApiName": json.dumps(api_name), "Stage": json.dumps("dev")},
    ) in metrics_watched


def test_each_function_has_errors_throttles_and_duration_near_its_timeout(template):
    found = by_type(template, "AWS::CloudWatch::Alarm")
    functions = by_type(template, "AWS::Serverless::Function")
    assert set(functions) == {"APIHandler", "HandleEventStream", "RunSchedule"}
    for name, function in functions.items():
        dimensions = {"FunctionName": json.dumps({"Ref": name})}
        read = [m for alarm in found.values() for m in watched(alarm)]
        for metric in ("Errors", "Throttles", "Duration"):
            assert ("AWS/Lambda", metric, dimensions) in read, (name, metric)
        duration = found[f"{name}DurationAlarm"]["Properties"]
        [expression] = [m["Expression"] for m in duration["Metrics"] if "Expression" in m]
        # The percentage is of the timeout the function is really packaged with.
        assert re.fullmatch(r"100 \* m1 / (\d+)", expression).group(1) == str(
            function["Properties"]["Timeout"] * 1000
        )


def test_every_table_has_a_throttle_alarm(template):
    tables = by_type(template, "AWS::DynamoDB::Table")
    read = [
        m for alarm in by_type(template, "AWS::CloudWatch::Alarm").values() for m in watched(alarm)
    ]
    for table in tables:
        dimensions = {"TableName": json.dumps({"Ref": table})}
        assert ("AWS/DynamoDB", "ReadThrottleEvents", dimensions) in read
        assert ("AWS/DynamoDB", "WriteThrottleEvents", dimensions) in read


@pytest.fixture
def fresh_metrics(monkeypatch):
    monkeypatch.setattr(metrics, "_pending", {})
    monkeypatch.setattr(metrics, "_flushed_functions", set())


def test_the_lockout_alarm_reads_the_metric_the_service_emits(
    template, client, user, fresh_metrics, capsys
):
    [alarm] = [
        a
        for a in by_type(template, "AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("Namespace") == metrics.NAMESPACE
    ]
    [(namespace, name, dimensions)] = watched(alarm)
    wrong = basic("alice", "wrong-password")
    for _ in range(10):
        assert client.http.post("/auth/token", headers=wrong).status_code == 401
    capsys.readouterr()
    assert client.http.post("/auth/token", headers=basic("alice", USER_PASSWORD)).status_code == 429
    emitted = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("{") and '"_aws"' in line and name in line
    ]
    [line] = emitted
    [directive] = line["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == namespace
    assert [m["Name"] for m in directive["Metrics"]] == [name]
    [dimension_set] = directive["Dimensions"]
    assert {key: json.dumps(line[key]) for key in dimension_set} == dimensions
    assert line[name] == [1.0]


def test_the_dashboard_shows_aws_metrics_beside_the_services_own(template):
    [dashboard] = by_type(template, "AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(body)["widgets"]
    text = json.dumps(widgets)
    for emitted in (
        "EventsRecorded",
        "ActionExecutions",
        "BatchItemFailures",
        "SchedulerTransitions",
        "LoginLockouts",
    ):
        assert f'MetricName=\\"{emitted}\\"' in text, emitted
    for aws_metric in (
        "5XXError",
        "IteratorAge",
        "ApproximateNumberOfMessagesVisible",
        "Errors",
        "Throttles",
        "Duration",
        "WriteThrottleEvents",
    ):
        assert f'"{aws_metric}"' in text, aws_metric
    referenced = set(re.findall(r"\$\{([^}.]+)", body)) - {"AWS::Region"}
    assert referenced <= set(template["Resources"])


def test_the_runbook_documents_every_threshold_and_its_default():
    runbook = (PROJECT_DIR / "docs" / "operations.md").read_text()
    for threshold in alarms.THRESHOLDS:
        assert re.search(rf"`{threshold.parameter}`[^\n]*\b{threshold.default:g}\b", runbook), (
            threshold.parameter
        )
