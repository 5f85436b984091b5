"""Run every benchmark module ``bench/bench_*.py`` and write the report ``bench/results.md``.

Usage: ``python -m bench [name ...]`` where a name selects ``bench_<name>`` (default: all).
Exits non-zero only when a benchmark crashes; the figures themselves never fail a run.

The interface of a benchmark module (stable; add a module and it is in the report):
``main()`` takes no arguments and returns ``bench.report.Section`` (or a list of them), or
None. A ``Section(title, method, rows)`` names what was measured, how (the method is printed
beside the figures), and rows of ``(figure, value)`` or ``(figure, value, note)`` strings;
``columns=`` names other columns, ``text=`` adds a paragraph, ``report.versus`` writes a
target beside a figure. A module that returns None is reported by what it printed. Whatever
a module prints also goes to the terminal as it runs. Named modules only: their blocks of
``bench/results.md`` are replaced, the others kept. By default every module keeps ``make
bench`` within 10 minutes; ``BENCH_FULL=1`` is the long form (e.g. 50,000 stored events).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import pkgutil
import sys
import time
import traceback
from pathlib import Path

from bench import report

PACKAGE = "bench"
PREFIX = "bench_"
METRICS_DISABLED = "POWERTOOLS_METRICS_DISABLED"


def discover() -> list[str]:
    """The benchmark module names, sorted."""
    folder = Path(__file__).resolve().parent
    return sorted(
        f"{PACKAGE}.{info.name}"
        for info in pkgutil.iter_modules([str(folder)])
        if info.name.startswith(PREFIX)
    )


def main(argv: list[str] | None = None) -> int:
    wanted = {f"{PACKAGE}.{PREFIX}{name}" for name in (sys.argv[1:] if argv is None else argv)}
    modules = [name for name in discover() if not wanted or name in wanted]
    if wanted - set(modules):
        print(f"unknown benchmark: {', '.join(sorted(wanted - set(modules)))}", file=sys.stderr)
        return 2
    # EMF metric lines would interleave with the figures; bench_cost turns them on to count them.
    os.environ.setdefault(METRICS_DISABLED, "true")
    crashed = []
    results = []
    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"bench: {report.machine()}", flush=True)
    began = time.perf_counter()
    for name in modules:
        short = name.removeprefix(PACKAGE + ".")
        print(f"== {short}", flush=True)
        started = time.perf_counter()
        printed = _Tee(sys.stdout)
        returned = None
        try:
            with contextlib.redirect_stdout(printed):
                returned = importlib.import_module(name).main()
        except Exception:
            traceback.print_exc()
            crashed.append(name)
        seconds = time.perf_counter() - started
        sections = report.as_sections(returned)
        for section in sections:
            print(report.render_section(section))
        results.append((short, sections, printed.getvalue(), seconds))
        print(f"   ({seconds:.1f} s)\n", flush=True)
    written = report.write(
        results,
        started=started_at,
        total=time.perf_counter() - began,
        every_module=not wanted,
    )
    print(f"report: {written} ({(time.perf_counter() - began) / 60:.1f} min)")
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


class _Tee(io.StringIO):
    """Keeps what a benchmark prints and passes it on to the terminal."""

    def __init__(self, terminal) -> None:
        super().__init__()
        self._terminal = terminal

    def write(self, text: str) -> int:
        self._terminal.write(text)
        return super().write(text)

    def flush(self) -> None:
        self._terminal.flush()


if __name__ == "__main__":
    sys.exit(main())
