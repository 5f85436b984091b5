"""Every dialect answers its own 404, in its own error shape, for a path it does not serve at
any depth below its prefix: through the Chalice test client and through ``make run``'s
``chalice local`` (``local.routing`` matches ``{proxy+}`` on one or more segments, as API
Gateway does; Chalice's own matcher stops at one and answers 403 "Missing Authentication
Token" deeper)."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from local.routing import GreedyRouteMatcher, match_template
from tests.local.support import wait_until
from tests.local.test_run import START_DEADLINE, Runtime

Check = Callable[[int, str, bytes], None]


def _opevents(status: int, content_type: str, body: bytes) -> None:
    assert (status, json.loads(body)) == (404, {"error": "Page not found"})


def _panko(status: int, content_type: str, body: bytes) -> None:
    fault = {"faultcode": "Client", "faultstring": "The resource could not be found."}
    assert (status, json.loads(body)) == (404, {"error_message": {**fault, "debuginfo": None}})


def _privacyidea(status: int, content_type: str, body: bytes) -> None:
    assert status == 404
    assert json.loads(body)["result"]["status"] is False
    assert json.loads(body)["result"]["error"]["code"] == 601


def _processmaker(status: int, content_type: str, body: bytes) -> None:
    assert (status, json.loads(body)) == (404, {"error": {"code": 404, "message": "Not Found"}})


def _maddash(status: int, content_type: str, body: bytes) -> None:
    assert (status, body) == (404, b"Resource not found")
    assert content_type.startswith("text/plain")


SEGMENTS = ["nothing", "a", "b", "c", "d"]
DEPTHS = (1, 2, 3, 5)
# (dialect, prefix, the dialect's 404, a served path deeper paths must fall through from)
DIALECTS: list[tuple[str, str, Check, str]] = [
    ("opevents", "/omk/opEvents", _opevents, "/omk/opEvents/events/1"),
    ("panko", "/v2", _panko, "/v2/event_types/x/traits/y"),
    ("maddash", "/maddash", _maddash, "/maddash/grids/g/r/c/check"),
    ("processmaker", "/api/1.0/acme", _processmaker, "/api/1.0/acme/cases/1/variable"),
    ("privacyidea", "/event", _privacyidea, "/event/actions/WebHook"),
]


def _paths(prefix: str, depth: int) -> list[str]:
    return [f"{prefix}/{'/'.join(SEGMENTS[:depth])}"]


def _cases() -> list[Any]:
    cases = []
    for name, prefix, check, served in DIALECTS:
        for depth in DEPTHS:
            if name == "privacyidea" and depth == 1:
                # ``/event/{handler_id}`` serves GET and DELETE one segment below ``/event``
                # (privacyIDEA's own route); no greedy resource may sit beside it.
                continue
            for path in _paths(prefix, depth):
                cases.append(pytest.param(path, check, id=f"{name}-{depth}"))
        cases.append(pytest.param(f"{served}/x", check, id=f"{name}-below-served"))
        cases.append(pytest.param(f"{served}/x/y/z", check, id=f"{name}-deep-below-served"))
    return cases


CASES = _cases()
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.mark.parametrize(("path", "check"), CASES)
def test_the_test_client_answers_each_dialects_404_at_any_depth(client, path, check):
    for method in METHODS:
        answer = client.http.request(method, path, headers={"Content-Type": "application/json"})
        check(answer.status_code, answer.headers.get("Content-Type", ""), answer.body)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="as test_run")
def test_make_run_answers_each_dialects_404_at_any_depth(tmp_path):
    runtime = Runtime(tmp_path, tmp_path / "data")
    try:
        wait_until(runtime.healthy, "the API", START_DEADLINE)
        for case in CASES:
            path, check = case.values
            for method in METHODS:
                answer = requests.request(method, f"{runtime.url}{path}", json={}, timeout=15)
                check(answer.status_code, answer.headers.get("Content-Type", ""), answer.content)
    finally:
        try:
            runtime.stop(signal.SIGTERM)
        finally:
            runtime.kill()


# ------------------------------------------------------------------ the matcher's own rules


@pytest.mark.parametrize(
    ("path", "expected", "captured"),
    [
        ("/maddash/grids", "/maddash/grids", {}),
        ("/maddash/grids/g", "/maddash/grids/{grid}", {"grid": "g"}),
        ("/maddash/a", "/maddash/{proxy+}", {"proxy": "a"}),
        ("/maddash/a/b/c", "/maddash/{proxy+}", {"proxy": "a/b/c"}),
        ("/maddash/grids/g/x/y/z/w", "/maddash/{proxy+}", {"proxy": "grids/g/x/y/z/w"}),
        ("/maddash/admin/events/7", "/maddash/admin/events/{event_id}", {"event_id": "7"}),
        ("/maddash/admin/events/7/", "/maddash/admin/events/{event_id}", {"event_id": "7"}),
        ("/maddash", "/maddash", {}),
    ],
)
def test_literal_and_single_variables_beat_the_greedy_resource(path, expected, captured):
    matcher = GreedyRouteMatcher(
        [
            "/maddash",
            "/maddash/grids",
            "/maddash/grids/{grid}",
            "/maddash/admin/events/{event_id}",
            "/maddash/{proxy+}",
        ]
    )
    found = matcher.match_route(path)
    assert (found.route, found.captured) == (expected, captured)


def test_a_greedy_resource_needs_a_segment_and_stays_below_its_prefix():
    assert match_template("/v2/{proxy+}", "/v2") is None
    assert match_template("/v2/{proxy+}", "/v2/") is None
    assert match_template("/v2/{proxy+}", "/v3/a") is None
    with pytest.raises(ValueError):
        GreedyRouteMatcher(["/v2/{proxy+}"]).match_route("/elsewhere/a/b")
