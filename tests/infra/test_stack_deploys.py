"""The packaged template deploys: translated by the SAM translator (offline, as ``sam deploy``'s
transform does), then created in moto's CloudFormation, and the created stack's wiring read
back through the AWS APIs.

Moto cannot create every resource type (``MOTO_CANNOT_CREATE`` says which and why). Those are
left out of the created stack, references to them become stand-in strings, and their own
tests below assert on the translated template instead.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.cloudformation.parsing import resource_class_from_type

from chalicelib.store.tables import ALL_MODELS
from infra import build_template

STACK = "event-service-dev"
CODE_BUCKET = "event-service-packages"
PREFIX = "event-service-dev-"

MOTO_CANNOT_CREATE = {
    # moto's RestApi wants a Name; SAM's API carries its name in the OpenAPI Body instead.
    "AWS::ApiGateway::RestApi": "moto requires Properties.Name, SAM puts it in Body",
    "AWS::ApiGateway::Deployment": "needs the RestApi above",
    "AWS::ApiGateway::Stage": "no CloudFormation support in moto",
    "AWS::SecretsManager::Secret": "no CloudFormation support in moto",
    "AWS::CloudWatch::Alarm": "no CloudFormation support in moto",
    "AWS::SNS::Subscription": "no CloudFormation support in moto",
}
PSEUDO = {
    "AWS::AccountId",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackName",
    "AWS::StackId",
    "AWS::URLSuffix",
    "AWS::NoValue",
}


class _NoManagedPolicies:
    """The translator's managed-policy loader, offline: the template names no managed policy."""

    def load(self) -> dict[str, str]:
        return {}


def translate(sam: dict[str, Any], code_uri: str) -> dict[str, Any]:
    """The CloudFormation template ``sam deploy`` would create (code already uploaded)."""
    from samtranslator.translator.transform import transform

    sam = copy.deepcopy(sam)
    for resource in sam["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = code_uri
    return transform(sam, {}, _NoManagedPolicies())


def references(value: Any) -> set[str]:
    """Every logical id or parameter a template value names (Ref, GetAtt, ${X} in Sub)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref":
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub":
                text, local = (inner, {}) if isinstance(inner, str) else inner
                named = {m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", text)}
                found |= (named - set(local)) | references(local)
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def _stand_ins(value: Any, removed: set[str]) -> Any:
    """``value`` with references to ``removed`` resources replaced by stand-in strings."""
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in removed:
            return f"stand-in-{value['Ref']}"
        if set(value) == {"Fn::GetAtt"} and value["Fn::GetAtt"][0] in removed:
            return "stand-in-" + ".".join(value["Fn::GetAtt"])
        if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):

            def replace(match: re.Match[str]) -> str:
                name = match.group(1).split(".")[0]
                return f"stand-in-{name}" if name in removed else match.group(0)

            return {"Fn::Sub": re.sub(r"\$\{([^}!]+)\}", replace, value["Fn::Sub"])}
        return {key: _stand_ins(inner, removed) for key, inner in value.items()}
    if isinstance(value, list):
        return [_stand_ins(inner, removed) for inner in value]
    return value


def creatable(translated: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The part of ``translated`` moto can create, and the logical ids left out."""
    removed = {
        name
        for name, resource in translated["Resources"].items()
        if resource["Type"] in MOTO_CANNOT_CREATE
    }
    body = {
        key: _stand_ins(value, removed)
        for key, value in translated.items()
        if key in ("Parameters", "Conditions", "Outputs")
    }
    body["Resources"] = {
        name: _stand_ins(resource, removed)
        for name, resource in translated["Resources"].items()
        if name not in removed
    }
    return body, removed


@pytest.fixture(scope="module")
def translated(template) -> dict[str, Any]:
    return translate(template, f"s3://{CODE_BUCKET}/deployment.zip")


@pytest.fixture(scope="module")
def stack(translated, packaged: Path):
    """The stack created in moto: yields its outputs while moto holds it."""
    body, _ = creatable(translated)
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=CODE_BUCKET)
        s3.upload_file(str(packaged.parent / "deployment.zip"), CODE_BUCKET, "deployment.zip")
        cloudformation = boto3.client("cloudformation")
        cloudformation.create_stack(
            StackName=STACK, TemplateBody=json.dumps(body), Capabilities=["CAPABILITY_IAM"]
        )
        [described] = cloudformation.describe_stacks(StackName=STACK)["Stacks"]
        assert described["StackStatus"] == "CREATE_COMPLETE", described.get("StackStatusReason")
        yield {o["OutputKey"]: o["OutputValue"] for o in described["Outputs"]}


def physical_ids(resource_type: str) -> dict[str, str]:
    summaries = boto3.client("cloudformation").list_stack_resources(StackName=STACK)
    return {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in summaries["StackResourceSummaries"]
        if r["ResourceType"] == resource_type
    }


def policy_document(value: Any) -> dict[str, Any]:
    """An inline policy as IAM gives it back (moto returns the Python repr of the dict)."""
    if isinstance(value, dict):
        return value
    try:
        return json.loads(value)
    except ValueError:
        import ast

        return ast.literal_eval(value)


def test_every_resource_type_is_created_or_named_as_one_moto_cannot(translated):
    types = {resource["Type"] for resource in translated["Resources"].values()}
    unknown = {t for t in types if t not in MOTO_CANNOT_CREATE and not resource_class_from_type(t)}
    assert unknown == set(), "add these to MOTO_CANNOT_CREATE with a test on the template"


def test_every_reference_in_the_translated_template_resolves(translated):
    names = set(translated["Resources"]) | set(translated.get("Parameters", {})) | PSEUDO
    for section in ("Resources", "Outputs"):
        for name, value in translated.get(section, {}).items():
            assert references(value) <= names, (section, name, references(value) - names)


def test_the_tables_exist_with_their_keys_indexes_and_stream(stack):
    client = boto3.client("dynamodb")
    names = set(client.list_tables()["TableNames"])
    assert names == {f"{PREFIX}{short}" for _, short in ALL_MODELS}
    for model, short in ALL_MODELS:
        live = client.describe_table(TableName=f"{PREFIX}{short}")["Table"]
        schema = model._get_schema()
        assert sorted(k["AttributeName"] for k in live["KeySchema"]) == sorted(
            k["AttributeName"] for k in schema["key_schema"]
        )
        assert sorted(i["IndexName"] for i in live.get("GlobalSecondaryIndexes", [])) == sorted(
            i["index_name"] for i in schema["global_secondary_indexes"]
        )
        stream = getattr(model.Meta, "stream_view_type", None)
        assert live.get("StreamSpecification", {}).get("StreamViewType") == stream
    assert stack["TablePrefix"] == PREFIX
    assert stack["EventsTableName"] == f"{PREFIX}events"


def test_ttl_and_point_in_time_recovery_are_in_the_template(translated):
    """moto's CloudFormation creates the tables but ignores these two properties."""
    for model, short in ALL_MODELS:
        properties = translated["Resources"][build_template.table_logical_id(short)]["Properties"]
        assert properties["PointInTimeRecoverySpecification"] == {
            "PointInTimeRecoveryEnabled": True
        }
        ttl = model._ttl_attribute()
        expected = {"AttributeName": ttl.attr_name, "Enabled": True} if ttl else None
        assert properties.get("TimeToLiveSpecification") == expected


def test_the_stream_mapping_reads_the_events_stream_into_the_stream_function(stack):
    lambdas = boto3.client("lambda")
    functions = physical_ids("AWS::Lambda::Function")
    [mapping] = lambdas.list_event_source_mappings()["EventSourceMappings"]
    assert mapping["EventSourceArn"] == stack["EventsStreamArn"]
    assert mapping["FunctionArn"].endswith(":function:" + functions["HandleEventStream"])
    assert mapping["BisectBatchOnFunctionError"] is True
    assert mapping["MaximumRetryAttempts"] == build_template.STREAM_MAXIMUM_RETRY_ATTEMPTS
    assert mapping["MaximumRecordAgeInSeconds"] == build_template.STREAM_MAXIMUM_RECORD_AGE_SECONDS
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue_url = stack["StreamDeadLetterQueueUrl"]
    queue_arn = boto3.client("sqs").get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    assert mapping["DestinationConfig"] == {"OnFailure": {"Destination": queue_arn}}


def test_the_schedule_runs_the_scheduled_function_every_minute(stack):
    events = boto3.client("events")
    functions = physical_ids("AWS::Lambda::Function")
    [rule] = events.list_rules()["Rules"]
    assert rule["ScheduleExpression"] == "rate(1 minute)"
    [target] = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
    assert target["Arn"].endswith(":function:" + functions["RunSchedule"])


def test_each_function_policy_names_only_the_stacks_tables_and_their_indexes(stack):
    iam = boto3.client("iam")
    lambdas = boto3.client("lambda")
    dynamodb = boto3.client("dynamodb")
    table_arns = {
        dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
        for name in dynamodb.list_tables()["TableNames"]
    }
    allowed = table_arns | {f"{arn}/index/*" for arn in table_arns}
    for logical, physical in physical_ids("AWS::Lambda::Function").items():
        role_name = lambdas.get_function(FunctionName=physical)["Configuration"]["Role"]
        role_name = role_name.rsplit("/", 1)[1]
        statements = [
            statement
            for policy in iam.list_role_policies(RoleName=role_name)["PolicyNames"]
            for statement in policy_document(
                iam.get_role_policy(RoleName=role_name, PolicyName=policy)["PolicyDocument"]
            )["Statement"]
        ]
        [tables] = [s for s in statements if s.get("Sid") == "Tables"]
        assert set(tables["Resource"]) == allowed, logical
        events_arn = next(arn for arn in table_arns if arn.endswith("/" + stack["EventsTableName"]))
        streams = [s for s in statements if s.get("Sid") == "ReadEventsStream"]
        if logical == "HandleEventStream":
            assert set(streams[0]["Resource"]) == {
                stack["EventsStreamArn"],
                f"{events_arn}/stream/*",
            }
        else:
            assert streams == []
        others = [s for s in statements if s.get("Sid") not in ("Tables", "ReadEventsStream")]
        assert not [s for s in others if any(a.startswith("dynamodb:") for a in s["Action"])]


def test_every_function_gets_the_stage_tables_stream_and_secret_by_reference(stack, translated):
    lambdas = boto3.client("lambda")
    for logical, physical in physical_ids("AWS::Lambda::Function").items():
        variables = lambdas.get_function(FunctionName=physical)["Configuration"]["Environment"][
            "Variables"
        ]
        assert variables["EVENT_SERVICE_STAGE"] == "dev"
        assert variables["EVENT_SERVICE_TABLE_PREFIX"] == PREFIX
        assert variables["EVENT_SERVICE_EVENTS_STREAM_ARN"] == stack["EventsStreamArn"]
        # The secret itself is one of MOTO_CANNOT_CREATE: here its stand-in's dynamic reference.
        assert variables["EVENT_SERVICE_TOKEN_SECRET"].startswith(
            "{{resolve:secretsmanager:stand-in-TokenSecret"
        ), logical
    secret = translated["Resources"][build_template.TOKEN_SECRET]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32


def test_the_api_is_wired_to_the_api_function(translated, stack):
    """The API Gateway resources are among MOTO_CANNOT_CREATE: asserted on the template."""
    resources = translated["Resources"]
    [api] = [n for n, r in resources.items() if r["Type"] == "AWS::ApiGateway::RestApi"]
    body = resources[api]["Properties"]["Body"]
    uris = {
        json.dumps(operation["x-amazon-apigateway-integration"]["uri"])
        for path in body["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "x-amazon-apigateway-integration" in operation
    }
    assert uris and all("APIHandler.Arn" in uri for uri in uris)
    [stage] = [r for r in resources.values() if r["Type"] == "AWS::ApiGateway::Stage"]
    assert stage["Properties"]["StageName"] == "dev"
    assert stage["Properties"]["RestApiId"] == {"Ref": api}
    [permission] = [
        r
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::Permission"
        and r["Properties"]["Principal"] == "apigateway.amazonaws.com"
    ]
    assert permission["Properties"]["FunctionName"] == {"Ref": "APIHandler"}
    assert stack["EndpointURL"].endswith("/dev/")


def test_the_outputs_the_operator_tools_read_are_there(stack):
    assert {
        "EndpointURL",
        "EventsTableName",
        "EventsStreamArn",
        "StreamDeadLetterQueueUrl",
        "TokenSecretArn",
        "TablePrefix",
    } <= set(stack)
