"""Cold start: ``import app`` in a fresh interpreter, as a ratio to the floor of any Chalice +
PynamoDB app (``import chalice.app, pynamodb.models``). Target (issue #20): a ratio of 1.15
or less with every dialect, printed beside the ratio.

Each run imports the floor and then ``app`` in one fresh interpreter and times both halves;
its ratio is (floor + app after it) / floor, and the figure is the median of the runs' ratios
(both halves of a run see the same machine load). ``app`` no longer imports PynamoDB or
botocore itself (the store's modules load with the first route that uses them), so ``import
app`` alone can take less than the floor; a ratio of ``import app`` alone would then reward
deferring the floor, not lighter own code. ``import app`` alone is printed beside it.

Each figure is the median of ``BENCH_COLD_START_RUNS`` (default 15) fresh interpreters, run
interleaved so that machine noise hits both sides alike, with bytecode cached as in the
package (``make package`` adds .pyc files to deployment.zip). Then, from ``python -X
importtime``: the biggest of the project's own imports that remain at cold start (top 10 by
cumulative time, the floor already imported so it is not counted in them; median of
``BENCH_COLD_START_TREE_RUNS``, default 5, runs), and the third-party imports ``app`` adds
beyond the floor.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.support import print_legend

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP = "import app"
BASELINE = "import chalice.app, pynamodb.models"
APP_OVER_FLOOR = f"{BASELINE}; {APP}"
TARGET_RATIO = 1.15
ENV_RUNS = "BENCH_COLD_START_RUNS"
ENV_TREE_RUNS = "BENCH_COLD_START_TREE_RUNS"
OWN_IMPORTS_SHOWN = 10
_TIMED = "import time\nt = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)"
_TIMED_PAIR = (
    "import time\nt0 = time.perf_counter()\n{floor}\nt1 = time.perf_counter()\n{app}\n"
    "print(t1 - t0, time.perf_counter() - t1)"
)
_PROJECT_PACKAGES = ("app", "chalicelib")


_PYCACHE = Path(tempfile.gettempdir()) / "event-service-bench-pycache"


def _environment() -> dict[str, str]:
    """A Lambda-like environment of the local stage: no endpoint, no network needed.

    Bytecode is cached (in a private folder, not the source tree) for the project as it is
    for the installed libraries: ``make package`` ships .pyc files, so Lambda compiles nothing.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        {
            "PYTHONPYCACHEPREFIX": str(_PYCACHE),
            "EVENT_SERVICE_STAGE": "local",
            "AWS_DEFAULT_REGION": env.get("AWS_DEFAULT_REGION", "us-east-1"),
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "POWERTOOLS_SERVICE_NAME": "event-service",
        }
    )
    return env


def _run(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=PROJECT_DIR,
        env=_environment(),
        capture_output=True,
        text=True,
        check=True,
    )


def time_import(statement: str) -> float:
    """Seconds ``statement`` takes in a fresh interpreter (interpreter start-up excluded)."""
    return float(_run(["-c", _TIMED.format(statement=statement)]).stdout.split()[-1])


def time_over_floor() -> tuple[float, float]:
    """(seconds of the floor, seconds of ``import app`` after it) in one fresh interpreter."""
    floor, app = _run(["-c", _TIMED_PAIR.format(floor=BASELINE, app=APP)]).stdout.split()[-2:]
    return float(floor), float(app)


def _import_times(statement: str) -> list[tuple[int, str, float, float]]:
    """(depth, module, self seconds, cumulative seconds) from ``python -X importtime``."""
    lines = _run(["-X", "importtime", "-c", statement]).stderr.splitlines()
    entries: list[tuple[int, str, float, float]] = []
    for line in lines:
        if not line.startswith("import time:") or line.count("|") < 2:
            continue
        own, cumulative, name_field = line.removeprefix("import time:").split("|", 2)
        if not cumulative.strip().isdigit():
            continue  # the header line
        depth = (len(name_field) - len(name_field.lstrip()) - 1) // 2
        entries.append((depth, name_field.strip(), int(own) / 1e6, int(cumulative) / 1e6))
    return entries


def import_tree(statement: str) -> list[tuple[str, str | None, float]]:
    """(module, importing module, cumulative seconds) for every import ``statement`` makes."""
    return _tree_of(_import_times(statement))


def own_code_seconds() -> tuple[float, int]:
    """Seconds spent executing the project's own modules (their self time), and their count."""
    own = [
        seconds
        for _, module, seconds, _ in _import_times(APP)
        if _package(module) in _PROJECT_PACKAGES
    ]
    return sum(own), len(own)


def _package(module: str | None) -> str:
    return (module or "").split(".")[0]


def own_imports(
    limit: int = OWN_IMPORTS_SHOWN, runs: int = 5
) -> list[tuple[str, str | None, float, float]]:
    """The project's heaviest own imports at cold start: (module, importing module, cumulative
    seconds, self seconds), medians of ``runs`` traces, heaviest cumulative first.

    The floor is imported before ``app`` in the same interpreter, so a module's cumulative
    time holds only what ``app`` adds: its own code and the imports beyond the floor it makes.
    ``app`` itself (the total) is left out.
    """
    cumulative: dict[str, list[float]] = {}
    own: dict[str, list[float]] = {}
    parents: dict[str, str | None] = {}
    for _ in range(runs):
        traced = _import_times(f"{BASELINE}; {APP}")
        for (_, _, seconds, _), (module, parent, total) in zip(
            traced, _tree_of(traced), strict=True
        ):
            if _package(module) in _PROJECT_PACKAGES and module != "app":
                cumulative.setdefault(module, []).append(total)
                own.setdefault(module, []).append(seconds)
                parents[module] = parent
    ranked = sorted(cumulative, key=lambda module: -statistics.median(cumulative[module]))
    return [
        (
            module,
            parents[module],
            statistics.median(cumulative[module]),
            statistics.median(own[module]),
        )
        for module in ranked[:limit]
    ]


def _tree_of(
    traced: list[tuple[int, str, float, float]],
) -> list[tuple[str, str | None, float]]:
    """(module, importing module, cumulative seconds) for each traced import, in trace order.

    importtime prints a module after its own imports: a parent follows its children.
    """
    parents: list[str | None] = [None] * len(traced)
    pending: dict[int, list[int]] = {}
    for index, (depth, _, _, _) in enumerate(traced):
        for child in pending.pop(depth + 1, []):
            parents[child] = traced[index][1]
        pending.setdefault(depth, []).append(index)
    return [
        (name, parent, total) for (_, name, _, total), parent in zip(traced, parents, strict=True)
    ]


def added_imports(limit: int = 8) -> list[tuple[str, str | None, float]]:
    """The heaviest third-party imports ``app`` makes that the floor does not."""
    floor = {module for module, _, _ in import_tree(BASELINE)}
    entries = [
        (module, parent, seconds)
        for module, parent, seconds in import_tree(APP)
        if module not in floor
        and _package(module) not in _PROJECT_PACKAGES
        and _package(module) != _package(parent)  # where a package is entered, not inside it
    ]
    return sorted(entries, key=lambda entry: -entry[2])[:limit]


def main():
    from bench.report import Section

    runs = max(3, int(os.environ.get(ENV_RUNS, "15")))
    time_over_floor(), time_import(APP)  # warm the bytecode and file caches
    ratios, over_times, floor_times, app_times = [], [], [], []
    for _ in range(runs):
        floor, after = time_over_floor()
        ratios.append((floor + after) / floor)
        over_times.append(floor + after)
        floor_times.append(floor)
        app_times.append(time_import(APP))
    over_median = statistics.median(over_times)
    floor_median = statistics.median(floor_times)
    app_median = statistics.median(app_times)
    ratio = statistics.median(ratios)
    verdict = "within target" if ratio <= TARGET_RATIO else "ABOVE TARGET"
    print(f"cold start  floor; {APP:<34} median {over_median * 1000:7.1f} ms  ({runs} runs)")
    print(f"floor       {BASELINE:<40} median {floor_median * 1000:7.1f} ms")
    print(f"ratio       {ratio:.2f}  (target <= {TARGET_RATIO}: {verdict})")
    print(f"alone       {APP:<40} median {app_median * 1000:7.1f} ms")
    own_seconds, own_modules = own_code_seconds()
    print(f"own code    app + chalicelib, {own_modules} modules: {own_seconds * 1000:.1f} ms self")
    tree_runs = max(1, int(os.environ.get(ENV_TREE_RUNS, "5")))
    remaining = own_imports(runs=tree_runs)
    print(
        f"biggest own imports left at cold start (cumulative beyond the floor, median of "
        f"{tree_runs} traces):"
    )
    for module, parent, seconds, own in remaining:
        print(
            f"  {seconds * 1000:6.1f} ms  {module:<45} self {own * 1000:5.1f} ms"
            f"  imported by {parent or '-'}"
        )
    print("heaviest imports app adds beyond the floor (cumulative, one run):")
    heaviest = added_imports()
    for module, parent, seconds in heaviest:
        print(f"  {seconds * 1000:6.1f} ms  {module:<40} imported by {parent or '-'}")
    if not heaviest:
        print("  (none)")
    print_legend(
        "cold start: median time of the floor then `import app` in a fresh interpreter (its",
        "  start-up excluded), bytecode cached as in the package; floor: the same for the",
        "  imports any Chalice + PynamoDB app needs (the first half of each run); ratio: median",
        "  of the runs' cold start / floor (1.00 = app adds nothing to the floor);",
        "alone: `import app` by itself (PynamoDB and botocore load with the first route that",
        "  reads the store);",
        "own code: time executing app.py and chalicelib's modules themselves (self time);",
        "biggest own imports: chalicelib modules `import app` still loads, by the time their",
        "  import takes with everything it imports beyond the floor (importtime adds overhead);",
        "heaviest imports: third-party packages app loads beyond the floor, cumulative time.",
    )
    return Section(
        "Cold start",
        f"{runs} fresh interpreters, bytecode cached, each timing `{BASELINE}` then `{APP}`; "
        f"ratio = median of (both) / (the floor); own imports (top {OWN_IMPORTS_SHOWN}, "
        f"cumulative beyond the floor, median of {tree_runs} traces) and heaviest added "
        "third-party imports from `python -X importtime`",
        [
            ("ratio", f"{ratio:.2f}", f"target <= {TARGET_RATIO}: {verdict}"),
            (f"`{APP_OVER_FLOOR}`", f"{over_median * 1000:.1f} ms", "median"),
            (f"`{BASELINE}`", f"{floor_median * 1000:.1f} ms", "median"),
            (f"`{APP}` alone", f"{app_median * 1000:.1f} ms", "median; the store loads later"),
            (
                "own code (app + chalicelib)",
                f"{own_seconds * 1000:.1f} ms",
                f"{own_modules} modules",
            ),
            *[
                (
                    f"own: {m}",
                    f"{s * 1000:.1f} ms",
                    f"self {o * 1000:.1f} ms; imported by {p or '-'}",
                )
                for m, p, s, o in remaining
            ],
            *[
                (f"added: {m}", f"{s * 1000:.1f} ms", f"imported by {p or '-'}")
                for m, p, s in heaviest[:3]
            ],
        ],
    )


if __name__ == "__main__":
    main()
