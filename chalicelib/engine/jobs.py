"""Every dialect's job module, imported once by the scheduler so their kinds are registered.

One line per dialect; a job module imports no Chalice (the schedule Lambda loads it).
"""

from __future__ import annotations

import importlib

JOB_MODULES = ("chalicelib.dialects.maddash_jobs",)


def load_job_modules() -> None:
    """Import every job module (each registers its kinds when imported)."""
    for name in JOB_MODULES:
        importlib.import_module(name)
