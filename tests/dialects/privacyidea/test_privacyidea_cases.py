"""privacyIDEA accepts what privacyIDEA accepts: the cases of its own ``tests/test_api_events.py``
(privacyidea/privacyidea, 3.14) that post handlers without a required option, replayed here.

privacyIDEA's API never checks required options (its web UI asks for them): these 7 requests
answer 200 there, and must here too. Such a handler is saved incomplete; each run records what
is missing instead of calling out.
"""

from __future__ import annotations

import json

from tests.dialects.privacyidea.support import call, error_of
from tests.engine.conftest import read_stream

SENDMAIL = {"event": "token_init", "action": "sendmail", "handlermodule": "UserNotification"}


def ok(response) -> dict:
    assert response.status_code == 200, response.body
    return response.json_body


def listed(client, admin) -> list[dict]:
    return ok(call(client, "GET", "/event/", admin))["result"]["value"]


def test_01_crud_events(client, admin):
    # 1. create (no option.To: UserNotification's required recipient)
    form = {**SENDMAIL, "name": "Send an email", "conditions": '{"blabla": "yes"}'}
    body = ok(call(client, "POST", "/event", admin, form=form))
    assert body["result"]["value"] == 1
    assert body["detail"]["missing_options"] == ["To"]
    [shown] = listed(client, admin)
    assert shown["action"] == "sendmail" and shown["conditions"] == {"blabla": "yes"}
    assert shown["incomplete"] is True and shown["missing_options"] == ["To"]
    # 2. update
    form = {**SENDMAIL, "name": "A new name", "conditions": '{"always": "yes"}', "id": 1}
    assert ok(call(client, "POST", "/event", admin, form=form))["result"]["value"] == 1
    [shown] = listed(client, admin)
    assert shown["name"] == "A new name" and shown["conditions"] == {"always": "yes"}


def test_02_and_06_options_and_enable_disable(client, admin):
    form = {
        **SENDMAIL,
        "name": "Send an email via themis",
        "conditions": '{"blabla": "yes"}',
        "option.emailconfig": "themis",
        "option.2": "value2",
    }
    # 3. (test_02) and 4. (test_06): the same create, in each test
    for _ in range(2):
        handler_id = ok(call(client, "POST", "/event", admin, form=form))["result"]["value"]
        [shown] = [h for h in listed(client, admin) if h["id"] == handler_id]
        assert shown["event"] == ["token_init"]
        assert shown["options"] == {"2": "value2", "emailconfig": "themis"}
    ok(call(client, "POST", f"/event/disable/{handler_id}", admin))
    assert [h["active"] for h in listed(client, admin) if h["id"] == handler_id] == [False]
    ok(call(client, "POST", f"/event/enable/{handler_id}", admin))
    assert [h["active"] for h in listed(client, admin) if h["id"] == handler_id] == [True]


def test_06c_create_federation_event_defaults_to_abort(client, admin):
    param = {
        "name": "forward to the remote server",
        "event": "validate_check",
        "action": "forward",
        "handlermodule": "Federation",
        "position": "post",
    }
    # 5. create without option.URL
    body = ok(call(client, "POST", "/event", admin, form=param))
    event_id = body["result"]["value"]
    assert body["detail"]["missing_options"] == ["URL"]
    [shown] = ok(call(client, "GET", f"/event/{event_id}", admin))["result"]["value"]
    assert shown["abort_on_error"] is True
    # 6. an update that does not send abort_on_error keeps it (reordered)
    param.update(id=event_id, ordering=2)
    ok(call(client, "POST", "/event", admin, form=param))
    [shown] = ok(call(client, "GET", f"/event/{event_id}", admin))["result"]["value"]
    assert shown["abort_on_error"] is True and shown["ordering"] == 2
    # 7. switched off explicitly
    param["abort_on_error"] = False
    ok(call(client, "POST", "/event", admin, form=param))
    [shown] = ok(call(client, "GET", f"/event/{event_id}", admin))["result"]["value"]
    assert shown["abort_on_error"] is False


def test_misspelt_forms_stay_refused(client, admin):
    """Not what privacyIDEA clients send: refused, naming the right form."""
    for form in ({"options.To": "x"}, {"Option.To": "x"}, {"condition.a": "1"}):
        response = call(client, "POST", "/event", admin, form={**SENDMAIL, "name": "n", **form})
        assert response.status_code == 400, form
        assert error_of(response)["code"] == 905
    assert listed(client, admin) == []


def test_each_run_of_an_incomplete_handler_records_the_missing_option(client, admin):
    """A WebHook without URL: a failed execution naming the option, no attempt made."""
    from chalicelib.engine import dispatch

    form = {
        "name": "hook",
        "event": "app.thing",
        "handlermodule": "WebHook",
        "action": "post_webhook",
        "option.content_type": "application/json",
        "option.replace": "False",
        "option.data": "{}",
    }
    ok(call(client, "POST", "/event", admin, form=form))
    ingest = client.http.post(
        "/v2/events",
        headers={**admin, "Content-Type": "application/json"},
        body=json.dumps({"event_type": "app.thing"}),
    )
    assert ingest.status_code == 201
    dispatch.handle_stream_batch({"Records": read_stream()})
    executions = ok(call(client, "GET", "/event/executions", admin))["result"]["value"]
    [run] = [e for e in executions if e["event_type"] == "app.thing"]
    assert run["status"] == "failed"
    assert run["error"] == "missing option URL"
    assert run["attempts"] == 0
