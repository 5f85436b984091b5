"""The README quotes the committed report: every figure of its bench table is in
bench/results.md (the report ``make bench`` wrote), so neither can drift from the other."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
RESULTS = ROOT / "bench" / "results.md"
HEADING = "## Figures from `make bench`"
NUMBER = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?(?![\d])")


def bench_table(readme: str) -> list[dict[str, str]]:
    """The rows of the first table under ``HEADING``, by column name."""
    section = readme.split(HEADING, 1)[1]
    lines = [line.strip() for line in section.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip("|").split("|")])
    header, rows = table[0], table[2:]
    return [dict(zip(header, row, strict=False)) for row in rows]


def figures_of(cell: str) -> list[str]:
    """The numbers a table cell cites (``0.08 s``, ``x1.23``, ``1,000``)."""
    return [match.rstrip(",") for match in NUMBER.findall(cell)]


def missing_figures(readme: str, results: str) -> list[str]:
    cited = set(figures_of(results))
    missing = []
    for row in bench_table(readme):
        for figure in figures_of(row["figure"]):
            if figure not in cited:
                missing.append(f"{row['bench']}: {figure}")
    return missing


def test_every_figure_the_readme_cites_is_in_the_committed_report():
    readme, results = README.read_text(), RESULTS.read_text()
    assert bench_table(readme), f"README.md has no table under {HEADING!r}"
    assert missing_figures(readme, results) == [], "README figures not in bench/results.md"


def test_a_figure_missing_from_the_report_is_named():
    readme = (
        f"{HEADING}\n\n| bench | figure | target |\n|---|---|---|\n| ingest | 4.2 s, x1.31 | |\n"
    )
    assert missing_figures(readme, "| ingest | 4.2 s | x1.30 |") == ["ingest: 1.31"]
    assert missing_figures(readme, "| ingest | 4.2 s | x1.31 |") == []
