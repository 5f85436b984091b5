"""``make admin``: the first admin of a deployed stage, written through the AWS APIs as
``POST /admin/users`` writes it, recorded as an operation event with the operator as actor."""

from __future__ import annotations

import io
import json

import pytest

from ops import admin
from ops.stage import OpsError, operator_arn

from .conftest import STAGE


def operation_events(event_type: str) -> list:
    from chalicelib.core.events import EventQuery, list_events

    return list_events(EventQuery(event_type=event_type))


def basic(username: str, password: str) -> dict[str, str]:
    import base64

    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_the_first_admin_can_use_the_api_and_the_creation_is_recorded(deployed, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("first-admin-password\n"))
    assert admin.main(["--stage", STAGE, "--user", "alice", "--password-stdin"]) == 0

    from chalice.test import Client

    from app import app
    from chalicelib.settings import get_settings

    assert get_settings().stage == "dev"  # the process now acts as the stage's functions do
    with Client(app, stage_name="dev") as client:
        answer = client.http.post(
            "/admin/users",
            headers={**basic("alice", "first-admin-password"), "Content-Type": "application/json"},
            body=json.dumps({"username": "bob", "password": "bob-password-1"}),
        )
        assert answer.status_code == 201, answer.body
        wrong = client.http.get("/admin/users", headers=basic("alice", "not-the-password"))
        assert wrong.status_code == 401

    [event] = [
        e for e in operation_events("admin.user.create") if e.raw["params"]["username"] == "alice"
    ]
    operator = operator_arn()
    assert event.raw["principal"] == operator
    assert event.recorded_by == operator
    assert event.raw["params"]["roles"] == ["admin"]
    assert "first-admin-password" not in json.dumps(event.raw)


def test_the_password_is_checked_as_the_api_checks_it(deployed, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert admin.main(["--stage", STAGE, "--user", "alice", "--password-stdin"]) == 1
    assert "at least 8 characters" in capsys.readouterr().err
    from chalicelib.auth.principals import list_principals

    assert list_principals() == []
    assert operation_events("admin.user.create") == []


def test_an_existing_user_is_not_overwritten_but_can_be_recovered(deployed, monkeypatch):
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal, verify_credentials

    create_principal(Principal("carol", roles=("user",), user_id="carol"), "old-password-1")
    monkeypatch.setattr("sys.stdin", io.StringIO("new-password-1\n"))
    assert admin.main(["--stage", STAGE, "--user", "carol", "--password-stdin"]) == 1
    assert verify_credentials("carol", "old-password-1") is not None

    monkeypatch.setattr("sys.stdin", io.StringIO("new-password-1\n"))
    assert admin.main(["--stage", STAGE, "--user", "carol", "--password-stdin", "--recover"]) == 0
    from chalicelib.auth import principals

    principals.forget()
    assert verify_credentials("carol", "old-password-1") is None
    recovered = verify_credentials("carol", "new-password-1")
    assert recovered is not None and recovered.is_admin
    [event] = operation_events("admin.user.update")
    assert event.raw["principal"] == operator_arn()
    assert "new-password-1" not in json.dumps(event.raw)


def test_the_terminal_prompt_refuses_two_different_passwords(monkeypatch):
    answers = iter(["one-password", "another-password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(OpsError):
        admin.read_password(stdin=False)


def test_a_stage_without_a_stack_says_so(deployed, capsys):
    assert admin.main(["--stage", "prod", "--user", "alice", "--password-stdin"]) == 1
    assert "event-service-prod" in capsys.readouterr().err
