"""Brute-force lock-out: failed logins counted per username, in DynamoDB with a TTL.

1. Before a password is checked, ``ensure_not_locked`` reads the username's counter: with
   ``login_max_failures`` failures in the current window it raises ``TooManyAttempts``
   (429, ``Retry-After`` = the seconds left in the window), whatever the password.
2. A wrong password (or an unknown username: the two must look alike) adds one failure;
   the first failure after a window passed starts a new window.
3. A right password deletes the counter.
The window starts at its first failure and lasts ``login_window_seconds``; the item's TTL is
the window's end, so DynamoDB clears what nobody resets.
"""

from __future__ import annotations

import hashlib
import math
import time
from datetime import UTC, datetime

from chalicelib import metrics
from chalicelib.errors import TooManyAttempts
from chalicelib.settings import get_settings
from chalicelib.store.access import save_if, store_access, update_if
from chalicelib.store.login_failures import LoginFailureModel

# Longer names cannot be a principal; they are counted under a digest of bounded size.
_MAX_KEY = 128


def _key(username: str) -> str:
    if len(username) <= _MAX_KEY:
        return username
    return "sha256:" + hashlib.sha256(username.encode()).hexdigest()


def ensure_not_locked(username: str) -> bool:
    """``TooManyAttempts`` while ``username`` is locked out; else True when failures are counted."""
    settings = get_settings()
    with store_access():
        try:
            item = LoginFailureModel.get(_key(username))
        except LoginFailureModel.DoesNotExist:
            return False
    now = time.time()
    window_end = float(item.window_start) + settings.login_window_seconds
    if now >= window_end:
        return False
    if int(item.failures) >= settings.login_max_failures:
        # Each refused login counts: the stack's lock-out alarm reads this rate.
        metrics.count("LoginLockouts")
        raise TooManyAttempts(math.ceil(window_end - now))
    return True


def record_failure(username: str) -> None:
    """Count one failed login for ``username`` in its current window (or start one)."""
    window = get_settings().login_window_seconds
    now = int(time.time())
    key = _key(username)
    in_window = LoginFailureModel.window_start > now - window
    counted = LoginFailureModel(key)
    if update_if(counted, [LoginFailureModel.failures.add(1)], in_window):
        return
    fresh = LoginFailureModel(
        key,
        failures=1,
        window_start=now,
        expires_at=datetime.fromtimestamp(now + window, UTC),
    )
    stale = LoginFailureModel.username.does_not_exist() | (
        LoginFailureModel.window_start <= now - window
    )
    if not save_if(fresh, stale):
        # Another process started the window between the two writes: count in it.
        update_if(counted, [LoginFailureModel.failures.add(1)], in_window)


def reset(username: str) -> None:
    """Forget the failures of ``username`` (after a successful login)."""
    with store_access():
        LoginFailureModel(_key(username)).delete()
