"""``make rotate-secret``: a new signing key, the old one verifying until it retires."""

from __future__ import annotations

import json
import time

import boto3
import jwt
import pytest

from chalicelib.auth import tokens
from chalicelib.auth.principal import Principal
from chalicelib.auth.principals import create_principal
from chalicelib.errors import AuthenticationFailed
from chalicelib.settings import reset_settings
from ops import rotate_secret

from .conftest import STAGE

DAY = 24 * 3600


def as_the_functions_see_it(monkeypatch, outputs: dict[str, str]) -> str:
    """Give this process the secret version the stack hands the functions; returns it."""
    [stack] = boto3.client("cloudformation").describe_stacks(StackName="event-service-dev")[
        "Stacks"
    ]
    version = {p["ParameterKey"]: p.get("ParameterValue") for p in stack["Parameters"]}[
        "TokenSecretVersion"
    ]
    arguments = {"SecretId": outputs["TokenSecretArn"]}
    if version:
        arguments["VersionId"] = version
    secret = boto3.client("secretsmanager").get_secret_value(**arguments)["SecretString"]
    monkeypatch.setenv("EVENT_SERVICE_TOKEN_SECRET", secret)
    reset_settings()
    return secret


class Clock:
    """``time`` for tokens.py, ``seconds`` later (the JWT library keeps the real clock)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def time(self) -> float:
        return time.time() + self.seconds


@pytest.fixture
def alice(deployed, monkeypatch):
    as_the_functions_see_it(monkeypatch, deployed)
    return create_principal(Principal("alice", roles=("user",), user_id="alice"), "pw-alice-1")


def kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def test_old_tokens_work_until_retired_and_new_ones_use_the_new_key(deployed, alice, monkeypatch):
    before = tokens.issue_token(alice)
    assert tokens.principal_from_token(before).username == "alice"

    report = rotate_secret.rotate(STAGE)
    assert report["deployed"] is True
    secret = as_the_functions_see_it(monkeypatch, deployed)
    ring = json.loads(secret)["keys"]
    assert len(ring) == 2 and report["version"]

    # The token signed before the rotation still works: nobody was logged out.
    assert tokens.principal_from_token(before).username == "alice"
    after = tokens.issue_token(alice)
    assert kid(after) == report["signing_kid"] == tokens.key_id(ring[0]["key"])
    assert kid(after) != kid(before)
    jwt.decode(after, ring[0]["key"], algorithms=["HS256"], issuer=tokens.ISSUER)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(after, ring[1]["key"], algorithms=["HS256"], issuer=tokens.ISSUER)

    # The old key retires one maximum session length (plus the rollout margin) later.
    [retiring] = report["retiring"]
    assert retiring["kid"] == kid(before)
    assert retiring["retire_at"] - time.time() == pytest.approx(
        12 * 3600 + rotate_secret.ROLLOUT_MARGIN_SECONDS, abs=60
    )
    monkeypatch.setattr(tokens, "time", Clock(retiring["retire_at"] - time.time() + 1))
    with pytest.raises(AuthenticationFailed, match="retired"):
        tokens.principal_from_token(before)
    assert tokens.principal_from_token(after).username == "alice"


def test_a_rotation_after_the_retirement_drops_the_retired_key(deployed, alice, monkeypatch):
    first = rotate_secret.rotate(STAGE)
    later = time.time() + DAY
    second = rotate_secret.rotate(STAGE, now=later)
    secret = as_the_functions_see_it(monkeypatch, deployed)
    kids = [tokens.key_id(key["key"]) for key in json.loads(secret)["keys"]]
    assert kids == [second["signing_kid"], first["signing_kid"]]
    assert [k["kid"] for k in second["retiring"]] == [first["signing_kid"]]


def test_a_token_naming_an_unknown_key_is_refused(deployed, alice):
    forged = jwt.encode(
        {"sub": "alice", "iss": tokens.ISSUER, "exp": int(time.time()) + 60, "ver": 0},
        "guessed-key" * 4,
        algorithm="HS256",
        headers={"kid": "k0000000000000000"},
    )
    with pytest.raises(AuthenticationFailed, match="unknown"):
        tokens.principal_from_token(forged)


def test_a_token_from_before_key_ids_is_still_accepted(deployed, alice):
    """Tokens issued before this version carry no kid: they are tried against every key."""
    secret = tokens.keyring(tokens.get_settings().token_secret)[0].key
    claims = {
        "sub": "alice",
        "iss": tokens.ISSUER,
        "exp": int(time.time()) + 60,
        "ver": alice.credential_version,
    }
    legacy = jwt.encode(claims, secret, algorithm="HS256")
    assert "kid" not in jwt.get_unverified_header(legacy)
    assert tokens.principal_from_token(legacy).username == "alice"
    wrong = jwt.encode(claims, "another-key" * 4, algorithm="HS256")
    with pytest.raises(AuthenticationFailed, match="signature"):
        tokens.principal_from_token(wrong)


def test_no_deploy_writes_the_secret_but_leaves_the_stack(deployed, alice, capsys):
    assert rotate_secret.main(["--stage", STAGE, "--no-deploy"]) == 0
    assert "TokenSecretVersion=" in capsys.readouterr().out
    [stack] = boto3.client("cloudformation").describe_stacks(StackName="event-service-dev")[
        "Stacks"
    ]
    assert [p.get("ParameterValue") for p in stack["Parameters"]] == [""]
