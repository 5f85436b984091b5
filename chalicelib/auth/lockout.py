"""Brute-force lock-out: attempts counted per (username, client address), in DynamoDB with a TTL.

1. Before a password is checked, ``admit`` counts the attempt with one conditional update
   that refuses at the limit: ``login_max_failures`` attempts per username and client address
   per window, then ``TooManyAttempts`` (429, ``Retry-After`` = the seconds left in the
   window), whatever the password. Counting first means concurrent attempts cannot buy
   more guesses than the limit: each takes its slot atomically or is refused.
2. A right password deletes that address's counter (``reset``); a wrong one (or an unknown
   username: the two must look alike) also adds one to the username's counter over every
   address (``record_failure``).
3. Whoever guesses locks out only his own address. Past ``CEILING_FACTOR`` times the limit of
   failures for one username in a window (guessing from many addresses), every address gets
   one attempt per window for that username: guessing slows to one try per address, and a
   correct password from a clean address still gets in.
4. Tokens are never counted: a valid token keeps working, and refreshing it, during a lock-out.
A window starts at its first attempt and lasts ``login_window_seconds``; an item's TTL is its
window's end, so DynamoDB clears what nobody resets.
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
_MAX_NAME = 128
# Failures of one username over all addresses, in limits, before each address gets one try.
CEILING_FACTOR = 10
# How often ``admit`` retries when another process started the same window meanwhile.
_ATTEMPTS = 3


def _name(username: str) -> str:
    if len(username) <= _MAX_NAME:
        return username
    return "sha256:" + hashlib.sha256(username.encode()).hexdigest()


def address_key(username: str, address: str) -> str:
    """The counter of ``username`` from ``address`` (neither contains a space)."""
    return f"{address} {_name(username)}"


def username_key(username: str) -> str:
    """The counter of ``username`` over every address."""
    return f"* {_name(username)}"


def _read(key: str) -> LoginFailureModel | None:
    with store_access():
        try:
            return LoginFailureModel.get(key)
        except LoginFailureModel.DoesNotExist:
            return None


def _live_failures(item: LoginFailureModel | None, now: float) -> tuple[int, float]:
    """(failures, window end) of ``item``'s current window; (0, now) when none is open."""
    if item is None:
        return 0, now
    window_end = float(item.window_start) + get_settings().login_window_seconds
    if now >= window_end:
        return 0, now
    return int(item.failures), window_end


def address_limit(username: str) -> int:
    """Attempts each address has per window: the setting, or one past the username's ceiling."""
    limit = get_settings().login_max_failures
    failures, _ = _live_failures(_read(username_key(username)), time.time())
    return 1 if failures >= limit * CEILING_FACTOR else limit


def _refusal(item: LoginFailureModel | None, now: float) -> TooManyAttempts:
    # Each refused login counts: the stack's lock-out alarm reads this rate.
    metrics.count("LoginLockouts")
    _, window_end = _live_failures(item, now)
    return TooManyAttempts(max(1, math.ceil(window_end - now)))


def _count(key: str, now: int, limit: int | None) -> bool:
    """Add one to ``key``'s window (below ``limit`` when given), or open a window at one.

    False when the window is open and at ``limit``. A single conditional write decides.
    """
    window = get_settings().login_window_seconds
    in_window = LoginFailureModel.window_start > now - window
    condition = in_window if limit is None else in_window & (LoginFailureModel.failures < limit)
    counted = LoginFailureModel(key)
    for _ in range(_ATTEMPTS):
        if update_if(counted, [LoginFailureModel.failures.add(1)], condition):
            return True
        fresh = LoginFailureModel(
            key,
            failures=1,
            window_start=now,
            expires_at=datetime.fromtimestamp(now + window, UTC),
        )
        stale = LoginFailureModel.username.does_not_exist() | (
            LoginFailureModel.window_start <= now - window
        )
        if save_if(fresh, stale):
            return True
        # Either the window is open and at the limit, or another process just opened it.
        item = _read(key)
        if limit is not None and _live_failures(item, now)[0] >= limit:
            return False
    return False


def admit(username: str, address: str) -> None:
    """Count one login attempt of ``username`` from ``address``; at the limit
    ``TooManyAttempts`` instead (nothing counted)."""
    now = int(time.time())
    key = address_key(username, address)
    if not _count(key, now, address_limit(username)):
        raise _refusal(_read(key), time.time())


def ensure_not_locked(username: str, address: str) -> None:
    """``TooManyAttempts`` while ``username`` is locked out at ``address`` (nothing counted).

    For a password already verified in this process: it is no guess, but a locked-out address
    must not learn that it was right.
    """
    now = time.time()
    item = _read(address_key(username, address))
    failures, _ = _live_failures(item, now)
    if failures >= address_limit(username):
        raise _refusal(item, now)


def record_failure(username: str) -> None:
    """Count one wrong password for ``username`` over every address (the ceiling's counter)."""
    _count(username_key(username), int(time.time()), None)


def reset(username: str, address: str) -> None:
    """Forget the attempts of ``username`` from ``address`` (after a successful login)."""
    with store_access():
        LoginFailureModel(address_key(username, address)).delete()
