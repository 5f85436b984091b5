"""ProcessMaker 3 clients log in as they do against ProcessMaker, over real HTTP.

ProcessMaker's PHP examples post an array with curl (``CURLOPT_POSTFIELDS => array(...)``),
which curl sends as ``multipart/form-data``; its JavaScript examples post a form
(``$.ajax``/``XMLHttpRequest`` with ``application/x-www-form-urlencoded``) or JSON. Each
reaches both token URLs: ``/{workspace}/oauth2/token`` (ProcessMaker's documented one) and
``/api/1.0/{workspace}/oauth2/token``.
"""

from __future__ import annotations

import json

import pytest
import requests

from tests.dialects.processmaker.support import DESIGNER_PASSWORD, WS, make_designer

CLIENT_ID, CLIENT_SECRET = "x-pm-local-client", "179ad45c6ce2cb97cf1029e212046e81"
PATHS = (f"/{WS}/oauth2/token", f"/api/1.0/{WS}/oauth2/token")
INVALID_CLIENT = "Invalid REST API credentials, please send a valid client_id and client_secret."


def _fields(**changes: str | None) -> dict[str, str]:
    fields = {
        "grant_type": "password",
        "scope": "*",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "username": "designer",
        "password": DESIGNER_PASSWORD,
        **changes,
    }
    return {key: value for key, value in fields.items() if value is not None}


def _post(base: str, path: str, kind: str, fields: dict[str, str]) -> requests.Response:
    if kind == "multipart":  # PHP: curl_setopt($ch, CURLOPT_POSTFIELDS, $array)
        parts = {name: (None, value) for name, value in fields.items()}
        response = requests.post(base + path, files=parts, timeout=30)
        assert response.request.headers["Content-Type"].startswith("multipart/form-data")
        return response
    if kind == "form":  # JavaScript: a form-encoded XMLHttpRequest
        return requests.post(base + path, data=fields, timeout=30)
    return requests.post(base + path, json=fields, timeout=30)  # JavaScript: JSON


@pytest.mark.parametrize("kind", ["multipart", "form", "json"])
def test_clients_log_in_at_both_urls_with_every_body_type(served, kind):
    make_designer()
    for path in PATHS:
        response = _post(served, path, kind, _fields())
        assert response.status_code == 200, (path, response.text)
        granted = response.json()
        assert set(granted) == {
            "access_token",
            "expires_in",
            "token_type",
            "scope",
            "refresh_token",
        }
        assert granted["token_type"] == "bearer" and granted["scope"] == "*"
        assert granted["expires_in"] > 0
        bearer = {"Authorization": f"Bearer {granted['access_token']}"}
        listed = requests.get(f"{served}/api/1.0/{WS}/project", headers=bearer, timeout=30)
        assert listed.status_code == 200, listed.text

        refresh = {
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": granted["refresh_token"],
        }
        refreshed = _post(served, path, kind, refresh)
        assert refreshed.status_code == 200, refreshed.text

        wrong = _post(served, path, kind, _fields(client_secret="nope"))
        assert wrong.status_code == 400
        assert wrong.json() == {"error": "invalid_client", "error_description": INVALID_CLIENT}


def test_client_credentials_as_http_basic(served):
    make_designer()
    fields = _fields(client_id=None, client_secret=None)
    response = requests.post(
        served + PATHS[0], data=fields, auth=(CLIENT_ID, CLIENT_SECRET), timeout=30
    )
    assert response.status_code == 200, response.text


def test_scope_is_what_was_asked_within_processmakers_scopes(client):
    make_designer()

    def token(**changes):
        body = json.dumps(_fields(**changes))
        return client.http.post(PATHS[0], headers={"Content-Type": "application/json"}, body=body)

    assert token(scope="view_processes").json_body["scope"] == "view_processes"
    both = token(scope="view_processes edit_processes").json_body
    assert both["scope"] == "view_processes edit_processes"
    assert token(scope=None).json_body["scope"] is None
    refused = token(scope="admin_everything")
    assert refused.status_code == 400
    assert refused.json_body == {
        "error": "invalid_scope",
        "error_description": "An unsupported scope was requested",
    }
    # a refresh keeps the scope of the login
    refresh = {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": token(scope="view_processes").json_body["refresh_token"],
    }
    again = client.http.post(
        PATHS[1], headers={"Content-Type": "application/json"}, body=json.dumps(refresh)
    )
    assert again.json_body["scope"] == "view_processes"


@pytest.mark.parametrize("client_id", ["é", "\ud800"])
def test_a_non_ascii_client_id_is_an_invalid_client_not_a_500(client, client_id):
    body = json.dumps(_fields(client_id=client_id))
    response = client.http.post(PATHS[0], headers={"Content-Type": "application/json"}, body=body)
    assert response.status_code == 400, response.body
    assert response.json_body["error"] == "invalid_client"


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_lone_surrogate_in_the_credentials_is_a_refusal_not_a_500(client, field):
    make_designer()
    body = json.dumps(_fields(**{field: "\ud800"}))
    response = client.http.post(PATHS[0], headers={"Content-Type": "application/json"}, body=body)
    assert response.status_code == 401, response.body
    assert response.json_body["error"] == "invalid_grant"
