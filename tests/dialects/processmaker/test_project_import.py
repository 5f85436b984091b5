"""``POST /project`` with ProcessMaker's own project structure: tasks and routes, or a 400."""

from __future__ import annotations

import copy
import re

import pytest

from tests.dialects.processmaker.support import API, call, error_message, make_designer

UID = re.compile(r"^[0-9a-f]{32}$")
ACT = "569214945534fecfa8f0835033274864"
START = "259220802534fecfad49854013091940"
END = "856003291534fecfae5dff7085708495"


def activity(uid: str, name: str, **extra) -> dict:
    return {
        "act_uid": uid,
        "act_name": name,
        "act_type": "TASK",
        "act_task_type": "EMPTY",
        "act_loop_type": "NONE",
        "bou_x": "486",
        "bou_y": "101",
        "bou_width": "161",
        "bou_height": "42",
        "bou_container": "bpmnDiagram",
        **extra,
    }


def event(uid: str, name: str, kind: str, marker: str, behavior: str) -> dict:
    return {
        "evn_uid": uid,
        "evn_name": name,
        "evn_type": kind,
        "evn_marker": marker,
        "evn_is_interrupting": "1",
        "evn_message": "LEAD" if marker == "MESSAGE" else "",
        "evn_behavior": behavior,
        "bou_x": "517",
        "bou_y": "19",
        "bou_container": "bpmnDiagram",
    }


def flow(uid: str, origin: str, origin_type: str, dest: str, dest_type: str, **extra) -> dict:
    return {
        "flo_uid": uid,
        "flo_type": "SEQUENCE",
        "flo_name": None,
        "flo_element_origin": origin,
        "flo_element_origin_type": origin_type,
        "flo_element_dest": dest,
        "flo_element_dest_type": dest_type,
        "flo_is_inmediate": "1",
        "flo_condition": None,
        "flo_state": [{"x": 566, "y": 145}, {"x": 566, "y": 171}],
        **extra,
    }


# ProcessMaker's own Behat body ("Create new Projects",
# features/backend/projects/project/basic_sequence_project_resources.feature), trimmed of
# drawing coordinates: a message start, one task, an end.
BEHAT_PROJECT = {
    "prj_name": "Prueba New Project",
    "prj_description": "New Project, created of this script",
    "prj_target_namespace": "sample",
    "prj_expresion_language": None,
    "prj_create_date": "2014-04-28 11:01:54",
    "prj_update_date": "2014-04-30 08:46:17",
    "prj_author": "00000000000000000000000000000001",
    "diagrams": [
        {
            "dia_uid": "956446767534fece3179b54016939905",
            "prj_uid": "655001588534fece2d46f86033751389",
            "dia_name": "Prueba New Project",
            "dia_is_closable": 0,
            "pro_uid": "736054291534fece3342096012897456",
            "activities": [activity(ACT, "Task # 1")],
            "events": [
                event(START, "Start # 1", "START", "MESSAGE", "CATCH"),
                event(END, "End # 1", "END", "EMPTY", "THROW"),
            ],
            "gateways": [],
            "flows": [
                flow("17092374253551306216a72013534569", ACT, "bpmnActivity", END, "bpmnEvent"),
                flow("304762728534fecfaf3bf88040991913", START, "bpmnEvent", ACT, "bpmnActivity"),
            ],
            "artifacts": [],
            "laneset": [],
            "lanes": [],
        }
    ],
}


def two_tasks() -> dict:
    body = copy.deepcopy(BEHAT_PROJECT)
    body["prj_name"] = "Two tasks"
    diagram = body["diagrams"][0]
    second = "1" * 32
    diagram["activities"].append(activity(second, "Task # 2"))
    diagram["flows"] = [
        flow("2" * 32, START, "bpmnEvent", ACT, "bpmnActivity"),
        flow("3" * 32, ACT, "bpmnActivity", second, "bpmnActivity"),
        flow("4" * 32, second, "bpmnActivity", END, "bpmnEvent"),
    ]
    diagram["artifacts"] = [{"art_uid": "5" * 32, "art_type": "TEXT_ANNOTATION", "art_name": "n"}]
    return body


@pytest.fixture
def designer(client):
    return client, make_designer()


def post(designer, body):
    client, headers = designer
    return call(client, "POST", f"{API}/project", headers, body)


def test_processmakers_own_project_body_creates_its_task_and_route(designer):
    client, headers = designer
    response = post(designer, BEHAT_PROJECT)

    assert response.status_code == 201
    answer = response.json_body  # ProcessMaker's uid map, as createFromStruct answers
    assert [entry["object"] for entry in answer] == [
        "project",
        "diagram",
        "activity",
        "event",
        "event",
        "flow",
        "flow",
    ]
    assert all(UID.match(entry["new_uid"]) for entry in answer)
    mapped = {(entry["object"], entry["old_uid"]): entry["new_uid"] for entry in answer}
    prj_uid, tas_uid = mapped[("project", "")], mapped[("activity", ACT)]
    project = call(client, "GET", f"{API}/project/{prj_uid}", headers).json_body
    assert project["prj_name"] == "Prueba New Project"
    assert project["tasks"] == [{"tas_uid": tas_uid, "tas_title": "Task # 1"}]
    assert project["routes"] == [{"tas_uid": tas_uid, "rou_next_task": "-1"}]


def test_an_imported_project_runs_cases_along_its_flows(designer):
    client, headers = designer
    answer = post(designer, two_tasks()).json_body
    mapped = {(entry["object"], entry["old_uid"]): entry["new_uid"] for entry in answer}
    prj_uid, first, second = (
        mapped[("project", "")],
        mapped[("activity", ACT)],
        mapped[("activity", "1" * 32)],
    )
    assert ("artifact", "5" * 32) not in mapped  # drawing only: not kept
    case = call(
        client, "POST", f"{API}/cases", headers, {"pro_uid": prj_uid, "tas_uid": first}
    ).json_body
    routed = call(client, "PUT", f"{API}/cases/{case['app_uid']}/route-case", headers)
    assert routed.status_code == 200
    current = call(client, "GET", f"{API}/cases/{case['app_uid']}", headers).json_body
    assert [task["tas_uid"] for task in current["current_task"]] == [second]
    call(client, "PUT", f"{API}/cases/{case['app_uid']}/route-case", headers)
    done = call(client, "GET", f"{API}/cases/{case['app_uid']}", headers).json_body
    assert done["app_status"] == "COMPLETED"


def changed(change) -> dict:
    body = two_tasks()
    change(body["diagrams"][0])
    return body


PREFIX = "Bad Request: Invalid value specified for `diagrams`: "


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["gateways"].append({"gat_uid": "6" * 32, "gat_type": "EXCLUSIVE"}),
            PREFIX + f"gateway {'6' * 32} (EXCLUSIVE) is not supported here "
            "(a task routes to one next task)",
        ),
        (
            lambda d: d["activities"][0].pop("act_type"),
            f"Bad Request: For activity: {ACT} `act_type` is required but missing.",
        ),
        (
            lambda d: d["events"][0].pop("evn_marker"),
            f"Bad Request: For event: {START} `evn_marker` is required but missing.",
        ),
        (
            lambda d: d["activities"][0].update(act_type="SUB_PROCESS"),
            PREFIX + f"activity {ACT} of type SUB_PROCESS is not supported here",
        ),
        (
            lambda d: d["activities"][0].update(act_task_type="SCRIPTTASK"),
            PREFIX + f"activity {ACT} of task type SCRIPTTASK is not supported here",
        ),
        (
            lambda d: d["events"][0].update(evn_marker="TIMER"),
            PREFIX + f"event {START} (START TIMER) is not supported here",
        ),
        (
            lambda d: d["events"].append(event("7" * 32, "wait", "INTERMEDIATE", "TIMER", "CATCH")),
            PREFIX + f"event {'7' * 32} (INTERMEDIATE TIMER) is not supported here",
        ),
        (
            lambda d: d["flows"][1].update(flo_condition="@@amount > 10"),
            PREFIX + f"the condition of flow {'3' * 32} is not supported here",
        ),
        (
            lambda d: d["flows"].append(flow("8" * 32, ACT, "bpmnActivity", END, "bpmnEvent")),
            PREFIX + f"more than one outgoing flow from activity {ACT} is not supported here",
        ),
        (
            lambda d: d["flows"][1].update(flo_element_dest="9" * 32),
            PREFIX + f"flow {'3' * 32} names an unknown flo_element_dest '{'9' * 32}'",
        ),
        (
            lambda d: d.update(activities=[], flows=[]),
            PREFIX + "the diagram has no activities (tasks)",
        ),
        (
            lambda d: d["flows"][1].update(flo_type="MESSAGE"),
            PREFIX + f"flow {'3' * 32} of type MESSAGE is not supported here",
        ),
    ],
)
def test_what_is_not_supported_is_a_400_naming_it(designer, change, message):
    client, headers = designer
    response = post(designer, changed(change))
    assert response.status_code == 400
    assert error_message(response) == message
    assert call(client, "GET", f"{API}/project", headers).json_body == []  # nothing stored


def test_diagrams_with_tasks_is_refused(designer):
    response = post(designer, {**two_tasks(), "tasks": [{"tas_title": "x"}]})
    assert response.status_code == 400
    assert error_message(response) == (
        PREFIX + "send either diagrams or tasks and routes, not both"
    )
