"""A locked-out caller gets 429 with ``Retry-After`` from every protected route of every dialect.

Walks Chalice's route table (as the auth matrix does): the errors' own status decides, and no
dialect's status table may turn a lock-out into a 500 (MaDDash's once did).
"""

from __future__ import annotations

import pytest

from chalicelib.auth import lockout
from chalicelib.settings import get_settings
from tests.conftest import ADMIN_PASSWORD, basic
from tests.openapi.test_auth_matrix import PROTECTED, _call, _seed, _snapshot


@pytest.mark.parametrize(("path", "method", "declaration"), PROTECTED)
def test_a_locked_out_caller_gets_429_and_retry_after(client, admin, path, method, declaration):
    _seed(declaration)
    for _ in range(get_settings().login_max_failures):
        lockout.record_failure("root")
    before = _snapshot()

    # even the right password: the lock-out answers before the password is checked
    response = _call(client, path, method, declaration, basic("root", ADMIN_PASSWORD))

    assert response.status_code == 429, f"{response.status_code} {response.body[:200]!r}"
    assert int(response.headers["Retry-After"]) >= 1
    assert _snapshot() == before, "a locked-out call wrote"
