"""The floors hold and the checks that keep them can fail.

`make test` runs `lint-imports` (the contract in pyproject.toml) and `mypy`; these tests plant
a violation in a copy of the package and show that each check refuses it, and that the real
import graph has no circle.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of chalicelib/ and pyproject.toml to plant violations in."""
    shutil.copytree(ROOT / "chalicelib", tmp_path / "chalicelib", ignore=_no_assets)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _no_assets(directory: str, names: list[str]) -> list[str]:
    return [name for name in names if name in ("__pycache__", "assets", "console")]


def _plant(tree: Path, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{line}\n")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(cwd), "PATH": str(BIN)},
        check=False,
    )


def test_the_real_tree_keeps_its_floors():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # an upward import: the store reaching into a dialect
        ("chalicelib.store.events", "from chalicelib.dialects.panko import wire", "floors"),
        # core reaching into the engine (validators are passed in, never imported)
        ("chalicelib.core.handlers", "from chalicelib.engine import conditions", "floors"),
        # a dialect importing a sibling
        (
            "chalicelib.dialects.maddash.grids",
            "from chalicelib.dialects.opevents import nodes",
            "no dialect imports a sibling",
        ),
        # a wire format building Chalice responses instead of plain answers
        (
            "chalicelib.dialects.panko.wire",
            "from chalice import Response",
            "in the dialects only routes.py and common.py import Chalice",
        ),
        # a domain module reaching Chalice through a module that imports it
        (
            "chalicelib.dialects.opevents.nodes",
            "from chalicelib.openapi import routes",
            "in the dialects only routes.py and common.py import Chalice",
        ),
    ],
)
def test_a_planted_violation_breaks_the_contract(tree, module, line, contract):
    _plant(tree, module, line)

    result = _lint_imports(tree)

    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
    assert module in result.stdout


def test_a_planted_type_error_fails_mypy(tree):
    _plant(tree, "chalicelib.core.model", 'def _planted() -> int:\n    return "not a number"')

    result = subprocess.run(
        [str(BIN / "mypy"), "--no-incremental", "chalicelib/core/model.py"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "chalicelib/core/model.py" in result.stdout and "return-value" in result.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_the_import_graph_has_no_circle():
    assert _cycles(grimp.build_graph("chalicelib")) == []


def test_the_cycle_finder_finds_a_planted_circle(tree, monkeypatch):
    _plant(tree, "chalicelib.core.model", "from chalicelib.core import handlers")
    monkeypatch.syspath_prepend(str(tree))
    for name in [name for name in sys.modules if name.startswith("chalicelib")]:
        monkeypatch.delitem(sys.modules, name)

    cycles = _cycles(grimp.build_graph("chalicelib", cache_dir=None))

    assert any("chalicelib.core.model" in group for group in cycles)


# What a route needs only when it runs (the store, the event and execution histories, the
# principals and their lock-out, the handler rules, the dialects' domains) is not loaded by
# `import app`: cold start pays for the framework, the route table and the middleware only.
NOT_AT_COLD_START = (
    "pynamodb",
    "botocore",
    "chalicelib.store",
    "chalicelib.core.events",
    "chalicelib.core.executions",
    "chalicelib.core.handlers",
    "chalicelib.auth.principals",
    "chalicelib.auth.tokens",
    "chalicelib.engine.conditions",
    "chalicelib.dialects.panko.query",
    "chalicelib.dialects.processmaker.oauth",
    "chalicelib.dialects.maddash.grid_views",
    "chalicelib.dialects.opevents.events",
)


def _loaded_by(statement: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def test_import_app_defers_what_only_some_routes_use():
    loaded = _loaded_by("import app")

    assert "app" in loaded and "chalicelib.dialects.panko.routes" in loaded
    early = sorted(
        module
        for module in loaded
        for deferred in NOT_AT_COLD_START
        if module == deferred or module.startswith(deferred + ".")
    )
    assert early == []
