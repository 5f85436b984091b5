"""Every dialect's job module, loaded by the scheduler so their kinds are registered.

One line per dialect. A job module imports no Chalice (the schedule Lambda loads it) and
exposes ``register()``, which calls ``scheduler.register_kind`` for each of its kinds; it is
called on every tick (a few dict writes), so a registry replaced in a test is refilled.
"""

from __future__ import annotations

import importlib

JOB_MODULES = ("chalicelib.dialects.maddash_jobs",)


def load_job_modules() -> None:
    """Import every job module and register its kinds."""
    for name in JOB_MODULES:
        importlib.import_module(name).register()
