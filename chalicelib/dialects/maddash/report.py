"""Madalert's report on a MaDDash grid: what is down, per grid and per site (pure).

MaDDash attaches this report to every grid (``GET /maddash/grids/{grid}``'s ``report``), to
every check (``globalReport``, ``rowReport``, ``colReport``) and serves it alone at
``GET /maddash/report?grid=``; its web UI colours a host's label by the site's severity and
counts the problems above the grid. This is Madalert's ``defaultRule`` (perfsonar/madalert,
``Madalert.java``), evaluated over the grid document as ``JsonMesh`` reads it:

1. stats: for every check of every cell that exists, count its status globally, for the row's
   site and, when the column is another site, for the column's site;
2. the rules, first match wins: every check UNKNOWN → "Grid is down" (3); every check OK →
   "No issues found" (0, a problem of no severity); otherwise, for each site, "Site is down"
   (3) when every check touching it is UNKNOWN, else all of: "Site can't test" (3; every first
   check of its row and second check of its column UNKNOWN) or "Site mostly can't test" (70 %
   of them), the same with the checks swapped for "Site can't be tested", and "Outgoing"
   / "Incoming test failures" (2) when its row's / column's OK, WARNING and CRITICAL checks,
   weighted 0, 0.5 and 1, reach 0.7;
3. a severity is the highest of its problems' severities, 0 without any.
Sites are the grid's row and column *labels*, as MaDDash names them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

INFRASTRUCTURE, ACTUAL = "INFRASTRUCTURE", "ACTUAL"
UNKNOWN = 3
# Madalert's weights for OK, WARNING, CRITICAL; UNKNOWN (-1) and higher statuses do not count.
FAILURE_WEIGHTS = (0.0, 0.5, 1.0, -1.0)
MOSTLY = 0.7
DEFAULT_LEVELS = 6  # a slot for each of MaDDash's own statuses, labelled or not

Statuses = list[int]
Matcher = Callable[[Statuses], bool]


@dataclass(frozen=True)
class Problem:
    name: str
    severity: int
    category: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "severity": self.severity,
            "category": self.category,
            "solutions": [],
        }


@dataclass
class Mesh:
    """A grid as Madalert reads it: row and column names, and each cell's check statuses
    (``None`` for a cell without checks)."""

    name: str
    rows: list[str]
    columns: list[str]
    check_count: int
    cells: list[list[list[int | None] | None]]
    levels: int = DEFAULT_LEVELS

    @classmethod
    def from_grid(cls, grid: dict[str, Any]) -> Mesh:
        """From a grid document as ``GET /maddash/grids/{grid}`` sends it (``JsonMesh``)."""
        cells = [
            [
                None if cell is None else [None if e is None else e["status"] for e in cell]
                for cell in line
            ]
            for line in grid["grid"]
        ]
        return cls(
            name=grid["name"],
            rows=[row["name"] for row in grid["rows"]],
            columns=list(grid["columnNames"]),
            check_count=len(grid["checkNames"]),
            cells=cells,
            levels=max(len(grid["statusLabels"]), DEFAULT_LEVELS),
        )

    def sites(self) -> list[str]:
        return list(dict.fromkeys([*self.rows, *self.columns]))

    def checks(self) -> Iterator[tuple[str, str, int, int]]:
        """(row, column, check index, status) of every check of every existing cell."""
        for r, row in enumerate(self.rows):
            for c, col in enumerate(self.columns):
                for index, status in enumerate(self.cells[r][c] or []):
                    if status is not None:
                        yield row, col, index, status


@dataclass
class Report:
    mesh: Mesh
    global_stats: list[int] = field(default_factory=list)
    site_stats: dict[str, list[int]] = field(default_factory=dict)
    global_problems: list[Problem] = field(default_factory=list)
    site_problems: dict[str, list[Problem]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        sites = {
            site: _summary(self.site_stats[site], self.site_problems.get(site, []))
            for site in self.mesh.sites()
        }
        return {
            "mesh": {"name": self.mesh.name},
            "global": _summary(self.global_stats, self.global_problems),
            "sites": sites,
        }


def _summary(stats: list[int], problems: list[Problem]) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "stats": stats,
        "severity": max((problem.severity for problem in problems), default=0),
    }
    if problems:
        summary["problems"] = [problem.to_json() for problem in problems]
    return summary


# ---------------------------------------------------------------- matchers (StatusMatcher)


def _all_are(status: int) -> Matcher:
    return lambda statuses: bool(statuses) and all(s == status for s in statuses)


def _mostly(status: int) -> Matcher:
    return lambda statuses: bool(statuses) and statuses.count(status) / len(statuses) >= MOSTLY


def _failing(statuses: Statuses) -> bool:
    weights = [
        FAILURE_WEIGHTS[s] for s in statuses if s < len(FAILURE_WEIGHTS) and FAILURE_WEIGHTS[s] >= 0
    ]
    return bool(weights) and sum(weights) / len(weights) >= MOSTLY


# ---------------------------------------------------------------- test sets (which checks)


def _touching(mesh: Mesh, site: str) -> Statuses:
    return [s for row, col, _, s in mesh.checks() if site in (row, col)]


def _of_row(mesh: Mesh, site: str) -> Statuses:
    return [s for row, _, _, s in mesh.checks() if row == site]


def _of_column(mesh: Mesh, site: str) -> Statuses:
    return [s for _, col, _, s in mesh.checks() if col == site]


def _by_check(mesh: Mesh, site: str, row_check: int, col_check: int) -> Statuses:
    """``forCheck``: the row's ``row_check``-th checks and the column's ``col_check``-th ones
    (a cell of the site with itself counted once when both indexes are the same)."""
    found = []
    for row, col, index, status in mesh.checks():
        if row == site and index == row_check:
            found.append(status)
        if col == site and index == col_check and not (row == col and row_check == col_check):
            found.append(status)
    return found


# ---------------------------------------------------------------- the default rule


def _site_problems(mesh: Mesh, site: str) -> list[Problem]:
    if _all_are(UNKNOWN)(_touching(mesh, site)):
        return [Problem("Site is down", 3, INFRASTRUCTURE)]
    problems = []
    for (row_check, col_check), alone, mostly in (
        ((0, 1), "Site can't test", "Site mostly can't test"),
        ((1, 0), "Site can't be tested", "Site mostly can't be tested"),
    ):
        statuses = _by_check(mesh, site, row_check, col_check)
        if _all_are(UNKNOWN)(statuses):
            problems.append(Problem(alone, 3, INFRASTRUCTURE))
        elif _mostly(UNKNOWN)(statuses):
            problems.append(Problem(mostly, 3, INFRASTRUCTURE))
    if _failing(_of_row(mesh, site)):
        problems.append(Problem("Outgoing test failures", 2, ACTUAL))
    if _failing(_of_column(mesh, site)):
        problems.append(Problem("Incoming test failures", 2, ACTUAL))
    return problems


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


def create_report(mesh: Mesh) -> Report:
    """Madalert's default report on ``mesh``."""
    global_stats, site_stats = _stats(mesh)
    report = Report(mesh, global_stats, site_stats)
    every = [status for *_, status in mesh.checks()]
    if _all_are(UNKNOWN)(every):
        report.global_problems.append(Problem("Grid is down", 3, INFRASTRUCTURE))
    elif _all_are(0)(every):
        report.global_problems.append(Problem("No issues found", 0, INFRASTRUCTURE))
    else:
        for site in mesh.sites():
            problems = _site_problems(mesh, site)
            if problems:
                report.site_problems[site] = problems
    return report


def grid_report(grid: dict[str, Any]) -> dict[str, Any]:
    """The report's JSON for a grid document."""
    return create_report(Mesh.from_grid(grid)).to_json()
