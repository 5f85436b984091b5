"""Alarms, their SNS topic and a CloudWatch dashboard, merged into the stage's template.

Each alarm notifies ``AlarmTopic`` (and, when the ``AlarmEmail`` parameter is set, that
address through an e-mail subscription AWS asks the address to confirm). Every threshold is a
template parameter; ``THRESHOLDS`` holds their defaults and docs/operations.md (the runbook)
says what to do when each alarm fires. The lock-out alarm reads the service's own EMF metric
``LoginLockouts`` (chalicelib/metrics.py); the others read AWS's metrics.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

NAMESPACE = "EventService"  # chalicelib.metrics.NAMESPACE (infra never imports chalicelib here)
SERVICE = "event-service"
TOPIC = "AlarmTopic"
EMAIL = "AlarmEmail"
HAS_EMAIL = "HasAlarmEmail"
PERIOD_SECONDS = 300


@dataclass(frozen=True)
class Threshold:
    parameter: str
    default: float
    description: str


THRESHOLDS = (
    Threshold("DeadLetterDepthThreshold", 1, "Messages in the stream's on-failure queue"),
    Threshold(
        "IteratorAgeThresholdSeconds", 300, "Age in seconds of the oldest unhandled stream record"
    ),
    Threshold("FunctionErrorsThreshold", 1, "Errors of one function in 5 minutes"),
    Threshold("FunctionThrottlesThreshold", 1, "Throttled invocations of one function in 5 min"),
    Threshold(
        "DurationPercentOfTimeoutThreshold", 80, "Slowest invocation in 5 min, % of its timeout"
    ),
    Threshold("DynamoDBThrottleThreshold", 1, "Throttled reads+writes of one table in 5 minutes"),
    Threshold("Api5xxPercentThreshold", 5, "Share of API requests answered 5xx in 5 min, %"),
    Threshold("LockoutThreshold", 20, "Logins refused by the brute-force lock-out in 5 minutes"),
)


def parameters() -> dict[str, Any]:
    found: dict[str, Any] = {
        EMAIL: {
            "Type": "String",
            "Default": "",
            "Description": "Where alarms are mailed (empty: only the SNS topic)",
        }
    }
    for threshold in THRESHOLDS:
        found[threshold.parameter] = {
            "Type": "Number",
            "Default": threshold.default,
            "MinValue": 0,
            "Description": threshold.description,
        }
    return found


def _metric(
    namespace: str, name: str, stat: str, dimensions: dict[str, Any], ident: str = "m1"
) -> dict[str, Any]:
    return {
        "Id": ident,
        "ReturnData": False,
        "MetricStat": {
            "Metric": {
                "Namespace": namespace,
                "MetricName": name,
                "Dimensions": [{"Name": key, "Value": value} for key, value in dimensions.items()],
            },
            "Period": PERIOD_SECONDS,
            "Stat": stat,
        },
    }


def _alarm(
    description: str,
    threshold: str,
    *,
    metric: tuple[str, str, str, dict[str, Any]] | None = None,
    expression: str | None = None,
    inputs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An alarm at ``threshold`` (a parameter) on one metric or on a metric-math expression."""
    properties: dict[str, Any] = {
        "AlarmDescription": description,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "EvaluationPeriods": 1,
        "Threshold": {"Ref": threshold},
        "TreatMissingData": "notBreaching",
        "AlarmActions": [{"Ref": TOPIC}],
        "OKActions": [{"Ref": TOPIC}],
    }
    if metric is not None:
        namespace, name, stat, dimensions = metric
        properties.update(
            Namespace=namespace,
            MetricName=name,
            Statistic=stat,
            Dimensions=[{"Name": key, "Value": value} for key, value in dimensions.items()],
            Period=PERIOD_SECONDS,
        )
    else:
        properties["Metrics"] = [
            *(inputs or []),
            {"Id": "e1", "Expression": expression, "Label": description, "ReturnData": True},
        ]
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": properties}


def alarm_resources(
    *,
    stage: str,
    functions: dict[str, int],
    stream_function: str,
    queue: str,
    tables: list[str],
) -> dict[str, Any]:
    """The topic, its optional subscription and every alarm.

    ``functions``: logical id -> timeout in seconds; ``stream_function``: the one reading the
    events stream; ``queue``: the on-failure queue's logical id; ``tables``: table logical ids.
    """
    resources: dict[str, Any] = {
        TOPIC: {
            "Type": "AWS::SNS::Topic",
            "Properties": {"DisplayName": f"{SERVICE} {stage} alarms"},
        },
        f"{TOPIC}Email": {
            "Type": "AWS::SNS::Subscription",
            "Condition": HAS_EMAIL,
            "Properties": {
                "TopicArn": {"Ref": TOPIC},
                "Protocol": "email",
                "Endpoint": {"Ref": EMAIL},
            },
        },
        "DeadLetterDepthAlarm": _alarm(
            "Stream records the trigger gave up on wait in the on-failure queue: make replay",
            "DeadLetterDepthThreshold",
            metric=(
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                "Maximum",
                {"QueueName": {"Fn::GetAtt": [queue, "QueueName"]}},
            ),
        ),
        "StreamIteratorAgeAlarm": _alarm(
            "The events stream is handled late: post handlers lag behind",
            "IteratorAgeThresholdSeconds",
            expression="m1 / 1000",
            inputs=[
                _metric(
                    "AWS/Lambda",
                    "IteratorAge",
                    "Maximum",
                    {"FunctionName": {"Ref": stream_function}},
                )
            ],
        ),
        "Api5xxAlarm": _alarm(
            "The API answers 5xx",
            "Api5xxPercentThreshold",
            expression="100 * m1",
            inputs=[
                _metric(
                    "AWS/ApiGateway", "5XXError", "Average", {"ApiName": SERVICE, "Stage": stage}
                )
            ],
        ),
        "LockoutAlarm": _alarm(
            "Logins refused by the lock-out: a password-guessing attack, or a client with a stale"
            " password",
            "LockoutThreshold",
            metric=(NAMESPACE, "LoginLockouts", "Sum", {"function": "api", "service": SERVICE}),
        ),
    }
    for function, timeout in functions.items():
        name = {"FunctionName": {"Ref": function}}
        resources[f"{function}ErrorsAlarm"] = _alarm(
            f"{function} fails",
            "FunctionErrorsThreshold",
            metric=("AWS/Lambda", "Errors", "Sum", name),
        )
        resources[f"{function}ThrottlesAlarm"] = _alarm(
            f"{function} is throttled",
            "FunctionThrottlesThreshold",
            metric=("AWS/Lambda", "Throttles", "Sum", name),
        )
        resources[f"{function}DurationAlarm"] = _alarm(
            f"{function} runs close to its {timeout} s timeout",
            "DurationPercentOfTimeoutThreshold",
            expression=f"100 * m1 / {timeout * 1000}",
            inputs=[_metric("AWS/Lambda", "Duration", "Maximum", name)],
        )
    for table in tables:
        dimensions = {"TableName": {"Ref": table}}
        resources[f"{table}ThrottleAlarm"] = _alarm(
            f"{table}: DynamoDB throttles reads or writes",
            "DynamoDBThrottleThreshold",
            expression="FILL(m1, 0) + FILL(m2, 0)",
            inputs=[
                _metric("AWS/DynamoDB", "ReadThrottleEvents", "Sum", dimensions, "m1"),
                _metric("AWS/DynamoDB", "WriteThrottleEvents", "Sum", dimensions, "m2"),
            ],
        )
    return resources


def conditions() -> dict[str, Any]:
    return {HAS_EMAIL: {"Fn::Not": [{"Fn::Equals": [{"Ref": EMAIL}, ""]}]}}


# ---------------------------------------------------------------------- the dashboard


def dashboard(
    *, stage: str, functions: list[str], stream_function: str, queue: str, events_table: str
) -> dict[str, Any]:
    """One dashboard: AWS's metrics of the stack's parts beside the service's own (EMF)."""

    def ref(logical_id: str) -> str:
        return "${" + logical_id + "}"

    def widget(title: str, metrics: list[list[Any]], stat: str = "Sum") -> dict[str, Any]:
        return {
            "type": "metric",
            "width": 12,
            "height": 6,
            "properties": {
                "title": title,
                "region": "${AWS::Region}",
                "stat": stat,
                "period": PERIOD_SECONDS,
                "view": "timeSeries",
                "metrics": metrics,
            },
        }

    def search(metric: str, dimensions: str) -> list[list[Any]]:
        query = f"SEARCH('{{{NAMESPACE},{dimensions}}} MetricName=\"{metric}\"', 'Sum', 300)"
        return [[{"expression": query, "label": metric, "id": metric.lower()}]]

    def per_function(metric: str) -> list[list[Any]]:
        return [["AWS/Lambda", metric, "FunctionName", ref(f)] for f in functions]

    widgets = [
        widget(
            "API requests and errors",
            [
                ["AWS/ApiGateway", name, "ApiName", SERVICE, "Stage", stage]
                for name in ("Count", "4XXError", "5XXError")
            ],
        ),
        widget(
            "API latency (p99)",
            [["AWS/ApiGateway", "Latency", "ApiName", SERVICE, "Stage", stage]],
            "p99",
        ),
        widget("Function errors", per_function("Errors")),
        widget("Function throttles", per_function("Throttles")),
        widget("Function duration (max)", per_function("Duration"), "Maximum"),
        widget(
            "Stream: iterator age (max) and on-failure queue",
            [
                ["AWS/Lambda", "IteratorAge", "FunctionName", ref(stream_function)],
                [
                    "AWS/SQS",
                    "ApproximateNumberOfMessagesVisible",
                    "QueueName",
                    ref(f"{queue}.QueueName"),
                ],
            ],
            "Maximum",
        ),
        widget(
            "Events table: capacity and throttles",
            [
                ["AWS/DynamoDB", name, "TableName", ref(events_table)]
                for name in (
                    "ConsumedReadCapacityUnits",
                    "ConsumedWriteCapacityUnits",
                    "ReadThrottleEvents",
                    "WriteThrottleEvents",
                )
            ],
        ),
        widget("Events recorded, by dialect", search("EventsRecorded", "dialect,function,service")),
        widget(
            "Handler action executions, by module and status",
            search("ActionExecutions", "function,module,service,status"),
        ),
        widget("Stream batch item failures", search("BatchItemFailures", "function,service")),
        widget(
            "Scheduler transitions", search("SchedulerTransitions", "function,service,transition")
        ),
        widget("Logins refused by the lock-out", search("LoginLockouts", "function,service")),
    ]
    for index, item in enumerate(widgets):
        item["x"], item["y"] = (index % 2) * 12, (index // 2) * 6
    return {
        "Type": "AWS::CloudWatch::Dashboard",
        "Properties": {
            "DashboardName": f"{SERVICE}-{stage}",
            "DashboardBody": {"Fn::Sub": json.dumps({"widgets": widgets})},
        },
    }
