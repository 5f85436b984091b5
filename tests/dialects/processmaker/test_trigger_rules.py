"""Triggers are not a side door: a designer who is not an admin gets only WebHook (to a
destination the SSRF guard admits) and Counter (in the workspace's own namespace)."""

from __future__ import annotations

import pytest

from tests.dialects.processmaker.support import API, JSON, call, make_designer, make_project


def _trigger(module: str, action: str, **options: str) -> dict:
    return {
        "tri_title": "Side door",
        "tri_handlermodule": module,
        "tri_action": action,
        "tri_options": options,
    }


def _webhook(url: str) -> dict:
    return _trigger(
        "WebHook",
        "post_webhook",
        URL=url,
        content_type="application/json",
        replace="False",
        data="{}",
    )


SIDE_DOORS = [
    # issue 18: any sender, from the service's verified SES identity
    _trigger(
        "UserNotification",
        "sendmail",
        To="email",
        **{"To email": "victim@example.com"},
        sender="ceo@example.com",
    ),
    _trigger("UserNotification", "sendsms", To="phone number", **{"To phone number": "+4912345"}),
    _trigger("Federation", "forward", URL="https://peer.example/"),
    _trigger("Logging", "logging"),
]


@pytest.fixture
def designer(client):
    headers = make_designer()
    return client, headers, make_project(client, headers)["prj_uid"]


@pytest.mark.parametrize("body", SIDE_DOORS, ids=lambda body: body["tri_handlermodule"])
def test_modules_kept_for_admins_are_refused_to_a_designer(designer, admin, body):
    client, headers, prj = designer
    response = call(client, "POST", f"{API}/project/{prj}/trigger", headers, body)
    assert response.status_code == 400, response.body
    message = response.json_body["error"]["message"]
    assert "Invalid value specified for `tri_handlermodule`" in message
    assert "needs an admin" in message


def test_an_admin_designer_may_use_them(designer, admin):
    client, _, prj = designer
    body = SIDE_DOORS[0]
    response = call(client, "POST", f"{API}/project/{prj}/trigger", {**admin, **JSON}, body)
    assert response.status_code == 201, response.body


def test_a_designer_cannot_keep_an_admins_trigger_while_changing_it(designer, admin):
    client, headers, prj = designer
    created = call(client, "POST", f"{API}/project/{prj}/trigger", {**admin, **JSON}, SIDE_DOORS[2])
    tri = created.json_body["tri_uid"]
    changed = {**SIDE_DOORS[2], "tri_title": "renamed"}

    response = call(client, "PUT", f"{API}/project/{prj}/trigger/{tri}", headers, changed)
    assert response.status_code == 400, response.body


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://10.0.0.5/internal",
        "http://127.0.0.1:8080/admin",
        "http://user:pass@hooks.example.com/hook",
        "file:///etc/passwd",
    ],
)
def test_a_designers_webhook_must_go_to_an_allowed_destination(designer, url, monkeypatch):
    from chalicelib.settings import reset_settings

    # as on dev and prod (the local stage lets a laptop's receiver on loopback through)
    monkeypatch.setenv("EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE", "0")
    reset_settings()
    client, headers, prj = designer
    response = call(client, "POST", f"{API}/project/{prj}/trigger", headers, _webhook(url))
    assert response.status_code == 400, response.body
    assert (
        "Invalid value specified for `tri_options`: URL:" in response.json_body["error"]["message"]
    )


def test_a_designers_webhook_and_counter_are_saved(designer):
    client, headers, prj = designer
    for body in (
        _webhook("https://hooks.example.com/escalate"),
        _trigger("Counter", "reset_counter", counter_name="failures"),
    ):
        response = call(client, "POST", f"{API}/project/{prj}/trigger", headers, body)
        assert response.status_code == 201, response.body


def test_a_triggers_counters_are_its_workspaces_own(aws):
    """An admin condition reads ``failures``; a trigger's ``reset_counter failures`` (or
    increase) changes ``pm:<workspace>:failures`` and leaves it alone."""
    from chalicelib.core import counters
    from chalicelib.core.model import build_event
    from chalicelib.dialects.processmaker import jobs

    counters.change_counter("failures", 7)
    event = build_event(event_type=jobs.EXECUTE, traits=[], source="processmaker", depth=1)
    for action in ("increase_counter", "increase_counter", "reset_counter", "increase_counter"):
        trigger = _trigger("Counter", action, counter_name="failures")
        jobs._run_trigger(trigger, event, "acme")

    assert counters.get_counter("failures") == 7
    assert counters.get_counter("pm:acme:failures") == 1
    assert counters.get_counter("pm:beta:failures") == 0
