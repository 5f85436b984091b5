"""``make rotate-secret STAGE=dev``: a new token-signing key, without logging anyone out.

1. Reads the stage's token secret (one key, or a key ring: see chalicelib/auth/tokens.py) and
   drops the keys whose ``retire_at`` has passed.
2. Puts a new random key first (it signs from now on) and gives the key that signed until now
   ``retire_at`` = now + the maximum session length + ``ROLLOUT_MARGIN_SECONDS``: every token
   it signed has expired by then (no token outlives its session), so retiring it logs nobody
   out.
3. Writes the ring as a new version of the secret, then updates the stack with the parameter
   ``TokenSecretVersion`` set to that version (same template, other parameters unchanged), so
   CloudFormation gives the functions the new ring. ``--no-deploy`` stops after the secret and
   prints the ``sam deploy`` option that finishes the job.

Run it again any time after the retirement to drop the old key for good (it also rotates).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from ops.stage import OpsError, require, stack_name, stack_outputs

ROLLOUT_MARGIN_SECONDS = 3600  # the stack update reaching every function, with room to spare
KEY_LENGTH = 64
VERSION_PARAMETER = "TokenSecretVersion"  # infra.build_template.TOKEN_SECRET_VERSION


def max_session_seconds(stage: str) -> int:
    """The stage's maximum session length, as its functions read it."""
    from chalicelib.settings import ENV_MAX_SESSION_SECONDS, Settings
    from infra.build_template import chalice_stage_environment

    configured = chalice_stage_environment(stage).get(ENV_MAX_SESSION_SECONDS)
    return int(configured) if configured else Settings().max_session_seconds


def rotated(secret: str, new_key: str, now: float, retire_after: float) -> dict[str, Any]:
    """The key ring after a rotation: ``new_key`` first, retired keys gone, the old signer
    retiring at ``now + retire_after``."""
    from chalicelib.auth.tokens import keyring

    ring = [key for key in keyring(secret) if key.in_service(now)]
    keys: list[dict[str, Any]] = [{"key": new_key}]
    for index, key in enumerate(ring):
        retire_at = now + retire_after if index == 0 else key.retire_at
        keys.append({"key": key.key, "retire_at": retire_at})
    return {"keys": keys}


def rotate(stage: str, *, deploy: bool = True, now: float | None = None) -> dict[str, Any]:
    """Rotate the stage's key; returns what was done (version, key ids, retire time)."""
    import boto3

    from chalicelib.auth.tokens import key_id

    now = time.time() if now is None else now
    outputs = stack_outputs(stage)
    secret_arn = require(outputs, "TokenSecretArn", stage)
    secrets = boto3.client("secretsmanager")
    current = secrets.get_secret_value(SecretId=secret_arn)["SecretString"]
    new_key = secrets.get_random_password(PasswordLength=KEY_LENGTH, ExcludePunctuation=True)[
        "RandomPassword"
    ]
    retire_after = max_session_seconds(stage) + ROLLOUT_MARGIN_SECONDS
    ring = rotated(current, new_key, now, retire_after)
    version = secrets.put_secret_value(SecretId=secret_arn, SecretString=json.dumps(ring))[
        "VersionId"
    ]
    report = {
        "version": version,
        "signing_kid": key_id(new_key),
        "retiring": [
            {"kid": key_id(k["key"]), "retire_at": k["retire_at"]} for k in ring["keys"][1:]
        ],
        "deployed": False,
    }
    if deploy:
        update_stack_version(stage, version)
        report["deployed"] = True
    return report


def update_stack_version(stage: str, version: str) -> None:
    """Update the stack in place (same template) with ``TokenSecretVersion`` = ``version``."""
    import boto3

    cloudformation = boto3.client("cloudformation")
    name = stack_name(stage)
    [stack] = cloudformation.describe_stacks(StackName=name)["Stacks"]
    parameters = [
        {"ParameterKey": p["ParameterKey"], "UsePreviousValue": True}
        for p in stack.get("Parameters", [])
        if p["ParameterKey"] != VERSION_PARAMETER
    ]
    parameters.append({"ParameterKey": VERSION_PARAMETER, "ParameterValue": version})
    cloudformation.update_stack(
        StackName=name,
        UsePreviousTemplate=True,
        Parameters=parameters,
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    cloudformation.get_waiter("stack_update_complete").wait(
        StackName=name, WaiterConfig={"Delay": 10, "MaxAttempts": 180}
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument(
        "--no-deploy", action="store_true", help="write the secret only; deploy it yourself"
    )
    args = parser.parse_args(argv)
    try:
        stack_name(args.stage)
        report = rotate(args.stage, deploy=not args.no_deploy)
    except OpsError as exc:
        print(f"event-service: {exc}", file=sys.stderr)
        return 1
    print(f"event-service: new signing key {report['signing_kid']} (secret {report['version']})")
    for key in report["retiring"]:
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(key["retire_at"]))
        print(f"event-service: key {key['kid']} verifies tokens until {when}")
    if report["deployed"]:
        print(f"event-service: stack {stack_name(args.stage)} updated; the functions use it")
    else:
        print(
            "event-service: deploy it: sam deploy ... --parameter-overrides"
            f" {VERSION_PARAMETER}={report['version']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
