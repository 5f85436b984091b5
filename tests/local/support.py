"""Helpers of the local-runtime tests: waiting with a deadline, resetting moto's server."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable

from local.child import free_port  # noqa: F401  (the tests' name for it)

DEADLINE_SECONDS = 60.0  # generous: a deadline for slow machines, never a speed assertion


def wait_until(condition: Callable[[], object], what: str, deadline: float = DEADLINE_SECONDS):
    """Poll ``condition`` until it is truthy; fail after ``deadline`` seconds."""
    give_up = time.monotonic() + deadline
    while time.monotonic() < give_up:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def forget_process_caches() -> None:
    from chalicelib.auth import principals
    from chalicelib.core import catalog, handlers

    catalog.forget_cache()
    handlers.forget_cached_handlers()
    principals.forget()
    from chalicelib.engine import executor

    executor.forget_handler_set()


def reset_embedded(endpoint: str) -> None:
    """Throw away everything moto holds, as a restart of the runtime process would."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30):
        pass
