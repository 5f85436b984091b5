"""The dialects' job list: every module named registers its kinds when a tick starts."""

from __future__ import annotations

import importlib

from chalicelib.engine import jobs, scheduler


def test_every_job_module_registers_its_kinds(aws, monkeypatch):
    monkeypatch.setattr(scheduler, "_KINDS", {})
    for name in jobs.JOB_MODULES:
        assert callable(importlib.import_module(name).register_jobs)

    scheduler.run_due_work()

    assert "processmaker.execution" in scheduler.registered_kinds()
