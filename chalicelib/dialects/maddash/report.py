"""Madalert's report on a MaDDash grid: what is down, per grid and per site (pure).

MaDDash attaches this report to every grid (``GET /maddash/grids/{grid}``'s ``report``), to
every check (``globalReport``, ``rowReport``, ``colReport``) and serves it alone at
``GET /maddash/report?grid=``; its web UI colours a host's label by the site's severity and
counts the problems above the grid. The grid's rule is the report its configuration names
(``report_rules``: ``reports:``, the grid's ``report``, ``defaultReport``), else Madalert's
``defaultRule`` (``report_rules.DEFAULT_RULE``), evaluated over the grid document as
``JsonMesh`` reads it:

1. stats: for every check of every cell that exists, count its status globally, for the row's
   site and, when the column is another site, for the column's site;
2. the rule adds problems, globally or to a site (``report_rules.evaluate``);
3. a severity is the highest of its problems' severities, 0 without any.
Sites are the grid's row and column *labels*, as MaDDash names them.
"""

from __future__ import annotations

from typing import Any

from chalicelib.dialects.maddash.mesh import Mesh, Report
from chalicelib.dialects.maddash.report_rules import DEFAULT_RULE, RuleSpec, evaluate


def _stats(mesh: Mesh) -> tuple[list[int], dict[str, list[int]]]:
    top = max([mesh.levels - 1, *(status for *_, status in mesh.checks())])
    global_stats = [0] * (top + 1)
    site_stats = {site: [0] * (top + 1) for site in mesh.sites()}
    for row, col, _, status in mesh.checks():
        global_stats[status] += 1
        site_stats[row][status] += 1
        if col != row:
            site_stats[col][status] += 1
    return global_stats, site_stats


def create_report(mesh: Mesh, rule: RuleSpec | None = None) -> Report:
    """Madalert's report on ``mesh`` under ``rule`` (Madalert's default rule when None)."""
    global_stats, site_stats = _stats(mesh)
    report = Report(mesh, global_stats, site_stats)
    evaluate(DEFAULT_RULE if rule is None else rule, mesh, report)
    return report


def grid_report(grid: dict[str, Any], chosen: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report's JSON for a grid document; ``chosen`` is the report its configuration
    names (``{"id", "rule"}``, see ``report_rules.grid_rule``), None for Madalert's default."""
    return create_report(Mesh.from_grid(grid), None if chosen is None else chosen["rule"]).to_json()
