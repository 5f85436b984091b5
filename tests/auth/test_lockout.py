"""Brute force: ten failed logins in five minutes lock a username out at the client's address
(429 + Retry-After); other addresses, and tokens, keep working."""

from __future__ import annotations

import time

import pytest

from chalicelib.auth import lockout, principals
from chalicelib.store.login_failures import LoginFailureModel
from tests.conftest import USER_PASSWORD, basic

WRONG = basic("alice", "wrong-password")
LOCAL = "127.0.0.1"  # the source address Chalice's test client reports


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
    item = LoginFailureModel.get(lockout.address_key("alice", LOCAL))
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
    assert LoginFailureModel.get(lockout.address_key("nobody", LOCAL)).failures == 10


def _attempt(username: str, password: str, address: str) -> str:
    """What one login attempt from ``address`` gives: ok, wrong or locked."""
    from chalicelib.auth import client_address
    from chalicelib.errors import TooManyAttempts

    with client_address.at_address(address):
        try:
            found = principals.verify_credentials(username, password)
        except TooManyAttempts:
            return "locked"
    return "ok" if found is not None else "wrong"


def test_forty_concurrent_attempts_get_no_more_guesses_than_the_limit(aws, user, monkeypatch):
    """Issue 18: 40 concurrent Basic attempts on a fresh account once gave 39x401 and a 200 for
    the right password at attempt 37 (read, check, then count). Counted first, atomically, only
    the limit's worth reach the password check; the rest are refused before it."""
    import threading

    checked: list[str] = []
    real = principals.verify_password
    monkeypatch.setattr(principals, "verify_password", lambda h, p: checked.append(p) or real(h, p))
    passwords = ["wrong-password"] * 40
    passwords[36] = USER_PASSWORD
    barrier = threading.Barrier(len(passwords))
    results: list[str] = [""] * len(passwords)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = _attempt("alice", passwords[index], "203.0.113.9")

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(passwords))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # the right password got in only if it was one of the ten the window admitted
    assert (results[36] == "ok") == (USER_PASSWORD in checked)
    if USER_PASSWORD not in checked:
        assert len(checked) == 10, f"{len(checked)} passwords were checked"
        assert results.count("locked") == 30
    else:
        # A right password clears its address's count (as documented), so attempts still
        # waiting then open a new window: ten admitted in each at most, one reset, twenty.
        assert len(checked) <= 20, f"{len(checked)} passwords were checked"
        assert results.count("locked") >= 20


def test_a_guesser_locks_out_only_his_own_address(client, admin):
    for _ in range(10):
        assert _attempt("root", "not-the-password", "198.51.100.7") == "wrong"
    assert _attempt("root", "not-the-password", "198.51.100.7") == "locked"

    # the admin, from the address it uses (the test client's), is not his hostage
    assert client.http.get("/admin/users", headers=admin).status_code == 200


def test_the_ceiling_slows_many_addresses_without_refusing_a_clean_right_password(
    aws, user, monkeypatch
):
    monkeypatch.setattr(lockout, "CEILING_FACTOR", 2)  # 20 failures over all addresses
    for address in ("192.0.2.1", "192.0.2.2"):
        assert {_attempt("alice", "wrong-password", address) for _ in range(10)} == {"wrong"}

    # past the ceiling, each address has one try per window
    assert _attempt("alice", "wrong-password", "192.0.2.3") == "wrong"
    assert _attempt("alice", "wrong-password", "192.0.2.3") == "locked"
    assert _attempt("alice", USER_PASSWORD, "192.0.2.3") == "locked"
    # a clean address with the right password gets in
    assert _attempt("alice", USER_PASSWORD, "192.0.2.4") == "ok"


def test_a_valid_token_keeps_working_and_refreshes_during_a_lock_out(client, user):
    token = client.http.post("/auth/token", headers=user).json_body["token"]
    assert fail(client, 10) == [401] * 10
    assert client.http.post("/auth/token", headers=user).status_code == 429

    bearer = {"Authorization": f"Bearer {token}"}
    refreshed = client.http.post("/auth/token", headers=bearer)
    assert refreshed.status_code == 200
    fresh = {"Authorization": f"Bearer {refreshed.json_body['token']}"}
    assert client.http.post("/auth/token", headers=fresh).status_code == 200
