"""ProcessMaker's runtime: cases plan executions, the scheduler fires them, the log shows them.

The trigger is a WebHook to a real local HTTP receiver; ticks call ``scheduler.run_due_work``
(what the schedule Lambda and the local ticker run) with an explicit ``now``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.core import due_work
from chalicelib.dialects import jobs as dialect_jobs
from chalicelib.dialects.processmaker import executions
from tests.dialects.processmaker.support import (
    API,
    TASK_A,
    TASK_B,
    TASK_C,
    call,
    error_message,
    make_designer,
    make_event,
    make_project,
    make_trigger,
)
from tests.engine.conftest import receiver  # noqa: F401 - the real local HTTP receiver

DATE = "%Y-%m-%d %H:%M:%S"


@pytest.fixture
def designer(client, monkeypatch, receiver):  # noqa: F811
    """A project A → B → C with a WebHook trigger to the local receiver (private allowed)."""
    from chalicelib.engine.modules import outbound
    from chalicelib.settings import reset_settings

    monkeypatch.setenv("EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE", "1")
    reset_settings()
    outbound.forget_pools()
    headers = make_designer()
    prj = make_project(client, headers)["prj_uid"]
    tri = make_trigger(client, headers, prj, url=f"{receiver.url}/hook")
    yield client, headers, prj, tri, receiver
    monkeypatch.undo()
    reset_settings()
    outbound.forget_pools()


def start_case(client, headers, prj, tas_uid=TASK_A, variables=None):
    body = {"pro_uid": prj, "tas_uid": tas_uid, "variables": variables or {}}
    response = call(client, "POST", f"{API}/cases", headers, body)
    assert response.status_code == 200, response.body
    assert set(response.json_body) == {"app_uid", "app_number"}
    return response.json_body


def case_of(client, headers, app_uid):
    return call(client, "GET", f"{API}/cases/{app_uid}", headers).json_body


def log(client, headers, query=""):
    response = call(client, "GET", f"{API}/executions{query}", headers)
    assert response.status_code == 200, response.body
    return response.json_body


def started_at(client, headers, app_uid) -> datetime:
    (current,) = case_of(client, headers, app_uid)["current_task"]
    return datetime.fromisoformat(current["del_init_date"])


def tick(now: datetime) -> dict:
    return dialect_jobs.run_due_work(now)


def test_starting_a_case_plans_every_related_active_event(designer):
    client, headers, prj, tri, _ = designer
    half_day = make_event(
        client, headers, prj, tri, tas_uid=TASK_A, evn_when_occurs="TASK_STARTED", evn_when=0.5
    )
    after = make_event(
        client,
        headers,
        prj,
        tri,
        tas_uid=TASK_A,
        evn_tas_estimated_duration=2,
        evn_time_unit="HOURS",
        evn_when=1,
    )
    spanning = make_event(
        client,
        headers,
        prj,
        tri,
        evn_related_to="MULTIPLE",
        tas_uid=None,
        evn_tas_uid_from=TASK_A,
        evn_tas_uid_to=TASK_C,
        evn_when_occurs="TASK_STARTED",
        evn_when=3,
    )
    make_event(client, headers, prj, tri, tas_uid=TASK_A, evn_status="INACTIVE")
    make_event(client, headers, prj, tri, tas_uid=TASK_B)  # another task: planned when B starts

    case = start_case(client, headers, prj, variables=[{"amount": 10}, {"region": "EU"}])
    start = started_at(client, headers, case["app_uid"])

    planned = {line["evn_uid"]: line for line in log(client, headers)["data"]}
    expected = {
        half_day["evn_uid"]: start + timedelta(hours=12),
        after["evn_uid"]: start + timedelta(days=1, hours=2),
        spanning["evn_uid"]: start + timedelta(days=3),
    }
    assert {uid: line["app_evn_action_date"] for uid, line in planned.items()} == {
        uid: due.strftime(DATE) for uid, due in expected.items()
    }
    for uid, due in expected.items():
        line = planned[uid]
        assert (line["app_evn_status"], line["app_evn_attempts"], line["app_number"]) == (
            "PENDING",
            0,
            case["app_number"],
        )
        key = f"workflow/{case['app_uid']}/1/{uid}"
        assert due_work.planned_work(executions.KIND, key, due) is not None
    assert case_of(client, headers, case["app_uid"])["variables"] == {"amount": 10, "region": "EU"}


def test_case_start_validation(designer):
    client, headers, prj, _, _ = designer
    missing = call(client, "POST", f"{API}/cases", headers, {"pro_uid": prj})
    assert error_message(missing) == "Bad Request: `tas_uid` is required."
    wrong = call(client, "POST", f"{API}/cases", headers, {"pro_uid": prj, "tas_uid": "9" * 32})
    assert (
        error_message(wrong) == f"Bad Request: The task with tas_uid: '{'9' * 32}' does not exist."
    )
    bad = call(
        client,
        "POST",
        f"{API}/cases",
        headers,
        {"pro_uid": prj, "tas_uid": TASK_A, "variables": [1]},
    )
    assert bad.status_code == 400


def test_a_due_execution_runs_the_trigger_once_and_is_logged(designer):
    from chalicelib.core.events import EventQuery, list_events

    client, headers, prj, tri, hook = designer
    event = make_event(
        client, headers, prj, tri, tas_uid=TASK_A, evn_when_occurs="TASK_STARTED", evn_when=0
    )
    case = start_case(client, headers, prj, variables={"amount": 1500})
    now = started_at(client, headers, case["app_uid"]) + timedelta(minutes=1)

    report = tick(now)
    tick(now + timedelta(minutes=1))

    assert report["work"]["done"] == 1
    (post,) = hook.posts("/hook")
    assert post.json() == {"case": case["app_number"], "amount": 1500, "event": event["evn_uid"]}
    page = call(
        client, "GET", f"{API}/project/{prj}/event/{event['evn_uid']}/executions", headers
    ).json_body
    (line,) = page["data"]
    assert (line["app_evn_status"], line["app_evn_result"], line["app_evn_attempts"]) == (
        "COMPLETED",
        "EXECUTED",
        1,
    )
    assert line["app_evn_last_execution_date"] == now.strftime(DATE)
    assert line["app_evn_error"] is None
    (recorded,) = list_events(EventQuery(event_type="processmaker.event.execute"))
    traits = recorded.trait_values()
    assert (traits["app_uid"], traits["evn_uid"], traits["tri_uid"], traits["outcome"]) == (
        case["app_uid"],
        event["evn_uid"],
        tri,
        "executed",
    )


def test_the_condition_is_evaluated_on_the_current_variables(designer):
    client, headers, prj, tri, hook = designer
    make_event(
        client,
        headers,
        prj,
        tri,
        tas_uid=TASK_A,
        evn_action="EXECUTE_CONDITIONAL_TRIGGER",
        evn_when_occurs="TASK_STARTED",
        evn_when=0,
        evn_conditions="@@amount > 1000 and @@region == 'EU'",
    )
    low = start_case(client, headers, prj, variables={"amount": 500, "region": "EU"})
    raised = start_case(client, headers, prj, variables={"amount": 500, "region": "EU"})
    response = call(
        client, "PUT", f"{API}/cases/{raised['app_uid']}/variable", headers, {"amount": "1500"}
    )
    assert (response.status_code, response.body) == (200, b"")

    tick(started_at(client, headers, raised["app_uid"]) + timedelta(minutes=1))

    (post,) = hook.posts("/hook")
    assert post.json()["case"] == raised["app_number"]
    results = {line["app_uid"]: line["app_evn_result"] for line in log(client, headers)["data"]}
    assert results == {low["app_uid"]: "CONDITION_FALSE", raised["app_uid"]: "EXECUTED"}


def test_a_stored_condition_that_does_not_parse_closes_the_execution_failed(designer):
    import json

    from chalicelib.store.processmaker import ProcessMakerModel, project_pk

    client, headers, prj, tri, hook = designer
    event = make_event(
        client, headers, prj, tri, tas_uid=TASK_A, evn_when_occurs="TASK_STARTED", evn_when=0
    )
    item = ProcessMakerModel.get(project_pk("workflow", prj), f"event#{event['evn_uid']}")
    item.data = json.dumps(
        {**json.loads(item.data), "evn_conditions": "@@a >"}
    )  # pre-validation data
    item.save()
    case = start_case(client, headers, prj)

    tick(started_at(client, headers, case["app_uid"]) + timedelta(minutes=1))

    assert hook.posts() == []
    (line,) = log(client, headers)["data"]
    assert (line["app_evn_result"], line["app_evn_error"]) == (
        "FAILED",
        "condition error: unexpected end of the condition",
    )


def test_a_failing_trigger_is_retried_then_closed_with_its_error(designer):
    client, headers, prj, tri, hook = designer
    hook.answer_with((500, b"down"))
    make_event(
        client, headers, prj, tri, tas_uid=TASK_A, evn_when_occurs="TASK_STARTED", evn_when=0
    )
    case = start_case(client, headers, prj)
    now = started_at(client, headers, case["app_uid"]) + timedelta(minutes=1)

    first = tick(now)
    (line,) = log(client, headers)["data"]
    assert (line["app_evn_status"], line["app_evn_attempts"]) == ("PENDING", 1)
    assert "500" in line["app_evn_error"]
    assert first["work"]["retried"] == 1

    tick(now + timedelta(minutes=2))
    third = tick(now + timedelta(minutes=10))
    tick(now + timedelta(hours=1))

    assert third["work"]["failed"] == 1
    assert len(hook.posts("/hook")) == 3
    (line,) = log(client, headers, "?status=COMPLETED")["data"]
    assert (line["app_evn_result"], line["app_evn_attempts"]) == ("FAILED", 3)
    assert "500" in line["app_evn_error"]
    assert log(client, headers, "?status=PENDING")["data"] == []


def test_a_routed_task_never_fires(designer):
    client, headers, prj, tri, hook = designer
    make_event(client, headers, prj, tri, tas_uid=TASK_A)
    on_b = make_event(
        client, headers, prj, tri, tas_uid=TASK_B, evn_when_occurs="TASK_STARTED", evn_when=2
    )
    case = start_case(client, headers, prj)
    start = started_at(client, headers, case["app_uid"])

    routed = call(client, "PUT", f"{API}/cases/{case['app_uid']}/route-case", headers)
    assert routed.status_code == 200
    current = case_of(client, headers, case["app_uid"])["current_task"]
    assert [(task["tas_uid"], task["del_index"]) for task in current] == [(TASK_B, 2)]
    tick(start + timedelta(days=1, hours=1))

    assert hook.posts() == []
    lines = {line["del_index"]: line for line in log(client, headers)["data"]}
    assert (lines[1]["app_evn_status"], lines[1]["app_evn_result"]) == (
        "COMPLETED",
        "TASK_FINISHED",
    )
    assert (lines[2]["evn_uid"], lines[2]["app_evn_status"]) == (on_b["evn_uid"], "PENDING")
    assert list(due_work.due_work(start + timedelta(days=1, hours=1))) == []

    call(client, "PUT", f"{API}/cases/{case['app_uid']}/route-case", headers)
    call(client, "PUT", f"{API}/cases/{case['app_uid']}/route-case", headers)
    assert case_of(client, headers, case["app_uid"])["app_status"] == "COMPLETED"
    again = call(client, "PUT", f"{API}/cases/{case['app_uid']}/route-case", headers)
    assert again.status_code == 400


def test_two_overlapping_ticks_fire_once(designer, monkeypatch):
    from chalicelib.dialects.processmaker import jobs as processmaker_jobs

    client, headers, prj, tri, hook = designer
    make_event(
        client, headers, prj, tri, tas_uid=TASK_A, evn_when_occurs="TASK_STARTED", evn_when=0
    )
    case = start_case(client, headers, prj)
    now = started_at(client, headers, case["app_uid"]) + timedelta(minutes=1)
    run_trigger = processmaker_jobs._run_trigger
    overlapping = []

    def run_while_another_tick_runs(trigger, event, workspace):
        overlapping.append(tick(now))  # a second tick starts while the first is running
        run_trigger(trigger, event, workspace)

    monkeypatch.setattr(processmaker_jobs, "_run_trigger", run_while_another_tick_runs)
    first = tick(now)

    assert overlapping[0]["work"]["taken"] == 1 and overlapping[0]["work"]["done"] == 0
    assert first["work"]["done"] == 1
    assert len(hook.posts("/hook")) == 1
    assert tick(now + timedelta(minutes=5))["work"]["done"] == 0


def test_a_deleted_trigger_closes_the_execution_skipped(designer):
    client, headers, prj, tri, hook = designer
    make_event(
        client, headers, prj, tri, tas_uid=TASK_A, evn_when_occurs="TASK_STARTED", evn_when=0
    )
    case = start_case(client, headers, prj)
    call(client, "DELETE", f"{API}/project/{prj}/trigger/{tri}", headers)

    tick(started_at(client, headers, case["app_uid"]) + timedelta(minutes=1))

    assert hook.posts() == []
    assert log(client, headers)["data"][0]["app_evn_result"] == "SKIPPED"


def test_the_log_pages_and_filters_by_status(designer):
    client, headers, prj, tri, _ = designer
    for when in (1, 2, 3):
        make_event(
            client, headers, prj, tri, tas_uid=TASK_A, evn_when_occurs="TASK_STARTED", evn_when=when
        )
    start_case(client, headers, prj)

    first = log(client, headers, "?limit=2&status=PENDING")
    assert len(first["data"]) == 2 and first["next"]
    second = log(client, headers, f"?limit=2&status=PENDING&marker={first['next']}")
    assert len(second["data"]) == 1 and second["next"] is None
    dates = [line["app_evn_action_date"] for line in first["data"] + second["data"]]
    assert dates == sorted(dates)
    assert log(client, headers, "?status=COMPLETED")["data"] == []
    bad = call(client, "GET", f"{API}/executions?status=OPEN", headers)
    assert error_message(bad) == "Bad Request: Invalid value specified for `status`"
    bad = call(client, "GET", f"{API}/executions?limit=0", headers)
    assert error_message(bad) == "Bad Request: Invalid value specified for `limit`"
