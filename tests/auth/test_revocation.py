"""Revocation: deletion, password change and explicit revoke refuse tokens; sessions end."""

from __future__ import annotations

import json
import time

import jwt
import pytest

from chalicelib.auth import principals, tokens
from chalicelib.settings import get_settings
from chalicelib.store.principals import PrincipalModel
from tests.conftest import USER_PASSWORD, basic

JSON = {"Content-Type": "application/json"}


def token_for(client, headers) -> str:
    response = client.http.post("/auth/token", headers=headers)
    assert response.status_code == 200, response.body
    return response.json_body["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def works(client, token: str) -> int:
    return client.http.post("/auth/token", headers=bearer(token)).status_code


class LaterClock:
    """``time`` as the principals module sees it, ``seconds`` later than now."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def monotonic(self) -> float:
        return time.monotonic() + self.seconds

    def time_ns(self) -> int:
        return time.time_ns()


def test_deleting_a_user_refuses_their_token_and_basic_at_once(client, admin, user):
    token = token_for(client, user)
    assert works(client, token) == 200
    assert client.http.delete("/admin/users/alice", headers=admin).status_code == 204
    assert works(client, token) == 401
    assert client.http.post("/auth/token", headers=user).status_code == 401


def test_a_password_change_by_an_admin_revokes_tokens(client, admin, user):
    token = token_for(client, user)
    response = client.http.patch(
        "/admin/users/alice", headers={**admin, **JSON}, body=json.dumps({"password": "new-pass-1"})
    )
    assert response.status_code == 200
    assert works(client, token) == 401
    assert client.http.post("/auth/token", headers=user).status_code == 401
    assert works(client, token_for(client, basic("alice", "new-pass-1"))) == 200


def test_an_explicit_revoke_refuses_earlier_tokens_only(client, admin, user):
    earlier = token_for(client, user)
    response = client.http.post("/admin/users/alice/revoke", headers=admin)
    assert response.status_code == 200 and response.json_body["revoked"] is True
    assert works(client, earlier) == 401
    assert works(client, token_for(client, user)) == 200  # a new login is a new token
    assert client.http.post("/admin/users/nobody/revoke", headers=admin).status_code == 404
    assert client.http.post("/admin/users/alice/revoke", headers=user).status_code == 403


def test_a_user_recreated_under_the_same_name_does_not_inherit_old_tokens(client, admin, user):
    token = token_for(client, user)
    client.http.delete("/admin/users/alice", headers=admin)
    body = {"username": "alice", "password": USER_PASSWORD, "project_id": "p1"}
    client.http.post("/admin/users", headers={**admin, **JSON}, body=json.dumps(body))
    assert works(client, token) == 401


@pytest.mark.parametrize("change", ["delete", "revoke", "password"])
def test_another_process_refuses_within_the_cache_lifetime(aws, user, monkeypatch, change):
    """A change made elsewhere (straight in the store) reaches this process's cache in ≤ 60 s."""
    alice = principals.get_principal("alice")
    token = tokens.issue_token(alice)
    assert tokens.principal_from_token(token).username == "alice"  # now cached here
    item = PrincipalModel.get("principal", "alice")
    if change == "delete":
        item.delete()
    elif change == "revoke":
        item.update(actions=[PrincipalModel.credential_version.add(1)])
    else:
        item.update(
            actions=[
                PrincipalModel.password_hash.set("x"),
                PrincipalModel.credential_version.add(1),
            ]
        )
    # Within the lifetime this process still trusts what it read …
    assert tokens.principal_from_token(token).username == "alice"
    # … and once it has passed, the token is refused.
    assert get_settings().principal_cache_seconds <= 60
    monkeypatch.setattr(principals, "time", LaterClock(61))
    with pytest.raises(Exception) as caught:
        tokens.principal_from_token(token)
    assert caught.value.reason == "revoked"


def test_refreshing_keeps_the_session_start_and_its_maximum(client, user, monkeypatch):
    first = token_for(client, user)
    refreshed = token_for(client, bearer(first))
    claims = [jwt.decode(t, options={"verify_signature": False}) for t in (first, refreshed)]
    assert claims[1]["auth_time"] == claims[0]["auth_time"]
    settings = get_settings()
    assert claims[1]["exp"] <= claims[0]["auth_time"] + settings.max_session_seconds

    # A token whose session began longer ago than the maximum is not refreshed.
    old_start = int(time.time()) - settings.max_session_seconds - 1
    stale = jwt.encode(
        {**claims[0], "auth_time": old_start, "exp": int(time.time()) + 60},
        settings.token_secret,
        "HS256",
    )
    response = client.http.post("/auth/token", headers=bearer(stale))
    assert response.status_code == 401
    assert "maximum length" in response.json_body["message"]
    # Close to the maximum, the refreshed token ends with the session, not a full TTL later.
    near = int(time.time()) - settings.max_session_seconds + 30
    late = jwt.encode(
        {**claims[0], "auth_time": near, "exp": int(time.time()) + 60},
        settings.token_secret,
        "HS256",
    )
    last = jwt.decode(token_for(client, bearer(late)), options={"verify_signature": False})
    assert last["exp"] == near + settings.max_session_seconds


def test_roles_changed_by_an_admin_apply_to_existing_tokens(client, admin, user):
    token = token_for(client, user)
    assert client.http.get("/admin/users", headers=bearer(token)).status_code == 403
    client.http.patch(
        "/admin/users/alice", headers={**admin, **JSON}, body=json.dumps({"roles": ["admin"]})
    )
    assert client.http.get("/admin/users", headers=bearer(token)).status_code == 200
