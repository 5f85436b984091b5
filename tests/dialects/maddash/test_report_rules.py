"""MaDDash's own report definitions (``reports:``, a grid's ``report``, ``defaultReport``):
validated as MaDDash's ``ConfigLoader`` reads them and evaluated as Madalert does.

The rules are MaDDash's own example ones (``madalert/maddash-reports.yaml``, copied unchanged
from perfsonar/maddash's ``etc/maddash.yaml``)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from chalicelib.dialects.maddash.report import create_report
from chalicelib.dialects.maddash.report_rules import DEFAULT_RULE, parse_reports, parse_rule
from chalicelib.errors import ValidationFailed
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

ORIGINAL = yaml.safe_load((Path(__file__).parent / "madalert" / "maddash-reports.yaml").read_text())


def original(report_id: str) -> dict:
    reports, _ = parse_reports(ORIGINAL)
    return reports[report_id]


def named(problems) -> list[tuple[str, int, str]]:
    return [(p.name, p.severity, p.category) for p in problems]


# ---------------------------------------------------------------- the original's definitions


def test_the_originals_example_reports_parse_and_keep_their_problems():
    reports, default = parse_reports(ORIGINAL)
    assert sorted(reports) == ["grid_up_down_report", "loss_mesh_report", "throughput_mesh_report"]
    assert default is None
    down = reports["loss_mesh_report"]["rules"][0]
    assert down["selector"] == {"type": "grid"}
    assert down["match"] == {"type": "status", "status": 3}
    assert down["problem"]["message"] == "Grid is down"
    assert len(down["problem"]["solutions"]) == 8


def test_madalerts_default_rule_is_written_in_the_configurations_own_form():
    assert parse_rule(copy.deepcopy(DEFAULT_RULE), "rule") == DEFAULT_RULE


def test_the_loss_report_on_a_grid_all_ok_and_all_down():
    well = create_report(mesh(lambda r, c, k: OK), original("loss_mesh_report"))
    assert named(well.global_problems) == [("Entire grid has OK status", 0, "PERFORMANCE")]
    assert well.site_problems == {}
    down = create_report(mesh(lambda r, c, k: UNKNOWN), original("loss_mesh_report")).to_json()
    assert down["global"]["severity"] == 3
    [problem] = down["global"]["problems"]
    assert (problem["name"], problem["category"]) == ("Grid is down", "CONFIGURATION")
    assert problem["solutions"][0].startswith("If you just configured this grid")
    assert down["global"]["stats"] == [0, 0, 0, 24, 0, 0]


def test_the_loss_report_names_a_site_down_and_the_first_rule_only():
    # s3's every check UNKNOWN: "Site is down", and matchFirst stops before "outgoing"/"incoming".
    report = create_report(
        mesh(lambda r, c, k: UNKNOWN if 3 in (r, c) else OK), original("loss_mesh_report")
    )
    assert report.global_problems == []
    assert {site: named(found) for site, found in report.site_problems.items()} == {
        "s3": [("Site is down", 3, "CONFIGURATION")]
    }
    sites = report.to_json()["sites"]
    assert sites["s3"]["severity"] == 3
    assert sites["s3"]["problems"][0]["solutions"][0] == "Verify the host is up"
    assert sites["s3"]["stats"] == [0, 0, 0, 12, 0, 0]
    assert sites["s0"] == {"stats": [8, 0, 0, 4, 0, 0], "severity": 0}


def test_outgoing_failures_only_a_row_or_only_a_column_unknown():
    row_down = create_report(
        mesh(lambda r, c, k: UNKNOWN if r == 1 else OK), original("loss_mesh_report")
    )
    assert {site: named(found) for site, found in row_down.site_problems.items()} == {
        "s1": [("Unable to run and/or query any outgoing one-way delay tests.", 3, "CONFIGURATION")]
    }
    col_down = create_report(
        mesh(lambda r, c, k: UNKNOWN if c == 2 else OK), original("loss_mesh_report")
    )
    assert [p.name for p in col_down.site_problems["s2"]] == [
        "Unable to run and/or query any incoming one-way delay tests."
    ]


def test_weighted_thresholds_add_both_outgoing_and_incoming_loss():
    # s2 sends CRITICAL everywhere and receives WARNING: its row weighs 1.0, its column 0.5
    # (below .6); matchAll adds each problem that matched.
    status = lambda r, c, k: CRITICAL if r == 2 else WARNING if c == 2 else OK  # noqa: E731
    report = create_report(mesh(status), original("loss_mesh_report"))
    assert [p.name for p in report.site_problems["s2"]] == [
        "Outgoing loss is above warning or critical thresholds to a majority of sites"
    ]
    # Both directions CRITICAL: both problems, in the rules' order, severity 2.
    both = create_report(
        mesh(lambda r, c, k: CRITICAL if 2 in (r, c) else OK), original("loss_mesh_report")
    )
    assert [p.name for p in both.site_problems["s2"]] == [
        "Outgoing loss is above warning or critical thresholds to a majority of sites",
        "Incoming loss is above warning or critical thresholds to a majority of sites",
    ]
    assert both.to_json()["sites"]["s2"]["severity"] == 2
    # Statuses beyond the weights (NOT RUN, 4) do not count: a row of NOT RUN matches nothing.
    idle = create_report(
        mesh(lambda r, c, k: NOT_RUN if r == 0 else OK), original("loss_mesh_report")
    )
    assert idle.site_problems == {} and idle.global_problems == []


def test_the_up_down_report_has_no_site_rules():
    report = create_report(
        mesh(lambda r, c, k: UNKNOWN if r == 0 else OK), original("grid_up_down_report")
    )
    assert (report.global_problems, report.site_problems) == ([], {})


def _leaf(selector, match, message="found", severity=1):
    problem = {"severity": severity, "category": "TEST", "message": message}
    return {"type": "rule", "selector": selector, "match": match, "problem": problem}


def test_thresholds_site_rules_and_check_selectors():
    # The first check of s1's row is UNKNOWN on 2 of its 3 cells (0.67): 0.6 matches, 0.7 not.
    status = lambda r, c, k: UNKNOWN if (r == 1 and k == 0 and c != 3) else OK  # noqa: E731
    at = lambda threshold: {"type": "statusThreshold", "status": 3, "threshold": threshold}  # noqa: E731
    selector = {"type": "check", "rowIndex": 0}
    for threshold, expected in ((0.6, True), (0.7, False)):
        rule = parse_rule({"type": "forEachSite", "rule": _leaf(selector, at(threshold))}, "rule")
        report = create_report(mesh(status), rule)
        assert ("s1" in report.site_problems) is expected
        assert set(report.site_problems) <= {"s1"}
    # siteRule: one named site, its problem on that site only (s1's row: 2 of 6 UNKNOWN).
    rule = parse_rule(
        {**_leaf({"type": "row"}, at(0.3), "s1 cannot test"), "type": "siteRule", "site": "s1"},
        "rule",
    )
    assert {
        s: [p.name for p in f] for s, f in create_report(mesh(status), rule).site_problems.items()
    } == {"s1": ["s1 cannot test"]}


# ---------------------------------------------------------------- validation (400 naming the part)


def _config(report_rule=None, **top):
    config = yaml.safe_load(EXAMPLE.read_text())
    if report_rule is not None:
        config["reports"] = [{"id": "r", "rule": report_rule}]
    config.update(top)
    return config


GRID_DOWN = _leaf({"type": "grid"}, {"type": "status", "status": 3})


@pytest.mark.parametrize(
    ("config", "named"),
    [
        (_config({"type": "sometimes"}), "reports[0] (r).rule: invalid rule type 'sometimes'"),
        (
            _config({"type": "matchFirst", "rules": [GRID_DOWN, {"type": "rule"}]}),
            "reports[0] (r).rule.rules[1]: missing required property 'selector'",
        ),
        (
            _config({"type": "forEachSite", "rule": GRID_DOWN}),
            "reports[0] (r).rule.rule.selector: selector type 'grid' may only be used outside",
        ),
        (
            _config(_leaf({"type": "row"}, {"type": "status", "status": 3})),
            "reports[0] (r).rule.selector: selector type 'row' may only be used within",
        ),
        (
            _config(
                {
                    "type": "forEachSite",
                    "rule": _leaf({"type": "cell"}, {"type": "status", "status": 3}),
                }
            ),
            "invalid selector type 'cell'",
        ),
        (
            _config(
                {
                    "type": "forEachSite",
                    "rule": _leaf({"type": "check"}, {"type": "status", "status": 3}),
                }
            ),
            "reports[0] (r).rule.rule.selector: a selector of type 'check' needs rowIndex",
        ),
        (
            _config({"type": "forEachSite", "rule": {"type": "forEachSite", "rule": GRID_DOWN}}),
            "reports[0] (r).rule.rule: cannot nest forEachSite rules",
        ),
        (
            _config(_leaf({"type": "grid"}, {"type": "status", "status": "three"})),
            "reports[0] (r).rule.match: 'status' must be an integer",
        ),
        (
            _config(_leaf({"type": "grid"}, {"type": "statusThreshold", "status": 3})),
            "reports[0] (r).rule.match: missing required property 'threshold'",
        ),
        (
            _config({**GRID_DOWN, "problem": {"category": "X", "message": "m"}}),
            "reports[0] (r).rule.problem: missing required property 'severity'",
        ),
        (
            _config(
                None,
                reports=[{"id": "r", "rule": GRID_DOWN}, {"id": "r", "rule": GRID_DOWN}],
            ),
            "reports[1] (r): two reports share the id 'r'",
        ),
        (_config(GRID_DOWN, defaultReport="nope"), "defaultReport: no report has the id 'nope'"),
        (_config(None, reports={"id": "r"}), "reports: must be a list of reports"),
    ],
)
def test_a_bad_report_definition_is_refused_naming_its_part(client, admin, config, named):
    answer = post_json(client, "/maddash/admin/config", config, admin)
    assert answer.status_code == 400
    assert named in answer.body.decode()
    with pytest.raises(ValidationFailed):
        parse_reports(config)


def test_a_grid_naming_an_unknown_report_is_refused(client, admin):
    config = _config(GRID_DOWN)
    config["grids"][0]["report"] = "loss_mesh_report"
    answer = post_json(client, "/maddash/admin/config", config, admin)
    assert answer.status_code == 400
    assert f"grid {OWAMP}: report 'loss_mesh_report' is not in reports" in answer.body.decode()


# ---------------------------------------------------------------- the grid's named report, served


def _result(client, admin, grid, row, col, check, status):
    body = {"gridName": grid, "rowName": row, "columnName": col, "checkName": check}
    answer = post_json(client, "/maddash/admin/results", {**body, "status": status}, admin)
    assert answer.status_code == 200, answer.body


def _all_results(client, admin, status_of):
    for row, col in [(A, B), (A, C), (B, A), (B, C), (C, A), (C, B)]:
        for check in ("Loss", "Loss Reverse"):
            _result(client, admin, OWAMP, row, col, check, status_of(row, col))
    for row, col in [
        ("albq-pt1.es.net", "bois-pt1.es.net"),
        ("bois-pt1.es.net", "albq-pt1.es.net"),
    ]:
        _result(client, admin, "Throughput", row, col, "Throughput", status_of(row, col))


def _with_original_reports(**top):
    config = yaml.safe_load(EXAMPLE.read_text())
    config["reports"] = ORIGINAL["reports"]
    config["grids"][0]["report"] = "loss_mesh_report"
    config.update(top)
    return config


def test_each_grid_gets_its_named_report_and_the_others_fall_back(client, admin):
    answer = post_json(client, "/maddash/admin/config", _with_original_reports(), admin)
    assert answer.status_code == 200, answer.body
    _all_results(client, admin, lambda row, col: OK)
    owamp = get(client, "/maddash/grids/OWAMP+Mesh")[1]["report"]
    assert [p["name"] for p in owamp["global"]["problems"]] == ["Entire grid has OK status"]
    assert owamp["global"]["problems"][0]["category"] == "PERFORMANCE"
    # Throughput names no report and there is no defaultReport: Madalert's own rule.
    throughput = get(client, "/maddash/report?grid=Throughput")[1]
    assert [p["name"] for p in throughput["global"]["problems"]] == ["No issues found"]

    # Albuquerque's outgoing tests all UNKNOWN: the loss report's own words, served everywhere.
    _all_results(client, admin, lambda row, col: UNKNOWN if row == A else OK)
    grid = get(client, "/maddash/grids/OWAMP+Mesh")[1]
    albuquerque = grid["report"]["sites"]["Albuquerque"]
    assert [p["name"] for p in albuquerque["problems"]] == [
        "Unable to run and/or query any outgoing one-way delay tests."
    ]
    assert albuquerque["severity"] == 3
    assert albuquerque["problems"][0]["solutions"] == [
        "Verify you are not blocking any of the required outgoing OWAMP ports in your firewall",
        "Verify the remote sites allow your host to access UDP ports 8760-9960",
    ]
    assert grid["report"]["global"] == {"stats": [8, 0, 0, 4, 0, 0], "severity": 0}
    assert get(client, "/maddash/report?grid=OWAMP+Mesh")[1] == grid["report"]
    check = get(client, f"/maddash/grids/OWAMP+Mesh/{A}/{B}/Loss")[1]
    assert check["rowReport"] == albuquerque


def test_the_default_report_applies_to_grids_that_name_none(client, admin):
    config = _with_original_reports(defaultReport="grid_up_down_report")
    assert post_json(client, "/maddash/admin/config", config, admin).status_code == 200
    _all_results(client, admin, lambda row, col: OK)
    throughput = get(client, "/maddash/report?grid=Throughput")[1]
    assert throughput["global"]["problems"] == [
        {"name": "No issues found", "severity": 0, "category": "CONFIGURATION", "solutions": []}
    ]
    # A configuration without reports puts every grid back on Madalert's own rule.
    load_example(client, admin)
    owamp = get(client, "/maddash/report?grid=OWAMP+Mesh")[1]
    assert owamp["global"]["problems"][0] == {
        "name": "No issues found",
        "severity": 0,
        "category": "INFRASTRUCTURE",
        "solutions": [],
    }
    assert json.dumps(owamp).count("Entire grid") == 0
