"""Federation: forwarding events to another server's opEvents API (a real local receiver)."""

from __future__ import annotations

import base64

from chalicelib.core.executions import list_executions
from chalicelib.engine import dispatch
from chalicelib.engine.modules.base import get_module
from tests.engine.conftest import add_handler, load_stream_fixture

EVENTS = "/omk/opEvents/events"


def forward(receiver, **options):
    add_handler(
        1,
        "Federation",
        "forward",
        ["Node Down", "admin.user.create"],
        options={"URL": receiver.url + "/", **options},
        abort_on_error=True,
    )
    return dispatch.handle_stream_batch(load_stream_fixture("node_events.json"))


def test_declaration():
    module = get_module("Federation")
    assert module.positions == ("post",) and module.default_abort_on_error is True
    assert module.actions["forward"]["URL"].required


def test_forward_posts_the_event_as_opevents_expects(allow_private, receiver):
    receiver.answer_with((201, b'{"success": 1, "id": "65f0c0ffee"}'))
    assert forward(receiver, username="hub", password="s3cret") == {"batchItemFailures": []}

    posted = sorted(receiver.posts(EVENTS), key=lambda p: p.json()["event"])  # any order
    node_down, user_create = posted
    body = node_down.json()
    assert body == {
        "node": "router1",
        "event": "Node Down",
        "time": 1740830400,
        "date": "2025-03-01T12:00:00.123456",
        "details": "Ping failed",
        "priority": 6,
        "level": "Major",
        "state": "down",
        "message_id": "fixture-node-down-1",
        "source": "opevents",
    }
    assert node_down.headers["X-Event-Service-Depth"] == "1"
    assert node_down.headers["X-Event-Service-Origin"] == "fixture-node-down-1"
    expected = "Basic " + base64.b64encode(b"hub:s3cret").decode()
    assert node_down.headers["Authorization"] == expected
    # An operation event: no node trait, so the source names it; dotted traits are nested.
    other = user_create.json()
    assert other["node"] == "admin" and other["event"] == "admin.user.create"
    assert other["traits"] == {"result.username": "bob"}
    assert other["logged_in_user"] == "root"
    executions = list_executions(handler_id=1)
    assert [e["status"] for e in executions] == ["ok", "ok"]
    assert '"remote_id": "65f0c0ffee"' in executions[0]["detail"]


def test_forward_with_opevents_login_cookie(allow_private, receiver):
    receiver.routes["/omk/opEvents/login"] = (
        302,
        b"",
        {"Set-Cookie": "omk=session-1; Path=/; HttpOnly", "Location": "/omk"},
    )
    receiver.answer_with((201, b"{}"))
    forward(receiver, username="hub", password="pw", auth_method="login", node="fallback")

    [login] = receiver.posts("/omk/opEvents/login")
    assert login.body == b"username=hub&password=pw"
    posted = receiver.posts(EVENTS)
    assert {p.headers["Cookie"] for p in posted} == {"omk=session-1"}
    nodes = {p.json()["node"] for p in posted}  # records run concurrently: any order
    assert "fallback" in nodes  # the option names a node-less event


def test_forward_with_a_token(allow_private, receiver):
    receiver.answer_with((201, b"{}"))
    forward(receiver, token="abc.def")
    assert {p.headers["Authorization"] for p in receiver.posts(EVENTS)} == {"Bearer abc.def"}


def test_a_refused_forward_is_recorded_failed(allow_private, receiver):
    receiver.answer_with((401, b'{"error": "not authenticated"}'))
    forward(receiver)
    executions = list_executions(handler_id=1)
    assert [e["status"] for e in executions] == ["failed", "failed"]
    assert all(e["attempts"] == 1 and "HTTP 401" in e["error"] for e in executions)


def test_an_expired_session_logs_in_again(allow_private, settings_env, receiver):
    from chalicelib.engine.modules.federation import _SESSIONS

    settings_env(EVENT_SERVICE_DISPATCH_CONCURRENCY="1")  # the cookies' order is the point

    _SESSIONS[(receiver.url, "hub")] = "omk=expired"
    receiver.routes["/omk/opEvents/login"] = (200, b"{}", {"Set-Cookie": "omk=fresh; Path=/"})
    receiver.answer_with((401, b"{}"), (201, b"{}"))
    forward(receiver, username="hub", password="pw", auth_method="login")

    cookies = [p.headers["Cookie"] for p in receiver.posts(EVENTS)]
    assert cookies == ["omk=expired", "omk=fresh", "omk=fresh"]
    assert len(receiver.posts("/omk/opEvents/login")) == 1
    assert [e["status"] for e in list_executions(handler_id=1)] == ["ok", "ok"]
