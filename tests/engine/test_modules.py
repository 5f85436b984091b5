"""The module family: registry, declarations as data, option helpers and templates."""

from __future__ import annotations

from datetime import datetime

import pytest

from chalicelib.auth.principal import Principal
from chalicelib.core.model import Trait, build_event
from chalicelib.engine.modules.base import ActionContext, ActionFailed, get_module, module_names
from chalicelib.engine.modules.templates import render, render_json, tag_values


def test_registry_order_and_lookup():
    assert module_names() == [
        "UserNotification",
        "Federation",
        "Counter",
        "RequestMangler",
        "Logging",
        "WebHook",
    ]
    assert get_module("usernotification") is None  # identifiers are case-sensitive
    assert get_module("Nope") is None


@pytest.mark.parametrize("name", module_names())
def test_one_declaration_drives_validation_and_the_wire(name, client, admin):
    """What ``/event/positions`` and ``/event/actions`` answer is exactly what a save admits."""
    from chalicelib.core.handler_rules import action_problem
    from chalicelib.engine.modules.base import module_rules

    rules = module_rules()
    positions = client.http.get(f"/event/positions/{name}", headers=admin).json_body
    actions = client.http.get(f"/event/actions/{name}", headers=admin).json_body
    served_positions = positions["result"]["value"]
    served_actions = actions["result"]["value"]
    assert served_positions and served_actions
    for action in served_actions:
        for position in ("post", "pre"):
            problem = action_problem(rules, name, action, position=position)
            if position in served_positions:
                assert problem is None
            else:
                assert problem is not None and problem.kind == "position"
    problem = action_problem(rules, name, "no_such_action", position=served_positions[0])
    assert problem is not None and set(problem.allowed) == set(served_actions)


def test_privacyidea_option_keys_are_kept():
    wire = {name: get_module(name).actions_wire() for name in module_names()}
    assert wire["Logging"]["logging"] == {
        "name": {
            "type": "str",
            "description": wire["Logging"]["logging"]["name"]["description"],
            "default": "pi-eventlogger",
        },
        "level": {
            "type": "str",
            "description": wire["Logging"]["logging"]["level"]["description"],
            "value": ["ERROR", "WARNING", "INFO", "DEBUG"],
            "default": "INFO",
        },
        "message": {
            "type": "str",
            "description": wire["Logging"]["logging"]["message"]["description"],
            "default": "event={action} triggered",
        },
    }
    hook = wire["WebHook"]["post_webhook"]
    assert {k for k, v in hook.items() if v.get("required")} == {
        "URL",
        "content_type",
        "replace",
        "data",
    }
    assert hook["content_type"]["value"] == [
        "application/json",
        "application/x-www-form-urlencoded",
    ]
    assert hook["replace"]["type"] == "bool"
    assert set(wire["Counter"]["decrease_counter"]) == {"counter_name", "allow_negative_values"}
    assert set(wire["RequestMangler"]["set"]) == {
        "parameter",
        "value",
        "match_parameter",
        "match_pattern",
    }
    mail = wire["UserNotification"]["sendmail"]
    assert mail["To"]["required"] and mail["To"]["value"] == ["email", "event_trait"]
    assert mail["To email"]["visibleIf"] == "To" and mail["To email"]["visibleValue"] == "email"
    assert {"subject", "body", "mimetype"} <= set(mail)
    assert wire["UserNotification"]["sendsms"]["To"]["value"] == ["phone number", "event_trait"]
    assert wire["Federation"]["forward"]["URL"]["required"]


def test_option_helpers():
    module = get_module("WebHook")
    assert module.option("post_webhook", {}, "timeout") == "10"
    with pytest.raises(ActionFailed) as caught:
        module.option("post_webhook", {"URL": ""}, "URL")
    assert not caught.value.retryable
    assert module.flag("post_webhook", {"replace": "true"}, "replace")
    assert not module.flag("post_webhook", {"replace": "yes"}, "replace")
    with pytest.raises(ActionFailed):
        module.number("post_webhook", {"timeout": "soon"}, "timeout")


# ---------------------------------------------------------------- templates


def post_context():
    event = build_event(
        event_type="Node Down",
        message_id="m-1",
        generated=datetime(2025, 3, 1, 12, 0),
        traits=[
            Trait("node", "string", "r1"),
            Trait("priority", "integer", 6),
            Trait("result.username", "string", "bob"),
        ],
    )
    return ActionContext(3, "ops", "Node Down", event=event)


def test_tags_of_an_event():
    values = tag_values(post_context())
    assert render("{action}: {node} p{priority} {result.username} #{handler_id}", values) == (
        "Node Down: r1 p6 bob #3"
    )
    assert render("{message_id} {generated} {source}", values) == "m-1 2025-03-01T12:00:00 api"
    assert render("{unknown} {0} {node.__class__} {{node}}", values) == (
        "{unknown} {0} {node.__class__} {r1}"
    )
    assert render_json({"t": "{traits}", "p": "{priority}", "s": "x{priority}"}, values) == {
        "t": {"node": "r1", "priority": 6, "result.username": "bob"},
        "p": 6,
        "s": "x6",
    }


def test_tags_of_a_request():
    context = ActionContext(
        1,
        "h",
        "admin.user.create",
        principal=Principal("root", roles=("admin",)),
        params={"username": "bob", "meta": {"team": "ops"}},
        position="pre",
    )
    values = tag_values(context)
    assert (
        render("{logged_in_user}/{role} {username} {meta.team} {event_type} {source}", values)
        == "root/admin bob ops admin.user.create admin"
    )
    assert context.value_of("meta.team") == "ops"
