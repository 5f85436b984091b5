"""No silent drops: each form of options and conditions is read or refused naming the right one."""

from __future__ import annotations

import json

import pytest

from chalicelib.core.handlers import get_handler
from tests.dialects.privacyidea.support import WEBHOOK, call, error_of

REQUIRED = {key: WEBHOOK[key] for key in ("name", "event", "handlermodule", "action")}
OPTIONS = {
    key[len("option.") :]: value for key, value in WEBHOOK.items() if key.startswith("option.")
}


def saved(response) -> dict:
    assert response.status_code == 200, response.body
    return get_handler(response.json_body["result"]["value"])


def refused(response, *words: str) -> str:
    assert response.status_code == 400, response.body
    error = error_of(response)
    assert error["code"] == 905
    for word in words:
        assert word in error["message"]
    assert get_handler(1) is None  # nothing was written
    return error["message"]


@pytest.mark.parametrize(
    ("how", "body"),
    [
        ("form option.X", {"form": {**REQUIRED, **{f"option.{k}": v for k, v in OPTIONS.items()}}}),
        ("json option.X", {"data": {**REQUIRED, **{f"option.{k}": v for k, v in OPTIONS.items()}}}),
        ("json options object", {"data": {**REQUIRED, "options": OPTIONS}}),
        ("form options text", {"form": {**REQUIRED, "options": json.dumps(OPTIONS)}}),
    ],
)
def test_options_are_read_in_every_form(client, admin, how, body):
    config = saved(call(client, "POST", "/event", admin, **body))
    assert config.options == OPTIONS


@pytest.mark.parametrize(
    "body",
    [
        {"form": {**WEBHOOK, "conditions": json.dumps({"result_status": "True"})}},
        {"data": {**WEBHOOK, "conditions": {"result_status": "True"}}},
        {"data": {**WEBHOOK, "conditions": json.dumps({"result_status": "True"})}},
    ],
)
def test_conditions_are_read_as_an_object_or_its_json_text(client, admin, body):
    config = saved(call(client, "POST", "/event", admin, **body))
    assert config.conditions == {"result_status": "True"}


@pytest.mark.parametrize(
    ("key", "right_form"),
    [
        ("condition.counter", "conditions="),
        ("conditions.counter", "conditions="),
        ("options.URL", "option.<name>"),
        ("Option.URL", "option.<name>"),
    ],
)
@pytest.mark.parametrize("kind", ["form", "data"])
def test_a_misspelt_form_is_905_naming_the_right_one(client, admin, key, right_form, kind):
    body = {**WEBHOOK, key: "abc"}
    refused(call(client, "POST", "/event", admin, **{kind: body}), key, right_form)


def test_a_legacy_condition_field_is_refused_unless_empty(client, admin):
    refused(call(client, "POST", "/event", admin, form={**WEBHOOK, "condition": "x"}), "conditions")
    assert saved(call(client, "POST", "/event", admin, form={**WEBHOOK, "condition": ""}))


def test_an_unknown_top_level_json_key_is_905_naming_the_known_ones(client, admin):
    message = refused(
        call(client, "POST", "/event", admin, data={**WEBHOOK, "opitons": {}}),
        "Unknown parameter opitons",
        "handlermodule",
        "option.<name>",
    )
    assert "conditions" in message


def test_a_binding_read_back_can_be_posted_again(client, admin):
    handler_id = saved(call(client, "POST", "/event", admin, form=WEBHOOK)).id
    [shown] = call(client, "GET", f"/event/{handler_id}", admin).json_body["result"]["value"]
    again = call(client, "POST", "/event", admin, data={**shown, "name": "again"})
    assert saved(again).name == "again"


@pytest.mark.parametrize("missing", ["URL", "content_type", "replace", "data"])
def test_a_missing_required_option_is_saved_and_named_in_detail(client, admin, missing):
    """privacyIDEA 3.14 saves it; the answer's detail (and GET /event/) says what it lacks."""
    form = {key: value for key, value in WEBHOOK.items() if key != f"option.{missing}"}
    response = call(client, "POST", "/event", admin, form=form)
    config = saved(response)
    assert missing not in config.options
    detail = response.json_body["detail"]
    assert detail["missing_options"] == [missing]
    assert f"Missing option {missing} of WebHook:post_webhook" in detail["message"]
    assert f"option.{missing}=" in detail["message"]
    [shown] = call(client, "GET", f"/event/{config.id}", admin).json_body["result"]["value"]
    assert shown["incomplete"] is True and shown["missing_options"] == [missing]
    # Read back and posted again (as a client edits it), then completed: no longer marked.
    again = call(client, "POST", "/event", admin, data={**shown, f"option.{missing}": "x"})
    assert saved(again).options[missing] == "x"
    assert "detail" not in again.json_body
    [shown] = call(client, "GET", f"/event/{config.id}", admin).json_body["result"]["value"]
    assert "incomplete" not in shown and "missing_options" not in shown


def test_a_counter_without_its_counter_name_is_saved_incomplete(client, admin):
    counter = {
        "name": "c",
        "event": "a.b",
        "handlermodule": "Counter",
        "action": "increase_counter",
    }
    response = call(client, "POST", "/event", admin, data={**counter, "options": {}})
    assert saved(response).options == {}
    assert response.json_body["detail"]["missing_options"] == ["counter_name"]
    config = saved(
        call(client, "POST", "/event", admin, data={**counter, "options": {"counter_name": "n"}})
    )
    assert config.options == {"counter_name": "n"}


@pytest.mark.parametrize("value", ["[]", "1", "not json"])
def test_options_that_are_not_an_object_are_refused(client, admin, value):
    refused(call(client, "POST", "/event", admin, form={**REQUIRED, "options": value}), "options")
