"""Madalert's report: the default rule's problems and stats, and where MaDDash sends it."""

from __future__ import annotations

import json

import pytest
import yaml

from chalicelib.dialects.maddash.report import create_report
from tests.dialects.maddash.support import (
    CRITICAL,
    EXAMPLE,
    NOT_RUN,
    OK,
    OWAMP,
    UNKNOWN,
    WARNING,
    A,
    B,
    C,
    get,
    load_example,
    mesh,
    post_json,
)


def problems(report) -> dict[str, list[str]]:
    return {site: [p.name for p in found] for site, found in report.site_problems.items()}


def test_every_check_ok_is_no_issue_and_every_unknown_is_the_grid_down():
    well = create_report(mesh(lambda r, c, k: OK))
    assert [(p.name, p.severity) for p in well.global_problems] == [("No issues found", 0)]
    assert well.to_json()["global"]["severity"] == 0
    down = create_report(mesh(lambda r, c, k: UNKNOWN)).to_json()
    assert down["global"]["severity"] == 3
    assert down["global"]["problems"][0]["name"] == "Grid is down"
    assert "problems" not in down["sites"]["s1"]


def test_a_site_whose_every_check_is_unknown_is_down():
    report = create_report(mesh(lambda r, c, k: UNKNOWN if 3 in (r, c) else OK))
    assert report.global_problems == []
    assert problems(report) == {"s3": ["Site is down"]}


@pytest.mark.parametrize(
    ("unknown", "expected"),
    [
        # The first check of s2's row and the second of its column: s2 cannot test.
        (lambda r, c, k: (r == 2 and k == 0) or (c == 2 and k == 1), "Site can't test"),
        (lambda r, c, k: (r == 2 and k == 1) or (c == 2 and k == 0), "Site can't be tested"),
        # 5 of 6 such checks (above 70 %): "mostly".
        (
            lambda r, c, k: ((r == 2 and k == 0) or (c == 2 and k == 1)) and (r, c) != (2, 0),
            "Site mostly can't test",
        ),
    ],
)
def test_a_site_that_cannot_test_or_be_tested(unknown, expected):
    report = create_report(mesh(lambda r, c, k: UNKNOWN if unknown(r, c, k) else OK))
    assert problems(report) == {"s2": [expected]}


def test_outgoing_and_incoming_failures_weigh_warning_half():
    # s1's row: CRITICAL everywhere → outgoing failures; s0's column: WARNING (0.5 < 0.7).
    report = create_report(mesh(lambda r, c, k: CRITICAL if r == 1 else WARNING if c == 0 else OK))
    assert problems(report)["s1"] == ["Outgoing test failures"]
    assert "s0" not in problems(report)
    incoming = create_report(mesh(lambda r, c, k: CRITICAL if c == 3 else OK))
    assert problems(incoming)["s3"] == ["Incoming test failures"]
    assert incoming.to_json()["sites"]["s3"]["severity"] == 2


def test_stats_count_each_status_per_site_once_and_globally():
    report = create_report(mesh(lambda r, c, k: NOT_RUN if r == 0 else OK, checks=1)).to_json()
    assert report["global"]["stats"] == [9, 0, 0, 0, 3, 0]  # 12 cells, 6 levels
    # s0 is the row of 3 NOT RUN cells and the column of 3 OK ones.
    assert report["sites"]["s0"]["stats"] == [3, 0, 0, 0, 3, 0]
    assert report["sites"]["s1"]["stats"] == [5, 0, 0, 0, 1, 0]


# ---------------------------------------------------------------- as MaDDash sends it


def _result(client, admin, row, col, check, status):
    body = {
        "gridName": OWAMP,
        "rowName": row,
        "columnName": col,
        "checkName": check,
        "status": status,
    }
    answer = post_json(client, "/maddash/admin/results", body, admin)
    assert answer.status_code == 200, answer.body


def test_the_grid_carries_the_report_by_label_and_report_serves_it(client, admin):
    load_example(client, admin)
    for row, col in [(A, B), (A, C), (B, A), (B, C), (C, A), (C, B)]:
        for check in ("Loss", "Loss Reverse"):
            down = row == A or col == A  # every check touching Albuquerque is UNKNOWN
            _result(client, admin, row, col, check, UNKNOWN if down else OK)
    code, grid = get(client, "/maddash/grids/OWAMP+Mesh")
    assert code == 200
    report = grid["report"]
    assert report["mesh"] == {"name": OWAMP}
    assert set(report["sites"]) == {"Albuquerque", "Boise", "Chicago"}
    assert report["sites"]["Albuquerque"]["severity"] == 3
    assert report["sites"]["Albuquerque"]["problems"] == [
        {"name": "Site is down", "severity": 3, "category": "INFRASTRUCTURE", "solutions": []}
    ]
    assert report["sites"]["Boise"]["severity"] == 0
    assert report["global"]["stats"] == [4, 0, 0, 8, 0, 0]
    assert get(client, "/maddash/report?grid=OWAMP+Mesh") == (200, report)
    check = get(client, f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss")[1]
    assert check["rowReport"] == report["sites"]["Albuquerque"]
    assert check["colReport"] == report["sites"]["Boise"]
    assert check["globalReport"] == report["global"]


def test_report_refusals_are_maddash_texts(client, admin):
    load_example(client, admin)
    assert get(client, "/maddash/report") == (
        400,
        "Must specify one of 'json' or 'grid' in parameters list",
    )
    both = "/maddash/report?grid=Throughput&json=http://example.org/g"
    assert get(client, both) == (400, "You cannot specify both json and grid")
    assert get(client, "/maddash/report?grid=nothing") == (
        404,
        "Unable to find grid with name nothing",
    )


def test_check_names_are_sorted_in_every_cell(client, admin):
    load_example(client, admin)
    config = yaml.safe_load(EXAMPLE.read_text())
    config["grids"][0]["checks"] = ["lossReverse", "loss"]  # configuration order reversed
    answer = post_json(client, "/maddash/admin/config", config, admin)
    assert answer.status_code == 200, answer.body
    _result(client, admin, A, B, "Loss", CRITICAL)
    grid = get(client, "/maddash/grids/OWAMP+Mesh")[1]
    assert grid["checkNames"] == ["Loss", "Loss Reverse"]
    top, bottom = grid["grid"][0][1]
    assert (top["status"], top["uri"].rsplit("/", 1)[1]) == (CRITICAL, "Loss")
    assert bottom["uri"].endswith("/Loss+Reverse")
    cell = json.loads(client.http.get(f"/maddash/grids/OWAMP+Mesh/{A}/{B}").body)
    assert [check["name"] for check in cell["checks"]] == ["Loss", "Loss Reverse"]
