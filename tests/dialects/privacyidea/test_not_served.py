"""Paths privacyIDEA does not serve answer its own 404 in its error shape, not API Gateway's 403
"Missing Authentication Token" (a catch-all route; ``chalice local`` and the test client match
``{proxy+}`` at any depth, as API Gateway does: see tests/local/test_not_served.py)."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/event/1/nothing", "/event/abc/run"])
def test_unserved_paths_answer_the_dialects_404(client, method, path):
    answer = client.http.request(method, path, headers={"Content-Type": "application/json"})
    assert answer.status_code == 404
    assert json.loads(answer.body)["result"] == {
        "status": False,
        "error": {"code": 601, "message": "The requested URL was not found on the server."},
    }
