"""The dialects' timed jobs: one module per dialect, imported only when the scheduler ticks.

Each module named here exposes ``register_jobs()``, which registers its kinds of due work
with ``engine/scheduler.register_kind``. ``load_jobs`` runs at the start of every tick
(``scheduler.run_due_work``), so the schedule Lambda knows every kind without the HTTP
Lambda importing any job code. Registering on every tick (a few dict writes) also refills a
registry a test replaced.
"""

from __future__ import annotations

import importlib

JOB_MODULES = (
    "chalicelib.engine.maddash_jobs",  # MaDDash: maintenance windows starting and ending
    "chalicelib.engine.processmaker_jobs",  # ProcessMaker: planned event executions (APP_EVENT)
)


def load_jobs() -> None:
    """Import every job module and let it register its kinds (cheap after the first call)."""
    for name in JOB_MODULES:
        importlib.import_module(name).register_jobs()
