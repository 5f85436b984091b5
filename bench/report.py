"""The one report of ``make bench``: ``bench/results.md``, each figure with its method beside it.

Adding a section: a benchmark module ``bench/bench_<name>.py`` whose ``main()`` returns a
``Section`` (or a list of them) is in the report, under ``## bench_<name>``::

    from bench.report import Section, versus

    def main() -> Section:
        ratio = measure()
        return Section(
            title="Cold start",
            method="median of 7 fresh interpreters ...",
            rows=[("ratio", f"{ratio:.2f}", versus(ratio, 1.15))],
        )

Rows are (figure, value, note) by default; ``columns=`` names others; ``text=`` adds a
paragraph under the table. A module that returns None is reported by what it printed,
verbatim. ``python -m bench <name> ...`` runs some modules only and replaces just their
sections in the report, keeping the others. See ``bench/__main__.py``.
"""

from __future__ import annotations

import os
import platform
import re
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

RESULTS = Path(__file__).resolve().parent / "results.md"
ENV_FULL = "BENCH_FULL"
TITLE = "# event-service: benchmark report"
_MODULE_HEADING = re.compile(r"^## (bench_\w+)", re.MULTILINE)


def full_run() -> bool:
    """``BENCH_FULL=1``: the long form (larger sizes, more repetitions); default: <= 10 minutes."""
    return os.environ.get(ENV_FULL, "").strip() not in ("", "0")


class Section(NamedTuple):
    title: str
    method: str
    rows: Sequence[Sequence[str]]
    columns: tuple[str, ...] = ("figure", "value", "note")
    text: str = ""


def versus(value: float, target: float, at_most: bool = True, unit: str = "") -> str:
    """The target beside a figure: ``target <= 1.15: met`` (or ``MISSED``)."""
    met = value <= target if at_most else value >= target
    sign = "<=" if at_most else ">="
    return f"target {sign} {target:g}{unit}: {'met' if met else 'MISSED'}"


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_section(section: Section) -> str:
    width = len(section.columns)
    lines = [f"### {section.title}", "", f"*Method:* {section.method}", ""]
    lines.append("| " + " | ".join(section.columns) + " |")
    lines.append("|" + "---|" * width)
    for row in section.rows:
        cells = [_cell(cell) for cell in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells[:width]) + " |")
    if section.text:
        lines += ["", section.text.strip()]
    return "\n".join(lines) + "\n"


def as_sections(returned: object) -> list[Section]:
    if returned is None:
        return []
    if isinstance(returned, Section):
        return [returned]
    return [item for item in returned if isinstance(item, Section)]  # type: ignore[union-attr]


def machine() -> str:
    """Where the figures come from: Python, CPUs and the load (1-minute average) right now."""
    try:
        load = f"load average {os.getloadavg()[0]:.2f}"
    except OSError:
        load = "load unknown"
    return (
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, {load}"
    )


def render_module(module: str, sections: list[Section], printed: str, seconds: float) -> str:
    body = [f"## {module} ({seconds:.1f} s)\n"]
    body.extend(render_section(section) for section in sections)
    if not sections:
        body.append("```\n" + printed.rstrip() + "\n```\n")
    return "\n".join(body)


def modules_of(report: str) -> dict[str, str]:
    """The module blocks of a written report (``## bench_x ...`` up to the next), by name."""
    found = list(_MODULE_HEADING.finditer(report))
    return {
        match.group(1): report[
            match.start() : found[i + 1].start() if i + 1 < len(found) else None
        ].rstrip()
        + "\n"
        for i, match in enumerate(found)
    }


def render(
    results: Iterable[tuple[str, list[Section], str, float]],
    started: str = "",
    total: float | None = None,
    kept: dict[str, str] | None = None,
) -> str:
    """``results``: (module, its sections, what it printed, seconds) in run order; ``kept``:
    blocks of modules not run this time, from the previous report."""
    blocks = dict(kept or {})
    for module, sections, printed, seconds in results:
        blocks[module] = render_module(module, sections, printed, seconds)
    form = "long form (BENCH_FULL=1)" if full_run() else "default form"
    timing = f", {total / 60:.1f} min" if total is not None else ""
    head = [
        TITLE,
        "",
        f"Written by `make bench` ({form}{timing}) on "
        f"{started or time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()} at "
        "the end. Figures are counts or ratios unless they say otherwise; timings come from "
        "this machine.",
    ]
    if kept:
        head.append(f"Kept from an earlier run (not run this time): {', '.join(sorted(kept))}.")
    return "\n".join(head) + "\n\n" + "\n".join(blocks[name] for name in sorted(blocks))


def write(
    results: list[tuple[str, list[Section], str, float]],
    path: Path = RESULTS,
    started: str = "",
    total: float | None = None,
    every_module: bool = True,
) -> Path:
    """Write the report; when only some modules ran, the others' blocks stay as they were."""
    kept: dict[str, str] = {}
    if not every_module and path.exists():
        ran = {module for module, *_ in results}
        kept = {
            name: block
            for name, block in modules_of(path.read_text(encoding="utf-8")).items()
            if name not in ran
        }
    path.write_text(render(results, started, total, kept), encoding="utf-8")
    return path
