"""A locked-out caller gets 429 with ``Retry-After`` from every protected route of every dialect.

Locked out means: the limit of attempts for the username from the caller's address (the test
client's, 127.0.0.1) taken in the current window, as failed logins from there take them.

Walks Chalice's route table (as the auth matrix does): the errors' own status decides, and no
dialect's status table may turn a lock-out into a 500 (MaDDash's once did).
"""

from __future__ import annotations

import pytest

from chalicelib.auth import lockout
from chalicelib.settings import get_settings
from tests.conftest import ADMIN_PASSWORD, basic
from tests.openapi.test_auth_matrix import PROTECTED, _call, _seed, _snapshot

LOCAL = "127.0.0.1"  # the source address Chalice's test client reports


@pytest.mark.parametrize(("path", "method", "declaration"), PROTECTED)
def test_a_locked_out_caller_gets_429_and_retry_after(client, admin, path, method, declaration):
    _seed(declaration)
    for _ in range(get_settings().login_max_failures):
        lockout.admit("root", LOCAL)
    before = _snapshot()

    # even the right password: the lock-out answers before the password is checked
    response = _call(client, path, method, declaration, basic("root", ADMIN_PASSWORD))

    assert response.status_code == 429, f"{response.status_code} {response.body[:200]!r}"
    assert int(response.headers["Retry-After"]) >= 1
    assert _snapshot() == before, "a locked-out call wrote"
