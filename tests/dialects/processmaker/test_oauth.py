"""ProcessMaker's OAuth token endpoint, credentials on every route, and PM_FACTORY."""

from __future__ import annotations

import pytest

from tests.conftest import basic
from tests.dialects.processmaker.support import (
    API,
    DESIGNER_PASSWORD,
    JSON,
    WS,
    call,
    make_designer,
    make_project,
)

CLIENT = {"client_id": "x-pm-local-client", "client_secret": "179ad45c6ce2cb97cf1029e212046e81"}
UNAUTHORIZED = {"error": {"code": 401, "message": "Unauthorized"}}
FORBIDDEN = {
    "error": {
        "code": 403,
        "message": "Forbidden: You don't have permission to access this endpoint or resource "
        "on this server.",
    }
}


def password_grant(**changes):
    body = {
        "grant_type": "password",
        "scope": "*",
        **CLIENT,
        "username": "designer",
        "password": DESIGNER_PASSWORD,
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def test_password_grant_gives_a_bearer_token_that_works(client):
    make_designer()
    response = call(client, "POST", f"{API}/oauth2/token", JSON, password_grant())

    assert response.status_code == 200
    granted = response.json_body
    assert granted["token_type"] == "bearer"
    assert granted["scope"] == "*"
    assert granted["expires_in"] == 3600
    assert granted["refresh_token"]
    bearer = {"Authorization": f"Bearer {granted['access_token']}", **JSON}
    assert call(client, "GET", f"{API}/project", bearer).json_body == []
    assert call(client, "POST", f"{API}/project", bearer, {"prj_name": "P"}).status_code == 201


def test_the_token_request_may_be_a_form_with_the_client_in_basic(client):
    make_designer()
    from urllib.parse import urlencode

    headers = {
        **basic(CLIENT["client_id"], CLIENT["client_secret"]),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    form = urlencode(
        {"grant_type": "password", "username": "designer", "password": DESIGNER_PASSWORD}
    )
    response = client.http.post(f"{API}/oauth2/token", headers=headers, body=form)
    assert response.status_code == 200, response.body
    assert response.json_body["access_token"]


def test_refresh_grant_rotates_the_refresh_token(client):
    make_designer()
    first = call(client, "POST", f"{API}/oauth2/token", JSON, password_grant()).json_body
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], **CLIENT}

    again = call(client, "POST", f"{API}/oauth2/token", JSON, refresh)
    assert again.status_code == 200
    assert again.json_body["refresh_token"] != first["refresh_token"]
    bearer = {"Authorization": f"Bearer {again.json_body['access_token']}"}
    assert call(client, "GET", f"{API}/project", bearer).status_code == 200

    reused = call(client, "POST", f"{API}/oauth2/token", JSON, refresh)
    assert reused.status_code == 400
    assert reused.json_body == {
        "error": "invalid_grant",
        "error_description": "Invalid refresh token",
    }


def test_a_refresh_token_of_another_workspace_is_refused(client):
    make_designer()
    first = call(client, "POST", f"{API}/oauth2/token", JSON, password_grant()).json_body
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], **CLIENT}
    response = call(client, "POST", "/api/1.0/other/oauth2/token", JSON, refresh)
    assert response.status_code == 400
    assert response.json_body["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("changes", "status", "error", "description"),
    [
        (
            {"password": "wrong-password"},
            401,
            "invalid_grant",
            "Invalid username and password combination",
        ),
        (
            {"username": "nobody"},
            401,
            "invalid_grant",
            "Invalid username and password combination",
        ),
        (
            {"client_secret": "nope"},
            400,
            "invalid_client",
            "Invalid REST API credentials, please send a valid client_id and client_secret.",
        ),
        (
            {"client_id": None, "client_secret": None},
            400,
            "invalid_client",
            "Client credentials were not found in the headers or body",
        ),
        (
            {"grant_type": None},
            400,
            "invalid_request",
            "The grant type was not specified in the request",
        ),
        (
            {"grant_type": "client_credentials"},
            400,
            "unsupported_grant_type",
            'Grant type "client_credentials" not supported',
        ),
        (
            {"password": None},
            400,
            "invalid_request",
            'Missing parameters: "username" and "password" required',
        ),
    ],
)
def test_refusals_in_oauth_shape(client, changes, status, error, description):
    make_designer()
    response = call(client, "POST", f"{API}/oauth2/token", JSON, password_grant(**changes))
    assert response.status_code == status
    assert response.json_body == {"error": error, "error_description": description}


def test_every_route_needs_credentials(client):
    make_designer()
    for method, path in [
        ("GET", f"{API}/project"),
        ("GET", f"{API}/project/{'1' * 32}/events"),
        ("GET", f"{API}/project/{'1' * 32}/event/{'2' * 32}"),
        ("POST", f"{API}/project/{'1' * 32}/event"),
        ("PUT", f"{API}/project/{'1' * 32}/event/{'2' * 32}"),
        ("DELETE", f"{API}/project/{'1' * 32}/event/{'2' * 32}"),
        ("POST", f"{API}/cases"),
        ("GET", f"{API}/executions"),
    ]:
        response = call(client, method, path, JSON, {} if method in ("POST", "PUT") else None)
        assert response.status_code == 401, (method, path)
        assert response.json_body == UNAUTHORIZED
    bad = {"Authorization": "Bearer not-a-token"}
    assert call(client, "GET", f"{API}/project", bad).json_body == UNAUTHORIZED
    wrong = basic("designer", "wrong-password")
    assert call(client, "GET", f"{API}/project", wrong).status_code == 401


def test_designer_reads_and_writes_need_pm_factory(client):
    factory = make_designer()
    reader = make_designer(permissions=("PM_CASES",), name="reader")
    project = make_project(client, factory)
    prj = project["prj_uid"]

    for method, path in [
        ("GET", f"{API}/project"),
        ("GET", f"{API}/project/{prj}"),
        ("GET", f"{API}/project/{prj}/events"),
        ("GET", f"{API}/executions"),
        ("POST", f"{API}/project"),
        ("DELETE", f"{API}/project/{prj}"),
        ("POST", f"{API}/project/{prj}/trigger"),
        ("PUT", f"{API}/project/{prj}/trigger/{'1' * 32}"),
        ("DELETE", f"{API}/project/{prj}/trigger/{'1' * 32}"),
        ("POST", f"{API}/project/{prj}/event"),
        ("PUT", f"{API}/project/{prj}/event/{'2' * 32}"),
        ("DELETE", f"{API}/project/{prj}/event/{'2' * 32}"),
    ]:
        response = call(client, method, path, reader, {} if method in ("POST", "PUT") else None)
        assert response.status_code == 403, (method, path)
        assert response.json_body == FORBIDDEN


def test_admins_hold_pm_factory(client, admin):
    assert (
        call(client, "POST", f"{API}/project", {**admin, **JSON}, {"prj_name": "P"}).status_code
        == 201
    )


def test_the_admin_api_accepts_pm_factory(client, admin):
    response = call(
        client,
        "POST",
        "/admin/users",
        {**admin, **JSON},
        {
            "username": "pm",
            "password": "pm-password-1",
            "permissions": ["PM_FACTORY"],
            "workspaces": [WS],
        },
    )
    assert response.status_code == 201, response.body
    headers = {**basic("pm", "pm-password-1"), **JSON}
    assert call(client, "POST", f"{API}/project", headers, {"prj_name": "P"}).status_code == 201


def test_a_deleted_user_gets_no_new_token_from_a_refresh(client):
    from chalicelib.auth.principals import delete_principal

    make_designer()
    first = call(client, "POST", f"{API}/oauth2/token", JSON, password_grant()).json_body
    delete_principal("designer")
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], **CLIENT}
    response = call(client, "POST", f"{API}/oauth2/token", JSON, refresh)
    assert response.status_code == 400
    assert response.json_body == {
        "error": "invalid_grant",
        "error_description": "Invalid refresh token",
    }


def test_a_revoked_user_gets_no_new_token_from_a_refresh(client):
    from chalicelib.auth.principals import revoke_tokens

    make_designer()
    first = call(client, "POST", f"{API}/oauth2/token", JSON, password_grant()).json_body
    revoke_tokens("designer")
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], **CLIENT}
    response = call(client, "POST", f"{API}/oauth2/token", JSON, refresh)
    assert response.status_code == 400
    assert response.json_body["error"] == "invalid_grant"


def test_a_refresh_never_outlives_the_maximum_session(client, monkeypatch):
    import time

    make_designer()
    first = call(client, "POST", f"{API}/oauth2/token", JSON, password_grant()).json_body
    login = time.time()
    monkeypatch.setattr(time, "time", lambda: login + 13 * 3600)  # past the 12 h default
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], **CLIENT}
    response = call(client, "POST", f"{API}/oauth2/token", JSON, refresh)
    assert response.status_code == 400
    assert response.json_body == {
        "error": "invalid_grant",
        "error_description": "Refresh token has expired",
    }


def test_password_guessing_on_the_token_route_is_locked_out(client):
    make_designer()
    for _ in range(10):
        wrong = call(client, "POST", f"{API}/oauth2/token", JSON, password_grant(password="x"))
        assert wrong.status_code == 401
    locked = call(client, "POST", f"{API}/oauth2/token", JSON, password_grant())
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
