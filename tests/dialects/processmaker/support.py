"""What the ProcessMaker tests share: a designer user, a project with tasks, triggers, events."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import basic

WS = "workflow"
API = f"/api/1.0/{WS}"
DESIGNER_PASSWORD = "designer-password-1"
TASK_A = "a" * 32
TASK_B = "b" * 32
TASK_C = "c" * 32
JSON = {"Content-Type": "application/json"}


# The workspaces a test designer belongs to: WS and the two the isolation tests visit.
WORKSPACES = (WS, "elsewhere", "other")


def make_designer(
    permissions: tuple[str, ...] = ("PM_FACTORY", "PM_CASES"),
    name: str = "designer",
    workspaces: tuple[str, ...] = WORKSPACES,
) -> dict:
    """A member of ``workspaces`` holding ``permissions``; its Basic headers (JSON type)."""
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal

    create_principal(
        Principal(
            name,
            roles=("user",),
            permissions=permissions,
            user_id=name,
            workspaces=workspaces,
        ),
        DESIGNER_PASSWORD,
    )
    return {**basic(name, DESIGNER_PASSWORD), **JSON}


def call(client, method: str, path: str, headers: dict, body: Any = None):
    data = None if body is None else json.dumps(body)
    return getattr(client.http, method.lower())(path, headers=headers, body=data)


def make_project(client, headers: dict, ws: str = WS, routes: list | None = None) -> dict:
    """A project A → B → C (end), with fixed task uids."""
    body = {
        "prj_name": "Purchase",
        "tasks": [
            {"tas_uid": TASK_A, "tas_title": "Request"},
            {"tas_uid": TASK_B, "tas_title": "Review"},
            {"tas_uid": TASK_C, "tas_title": "Archive"},
        ],
        "routes": routes
        if routes is not None
        else [
            {"tas_uid": TASK_A, "rou_next_task": TASK_B},
            {"tas_uid": TASK_B, "rou_next_task": TASK_C},
            {"tas_uid": TASK_C, "rou_next_task": "-1"},
        ],
    }
    response = call(client, "POST", f"/api/1.0/{ws}/project", headers, body)
    assert response.status_code == 201, response.body
    return response.json_body


def make_trigger(
    client,
    headers: dict,
    prj_uid: str,
    url: str = "http://example.com/hook",
    ws: str = WS,
    **options: str,
) -> str:
    body = {
        "tri_title": "Escalate",
        "tri_description": "post to the escalation hook",
        "tri_handlermodule": "WebHook",
        "tri_action": "post_webhook",
        "tri_options": {
            "URL": url,
            "content_type": "application/json",
            "replace": "True",
            "data": '{"case": "{app_number}", "amount": "{amount}", "event": "{evn_uid}"}',
            **options,
        },
    }
    response = call(client, "POST", f"/api/1.0/{ws}/project/{prj_uid}/trigger", headers, body)
    assert response.status_code == 201, response.body
    return response.json_body["tri_uid"]


def event_body(trigger: str, **changes: Any) -> dict[str, Any]:
    body = {
        "evn_description": "remind the reviewer",
        "evn_status": "ACTIVE",
        "evn_action": "EXECUTE_TRIGGER",
        "evn_related_to": "SINGLE",
        "tas_uid": TASK_B,
        "evn_tas_estimated_duration": 1,
        "evn_time_unit": "DAYS",
        "evn_when": 1,
        "evn_when_occurs": "AFTER_TIME",
        "tri_uid": trigger,
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def make_event(client, headers: dict, prj_uid: str, tri_uid: str, ws: str = WS, **changes) -> dict:
    response = call(
        client,
        "POST",
        f"/api/1.0/{ws}/project/{prj_uid}/event",
        headers,
        event_body(tri_uid, **changes),
    )
    assert response.status_code == 201, response.body
    return response.json_body


def error_message(response) -> str:
    return response.json_body["error"]["message"]
