"""The one report of ``make bench``: ``bench/results.md``, each figure with its method beside it.

A benchmark module's ``main()`` may return a ``Section`` (or a list of them): a title, the
method (how the figures were obtained), and rows of (figure, value, note). A module that
returns None is reported by what it printed, verbatim. See ``bench/__main__.py``.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

RESULTS = Path(__file__).resolve().parent / "results.md"


class Section(NamedTuple):
    title: str
    method: str
    rows: Sequence[tuple[str, str] | tuple[str, str, str]]
    columns: tuple[str, ...] = ("figure", "value", "note")


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
    return "\n".join(lines) + "\n"


def as_sections(returned: object) -> list[Section]:
    if returned is None:
        return []
    if isinstance(returned, Section):
        return [returned]
    return [item for item in returned if isinstance(item, Section)]  # type: ignore[union-attr]


def render(results: Iterable[tuple[str, list[Section], str, float]]) -> str:
    """``results``: (module, its sections, what it printed, seconds) in run order."""
    head = [
        "# event-service: benchmark report",
        "",
        f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"Python {platform.python_version()}, {platform.machine()}. Figures are counts or "
        "ratios unless they say otherwise; timings come from this machine.",
        "",
    ]
    body = []
    for module, sections, printed, seconds in results:
        body.append(f"## {module} ({seconds:.1f} s)\n")
        body.extend(render_section(section) for section in sections)
        if not sections:
            body.append("```\n" + printed.rstrip() + "\n```\n")
    return "\n".join(head) + "\n" + "\n".join(body)


def write(results: list[tuple[str, list[Section], str, float]], path: Path = RESULTS) -> Path:
    path.write_text(render(results), encoding="utf-8")
    return path
