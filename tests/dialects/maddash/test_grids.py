"""MaDDash configuration load (YAML and JSON), the read APIs, results and history."""

from __future__ import annotations

import json

import yaml

from tests.dialects.maddash.support import (
    EXAMPLE,
    OWAMP,
    A,
    B,
    C,
    get,
    load_example,
    post_json,
    status_of,
)


def test_yaml_config_builds_grids_rows_columns_and_checks(client, admin):
    counts = load_example(client, admin)
    # OWAMP: 3x3 minus self = 6 cells x 2 checks; Throughput: 2x2 minus self = 2 cells x 1.
    assert counts == {"grids": 2, "checks": 14, "added": 14, "deactivated": 0, "windows_grown": 0}
    assert get(client, "/maddash/grids")[1] == {
        "grids": [
            {"name": OWAMP, "uri": "/maddash/grids/OWAMP+Mesh"},
            {"name": "Throughput", "uri": "/maddash/grids/Throughput"},
        ]
    }
    assert get(client, "/maddash/dashboards")[1]["dashboards"][0]["name"] == "ESnet"
    code, grid = get(client, "/maddash/grids/OWAMP+Mesh")
    assert code == 200
    # Labels where MaDDash shows them; colOrder: group keeps the group's order.
    assert grid["columnNames"] == ["Albuquerque", "Boise", "Chicago"]
    assert [row["name"] for row in grid["rows"]] == ["Albuquerque", "Boise", "Chicago"]
    assert grid["rows"][0]["uri"] == f"/maddash/grids/OWAMP+Mesh/{A}"  # the uri keeps the id
    # Beyond MaDDash: the ids beside the labels, for clients that filter by id.
    assert (grid["rows"][0]["id"], grid["columnIds"]) == (A, [A, B, C])
    assert grid["checkNames"] == ["Loss", "Loss Reverse"]
    assert grid["grid"][0][0] is None  # excludeSelf
    assert [entry["status"] for entry in grid["grid"][0][1]] == [4, 4]  # never run: NOT RUN
    assert grid["rows"][1]["props"] == {"label": "Boise"}
    # MaDDash's five labels (ok..notrun); MAINTENANCE has none.
    assert grid["statusLabels"] == [
        "Loss is 0",
        "Loss above 0",
        "Loss above 1%",
        "Unable to retrieve data",
        "Check has not yet run",
    ]
    assert get(client, "/maddash/grids/Throughput")[1]["statusLabels"] == [None] * 5
    rows = get(client, "/maddash/rows")[1]["rows"]
    assert {"id": A, "name": "Albuquerque"} in rows
    assert {"id": "albq-pt1.es.net", "name": "albq-pt1.es.net"} in rows
    assert get(client, "/maddash/checks")[1] == {
        "checks": [{"name": "Loss"}, {"name": "Loss Reverse"}, {"name": "Throughput"}]
    }
    assert len(get(client, "/maddash/columns")[1]["columns"]) == 5


def test_json_config_with_alphabetical_order_and_column_algorithm(client, admin):
    config = yaml.safe_load(EXAMPLE.read_text())
    config["groups"]["owampHosts"] = [C, A, B]
    config["grids"][0]["rowOrder"] = "alphabetical"
    config["grids"][0]["colOrder"] = "group"
    config["grids"][0]["columnAlgorithm"] = "afterSelf"
    answer = post_json(client, "/maddash/admin/config", config, admin)
    assert answer.status_code == 200, answer.body
    grid = get(client, "/maddash/grids/OWAMP+Mesh")[1]
    # afterSelf in the column group [C, A, B]: A keeps B only, C keeps A and B, B keeps none,
    # so B is no row (MaDDash draws the rows and columns that hold checks).
    assert [row["name"] for row in grid["rows"]] == ["Albuquerque", "Chicago"]
    assert grid["columnNames"] == ["Albuquerque", "Boise"]
    assert [cell is not None for cell in grid["grid"][0]] == [False, True]
    assert [cell is not None for cell in grid["grid"][1]] == [True, True]
    assert get(client, f"/maddash/grids/OWAMP+Mesh/{B}")[0] == 404


def test_reloading_marks_vanished_checks_inactive_and_keeps_results(client, admin):
    load_example(client, admin)
    result = {
        "gridName": OWAMP,
        "rowName": A,
        "columnName": B,
        "checkName": "Loss",
        "status": 2,
        "message": "loss 5%",
        "time": 1_700_000_000,
    }
    assert post_json(client, "/maddash/admin/results", result, admin).status_code == 200
    config = yaml.safe_load(EXAMPLE.read_text())
    config["grids"][0]["checks"] = ["loss"]
    del config["grids"][1]
    config["dashboards"][0]["grids"] = [{"name": OWAMP}]
    answer = post_json(client, "/maddash/admin/config", config, admin)
    assert json.loads(answer.body)["deactivated"] == 6 + 2
    assert get(client, "/maddash/grids/Throughput")[0] == 404
    grid = get(client, "/maddash/grids/OWAMP+Mesh")[1]
    assert grid["checkNames"] == ["Loss"]
    assert grid["grid"][0][1][0]["status"] == 2  # the result survived the reload
    assert get(client, f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss+Reverse")[0] == 404
    assert get(client, "/maddash/checks")[1] == {"checks": [{"name": "Loss"}]}


def test_invalid_configs_are_400_plain_text(client, admin):
    bad = client.http.post(
        "/maddash/admin/config",
        headers={**admin, "Content-Type": "application/x-yaml"},
        body=b"grids: [unclosed",
    )
    assert bad.status_code == 400 and bad.body.startswith(b"Invalid YAML")
    unsafe = client.http.post(
        "/maddash/admin/config",
        headers={**admin, "Content-Type": "application/x-yaml"},
        body=b"!!python/object/apply:os.system ['true']",
    )
    assert unsafe.status_code == 400  # safe_load: no Python objects
    config = yaml.safe_load(EXAMPLE.read_text())
    config["grids"][0]["rows"] = "nope"
    answer = post_json(client, "/maddash/admin/config", config, admin)
    assert answer.status_code == 400
    assert b"rows names no group" in answer.body
    assert answer.headers["Content-Type"].startswith("text/plain")


def test_row_cell_and_check_reads_with_form_encoded_names(client, admin):
    load_example(client, admin)
    code, row = get(client, f"/maddash/grids/OWAMP+Mesh/{A}")
    assert code == 200
    assert [cell["name"] for cell in row["cells"]] == [B, C]
    assert row["cells"][0]["uri"] == f"/maddash/grids/OWAMP+Mesh/{A}/{B}"
    cell = get(client, f"/maddash/grids/OWAMP+Mesh/{A}/{B}")[1]
    assert cell == {
        "checks": [
            {"name": "Loss", "uri": f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss"},
            {"name": "Loss Reverse", "uri": f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss+Reverse"},
        ]
    }
    code, check = get(client, f"/maddash/grids/OWAMP%20Mesh/{A}/{B}/Loss%20Reverse")
    assert code == 200
    assert (check["checkName"], check["status"], check["statusShortName"]) == (
        "Loss Reverse",
        4,
        "NOT RUN",
    )
    assert check["checkInterval"] == 1800 and check["params"]["reverse"] is True
    assert get(client, "/maddash/grids/Nope") == (404, "Unable to find grid with name Nope")
    assert get(client, "/maddash/grids/OWAMP+Mesh/nohost") == (404, "Row resource not found")
    assert get(client, f"/maddash/grids/OWAMP+Mesh/{A}/{A}") == (404, "Cell resource not found")
    assert get(client, f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Nope") == (
        404,
        "Check resource not found",
    )


def test_results_history_and_paging(client, admin):
    load_example(client, admin)
    for i, status in enumerate([0, 0, 1, 2, 2]):
        result = {
            "gridName": OWAMP,
            "rowName": A,
            "columnName": B,
            "checkName": "Loss",
            "status": status,
            "message": f"m{i}",
            "time": 1_700_000_000 + i * 60,
        }
        answer = post_json(client, "/maddash/admin/results", result, admin)
        assert answer.status_code == 200, answer.body
    assert status_of(client, A, B) == 2
    path = f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss"
    check = get(client, f"{path}?resultsPerPage=2&page=0")[1]
    assert check["historyPageCount"] == 3 and check["historyResultPerPage"] == 2
    assert [h["message"] for h in check["history"]] == ["m4", "m3"]
    assert check["history"][0]["returnCodeCount"] == 2
    assert check["returnCodeCount"] == 2 and check["prevCheckTime"] == 1_700_000_240
    last = get(client, f"{path}?resultsPerPage=2&page=2")[1]
    assert [h["message"] for h in last["history"]] == ["m0"]
    assert get(client, f"{path}?resultsPerPage=0") == (
        400,
        "numResults parameter must be greater than 0",
    )
    assert get(client, f"{path}?page=-1") == (
        400,
        "The page parameter must be greater than or equal to 0",
    )
    grid = get(client, "/maddash/grids/OWAMP+Mesh")[1]
    assert grid["lastUpdateTime"] == 1_700_000_240
    assert grid["grid"][0][1][0]["message"] == "m4"


def test_result_validation_and_unknown_check(client, admin):
    load_example(client, admin)
    base = {"gridName": OWAMP, "rowName": A, "columnName": B, "checkName": "Loss", "status": 0}
    missing = post_json(client, "/maddash/admin/results", {**base, "checkName": None}, admin)
    assert (missing.status_code, missing.body) == (400, b"Missing required field checkName")
    wrong = post_json(client, "/maddash/admin/results", {**base, "status": "ok"}, admin)
    assert wrong.status_code == 400
    unknown = post_json(client, "/maddash/admin/results", {**base, "columnName": A}, admin)
    assert (unknown.status_code, unknown.body) == (404, b"Check resource not found")
