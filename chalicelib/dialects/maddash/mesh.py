"""What Madalert reads and writes: a grid's statuses (``Mesh``), the problems a rule finds
(``Problem``) and the report they make (``Report``), shared by the rules (``report_rules``)
and the report on a grid (``report``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """A problem a rule found (Madalert's ``Problem``: its ``message`` is the ``name``)."""

    name: str
    severity: int
    category: str
    solutions: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "severity": self.severity,
            "category": self.category,
            "solutions": list(self.solutions),
        }


DEFAULT_LEVELS = 6  # a slot for each of MaDDash's own statuses, labelled or not


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
