"""A deployed stage as the operator's tools see it: its stack's outputs, its settings, who acts.

The stack is ``event-service-<stage>`` (what ``make package`` tells ``sam deploy`` to call it);
its outputs name the table prefix, the token secret and the on-failure queue. ``use_stage``
points this process's settings and models at that stage, as the stage's functions see them.
"""

from __future__ import annotations

import os
from typing import Any

APP_NAME = "event-service"
STAGES = ("dev", "prod")


class OpsError(RuntimeError):
    """The tool cannot go on; the message says why and what to do."""


def stack_name(stage: str) -> str:
    if stage not in STAGES:
        raise OpsError(f"stage must be one of {', '.join(STAGES)}, not {stage!r}")
    return f"{APP_NAME}-{stage}"


def stack_outputs(stage: str) -> dict[str, str]:
    """The outputs of the stage's stack, by key."""
    import boto3
    from botocore.exceptions import ClientError

    name = stack_name(stage)
    try:
        [stack] = boto3.client("cloudformation").describe_stacks(StackName=name)["Stacks"]
    except ClientError as exc:
        raise OpsError(f"cannot read stack {name} ({exc}); was it deployed (sam deploy)?") from exc
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def require(outputs: dict[str, str], key: str, stage: str) -> str:
    if key not in outputs:
        raise OpsError(
            f"stack {stack_name(stage)} has no output {key}: deploy this version first"
            " (make package, sam deploy)"
        )
    return outputs[key]


def operator_arn() -> str:
    """Who runs the tool: the ARN of the operator's AWS credentials."""
    import boto3

    return str(boto3.client("sts").get_caller_identity()["Arn"])


def operator_principal() -> Any:
    """The operator as the actor of what the tools do: an admin named by the caller's ARN."""
    from chalicelib.auth.permissions import ADMIN_ROLE
    from chalicelib.auth.principal import Principal

    arn = operator_arn()
    return Principal(username=arn, roles=(ADMIN_ROLE,), user_id=arn)


def use_stage(stage: str) -> dict[str, str]:
    """Point this process's settings and models at the deployed ``stage``; returns its outputs.

    Reads the token secret as the functions do (from the stack's secret), so what the tools
    write is what the functions read.
    """
    import boto3

    from chalicelib.settings import (
        ENV_EVENTS_STREAM_ARN,
        ENV_STAGE,
        ENV_TABLE_PREFIX,
        ENV_TOKEN_SECRET,
        get_settings,
        reset_settings,
    )
    from chalicelib.store.tables import bind_all

    outputs = stack_outputs(stage)
    secret_arn = require(outputs, "TokenSecretArn", stage)
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"]
    from infra.build_template import chalice_stage_environment

    # The stage's own settings from .chalice/config.json (hashing cost, allowlists, ...),
    # then what only the deployed stack knows.
    os.environ.update(
        {
            name: value
            for name, value in chalice_stage_environment(stage).items()
            if name.startswith("EVENT_SERVICE_")
        }
    )
    os.environ.update(
        {
            ENV_STAGE: stage,
            ENV_TABLE_PREFIX: require(outputs, "TablePrefix", stage),
            ENV_TOKEN_SECRET: secret,
            ENV_EVENTS_STREAM_ARN: require(outputs, "EventsStreamArn", stage),
        }
    )
    reset_settings()
    bind_all(get_settings())
    return outputs
