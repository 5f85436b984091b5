"""``make package``: the SAM template passes cfn-lint and says what the code needs.

One ``chalice package`` run for the session (tests/infra/conftest.py); every test reads its
template.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.store.tables import ALL_MODELS
from infra import build_template
from infra.package import PackagingError, check_runtime
from local import stream_pump

PROJECT_DIR = Path(__file__).resolve().parents[2]


def functions(template) -> dict[str, dict[str, Any]]:
    return {
        name: resource["Properties"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def references(value: Any) -> set[str]:
    """Every logical id a template value refers to (Ref, Fn::GetAtt, ${Id...} in Fn::Sub)."""
    import re

    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref":
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0])
            elif key == "Fn::Sub":
                found |= {m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", inner)}
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def test_cfn_lint_finds_nothing(packaged):
    cfn_lint = shutil.which("cfn-lint", path=str(Path(sys.executable).parent)) or "cfn-lint"
    result = subprocess.run([cfn_lint, str(packaged)], capture_output=True, text=True)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_lambda_runtime_is_python_3_12_or_newer(template):
    runtimes = {properties["Runtime"] for properties in functions(template).values()}
    assert runtimes and all(r in {"python3.12", "python3.13"} for r in runtimes)
    with pytest.raises(PackagingError):
        check_runtime((3, 11))


def test_tables_have_the_keys_indexes_stream_and_ttl_pynamodb_creates(template, aws):
    """The template's tables against what ``create_all_tables`` made in moto (same models)."""
    client = boto3.client("dynamodb")

    def keys(schema):
        return sorted((key["AttributeName"], key["KeyType"]) for key in schema)

    def indexes(specs):
        return {
            spec["IndexName"]: (keys(spec["KeySchema"]), spec["Projection"]["ProjectionType"])
            for spec in specs or []
        }

    for model, short in ALL_MODELS:
        packaged = template["Resources"][build_template.table_logical_id(short)]
        properties = packaged["Properties"]
        live = client.describe_table(TableName=model.Meta.table_name)["Table"]
        ttl = client.describe_time_to_live(TableName=model.Meta.table_name)
        assert properties["TableName"] == f"event-service-dev-{short}"
        assert keys(properties["KeySchema"]) == keys(live["KeySchema"])
        assert properties["KeySchema"][0]["KeyType"] == "HASH"
        assert sorted(map(str, properties["AttributeDefinitions"])) == sorted(
            map(str, live["AttributeDefinitions"])
        )
        assert indexes(properties.get("GlobalSecondaryIndexes")) == indexes(
            live.get("GlobalSecondaryIndexes")
        )
        assert indexes(properties.get("LocalSecondaryIndexes")) == indexes(
            live.get("LocalSecondaryIndexes")
        )
        live_stream = live.get("StreamSpecification", {})
        assert properties.get("StreamSpecification", {}).get("StreamViewType") == (
            live_stream.get("StreamViewType") if live_stream.get("StreamEnabled") else None
        )
        live_ttl = ttl["TimeToLiveDescription"]
        expected_ttl = (
            {"AttributeName": live_ttl["AttributeName"], "Enabled": True}
            if live_ttl.get("TimeToLiveStatus") == "ENABLED"
            else None
        )
        assert properties.get("TimeToLiveSpecification") == expected_ttl
        assert properties["BillingMode"] == "PAY_PER_REQUEST"


def test_the_events_stream_trigger_has_the_settings_chalice_cannot_set(template):
    [properties] = [
        event["Properties"]
        for function in functions(template).values()
        for event in function.get("Events", {}).values()
        if event["Type"] == "DynamoDB"
    ]
    assert properties["Stream"] == {"Fn::GetAtt": ["EventsTable", "StreamArn"]}
    assert properties["BisectBatchOnFunctionError"] is True
    assert properties["MaximumRetryAttempts"] == build_template.STREAM_MAXIMUM_RETRY_ATTEMPTS
    assert properties["MaximumRecordAgeInSeconds"] > 0
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    destination = properties["DestinationConfig"]["OnFailure"]["Destination"]
    assert template["Resources"][destination["Fn::GetAtt"][0]]["Type"] == "AWS::SQS::Queue"
    # The local pump follows the same settings.
    assert properties["MaximumRetryAttempts"] == stream_pump.MAXIMUM_RETRY_ATTEMPTS
    assert properties["BatchSize"] == stream_pump.BATCH_SIZE
    assert stream_pump.BISECT_BATCH_ON_FUNCTION_ERROR is properties["BisectBatchOnFunctionError"]


def test_the_schedule_runs_the_scheduled_function(template):
    schedules = [
        event["Properties"]["Schedule"]
        for function in functions(template).values()
        for event in function.get("Events", {}).values()
        if event["Type"] == "Schedule"
    ]
    assert schedules == ["rate(1 minute)"]


def test_every_function_gets_the_table_prefix_and_the_secret_by_reference(template, packaged):
    for properties in functions(template).values():
        variables = properties["Environment"]["Variables"]
        assert variables["EVENT_SERVICE_STAGE"] == "dev"
        assert variables["EVENT_SERVICE_TABLE_PREFIX"] == "event-service-dev-"
        secret = variables["EVENT_SERVICE_TOKEN_SECRET"]
        # The version `make rotate-secret` names, else the current one.
        condition, versioned, current = secret["Fn::If"]
        assert condition in template["Conditions"]
        assert versioned["Fn::Sub"].startswith("{{resolve:secretsmanager:")
        assert versioned["Fn::Sub"].endswith(":SecretString:::${TokenSecretVersion}}}")
        assert current["Fn::Sub"].startswith("{{resolve:secretsmanager:")
        assert template["Parameters"]["TokenSecretVersion"]["Default"] == ""
        assert {template["Resources"][name]["Type"] for name in references(current)} == {
            "AWS::SecretsManager::Secret"
        }
    text = packaged.read_text()
    assert build_template.PACKAGE_TIME_SECRET not in text
    assert "local-development-secret" not in text


def test_roles_reach_only_the_tables_and_what_each_function_needs(template):
    tables = {
        name
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::DynamoDB::Table"
    }
    assert len(tables) == len(ALL_MODELS)
    for name, properties in functions(template).items():
        role = template["Resources"][properties["Role"]["Fn::GetAtt"][0]]
        statements = [
            statement
            for policy in role["Properties"]["Policies"]
            for statement in policy["PolicyDocument"]["Statement"]
        ]
        dynamodb = [s for s in statements if any(a.startswith("dynamodb:") for a in s["Action"])]
        for statement in dynamodb:
            assert "dynamodb:Scan" not in statement["Action"]
            assert references(statement["Resource"]) <= tables, statement
            assert "*" not in json.dumps(statement["Resource"]).replace("/*", "")
        actions = {action for statement in statements for action in statement["Action"]}
        has_stream = any(e["Type"] == "DynamoDB" for e in properties.get("Events", {}).values())
        assert ("dynamodb:GetRecords" in actions) is has_stream, name
        assert ("sqs:SendMessage" in actions) is has_stream, name


def test_the_zip_carries_bytecode_lambda_can_use_as_it_is(packaged):
    """Lambda's code directory is read-only: without .pyc every cold start compiles."""
    with zipfile.ZipFile(packaged.parent / "deployment.zip") as archive:
        names = set(archive.namelist())
        ours = {"app.py", "chalicelib"}
        sources = [n for n in names if n.endswith(".py") and n.split("/")[0] in ours]
        assert "app.py" in sources
        tag = sys.implementation.cache_tag
        for source in sources:
            folder, _, module = source.rpartition("/")
            compiled = f"{folder + '/' if folder else ''}__pycache__/{module[:-3]}.{tag}.pyc"
            assert compiled in names, compiled
            flags = int.from_bytes(archive.read(compiled)[4:8], "little")
            assert flags == 0b01, f"{compiled} is not an unchecked hash-based pyc"


def test_find_python_gives_an_interpreter_that_packages_for_lambda():
    found = subprocess.run(
        ["bash", str(PROJECT_DIR / "infra" / "find-python.sh")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    version = subprocess.run(
        [found, "-c", "import sys; print(sys.version_info[:2] >= (3, 12))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == "True"


def test_the_zip_carries_the_console(packaged):
    """The console's static files ship in the package beside the code that serves them."""
    console = PROJECT_DIR / "chalicelib" / "console"
    with zipfile.ZipFile(packaged.parent / "deployment.zip") as archive:
        names = set(archive.namelist())
    shipped = {f"chalicelib/console/{path.name}" for path in console.iterdir() if path.is_file()}
    assert "chalicelib/console/index.html" in shipped and shipped <= names


def test_the_operator_tools_are_not_packaged(packaged):
    """ops/ runs on the operator's machine with the operator's credentials, never in Lambda."""
    with zipfile.ZipFile(packaged.parent / "deployment.zip") as archive:
        assert not [name for name in archive.namelist() if name.split("/")[0] in ("ops", "infra")]
