"""ProcessMaker's project events: every validation message in order, filters, CRUD, ownership."""

from __future__ import annotations

import pytest

from tests.dialects.processmaker.support import (
    API,
    TASK_A,
    TASK_B,
    TASK_C,
    call,
    error_message,
    event_body,
    make_designer,
    make_event,
    make_project,
    make_trigger,
)

MISSING = "f" * 32
WIRE_KEYS = [
    "evn_uid",
    "evn_description",
    "evn_status",
    "evn_action",
    "evn_related_to",
    "tas_uid",
    "evn_tas_uid_from",
    "evn_tas_uid_to",
    "evn_tas_estimated_duration",
    "evn_time_unit",
    "evn_when",
    "evn_when_occurs",
    "evn_conditions",
    "tri_uid",
]


@pytest.fixture
def designer(client):
    headers = make_designer()
    project = make_project(client, headers)
    tri_uid = make_trigger(client, headers, project["prj_uid"])
    return client, headers, project["prj_uid"], tri_uid


def post(designer_setup, body, prj_uid=None):
    client, headers, prj, _ = designer_setup
    return call(client, "POST", f"{API}/project/{prj_uid or prj}/event", headers, body)


def test_create_returns_201_with_the_whole_event(designer):
    client, headers, prj, tri = designer
    response = post(designer, {**event_body(tri), "evn_uid": "ignored"})

    assert response.status_code == 201
    created = response.json_body
    assert list(created) == WIRE_KEYS
    assert len(created["evn_uid"]) == 32 and created["evn_uid"] != "ignored"
    assert created == {
        "evn_uid": created["evn_uid"],
        "evn_description": "remind the reviewer",
        "evn_status": "ACTIVE",
        "evn_action": "EXECUTE_TRIGGER",
        "evn_related_to": "SINGLE",
        "tas_uid": TASK_B,
        "evn_tas_uid_from": "",
        "evn_tas_uid_to": "",
        "evn_tas_estimated_duration": 1,
        "evn_time_unit": "DAYS",
        "evn_when": 1,
        "evn_when_occurs": "AFTER_TIME",
        "evn_conditions": None,
        "tri_uid": tri,
    }
    fetched = call(client, "GET", f"{API}/project/{prj}/event/{created['evn_uid']}", headers)
    assert fetched.status_code == 200 and fetched.json_body == created


def test_hours_are_stored_in_days_and_shown_in_hours(designer):
    from chalicelib.dialects.processmaker.events import load_event

    _, _, prj, tri = designer
    created = post(
        designer, event_body(tri, evn_tas_estimated_duration=2, evn_time_unit="HOURS", evn_when=0.5)
    ).json_body

    assert created["evn_tas_estimated_duration"] == 2
    assert created["evn_when"] == 0.5  # always days, fractions allowed
    stored = load_event("workflow", prj, created["evn_uid"])
    assert stored["evn_tas_estimated_duration"] == pytest.approx(2 / 24)


def test_multiple_events_blank_tas_uid(designer):
    _, _, _, tri = designer
    created = post(
        designer,
        event_body(
            tri,
            evn_related_to="MULTIPLE",
            tas_uid=None,
            evn_tas_uid_from=TASK_A,
            evn_tas_uid_to=TASK_C,
        ),
    ).json_body
    assert (created["tas_uid"], created["evn_tas_uid_from"], created["evn_tas_uid_to"]) == (
        "",
        TASK_A,
        TASK_C,
    )


# Restler's checks in declaration order, then the business checks (notes C.3).
REQUIRED_ORDER = [
    "evn_description",
    "evn_status",
    "evn_action",
    "evn_related_to",
    "evn_tas_estimated_duration",
    "evn_time_unit",
    "evn_when",
    "evn_when_occurs",
    "tri_uid",
]


def test_missing_fields_are_reported_in_declaration_order(designer):
    body = {}
    seen = []
    for name in REQUIRED_ORDER:
        response = post(designer, body)
        assert response.status_code == 400
        seen.append(error_message(response))
        body[name] = event_body(designer[3])[name]
    assert seen == [f"Bad Request: `{name}` is required." for name in REQUIRED_ORDER]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"evn_description": ""},
            "Invalid value specified for `evn_description`. Minimum 1 character required.",
        ),
        ({"evn_status": "OPEN"}, "Invalid value specified for `evn_status`"),
        ({"evn_status": ""}, "Invalid value specified for `evn_status`"),
        ({"evn_action": "RUN"}, "Invalid value specified for `evn_action`"),
        ({"evn_related_to": "BOTH"}, "Invalid value specified for `evn_related_to`"),
        (
            {"evn_tas_estimated_duration": "two"},
            "Invalid value specified for `evn_tas_estimated_duration`. Expecting numeric value",
        ),
        ({"evn_time_unit": "WEEKS"}, "Invalid value specified for `evn_time_unit`"),
        ({"evn_when": "soon"}, "Invalid value specified for `evn_when`. Expecting numeric value"),
        ({"evn_when": True}, "Invalid value specified for `evn_when`. Expecting numeric value"),
        ({"evn_when_occurs": "NEVER"}, "Invalid value specified for `evn_when_occurs`"),
        ({"tri_uid": ""}, "Invalid value specified for `tri_uid`. Minimum 1 character required."),
        ({"tas_uid": None}, "The field tas_uid is required."),
        ({"tas_uid": MISSING}, f"The task with tas_uid: '{MISSING}' does not exist."),
        (
            {"evn_related_to": "MULTIPLE", "evn_tas_uid_to": TASK_C},
            "The field evn_tas_uid_from is required.",
        ),
        (
            {"evn_related_to": "MULTIPLE", "evn_tas_uid_from": MISSING, "evn_tas_uid_to": TASK_C},
            f"The task with tas_uid: '{MISSING}' does not exist.",
        ),
        (
            {"evn_related_to": "MULTIPLE", "evn_tas_uid_from": TASK_A},
            "The field evn_tas_uid_to is required.",
        ),
        (
            {"evn_related_to": "MULTIPLE", "evn_tas_uid_from": TASK_A, "evn_tas_uid_to": MISSING},
            f"The task with tas_uid: '{MISSING}' does not exist.",
        ),
        ({"tri_uid": MISSING}, f"The trigger with tri_uid: '{MISSING}' does not exist."),
        (
            {"evn_conditions": "@@amount >"},
            "Invalid value specified for `evn_conditions`: unexpected end of the condition",
        ),
        (
            {"evn_conditions": "system('ls')"},
            "Invalid value specified for `evn_conditions`: "
            "unsupported function 'system' at position 1",
        ),
    ],
)
def test_each_validation_message(designer, changes, message):
    response = post(designer, event_body(designer[3], **changes))
    assert response.status_code == 400
    assert response.json_body == {"error": {"code": 400, "message": f"Bad Request: {message}"}}


def test_field_checks_come_before_the_project_check(designer):
    assert (
        error_message(post(designer, {}, prj_uid=MISSING))
        == "Bad Request: `evn_description` is required."
    )
    response = post(designer, event_body(designer[3]), prj_uid=MISSING)
    assert (
        error_message(response)
        == f"Bad Request: The project with prj_uid: '{MISSING}' does not exist."
    )


def test_a_task_of_another_project_is_refused(designer):
    client, headers, _, tri = designer
    fresh = call(
        client,
        "POST",
        f"{API}/project",
        headers,
        {"prj_name": "Other", "tasks": [{"tas_title": "X"}]},
    ).json_body
    foreign = fresh["tasks"][0]["tas_uid"]
    response = post(designer, event_body(tri, tas_uid=foreign))
    assert (
        error_message(response)
        == f"Bad Request: The task with tas_uid: '{foreign}' does not exist."
    )


def test_filter_maps_by_evn_action(designer):
    client, headers, prj, tri = designer
    uids = {
        action: make_event(client, headers, prj, tri, evn_action=action, evn_related_to="SINGLE")[
            "evn_uid"
        ]
        for action in ("SEND_MESSAGE", "EXECUTE_CONDITIONAL_TRIGGER", "EXECUTE_TRIGGER")
    }

    def listed(filter_value=None):
        path = f"{API}/project/{prj}/events" + (
            "" if filter_value is None else f"?filter={filter_value}"
        )
        response = call(client, "GET", path, headers)
        assert response.status_code == 200
        return {event["evn_uid"] for event in response.json_body}

    assert listed() == set(uids.values())
    assert listed("") == set(uids.values())
    assert listed("message") == {uids["SEND_MESSAGE"]}
    assert listed("conditional") == {uids["EXECUTE_CONDITIONAL_TRIGGER"]}
    assert listed("multiple") == {uids["EXECUTE_TRIGGER"]}  # by evn_action, not evn_related_to
    bad = call(client, "GET", f"{API}/project/{prj}/events?filter=single", headers)
    assert bad.status_code == 400
    assert error_message(bad) == "Bad Request: Invalid value specified for `filter`"


def test_update_and_delete(designer):
    client, headers, prj, tri = designer
    evn = make_event(client, headers, prj, tri)["evn_uid"]
    path = f"{API}/project/{prj}/event/{evn}"

    changed = event_body(
        tri, evn_description="changed", evn_status="INACTIVE", evn_conditions="@@amount > 1000"
    )
    response = call(client, "PUT", path, headers, changed)
    assert (response.status_code, response.body) == (200, b"")
    fetched = call(client, "GET", path, headers).json_body
    assert (fetched["evn_description"], fetched["evn_status"], fetched["evn_conditions"]) == (
        "changed",
        "INACTIVE",
        "@@amount > 1000",
    )
    bad = call(client, "PUT", path, headers, event_body(tri, evn_status="OPEN"))
    assert error_message(bad) == "Bad Request: Invalid value specified for `evn_status`"

    response = call(client, "DELETE", path, headers)
    assert (response.status_code, response.body) == (200, b"")
    gone = call(client, "GET", path, headers)
    assert gone.status_code == 400
    assert error_message(gone) == f"Bad Request: The event with evn_uid: '{evn}' does not exist."
    again = call(client, "DELETE", path, headers)
    assert error_message(again) == f"Bad Request: The event with evn_uid: '{evn}' does not exist."
    assert call(client, "PUT", path, headers, event_body(tri)).status_code == 400


def test_put_and_delete_check_the_event_belongs_to_the_project(designer):
    client, headers, prj, tri = designer
    evn = make_event(client, headers, prj, tri)["evn_uid"]
    other = call(
        client,
        "POST",
        f"{API}/project",
        headers,
        {"prj_name": "Other", "tasks": [{"tas_uid": TASK_B, "tas_title": "B"}]},
    ).json_body
    other_tri = make_trigger(client, headers, other["prj_uid"])
    wrong = f"{API}/project/{other['prj_uid']}/event/{evn}"

    for method, body in (("GET", None), ("PUT", event_body(other_tri)), ("DELETE", None)):
        response = call(client, method, wrong, headers, body)
        assert response.status_code == 400, method
        assert error_message(response) == "Bad Request: This row does not exist!"
    assert (
        call(client, "GET", f"{API}/project/{prj}/event/{evn}", headers).json_body[
            "evn_description"
        ]
        == "remind the reviewer"
    )


def test_workspaces_do_not_see_each_other(designer):
    client, headers, prj, tri = designer
    evn = make_event(client, headers, prj, tri)["evn_uid"]
    other = "/api/1.0/elsewhere"

    assert call(client, "GET", f"{other}/project", headers).json_body == []
    response = call(client, "GET", f"{other}/project/{prj}/event/{evn}", headers)
    assert (
        error_message(response) == f"Bad Request: The project with prj_uid: '{prj}' does not exist."
    )
    response = call(client, "POST", f"{other}/project/{prj}/event", headers, event_body(tri))
    assert (
        error_message(response) == f"Bad Request: The project with prj_uid: '{prj}' does not exist."
    )
    assert call(client, "GET", f"{other}/executions", headers).json_body == {
        "data": [],
        "next": None,
    }
