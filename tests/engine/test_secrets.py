"""Secret module options are write-only: used by the action, shown and recorded nowhere."""

from __future__ import annotations

import json
import logging

import pytest

from chalicelib.core.secret_options import SECRET_MASK
from chalicelib.engine import dispatch
from chalicelib.engine.modules.base import get_module
from tests.dialects.privacyidea.support import WEBHOOK, call, error_of
from tests.engine.conftest import read_stream

SECRET = "Bearer sup3r-s3cret-t0ken"
PASSWORD = "federation-pa55word"


def bindings(client, headers) -> list[dict]:
    response = call(client, "GET", "/event/", headers)
    assert response.status_code == 200, response.body
    return response.json_body["result"]["value"]


def deliver_everything() -> None:
    dispatch.handle_stream_batch({"Records": read_stream()})


def everything_visible(client, admin) -> str:
    """What an admin can read back: bindings, every event (all tenants), every execution."""
    events = client.http.get(
        "/v2/events?q.field=all_tenants&q.value=True&limit=1000", headers=admin
    )
    assert events.status_code == 200
    executions = call(client, "GET", "/event/executions", admin)
    return json.dumps([bindings(client, admin), events.json_body, executions.json_body])


def test_declared_secrets():
    assert get_module("Federation").actions["forward"]["password"].secret is True
    assert get_module("Federation").actions["forward"]["token"].secret is True
    webhook = get_module("WebHook").actions_wire()["post_webhook"]
    assert webhook["authorization"]["secret"] is True


def test_a_webhook_authorization_is_sent_but_never_shown(
    client, admin, allow_private, receiver, caplog
):
    caplog.set_level(logging.INFO)  # the service logs at INFO (libraries at DEBUG dump requests)
    form = {
        **WEBHOOK,
        "event": "app.thing",
        "option.URL": f"{receiver.url}/hook",
        "option.authorization": SECRET,
    }
    assert call(client, "POST", "/event", admin, form=form).status_code == 200
    [shown] = bindings(client, admin)
    assert shown["options"]["authorization"] == SECRET_MASK

    ingest = client.http.post(
        "/v2/events",
        headers={**admin, "Content-Type": "application/json"},
        body=json.dumps({"event_type": "app.thing", "message_id": "m1"}),
    )
    assert ingest.status_code == 201
    deliver_everything()
    [got] = receiver.posts("/hook")
    assert got.headers["Authorization"] == SECRET

    # Neither the binding, the event.handler.create event (traits, raw), the executions nor
    # the log lines carry it.
    assert SECRET not in everything_visible(client, admin)
    assert "sup3r-s3cret" not in caplog.text


def test_an_update_with_the_mask_or_without_the_option_keeps_the_secret(
    client, admin, allow_private, receiver
):
    form = {**WEBHOOK, "event": "app.thing", "option.URL": f"{receiver.url}/hook"}
    handler_id = call(
        client, "POST", "/event", admin, form={**form, "option.authorization": SECRET}
    ).json_body["result"]["value"]
    # A client that reads the binding and posts it back sends the mask: the secret stays.
    [shown] = bindings(client, admin)
    assert call(client, "POST", "/event", admin, data=shown).status_code == 200
    # An update that leaves the option out keeps it too.
    renamed = {**form, "id": handler_id, "name": "renamed"}
    assert call(client, "POST", "/event", admin, form=renamed).status_code == 200
    client.http.post(
        "/v2/events",
        headers={**admin, "Content-Type": "application/json"},
        body=json.dumps({"event_type": "app.thing"}),
    )
    deliver_everything()
    [got] = receiver.posts("/hook")
    assert got.headers["Authorization"] == SECRET
    # A new value replaces it, and is masked like the first.
    changed = {**form, "id": handler_id, "option.authorization": "Bearer other"}
    assert call(client, "POST", "/event", admin, form=changed).status_code == 200
    assert bindings(client, admin)[0]["options"]["authorization"] == SECRET_MASK
    assert "Bearer other" not in everything_visible(client, admin)


def test_a_new_url_posted_with_the_mask_does_not_receive_the_secret(
    client, admin, allow_private, receiver
):
    """The attack: read the binding, change its URL, post it back with the mask."""
    form = {**WEBHOOK, "event": "app.thing", "option.URL": f"{receiver.url}/hook"}
    call(client, "POST", "/event", admin, form={**form, "option.authorization": SECRET})
    [shown] = bindings(client, admin)
    stolen = {**shown, "options": {**shown["options"], "URL": f"{receiver.url}/attacker"}}
    response = call(client, "POST", "/event", admin, data=stolen)
    assert response.status_code == 400
    assert "authorization" in error_of(response)["message"]
    client.http.post(
        "/v2/events",
        headers={**admin, "Content-Type": "application/json"},
        body=json.dumps({"event_type": "app.thing"}),
    )
    deliver_everything()
    assert receiver.posts("/attacker") == []
    [got] = receiver.posts("/hook")
    assert got.headers["Authorization"] == SECRET


def test_url_credentials_are_masked_on_read_and_in_operation_events(
    client, admin, allow_private, receiver
):
    """A WebHook URL carrying ``?token=`` and userinfo: used, never shown."""
    host = receiver.url.split("://", 1)[1]
    url = f"http://spoke:pa55w0rd@{host}/hook?token=sup3r-t0ken&page=1"
    form = {**WEBHOOK, "event": "app.thing", "option.URL": url}
    assert call(client, "POST", "/event", admin, form=form).status_code == 200
    [shown] = bindings(client, admin)
    assert shown["options"]["URL"] == f"http://********@{host}/hook?token=********&page=1"
    # posted back as read, the stored URL is kept
    assert call(client, "POST", "/event", admin, data=shown).status_code == 200
    client.http.post(
        "/v2/events",
        headers={**admin, "Content-Type": "application/json"},
        body=json.dumps({"event_type": "app.thing"}),
    )
    deliver_everything()
    [got] = receiver.posts("/hook")
    assert got.path.endswith("?token=sup3r-t0ken&page=1")
    visible = everything_visible(client, admin)
    assert "sup3r-t0ken" not in visible and "pa55w0rd" not in visible


def test_a_reader_lists_bindings_with_secrets_masked(client, admin):
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal
    from tests.conftest import basic

    form = {
        "name": "fed",
        "event": "app.thing",
        "handlermodule": "Federation",
        "action": "forward",
        "option.URL": "http://hub.example",
        "option.username": "spoke",
        "option.password": PASSWORD,
    }
    assert call(client, "POST", "/event", admin, form=form).status_code == 200
    create_principal(
        Principal("reader", roles=("member",), permissions=("eventhandling_read",)),
        "reader-password",
    )
    reader = basic("reader", "reader-password")
    [shown] = bindings(client, reader)
    assert shown["options"]["password"] == SECRET_MASK
    assert shown["options"]["username"] == "spoke"
    r = call(client, "POST", "/event", reader, form={**form, "option.password": "mine"})
    assert r.status_code == 401 and error_of(r)["code"] == 4306


def test_a_failing_federation_records_no_password(client, admin, allow_private, receiver):
    receiver.answer_with((401, b'{"error": "who are you"}'))
    form = {
        "name": "fed",
        "event": "app.thing",
        "handlermodule": "Federation",
        "action": "forward",
        "option.URL": receiver.url,
        "option.username": "spoke",
        "option.password": PASSWORD,
    }
    assert call(client, "POST", "/event", admin, form=form).status_code == 200
    client.http.post(
        "/v2/events",
        headers={**admin, "Content-Type": "application/json"},
        body=json.dumps({"event_type": "app.thing"}),
    )
    deliver_everything()
    assert receiver.posts()  # it tried, with the password in its Basic header …
    executions = call(client, "GET", "/event/executions", admin).json_body["result"]["value"]
    assert executions and executions[0]["status"] == "failed"
    visible = everything_visible(client, admin)
    assert PASSWORD not in visible  # … which appears nowhere
    import base64

    assert base64.b64encode(f"spoke:{PASSWORD}".encode()).decode() not in visible


@pytest.mark.parametrize("value", ["", SECRET_MASK])
def test_a_mask_or_empty_value_with_nothing_stored_stores_no_secret(client, admin, value):
    form = {**WEBHOOK, "option.authorization": value}
    assert call(client, "POST", "/event", admin, form=form).status_code == 200
    from chalicelib.core.handlers import get_handler

    assert get_handler(1).options.get("authorization", "") == ""
