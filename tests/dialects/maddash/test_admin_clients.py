"""MaDDash's admin API as its admin UI and scripts call it: the created uri, numbers as
MaDDash reads them, rescheduling checks, the maddash_admin permission, and its own 404."""

from __future__ import annotations

import json

import pytest

from tests.conftest import basic
from tests.dialects.maddash.support import (
    OWAMP,
    T0,
    A,
    B,
    create_event,
    get,
    load_example,
    post_json,
)

CHECK = f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss"


@pytest.fixture
def grids(client, admin):
    load_example(client, admin)


def _window(**fields):
    return {
        "checkFilters": {"gridName": OWAMP, "rowName": A},
        "name": "upgrade",
        "description": "firmware",
        "startTime": T0,
    } | fields


def test_create_answers_the_admin_uri_that_get_and_delete_take(client, admin, grids):
    answer = post_json(client, "/maddash/admin/events", _window(endTime=T0 + 60), admin)
    uri = json.loads(answer.body)["uri"]
    assert uri.startswith("/maddash/admin/events/")
    event = uri.rsplit("/", 1)[1]
    body = get(client, f"/maddash/events/{event}")[1]
    assert client.http.get(uri).status_code == 401  # the admin path needs credentials
    assert json.loads(client.http.get(uri, headers=admin).body) == body
    # The public listing keeps MaDDash's public uri (the admin UI rewrites it).
    assert get(client, "/maddash/events")[1]["events"][0]["uri"] == f"/maddash/events/{event}"
    gone = client.http.delete(uri, headers=admin)
    assert json.loads(gone.body) == {"status": 0, "message": "Successfully deleted event"}


@pytest.mark.parametrize(
    ("fields", "start", "end"),
    [
        ({"endTime": -1}, T0, -1),  # what GET returns for "never ends", sent back
        ({"endTime": None}, T0, -1),
        ({"startTime": float(T0), "endTime": float(T0 + 60)}, T0, T0 + 60),  # whole floats
        ({"endTime": T0 - 60}, T0, T0 - 60),  # not after the start: accepted, as MaDDash does
    ],
)
def test_numbers_as_maddash_reads_them(client, admin, grids, fields, start, end):
    event = create_event(client, admin, **fields)
    body = get(client, f"/maddash/events/{event}")[1]
    assert (body["startTime"], body["endTime"]) == (start, end)


def test_a_window_ending_before_it_starts_never_marks_a_check_down(client, admin, grids):
    from tests.dialects.maddash.support import status_of, tick

    event = create_event(client, admin, endTime=T0 - 60)
    assert [e["uri"] for e in get(client, "/maddash/events")[1]["events"]] == [
        f"/maddash/events/{event}"
    ]  # listed until its end passes
    tick(T0 + 5)
    assert status_of(client, A, B) == 4  # NOT RUN, never MAINTENANCE
    assert get(client, "/maddash/events")[1] == {"events": []}


def test_a_fractional_time_is_refused(client, admin, grids):
    answer = post_json(client, "/maddash/admin/events", _window(startTime=T0 + 0.5), admin)
    assert (answer.status_code, answer.body) == (
        400,
        b"Field startTime must be an integer (UNIX seconds)",
    )


def test_reschedule_sets_next_check_time_of_the_matched_checks(client, admin, grids):
    body = {"checkFilters": {"gridName": OWAMP, "rowName": A}, "nextCheckTime": T0}
    answer = post_json(client, "/maddash/admin/schedule", body, admin)
    assert json.loads(answer.body) == {
        "status": 0,
        "checkUpdateCount": 4,
        "message": "Successfully updated 4 checks.",
    }
    assert get(client, CHECK)[1]["nextCheckTime"] == T0
    other = get(client, f"/maddash/grids/OWAMP+Mesh/{B}/{A}/Loss")[1]
    assert other["nextCheckTime"] == 0  # not matched: never run, no time planned
    # The pushing agent runs the check then; its result spends the planned time.
    result = {"gridName": OWAMP, "rowName": A, "columnName": B, "checkName": "Loss", "status": 0}
    post_json(client, "/maddash/admin/results", result | {"time": T0 + 1}, admin)
    assert get(client, CHECK)[1]["nextCheckTime"] == T0 + 1 + 1800  # + checkInterval
    none = {"checkFilters": {"rowName": "nobody"}, "nextCheckTime": None}
    assert json.loads(post_json(client, "/maddash/admin/schedule", none, admin).body) == {
        "status": -1,
        "checkUpdateCount": 0,
        "message": "No checks matched request",
    }
    missing = post_json(client, "/maddash/admin/schedule", {"checkFilters": {}}, admin)
    assert (missing.status_code, missing.body) == (400, b"Missing required field nextCheckTime")


def test_maddash_admin_permission_admits_an_operator(client, admin, grids):
    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal

    create_principal(
        Principal("operator", roles=("user",), permissions=("maddash_admin",)),
        "operator-pass-1",
    )
    create_principal(Principal("someone", roles=("user",)), "someone-pass-1")
    operator, someone = basic("operator", "operator-pass-1"), basic("someone", "someone-pass-1")
    refused = post_json(client, "/maddash/admin/events", _window(), someone)
    assert refused.status_code == 403
    made = post_json(client, "/maddash/admin/events", _window(), operator)
    assert made.status_code == 200, made.body
    result = {"gridName": OWAMP, "rowName": A, "columnName": B, "checkName": "Loss", "status": 2}
    assert post_json(client, "/maddash/admin/results", result, operator).status_code == 200
    uri = json.loads(made.body)["uri"]
    assert client.http.delete(uri, headers=operator).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/maddash", "/maddash/nothing", "/maddash/admin/nothing", "/maddash/events/1/nothing"],
)
def test_paths_maddash_does_not_serve_are_its_plain_404(client, path):
    for method in ("GET", "POST", "DELETE"):
        answer = client.http.request(method, path)
        assert (answer.status_code, answer.body) == (404, b"Resource not found")
        assert answer.headers["Content-Type"].startswith("text/plain")
    odd = client.http.post(path, headers={"Content-Type": "image/png"}, body=b"\x89PNG")
    assert odd.status_code == 404  # whatever the body's type
