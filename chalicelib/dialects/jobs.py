"""The schedule Lambda's entry: every dialect's timed jobs, registered, then one tick.

Each dialect package keeps its jobs in ``jobs.py`` with a ``register_jobs()`` that registers
its kinds of due work (``engine.scheduler.register_kind``). The engine never imports a
dialect, so this module (one floor up) names them. The imports sit inside ``register_all``
so that the HTTP Lambda, which imports every route at cold start, loads no job code.
Registering on every tick (a few dict writes) also refills a registry a test replaced.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.engine import scheduler

__all__ = ["register_all", "run_due_work"]


def register_all() -> None:
    """Import every dialect's job module and let it register its kinds."""
    from chalicelib.dialects.maddash import jobs as maddash_jobs
    from chalicelib.dialects.processmaker import jobs as processmaker_jobs

    maddash_jobs.register_jobs()  # maintenance windows starting, ending, syncing
    processmaker_jobs.register_jobs()  # planned event executions (APP_EVENT)


def run_due_work(now: datetime | None = None, context: Any = None) -> dict[str, Any]:
    """One scheduler tick with every dialect's kinds registered (what ``run_schedule`` runs)."""
    register_all()
    return scheduler.run_due_work(now, context)
