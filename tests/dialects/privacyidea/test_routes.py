"""privacyIDEA dialect: login, envelope, auth refusals, routing quirks, catalogues, history."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ADMIN_PASSWORD, basic
from tests.dialects.privacyidea.support import WEBHOOK, call, error_of

ADMIN_ROLE_MESSAGE = (
    "Authentication failure. You do not have the necessary role (['admin']) to access "
    "this resource!"
)


def ordered_keys(response) -> list[str]:
    return list(json.loads(response.body, object_pairs_hook=lambda pairs: dict(pairs)))


def login(client, username="root", password=ADMIN_PASSWORD) -> str:
    r = call(client, "POST", "/auth", form={"username": username, "password": password})
    assert r.status_code == 200, r.body
    return r.json_body["result"]["value"]["token"]


def make_principal(username: str, *permissions: str) -> dict[str, str]:
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal

    password = f"{username}-password"
    create_principal(
        Principal(username, roles=("user",), permissions=permissions, user_id=username), password
    )
    return basic(username, password)


# ---------------------------------------------------------------- POST /auth


def test_auth_gives_a_token_that_works_bare_in_both_headers(client, admin):
    r = call(client, "POST", "/auth", form={"username": "root", "password": ADMIN_PASSWORD})
    assert r.status_code == 200
    value = r.json_body["result"]["value"]
    assert value["role"] == "admin"
    assert value["username"] == "root"
    from chalicelib.auth.permissions import known_permissions

    # an admin holds every declared permission, in declaration order
    assert value["rights"] == list(known_permissions())
    assert value["rights"][:2] == ["eventhandling_read", "events_ingest"]
    for header in ("PI-Authorization", "Authorization"):
        listed = call(client, "GET", "/event/", {header: value["token"]})
        assert listed.status_code == 200, listed.body
        assert listed.json_body["result"]["value"] == []
    bearer = call(client, "GET", "/event/", {"Authorization": f"Bearer {value['token']}"})
    assert bearer.status_code == 200


def test_auth_accepts_a_json_body(client, admin):
    r = call(client, "POST", "/auth", data={"username": "root", "password": ADMIN_PASSWORD})
    assert r.status_code == 200
    assert r.json_body["result"]["value"]["token"]


def test_auth_with_a_wrong_password_is_4031(client, admin):
    r = call(client, "POST", "/auth", form={"username": "root", "password": "wrong"})
    assert r.status_code == 401
    assert error_of(r) == {"code": 4031, "message": "Authentication failure. Wrong credentials"}
    r = call(client, "POST", "/auth", form={"username": "nobody", "password": "x"})
    assert r.status_code == 401


def test_a_user_token_is_refused_with_4306(client, user):
    token = login(client, "alice", "user-password-1")
    r = call(client, "GET", "/event/", {"PI-Authorization": token})
    assert r.status_code == 401
    assert error_of(r) == {"code": 4306, "message": ADMIN_ROLE_MESSAGE}


# ---------------------------------------------------------------- envelope


def test_success_envelope_has_privacyideas_keys_sorted_and_no_cache(client, admin):
    r = call(client, "GET", "/event/", admin)
    assert r.status_code == 200
    assert ordered_keys(r) == ["id", "jsonrpc", "result", "time", "version", "versionnumber"]
    body = r.json_body
    assert body["id"] == 1 and body["jsonrpc"] == "2.0"
    assert body["result"] == {"status": True, "value": []}
    assert body["version"] == "privacyIDEA 3.14" and body["versionnumber"] == "3.14"
    assert isinstance(body["time"], float)
    assert r.headers["Cache-Control"] == "no-cache"
    assert r.headers["Content-Type"] == "application/json"


def test_error_envelope_has_detail_and_no_versionnumber(client, aws):
    r = call(client, "GET", "/event/")
    assert r.status_code == 401
    assert ordered_keys(r) == ["detail", "id", "jsonrpc", "result", "time", "version"]
    body = r.json_body
    assert body["detail"] is None and body["id"] == 1 and body["version"] == "privacyIDEA 3.14"
    assert r.headers["Cache-Control"] == "no-cache"


def test_nonce_is_echoed_from_query_form_and_json(client, admin):
    r = call(client, "GET", "/event/", admin, query={"nonce": "abc123"})
    assert r.json_body["nonce"] == "abc123"
    assert ordered_keys(r)[:3] == ["id", "jsonrpc", "nonce"]
    r = call(client, "POST", "/event", admin, form={**WEBHOOK, "nonce": "n-form"})
    assert r.json_body["nonce"] == "n-form"
    r = call(client, "POST", "/event", admin, data={"nonce": "n-json"})
    assert r.status_code == 400
    assert r.json_body["nonce"] == "n-json"
    assert "nonce" not in call(client, "GET", "/event/", admin).json_body


# ---------------------------------------------------------------- refusals


def test_no_authorization_header_is_4033(client, aws):
    r = call(client, "GET", "/event/")
    assert r.status_code == 401
    assert error_of(r) == {
        "code": 4033,
        "message": "Authentication failure. Missing Authorization header.",
    }


def test_a_garbage_token_is_4304(client, aws):
    r = call(client, "GET", "/event/", {"PI-Authorization": "not.a.jwt"})
    assert r.status_code == 401
    error = error_of(r)
    assert error["code"] == 4304
    assert error["message"].startswith(
        "Authentication failure. Error decoding the Authorization token: "
    )


def test_an_expired_token_is_4305(client, admin):
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.tokens import issue_token

    token = issue_token(Principal("root", roles=("admin",)), ttl_seconds=-60)
    r = call(client, "GET", "/event/", {"Authorization": token})
    assert r.status_code == 401
    error = error_of(r)
    assert error["code"] == 4305
    assert error["message"].startswith("Authentication failure. Your token has expired: ")


def test_basic_with_a_wrong_password_is_4031(client, admin):
    r = call(client, "GET", "/event/", basic("root", "wrong"))
    assert r.status_code == 401
    assert error_of(r)["code"] == 4031


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/event/"),
        ("GET", "/event/1"),
        ("GET", "/event/available"),
        ("POST", "/event"),
        ("DELETE", "/event/1"),
        ("POST", "/event/enable/1"),
        ("GET", "/event/counters"),
    ],
)
def test_a_principal_without_event_rights_is_4306(client, user, method, path):
    r = call(client, method, path, user)
    assert r.status_code == 401
    assert error_of(r) == {"code": 4306, "message": ADMIN_ROLE_MESSAGE}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/event"),
        ("DELETE", "/event/1"),
        ("POST", "/event/enable/1"),
        ("POST", "/event/disable/1"),
    ],
)
def test_a_read_only_principal_may_read_but_not_write(client, admin, method, path):
    """Handler writes are admin-only: a handler sees every tenant's events."""
    assert call(client, "POST", "/event", admin, form=WEBHOOK).status_code == 200
    reader = make_principal("reader", "eventhandling_read")
    assert call(client, "GET", "/event/", reader).status_code == 200
    r = call(client, method, path, reader, form=WEBHOOK if path == "/event" else None)
    assert r.status_code == 401
    assert error_of(r) == {"code": 4306, "message": ADMIN_ROLE_MESSAGE}
    [stored] = call(client, "GET", "/event/", admin).json_body["result"]["value"]
    assert stored["active"] is True and stored["id"] == 1  # nothing was written


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/event/"),
        ("GET", "/event/1"),
        ("GET", "/event/available"),
        ("GET", "/event/handlermodules"),
        ("GET", "/event/positions/WebHook"),
        ("GET", "/event/actions/WebHook"),
        ("GET", "/event/conditions/WebHook"),
        ("GET", "/event/defaults/WebHook"),
        ("GET", "/event/executions"),
        ("GET", "/event/1/executions"),
        ("GET", "/event/counters"),
        ("GET", "/event/counters/hits"),
        ("POST", "/event/disable/1"),
        ("POST", "/event/enable/1"),
        ("DELETE", "/event/1"),
    ],
)
def test_basic_auth_works_on_every_route(client, admin, method, path):
    assert call(client, "POST", "/event", admin, form=WEBHOOK).json_body["result"]["value"] == 1
    r = call(client, method, path, admin)
    assert r.status_code == 200, r.body
    assert r.json_body["result"]["status"] is True


# ---------------------------------------------------------------- routing quirks


def test_get_event_without_slash_redirects_like_flask(client, aws):
    r = client.http.get("/event")
    assert r.status_code == 308
    assert r.headers["Location"] == "/event/"
    r = client.http.get("/event?nonce=1")
    assert r.headers["Location"] == "/event/?nonce=1"


def test_post_event_with_slash_is_405(client, admin):
    r = call(client, "POST", "/event/", admin, form=WEBHOOK)
    assert r.status_code == 405
    assert r.headers["Content-Type"].startswith("text/html")


def test_the_slash_quirks_answer_before_any_login(client, aws):
    # Flask routes before privacyIDEA authenticates: no credentials, same 308 and 405.
    assert client.http.get("/event").status_code == 308
    r = client.http.post("/event/", headers={"Content-Type": "application/json"}, body=b"{}")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert client.http.get("/event/").status_code == 401
    assert client.http.post("/event", body=b"").status_code == 401


def test_special_words_win_over_ids(client, admin):
    for word in ("available", "handlermodules", "executions", "counters"):
        r = call(client, "GET", f"/event/{word}", admin)
        assert r.status_code == 200, (word, r.body)
        assert isinstance(r.json_body["result"]["value"], list)


def test_a_non_integer_id_is_905_on_get(client, admin):
    r = call(client, "GET", "/event/abc", admin)
    assert r.status_code == 400
    error = error_of(r)
    assert error["code"] == 905 and error["message"].startswith("ERR905: ")


# ---------------------------------------------------------------- catalogues


def test_available_lists_operations_then_ingested_types_without_duplicates(client, admin):
    from chalicelib.core import events
    from chalicelib.core.model import build_event

    events.record_event(build_event(event_type="compute.instance.create.end"))
    assert call(client, "POST", "/event", admin, form=WEBHOOK).status_code == 200
    names = call(client, "GET", "/event/available", admin).json_body["result"]["value"]
    assert len(names) == len(set(names))
    for name in (
        "admin.user.create",
        "event.handler.create",
        "event.handler.update",
        "event.handler.enable",
        "event.handler.disable",
        "event.handler.delete",
        "compute.instance.create.end",
    ):
        assert name in names
    assert names.index("event.handler.delete") < names.index("compute.instance.create.end")


def test_handlermodules_lists_the_built_in_modules(client, admin):
    modules = call(client, "GET", "/event/handlermodules", admin).json_body["result"]["value"]
    for name in ("UserNotification", "Federation", "Counter", "RequestMangler", "Logging"):
        assert name in modules
    assert "WebHook" in modules


@pytest.mark.parametrize(
    ("module", "positions"),
    [("WebHook", ["post", "pre"]), ("Federation", ["post"]), ("Nope", [])],
)
def test_positions(client, admin, module, positions):
    r = call(client, "GET", f"/event/positions/{module}", admin)
    assert r.json_body["result"]["value"] == positions


@pytest.mark.parametrize(("module", "abort"), [("Federation", True), ("WebHook", False)])
def test_defaults(client, admin, module, abort):
    r = call(client, "GET", f"/event/defaults/{module}", admin)
    assert r.json_body["result"]["value"] == {"abort_on_error": abort}


def test_defaults_of_an_unknown_module(client, admin):
    r = call(client, "GET", "/event/defaults/Nope", admin)
    assert r.status_code == 200
    assert r.json_body["result"]["value"] == {"abort_on_error": False}


def test_actions_are_the_module_declaration(client, admin):
    from chalicelib.engine.modules.base import get_module

    value = call(client, "GET", "/event/actions/WebHook", admin).json_body["result"]["value"]
    assert value == get_module("WebHook").actions_wire()
    assert "post_webhook" in value
    assert value["post_webhook"]["URL"]["required"] is True
    unknown = call(client, "GET", "/event/actions/Nope", admin)
    assert unknown.status_code == 200 and unknown.json_body["result"]["value"] == []


def test_conditions_are_the_shared_condition_catalogue(client, admin):
    from chalicelib.engine.conditions import describe_conditions

    value = call(client, "GET", "/event/conditions/WebHook", admin).json_body["result"]["value"]
    assert value == describe_conditions()
    assert value
    for schema in value.values():
        assert {"type", "desc", "group"} <= set(schema)
    unknown = call(client, "GET", "/event/conditions/Nope", admin)
    assert unknown.status_code == 200 and unknown.json_body["result"]["value"] == []


# ---------------------------------------------------------------- history and counters


def test_counters_read_through_the_api(client, admin):
    from chalicelib.core.counters import change_counter

    change_counter("hits", 3)
    r = call(client, "GET", "/event/counters/hits", admin)
    assert r.status_code == 200 and r.json_body["result"]["value"] == 3
    assert call(client, "GET", "/event/counters/never", admin).json_body["result"]["value"] == 0
    listed = call(client, "GET", "/event/counters", admin).json_body["result"]["value"]
    assert [counter["name"] for counter in listed] == ["hits"]
    assert listed[0]["value"] == 3


def test_executions_routes_answer_in_the_envelope(client, admin):
    r = call(client, "GET", "/event/executions", admin, query={"status": "failed", "limit": "5"})
    assert r.status_code == 200 and r.json_body["result"]["value"] == []
    r = call(client, "GET", "/event/7/executions", admin)
    assert r.status_code == 200 and r.json_body["result"]["value"] == []
    for bad in ({"limit": "many"}, {"limit": "0"}, {"handler_id": "x"}):
        r = call(client, "GET", "/event/executions", admin, query=bad)
        assert r.status_code == 400 and error_of(r)["code"] == 905


def test_executions_are_filtered_by_handler_status_and_event(client, admin):
    from chalicelib.core import executions
    from chalicelib.core.handlers import HandlerConfig
    from chalicelib.core.model import build_event

    hook = HandlerConfig(1, "hook", ("a.b",), "WebHook", "post_webhook")
    log = HandlerConfig(2, "log", ("a.b", "c.d"), "Logging", "logging")
    first = build_event(event_type="a.b", message_id="m-1")
    second = build_event(event_type="c.d", message_id="m-2")
    executions.record_skipped(hook, first, "conditions not met")
    executions.record_skipped(log, first, "conditions not met")
    claim = executions.claim_execution(log, second, 60).claim
    executions.finish_execution(claim, "failed", attempts=3, error="boom")

    def listed(path, **query):
        r = call(client, "GET", path, admin, query=query)
        assert r.status_code == 200, r.body
        return sorted(
            (item["handler_id"], item["message_id"], item["status"])
            for item in r.json_body["result"]["value"]
        )

    assert listed("/event/executions") == [
        (1, "m-1", "skipped"),
        (2, "m-1", "skipped"),
        (2, "m-2", "failed"),
    ]
    assert listed("/event/executions", handler_id="2", status="failed") == [(2, "m-2", "failed")]
    assert listed("/event/executions", event_type="a.b") == [
        (1, "m-1", "skipped"),
        (2, "m-1", "skipped"),
    ]
    assert listed("/event/executions", message_id="m-1", handler_id="1") == [(1, "m-1", "skipped")]
    assert listed("/event/2/executions") == [(2, "m-1", "skipped"), (2, "m-2", "failed")]
    assert len(listed("/event/executions", limit="1")) == 1
    r = call(client, "GET", "/event/executions", admin, query={"status": "bogus"})
    assert r.status_code == 400 and error_of(r)["code"] == 905
