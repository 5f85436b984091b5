"""Every dialect's timed jobs are registered before a tick, and the scheduler runs each kind."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta

import pytest

import chalicelib.dialects
from chalicelib.core import due_work
from chalicelib.core.model import utcnow
from chalicelib.dialects import jobs as dialect_jobs
from chalicelib.engine import scheduler


def _job_modules() -> list[str]:
    """Each dialect package's ``jobs`` module, found on disk (not from the list under test)."""
    found = []
    for package in pkgutil.iter_modules(chalicelib.dialects.__path__):
        if package.ispkg and importlib.util.find_spec(f"chalicelib.dialects.{package.name}.jobs"):
            found.append(f"chalicelib.dialects.{package.name}.jobs")
    return found


def _kinds_of(module_name: str, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    monkeypatch.setattr(scheduler, "_KINDS", {})
    importlib.import_module(module_name).register_jobs()
    return set(scheduler.registered_kinds())


def test_register_all_registers_every_dialects_kinds(monkeypatch):
    modules = _job_modules()
    assert "chalicelib.dialects.maddash.jobs" in modules
    assert "chalicelib.dialects.processmaker.jobs" in modules
    expected = set().union(*(_kinds_of(name, monkeypatch) for name in modules))

    monkeypatch.setattr(scheduler, "_KINDS", {})
    dialect_jobs.register_all()

    assert expected and set(scheduler.registered_kinds()) == expected


def test_a_tick_runs_one_item_of_every_registered_kind(aws, monkeypatch):
    monkeypatch.setattr(scheduler, "_KINDS", {})
    dialect_jobs.register_all()
    kinds = scheduler.registered_kinds()
    now = utcnow()
    for kind in kinds:
        # a key whose window or execution does not exist: each job finishes it as done
        due_work.plan_work(kind, "999999", now - timedelta(seconds=1))
    monkeypatch.setattr(scheduler, "_KINDS", {})  # the tick itself must register them

    report = dialect_jobs.run_due_work(now)

    assert report["work"]["unknown"] == 0
    assert report["work"]["done"] == len(kinds) >= 4
    assert list(due_work.due_work(now)) == []
