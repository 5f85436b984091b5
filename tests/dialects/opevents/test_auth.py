"""opEvents authentication: login cookie, Basic, Bearer; 401 unauthenticated, 404 refused."""

from __future__ import annotations

import pytest

from tests.dialects.opevents import support as opevents_support
from tests.dialects.opevents.support import (
    EVENTS,
    NODES,
    ROOT,
    WRITER_PASSWORD,
    call,
    create,
    json_get,
)

# The fixtures this module uses (pytest finds them by name in the module).
reader = opevents_support.reader
router = opevents_support.router
writer = opevents_support.writer

EVENT_ID = "0123456789abcdef01234567"
ROUTES = [
    ("POST", EVENTS),
    ("GET", EVENTS),
    ("GET", f"{EVENTS}.json"),
    ("GET", f"{EVENTS}/{EVENT_ID}"),
    ("GET", f"{EVENTS}/{EVENT_ID}.json"),
    ("PATCH", f"{ROOT}/api/v1/events/{EVENT_ID}"),
    ("GET", NODES),
    ("POST", NODES),
    ("GET", f"{NODES}/router1"),
    ("PUT", f"{NODES}/router1"),
    ("DELETE", f"{NODES}/router1"),
]


def login(client, username="poller", password=WRITER_PASSWORD, headers=None):
    return call(
        client, "POST", f"{ROOT}/login", headers, form={"username": username, "password": password}
    )


def session_of(response) -> str:
    return response.headers["Set-Cookie"].split(";", 1)[0]


def test_login_sets_a_signed_expiring_http_only_cookie(client, writer, router):
    response = login(client)
    assert response.status_code == 200
    assert response.json_body == {"success": 1, "username": "poller"}
    cookie = response.headers["Set-Cookie"]
    name, _, token = session_of(response).partition("=")
    assert name == "omk" and token.count(".") == 2  # a signed JWT
    attributes = [part.strip() for part in cookie.split(";")[1:]]
    assert {"HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=3600"} <= set(attributes)
    assert "Secure" not in attributes  # plain HTTP (chalice local)

    # a write with the cookie carries the same-origin proof opEvents' GUI (jQuery) sends
    same_origin = {"Cookie": session_of(response), "X-Requested-With": "XMLHttpRequest"}
    created = create(client, same_origin, node="router1", event="Node Down")
    assert created.status_code == 201
    listed = json_get(client, EVENTS, {"Cookie": f"theme=dark; {session_of(response)}"})
    assert [event["id"] for event in listed.json_body] == [created.json_body["id"]]


def test_login_behind_https_marks_the_cookie_secure(client, writer):
    response = login(client, headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in [part.strip() for part in response.headers["Set-Cookie"].split(";")]


def test_login_accepts_json_too(client, writer):
    response = call(
        client, "POST", f"{ROOT}/login", data={"username": "poller", "password": WRITER_PASSWORD}
    )
    assert response.status_code == 200 and "omk=" in response.headers["Set-Cookie"]


@pytest.mark.parametrize(
    "form",
    [{"username": "poller", "password": "wrong"}, {"username": "ghost", "password": "x"}, {}],
)
def test_login_refused(client, writer, form):
    response = call(client, "POST", f"{ROOT}/login", form=form)
    assert response.status_code == 401
    assert "Set-Cookie" not in response.headers


def test_forged_or_expired_cookie_is_not_authenticated(client, writer):
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.tokens import issue_token

    token = session_of(login(client)).split("=", 1)[1]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    expired = issue_token(Principal("poller", permissions=("opevents_read",)), ttl_seconds=-60)
    for value in (forged, expired, "garbage"):
        response = json_get(client, EVENTS, {"Cookie": f"omk={value}"})
        assert response.status_code == 401, value


def test_basic_and_bearer(client, writer, admin):
    assert json_get(client, EVENTS, writer).status_code == 200
    token = call(client, "POST", "/auth/token", writer).json_body["token"]
    assert json_get(client, EVENTS, {"Authorization": f"Bearer {token}"}).status_code == 200
    assert json_get(client, EVENTS, admin).status_code == 200


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_unauthenticated_is_401(client, method, path):
    response = call(client, method, path, {"Accept": "application/json"}, data={})
    assert response.status_code == 401
    assert response.json_body == {"error": "not authenticated"}


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_no_opevents_permission_is_404_everywhere(client, user, method, path):
    response = call(client, method, path, {**user, "Accept": "application/json"}, data={})
    assert response.status_code == 404
    assert response.json_body == {"error": "Not Found"}


def test_reader_cannot_write_and_non_admins_cannot_change_nodes(client, reader, writer, router):
    assert create(client, reader, node="router1", event="Node Down").status_code == 404
    assert json_get(client, EVENTS, reader).status_code == 200
    assert json_get(client, f"{NODES}/router1", reader).status_code == 200
    for headers in (reader, writer):
        assert call(client, "POST", NODES, headers, data={"name": "x"}).status_code == 404
        assert call(client, "DELETE", f"{NODES}/router1", headers).status_code == 404
    assert json_get(client, f"{NODES}/router1", writer).status_code == 200


def test_password_guessing_on_login_is_locked_out(client, admin):
    import json
    from urllib.parse import urlencode

    from tests.conftest import ADMIN_PASSWORD

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for _ in range(10):
        wrong = client.http.post(
            "/omk/opEvents/login",
            headers=form,
            body=urlencode({"username": "root", "password": "x"}),
        )
        assert wrong.status_code == 401
    locked = client.http.post(
        "/omk/opEvents/login",
        headers=form,
        body=urlencode({"username": "root", "password": ADMIN_PASSWORD}),
    )
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert json.loads(locked.body)["success"] == 0
