import json

import boto3
import pytest

from chalicelib.core import events
from chalicelib.store.principals import PrincipalModel
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, basic

JSON = {"Content-Type": "application/json"}


def post_user(client, headers, body):
    payload = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.http.post("/admin/users", headers={**headers, **JSON}, body=payload)


def test_health_answers_once_tables_are_reachable(client):
    response = client.http.get("/health")
    assert response.status_code == 200
    assert response.json_body == {"status": "ok", "tables": True}


def test_admin_creates_lists_and_deletes_users(client, admin):
    response = post_user(
        client,
        admin,
        {
            "username": "bob",
            "password": "bob-password",
            "roles": ["user"],
            "permissions": ["events_ingest"],
            "project_id": "p9",
        },
    )
    assert response.status_code == 201
    assert response.json_body == {
        "username": "bob",
        "roles": ["user"],
        "permissions": ["events_ingest"],
        "project_id": "p9",
        "user_id": "bob",
        "workspaces": [],
    }
    listed = client.http.get("/admin/users", headers=admin).json_body
    assert [user["username"] for user in listed] == ["bob", "root"]
    assert all(
        "password" not in json.dumps(user) and "hash" not in json.dumps(user) for user in listed
    )
    assert client.http.get("/admin/users", headers=basic("bob", "bob-password")).status_code == 403
    assert client.http.delete("/admin/users/bob", headers=admin).status_code == 204
    assert client.http.delete("/admin/users/bob", headers=admin).status_code == 404
    assert client.http.get("/admin/users", headers=basic("bob", "bob-password")).status_code == 401


def test_user_mutations_record_their_operation_events(client, admin):
    post_user(client, admin, {"username": "bob", "password": "bob-password"})
    client.http.delete("/admin/users/bob", headers=admin)
    created = events.list_events(events.EventQuery(event_type="admin.user.create"))
    deleted = events.list_events(events.EventQuery(event_type="admin.user.delete"))
    assert len(created) == 1 and len(deleted) == 1
    assert created[0].trait("params.username").value == "bob"
    assert created[0].trait("logged_in_user").value == "root"
    assert "bob-password" not in json.dumps(created[0].raw)
    assert "bob-password" not in json.dumps(created[0].trait_values(), default=str)


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), (basic("root", "wrong-password"), 401), ({"Authorization": "Bearer x.y.z"}, 401)],
)
def test_refusals_without_valid_credentials(client, admin, headers, status):
    response = post_user(client, headers, {"username": "bob", "password": "bob-password"})
    assert response.status_code == status
    assert response.json_body["error"] == "AuthenticationFailed"
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert PrincipalModel.count("principal") == 1


def test_non_admins_may_not_manage_users(client, admin, user):
    response = post_user(
        client, basic("alice", USER_PASSWORD), {"username": "bob", "password": "bob-password"}
    )
    assert response.status_code == 403
    assert (
        client.http.delete("/admin/users/root", headers=basic("alice", USER_PASSWORD)).status_code
        == 403
    )


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        json.dumps(["bob"]),
        json.dumps({"username": "bob"}),
        json.dumps({"username": "bob", "password": 12345678}),
        "",
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(client, admin, body):
    response = post_user(client, admin, body)
    assert response.status_code == 400
    assert response.json_body["message"]
    assert PrincipalModel.count("principal") == 1


def test_oversized_bodies_are_refused(client, admin, monkeypatch):
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("EVENT_SERVICE_MAX_BODY_BYTES", "64")
    reset_settings()
    try:
        response = post_user(client, admin, {"username": "bob", "password": "p" * 100})
    finally:
        monkeypatch.delenv("EVENT_SERVICE_MAX_BODY_BYTES")
        reset_settings()
    assert response.status_code == 400 and "larger than 64 bytes" in response.json_body["message"]


def test_duplicate_user_is_a_conflict(client, admin):
    post_user(client, admin, {"username": "bob", "password": "bob-password"})
    assert (
        post_user(client, admin, {"username": "bob", "password": "bob-password"}).status_code == 409
    )


def test_admins_cannot_delete_themselves(client, admin):
    assert client.http.delete("/admin/users/root", headers=admin).status_code == 400


def test_tokens_from_basic_credentials_work_as_bearer(client, admin):
    token = client.http.post("/auth/token", headers=admin).json_body["token"]
    response = client.http.get("/admin/users", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_store_errors_are_5xx_with_a_request_id_and_no_traceback(client, admin):
    from chalicelib.auth import principals

    principals.verify_credentials("root", ADMIN_PASSWORD)  # cached, so auth still passes
    boto3.client("dynamodb").delete_table(TableName=PrincipalModel.Meta.table_name)
    response = client.http.get("/admin/users", headers=admin)
    assert response.status_code == 503
    assert response.json_body["request_id"] == response.headers["X-Request-Id"]
    assert "Traceback" not in response.body.decode()


def test_every_request_logs_one_json_line(client, admin, caplog):
    from chalicelib.observability import logger

    client.http.get("/admin/users", headers=admin)
    records = [record for record in caplog.records if record.getMessage() == "request"]
    assert records
    line = json.loads(logger.registered_formatter.format(records[-1]))
    assert line["route"] == "/admin/users" and line["principal"] == "root"
    assert line["status"] == 200 and line["latency_ms"] >= 0 and line["request_id"]
    assert line["service"] == "event-service" and line["level"] == "INFO"


# ---------------------------------------------------------------- one user: read, change


def patch_user(client, headers, username, body):
    payload = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.http.patch(f"/admin/users/{username}", headers={**headers, **JSON}, body=payload)


@pytest.mark.parametrize("roles", [["member"], ["reader"], ["_member_"], ["member", "reader"]])
def test_keystone_roles_are_accepted_and_are_ordinary(client, admin, roles):
    body = {"username": "bob", "password": "bob-password", "roles": roles}
    response = post_user(client, admin, body)
    assert response.status_code == 201 and response.json_body["roles"] == roles
    assert client.http.get("/admin/users", headers=basic("bob", "bob-password")).status_code == 403


def test_an_unknown_permission_is_refused_naming_the_known_ones(client, admin):
    body = {"username": "bob", "password": "bob-password", "permissions": ["events_read"]}
    response = post_user(client, admin, body)
    assert response.status_code == 400
    assert "known are eventhandling_read, events_ingest" in response.json_body["message"]


def test_get_and_patch_one_user(client, admin, user):
    response = client.http.get("/admin/users/alice", headers=admin)
    assert response.status_code == 200
    assert response.json_body == {
        "username": "alice",
        "roles": ["user"],
        "permissions": [],
        "project_id": "p1",
        "user_id": "u-alice",
        "workspaces": [],
    }
    changes = {
        "roles": ["member", "reader"],
        "permissions": ["events_ingest"],
        "project_id": "p2",
        "user_id": "u-alice-2",
        "workspaces": ["acme"],
    }
    response = patch_user(client, admin, "alice", changes)
    assert response.status_code == 200
    assert response.json_body == {"username": "alice", **changes}
    assert client.http.get("/admin/users/alice", headers=admin).json_body["project_id"] == "p2"
    assert patch_user(client, admin, "alice", {"project_id": None}).json_body["project_id"] is None
    # Basic with the unchanged password keeps working; the user cannot manage users.
    assert client.http.get("/admin/users/alice", headers=user).status_code == 403
    assert patch_user(client, user, "alice", {"roles": ["admin"]}).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"roles": "admin"},
        {"roles": ["bad role"]},
        {"permissions": ["fly"]},
        {"password": "short"},
        {"username": "renamed"},
        {"colour": "blue"},
        {"user_id": ""},
        ["roles"],
    ],
)
def test_bad_changes_are_400_and_change_nothing(client, admin, user, body):
    before = client.http.get("/admin/users/alice", headers=admin).json_body
    response = patch_user(client, admin, "alice", body)
    assert response.status_code == 400 and response.json_body["error"] == "ValidationFailed"
    assert client.http.get("/admin/users/alice", headers=admin).json_body == before
    assert client.http.post("/auth/token", headers=user).status_code == 200


def test_unknown_users_are_404_in_the_json_shape(client, admin):
    for response in (
        client.http.get("/admin/users/nobody", headers=admin),
        patch_user(client, admin, "nobody", {"roles": ["member"]}),
        client.http.delete("/admin/users/nobody", headers=admin),
    ):
        assert response.status_code == 404
        assert response.json_body["error"] == "NotFound" and response.json_body["request_id"]


def test_an_admin_cannot_demote_themselves(client, admin):
    response = patch_user(client, admin, "root", {"roles": ["member"]})
    assert response.status_code == 400
    assert client.http.get("/admin/users/root", headers=admin).json_body["roles"] == ["admin"]


def test_a_password_change_is_an_event_without_the_password(client, admin, user):
    patch_user(client, admin, "alice", {"password": "brand-new-password"})
    (changed,) = events.list_events(events.EventQuery(event_type="admin.user.update"))
    assert "brand-new-password" not in json.dumps(changed.raw)
    assert changed.trait_values()["params.password"] == "********"
    assert client.http.post("/auth/token", headers=user).status_code == 401
    new = basic("alice", "brand-new-password")
    assert client.http.post("/auth/token", headers=new).status_code == 200


# ---------------------------------------------------------------- self-service password


def change_password(client, headers, body):
    return client.http.post("/auth/password", headers={**headers, **JSON}, body=json.dumps(body))


def test_self_service_password_change_revokes_earlier_tokens(client, user):
    token = client.http.post("/auth/token", headers=user).json_body["token"]
    body = {"current_password": USER_PASSWORD, "new_password": "alice-new-password"}
    response = change_password(client, {"Authorization": f"Bearer {token}"}, body)
    assert response.status_code == 200 and response.json_body["username"] == "alice"
    fresh = {"Authorization": f"Bearer {response.json_body['token']}"}
    assert client.http.post("/auth/token", headers=fresh).status_code == 200
    assert (
        client.http.post("/auth/token", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    assert client.http.post("/auth/token", headers=user).status_code == 401
    assert (
        client.http.post("/auth/token", headers=basic("alice", "alice-new-password")).status_code
        == 200
    )
    (changed,) = events.list_events(events.EventQuery(event_type="auth.password.change"))
    assert "alice-new-password" not in json.dumps(changed.raw)
    assert changed.trait_values()["user_id"] == "u-alice"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"current_password": "wrong-password", "new_password": "alice-new-password"}, 401),
        ({"current_password": USER_PASSWORD, "new_password": "short"}, 400),
        ({"new_password": "alice-new-password"}, 400),
        ({"current_password": USER_PASSWORD, "new_password": "x" * 9, "username": "root"}, 400),
    ],
)
def test_self_service_password_refusals_change_nothing(client, user, body, status):
    assert change_password(client, user, body).status_code == status
    assert client.http.post("/auth/token", headers=user).status_code == 200


def test_self_service_needs_credentials(client, user):
    body = {"current_password": USER_PASSWORD, "new_password": "alice-new-password"}
    assert change_password(client, {}, body).status_code == 401


# ---------------------------------------------------------------- 404 and 405


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/admin/users/alice", "GET, PATCH, DELETE"),
        ("POST", "/admin/users/alice", "GET, PATCH, DELETE"),
        ("DELETE", "/admin/users", "GET, POST"),
        ("GET", "/auth/token", "POST"),
        ("GET", "/auth/password", "POST"),
        ("POST", "/health", "GET"),
        ("GET", "/admin/users/alice/revoke", "POST"),
    ],
)
def test_a_wrong_method_is_405_in_the_json_shape(client, admin, method, path, allowed):
    response = client.http.request(method, path, headers=admin)
    assert response.status_code == 405
    assert response.json_body["error"] == "MethodNotAllowed"
    assert response.headers["Allow"] == allowed


def test_an_unknown_admin_path_is_404_in_the_json_shape(client, admin):
    response = client.http.get("/admin/nothing-here", headers=admin)
    assert response.status_code == 404
    assert response.json_body["error"] == "NotFound"


# ---------------------------------------------------------------- operation events' owner


def test_an_operation_event_belongs_to_the_actor_not_to_its_parameters(client, admin, user):
    body = {"username": "bob", "password": "bob-password", "project_id": "p1", "user_id": "u-alice"}
    post_user(client, admin, body)
    (created,) = events.list_events(events.EventQuery(event_type="admin.user.create"))
    assert (created.project_id, created.user_id) == ("p-admin", "root")
    assert created.trait_values()["params.project_id"] == "p1"
    # So it is not in alice's Panko listing, although its parameters name her project and id.
    listed = client.http.get("/v2/events", headers=user).json_body
    assert "admin.user.create" not in [event["event_type"] for event in listed]
