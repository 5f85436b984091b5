"""privacyIDEA dialect: creating, updating, enabling, disabling and deleting bindings."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.dialects.privacyidea.support import WEBHOOK, call, error_of

NOT_FOUND = {"code": 601, "message": "The requested EventHandler could not be found."}


def save(client, headers, *, form=None, data=None) -> int:
    r = call(client, "POST", "/event", headers, form=form, data=data)
    assert r.status_code == 200, r.body
    return r.json_body["result"]["value"]


def binding(client, headers, handler_id: int) -> dict:
    r = call(client, "GET", f"/event/{handler_id}", headers)
    assert r.status_code == 200, r.body
    (found,) = r.json_body["result"]["value"]
    return found


# ---------------------------------------------------------------- create


def test_create_from_a_form_and_read_it_back(client, admin):
    assert save(client, admin, form=WEBHOOK) == 1
    assert binding(client, admin, 1) == {
        "abort_on_error": False,
        "action": "post_webhook",
        "active": True,
        "condition": "",
        "conditions": {},
        "event": ["compute.instance.create.end"],
        "handlermodule": "WebHook",
        "id": 1,
        "name": "hook",
        "options": {
            "URL": "http://127.0.0.1:8000/hook",
            "content_type": "application/json",
            "replace": "False",
            "data": "{}",
        },
        "ordering": 0,
        "position": "post",
    }


def test_create_from_json_stores_values_as_text(client, admin):
    handler_id = save(
        client,
        admin,
        data={
            "name": "typed",
            "event": ["a.b", " c.d "],
            "handlermodule": "WebHook",
            "action": "post_webhook",
            "position": "pre",
            "ordering": "3",
            "option.URL": "http://127.0.0.1/x",
            "option.replace": True,
            "option.retries": 5,
            "options": {"content_type": "application/json", "data": "{}"},
            "conditions": {"always": True, "count": 5},
        },
    )
    found = binding(client, admin, handler_id)
    assert found["event"] == ["a.b", "c.d"]
    assert found["options"] == {
        "URL": "http://127.0.0.1/x",
        "replace": "True",
        "retries": "5",
        "content_type": "application/json",
        "data": "{}",
    }
    assert found["conditions"] == {"always": "True", "count": "5"}
    assert found["position"] == "pre"
    assert found["ordering"] == 3


def test_create_from_a_multipart_form(client, admin):
    boundary = "XyZ"
    parts = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        for key, value in WEBHOOK.items()
    )
    r = client.http.post(
        "/event",
        headers={**admin, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        body=f"{parts}--{boundary}--\r\n".encode(),
    )
    assert r.status_code == 200, r.body
    assert binding(client, admin, 1)["options"]["URL"] == WEBHOOK["option.URL"]


def test_query_string_parameters_are_merged(client, admin):
    query = urlencode({"name": "from-query", "nonce": "q"})
    form = {key: value for key, value in WEBHOOK.items() if key != "name"}
    r = call(client, "POST", f"/event?{query}", admin, form=form)
    assert r.status_code == 200, r.body
    assert r.json_body["nonce"] == "q"
    assert binding(client, admin, 1)["name"] == "from-query"


def test_comma_separated_events_are_stripped(client, admin):
    handler_id = save(client, admin, form={**WEBHOOK, "event": "a.one, b.two ,c.three"})
    assert binding(client, admin, handler_id)["event"] == ["a.one", "b.two", "c.three"]


def test_unknown_event_names_are_accepted(client, admin):
    assert save(client, admin, form={**WEBHOOK, "event": "no_such_event"}) == 1


@pytest.mark.parametrize("missing", ["name", "event", "handlermodule", "action"])
@pytest.mark.parametrize("empty", [False, True])
def test_a_missing_required_parameter_is_905(client, admin, missing, empty):
    form = {key: value for key, value in WEBHOOK.items() if key != missing}
    if empty:
        form[missing] = ""
    r = call(client, "POST", "/event", admin, form=form)
    assert r.status_code == 400
    assert error_of(r) == {"code": 905, "message": f"ERR905: Missing parameter: {missing}"}


def test_an_unknown_module_is_905(client, admin):
    r = call(client, "POST", "/event", admin, form={**WEBHOOK, "handlermodule": "Nope"})
    assert r.status_code == 400
    assert error_of(r) == {"code": 905, "message": "ERR905: Unknown handler module: Nope"}


def test_an_unknown_action_lists_the_allowed_ones_sorted(client, admin):
    from chalicelib.engine.modules.base import get_module

    allowed = sorted(get_module("Counter").actions)
    assert len(allowed) > 1
    form = {**WEBHOOK, "handlermodule": "Counter", "action": "send_carrier_pigeon"}
    r = call(client, "POST", "/event", admin, form=form)
    assert r.status_code == 400
    message = f"ERR905: Unknown action: send_carrier_pigeon. Allowed are: {', '.join(allowed)}"
    assert error_of(r) == {"code": 905, "message": message}


@pytest.mark.parametrize(
    ("module", "action", "position", "allowed"),
    [
        ("WebHook", "post_webhook", "during", "post, pre"),
        ("Federation", None, "pre", "post"),
    ],
)
def test_an_unknown_position_is_905(client, admin, module, action, position, allowed):
    from chalicelib.engine.modules.base import get_module

    action = action or sorted(get_module(module).actions)[0]
    form = {**WEBHOOK, "handlermodule": module, "action": action, "position": position}
    r = call(client, "POST", "/event", admin, form=form)
    assert r.status_code == 400
    assert error_of(r) == {
        "code": 905,
        "message": f"ERR905: Unknown position: {position}. Allowed are: {allowed}",
    }


@pytest.mark.parametrize("conditions", ["not json", "[1, 2]", '"text"'])
def test_conditions_that_are_no_object_are_905_from_a_form(client, admin, conditions):
    r = call(client, "POST", "/event", admin, form={**WEBHOOK, "conditions": conditions})
    assert r.status_code == 400
    assert error_of(r) == {
        "code": 905,
        "message": "ERR905: The 'conditions' parameter must be a dictionary.",
    }


def test_conditions_that_are_a_json_list_are_905(client, admin):
    r = call(client, "POST", "/event", admin, data={**WEBHOOK, "conditions": ["a"]})
    assert r.status_code == 400
    assert error_of(r)["message"] == "ERR905: The 'conditions' parameter must be a dictionary."


def test_a_non_integer_ordering_is_905(client, admin):
    r = call(client, "POST", "/event", admin, form={**WEBHOOK, "ordering": "abc"})
    assert r.status_code == 400
    assert error_of(r)["code"] == 905


def test_a_non_integer_id_is_905(client, admin):
    r = call(client, "POST", "/event", admin, form={**WEBHOOK, "id": "abc"})
    assert r.status_code == 400
    assert error_of(r)["code"] == 905


def test_nothing_is_stored_after_a_refusal(client, admin):
    call(client, "POST", "/event", admin, form={**WEBHOOK, "handlermodule": "Nope"})
    assert call(client, "GET", "/event/", admin).json_body["result"]["value"] == []


@pytest.mark.parametrize(("module", "expected"), [("Federation", True), ("WebHook", False)])
def test_abort_on_error_defaults_to_the_module_default(client, admin, module, expected):
    from chalicelib.engine.modules.base import get_module

    action = "post_webhook" if module == "WebHook" else sorted(get_module(module).actions)[0]
    form = {**WEBHOOK, "handlermodule": module, "action": action}
    handler_id = save(client, admin, form=form)
    assert binding(client, admin, handler_id)["abort_on_error"] is expected
    explicit = save(client, admin, form={**form, "abort_on_error": str(not expected)})
    assert binding(client, admin, explicit)["abort_on_error"] is (not expected)


def test_an_explicit_unknown_id_creates_and_is_never_handed_out_again(client, admin):
    assert save(client, admin, form={**WEBHOOK, "id": "2"}) == 2
    assert save(client, admin, form=WEBHOOK) == 3
    assert save(client, admin, form={**WEBHOOK, "id": "77"}) == 77
    assert save(client, admin, form={**WEBHOOK, "id": ""}) == 78
    listed = call(client, "GET", "/event/", admin).json_body["result"]["value"]
    assert [found["id"] for found in listed] == [2, 3, 77, 78]


def test_the_list_is_ordered_by_ordering_then_id(client, admin):
    for ordering in ("5", "1", "1", "-2"):
        save(client, admin, form={**WEBHOOK, "ordering": ordering})
    listed = call(client, "GET", "/event/", admin).json_body["result"]["value"]
    assert [(found["ordering"], found["id"]) for found in listed] == [
        (-2, 4),
        (1, 2),
        (1, 3),
        (5, 1),
    ]


def test_an_unknown_numeric_id_reads_as_an_empty_list(client, admin):
    r = call(client, "GET", "/event/9999", admin)
    assert r.status_code == 200
    assert r.json_body["result"]["value"] == []


# ---------------------------------------------------------------- update


def test_update_keeps_conditions_and_options_and_resets_the_rest(client, admin):
    handler_id = save(
        client,
        admin,
        form={
            **WEBHOOK,
            "position": "pre",
            "ordering": "5",
            "active": "false",
            "abort_on_error": "true",
            "conditions": json.dumps({"always": "yes"}),
        },
    )
    created = binding(client, admin, handler_id)
    assert (created["position"], created["ordering"], created["active"]) == ("pre", 5, False)
    required = {key: WEBHOOK[key] for key in ("event", "handlermodule", "action")}
    assert save(client, admin, form={**required, "id": str(handler_id), "name": "renamed"}) == 1
    updated = binding(client, admin, handler_id)
    assert updated["name"] == "renamed"
    assert (updated["position"], updated["ordering"], updated["active"]) == ("post", 0, True)
    assert updated["conditions"] == {"always": "yes"}
    assert updated["options"] == created["options"]
    assert updated["abort_on_error"] is True


def test_update_replaces_options_when_any_option_is_given(client, admin):
    handler_id = save(client, admin, form=WEBHOOK)
    required = {key: WEBHOOK[key] for key in ("name", "event", "handlermodule", "action")}
    options = {"URL": "http://127.0.0.1/b", "content_type": "application/json"}
    options.update(replace="True", data="{}")
    form = {f"option.{key}": value for key, value in options.items()}
    save(client, admin, form={**required, "id": handler_id, **form})
    assert binding(client, admin, handler_id)["options"] == options
    # An update that leaves a required option out is saved (privacyIDEA 3.14), naming it.
    r = call(
        client,
        "POST",
        "/event",
        admin,
        form={**required, "id": handler_id, **form, "option.URL": ""},
    )
    assert r.status_code == 200
    assert "Missing option URL of WebHook:post_webhook" in r.json_body["detail"]["message"]


def test_clear_options_empties_them(client, admin):
    logging = {"name": "log", "event": "a.b", "handlermodule": "Logging", "action": "logging"}
    handler_id = save(client, admin, form={**logging, "option.level": "WARNING"})
    save(client, admin, data={**logging, "id": handler_id, "clear_options": True})
    assert binding(client, admin, handler_id)["options"] == {}


def test_empty_conditions_clear_them(client, admin):
    handler_id = save(client, admin, form={**WEBHOOK, "conditions": '{"always": "yes"}'})
    save(client, admin, form={**WEBHOOK, "id": handler_id, "conditions": "{}"})
    assert binding(client, admin, handler_id)["conditions"] == {}


def test_update_abort_on_error_only_when_given(client, admin):
    handler_id = save(client, admin, form={**WEBHOOK, "abort_on_error": "True"})
    save(client, admin, form={**WEBHOOK, "id": handler_id})
    assert binding(client, admin, handler_id)["abort_on_error"] is True
    save(client, admin, form={**WEBHOOK, "id": handler_id, "abort_on_error": "no"})
    assert binding(client, admin, handler_id)["abort_on_error"] is False


# ---------------------------------------------------------------- enable, disable, delete


def test_disable_and_enable(client, admin):
    handler_id = save(client, admin, form=WEBHOOK)
    r = call(client, "POST", f"/event/disable/{handler_id}", admin)
    assert r.status_code == 200 and r.json_body["result"]["value"] == handler_id
    assert binding(client, admin, handler_id)["active"] is False
    r = call(client, "POST", f"/event/enable/{handler_id}", admin)
    assert r.status_code == 200 and r.json_body["result"]["value"] == handler_id
    assert binding(client, admin, handler_id)["active"] is True


@pytest.mark.parametrize(
    "path", ["/event/enable/1234", "/event/disable/1234", "/event/disable/abc"]
)
def test_enable_or_disable_of_an_unknown_id_is_601(client, admin, path):
    r = call(client, "POST", path, admin)
    assert r.status_code == 404
    assert error_of(r) == NOT_FOUND


def test_delete(client, admin):
    handler_id = save(client, admin, form=WEBHOOK)
    r = call(client, "DELETE", f"/event/{handler_id}", admin)
    assert r.status_code == 200 and r.json_body["result"]["value"] == handler_id
    assert call(client, "GET", f"/event/{handler_id}", admin).json_body["result"]["value"] == []
    again = call(client, "DELETE", f"/event/{handler_id}", admin)
    assert again.status_code == 404 and error_of(again) == NOT_FOUND
    odd = call(client, "DELETE", "/event/abc", admin)
    assert odd.status_code == 404 and error_of(odd) == NOT_FOUND


def test_a_get_of_enable_is_not_allowed(client, admin):
    assert call(client, "GET", "/event/enable/1", admin).status_code == 405


# ---------------------------------------------------------------- operation events


def _events_of(event_type: str):
    from chalicelib.core import events

    return events.list_events(events.EventQuery(event_type=event_type))


def test_every_write_records_its_operation_event(client, admin):
    handler_id = save(client, admin, form=WEBHOOK)
    save(client, admin, form={**WEBHOOK, "id": handler_id, "name": "renamed"})
    call(client, "POST", f"/event/disable/{handler_id}", admin)
    call(client, "POST", f"/event/enable/{handler_id}", admin)
    call(client, "DELETE", f"/event/{handler_id}", admin)
    for name in (
        "event.handler.create",
        "event.handler.update",
        "event.handler.disable",
        "event.handler.enable",
        "event.handler.delete",
    ):
        (recorded,) = _events_of(name)
        values = recorded.trait_values()
        assert values["logged_in_user"] == "root"
        assert values.get("result.id", values.get("params.id")) == handler_id
        assert (values["project_id"], values["user_id"]) == ("p-admin", "root")
    (created,) = _events_of("event.handler.create")
    assert created.trait_values()["params.handlermodule"] == "WebHook"
    assert created.trait_values()["params.options.URL"] == WEBHOOK["option.URL"]


def test_refused_writes_record_nothing(client, admin):
    call(client, "POST", "/event", admin, form={**WEBHOOK, "handlermodule": "Nope"})
    call(client, "POST", "/event/enable/5", admin)
    call(client, "DELETE", "/event/5", admin)
    for name in ("event.handler.create", "event.handler.enable", "event.handler.delete"):
        assert _events_of(name) == []


# ---------------------------------------------------------------- pre handlers on these writes


def _mangler(client, admin, event: str, action: str, **options: str) -> int:
    form = {
        "name": f"{action} on {event}",
        "event": event,
        "handlermodule": "RequestMangler",
        "action": action,
        "position": "pre",
        **{f"option.{key}": value for key, value in options.items()},
    }
    return save(client, admin, form=form)


def test_a_pre_handler_may_change_a_create(client, admin):
    _mangler(client, admin, "event.handler.create", "set", parameter="name", value="mangled")
    handler_id = save(client, admin, form=WEBHOOK)
    assert binding(client, admin, handler_id)["name"] == "mangled"


def test_a_pre_handler_may_refuse_a_delete(client, admin):
    refuser = _mangler(client, admin, "event.handler.delete", "refuse", message="keep it")
    r = call(client, "DELETE", f"/event/{refuser}", admin)
    assert r.status_code == 400
    assert error_of(r) == {"code": 10, "message": "ERR10: keep it"}
    assert binding(client, admin, refuser)["id"] == refuser
    assert _events_of("event.handler.delete") == []
