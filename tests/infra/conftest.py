"""The packaged template (once per session), and a deployed stage in moto as the operator's
tools (ops/) find it: the stack
``event-service-dev`` with the outputs the packaged template gives, its token secret in
Secrets Manager and its tables (the same models, under the stage's prefix)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chalicelib.settings import get_settings, reset_settings

STAGE = "dev"
PREFIX = "event-service-dev-"
# The functions' own environment: the process must look like them (and be put back after).
STAGE_ENVIRONMENT = (
    "EVENT_SERVICE_STAGE",
    "EVENT_SERVICE_TABLE_PREFIX",
    "EVENT_SERVICE_TOKEN_SECRET",
    "EVENT_SERVICE_EVENTS_STREAM_ARN",
    "EVENT_SERVICE_PASSWORD_MEMORY_KIB",
)


@pytest.fixture(scope="session")
def packaged(tmp_path_factory) -> Path:
    """``make package`` for dev, once for every test here (it runs ``chalice package``)."""
    from infra.package import package

    return package("dev", tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def template(packaged) -> dict[str, Any]:
    return json.loads(packaged.read_text())


def _forget_caches() -> None:
    from tests.local.support import forget_process_caches

    forget_process_caches()


@pytest.fixture
def deployed(monkeypatch) -> Iterator[dict[str, str]]:
    """A moto account holding a deployed ``dev`` stage; yields its stack outputs."""
    import os

    from chalicelib.store.tables import bind_all, create_all_tables

    for name in STAGE_ENVIRONMENT:
        if name in os.environ:
            monkeypatch.setenv(name, os.environ[name])
        else:
            monkeypatch.delenv(name, raising=False)
    # The cloud's minimum argon2 memory: settings refuse less outside the local stage.
    monkeypatch.setenv("EVENT_SERVICE_PASSWORD_MEMORY_KIB", "19456")
    with mock_aws():
        secret = boto3.client("secretsmanager").create_secret(
            Name="event-service-dev-token", SecretString="s" * 64
        )
        queue = boto3.client("sqs").create_queue(QueueName="event-service-dev-dlq")
        monkeypatch.setenv("EVENT_SERVICE_TABLE_PREFIX", PREFIX)
        reset_settings()
        bind_all(get_settings())
        create_all_tables(wait=False)
        stream_arn = boto3.client("dynamodb").describe_table(TableName=f"{PREFIX}events")["Table"][
            "LatestStreamArn"
        ]
        outputs = {
            "TokenSecretArn": secret["ARN"],
            "TablePrefix": PREFIX,
            "EventsStreamArn": stream_arn,
            "StreamDeadLetterQueueUrl": queue["QueueUrl"],
        }
        template = {
            "Parameters": {"TokenSecretVersion": {"Type": "String", "Default": ""}},
            "Resources": {"Placeholder": {"Type": "AWS::SQS::Queue"}},
            "Outputs": {key: {"Value": value} for key, value in outputs.items()},
        }
        boto3.client("cloudformation").create_stack(
            StackName="event-service-dev", TemplateBody=json.dumps(template)
        )
        _forget_caches()
        try:
            yield outputs
        finally:
            _forget_caches()
    monkeypatch.undo()
    reset_settings()
    bind_all(get_settings())
