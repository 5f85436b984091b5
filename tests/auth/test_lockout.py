"""Brute force: ten failed logins in five minutes lock a username out (429 + Retry-After)."""

from __future__ import annotations

import time

import pytest

from chalicelib.auth import lockout, principals
from chalicelib.store.login_failures import LoginFailureModel
from tests.conftest import USER_PASSWORD, basic

WRONG = basic("alice", "wrong-password")


def fail(client, times: int, headers=WRONG) -> list[int]:
    return [client.http.post("/auth/token", headers=headers).status_code for _ in range(times)]


class LaterClock:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def time(self) -> float:
        return time.time() + self.seconds


def test_ten_failures_lock_the_username_whatever_the_password(client, user):
    assert fail(client, 10) == [401] * 10
    response = client.http.post("/auth/token", headers=user)  # the right password
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 300
    assert response.json_body["error"] == "TooManyAttempts"
    item = LoginFailureModel.get("alice")
    assert item.failures == 10 and item.expires_at.timestamp() <= time.time() + 300


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("POST", "/auth", "username=alice&password={}", "application/x-www-form-urlencoded"),
        ("GET", "/event/", None, None),  # HTTP Basic on privacyIDEA's routes
        ("GET", "/v2/events", None, None),  # HTTP Basic on Panko's routes
        ("POST", "/auth/token", None, None),
    ],
)
def test_every_login_path_counts_and_answers_429(client, user, method, path, body, content_type):
    def attempt(password: str) -> object:
        headers = {} if body else basic("alice", password)
        if content_type:
            headers["Content-Type"] = content_type
        payload = body.format(password) if body else None
        return client.http.request(method, path, headers=headers, body=payload or b"")

    assert [attempt("wrong-password").status_code for _ in range(10)] == [401] * 10
    locked = attempt(USER_PASSWORD)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_a_success_resets_the_counter(client, user):
    assert fail(client, 9) == [401] * 9
    assert client.http.post("/auth/token", headers=user).status_code == 200
    assert fail(client, 9) == [401] * 9  # counting starts again
    assert client.http.post("/auth/token", headers=user).status_code == 200


def test_the_lock_ends_when_the_window_passes(client, user, monkeypatch):
    fail(client, 10)
    assert client.http.post("/auth/token", headers=user).status_code == 429
    monkeypatch.setattr(lockout, "time", LaterClock(301))
    principals.forget()
    assert client.http.post("/auth/token", headers=user).status_code == 200


def test_unknown_usernames_are_counted_and_hashed_like_known_ones(client, user, monkeypatch):
    checked = []
    real = principals.verify_password
    monkeypatch.setattr(principals, "verify_password", lambda h, p: checked.append(p) or real(h, p))
    nobody = basic("nobody", "some-password")
    assert fail(client, 1, nobody) == [401] and len(checked) == 1  # the decoy hash ran
    assert fail(client, 1, WRONG) == [401] and len(checked) == 2
    assert fail(client, 9, nobody) == [401] * 9
    assert fail(client, 1, nobody) == [429]
    assert LoginFailureModel.get("nobody").failures == 10
