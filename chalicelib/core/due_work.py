"""Planned work by due time: plan it, cancel it, claim what is due, finish or retry it.

Every dialect's timed work goes through here (see ``store/due_work.py`` for the index):

1. ``plan_work(kind, key, due_at, payload)`` writes one item; planning the same
   (kind, key, due_at) again overwrites it, so re-planning is idempotent.
2. A tick asks ``due_work(now)``: one Query per shard, reading only items due by ``now``.
3. ``claim(work, lease_seconds)`` takes an item with a conditional write (no lease, or an
   expired one), so two overlapping ticks never run one item twice.
4. ``finish(work, next_due=...)`` deletes it and, for recurring work, plans the next
   occurrence in the same transaction; ``retry(work, at, error)`` moves it to a later due time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from chalicelib.core.event_items import time_shard_of
from chalicelib.core.model import format_stored_time, utcnow
from chalicelib.errors import ValidationFailed
from chalicelib.settings import get_settings
from chalicelib.store.access import store_access, update_if
from chalicelib.store.due_work import DueWorkModel

__all__ = [
    "DueWork",
    "cancel_work",
    "claim",
    "due_work",
    "finish",
    "plan_work",
    "planned_work",
    "retry",
]

# '$' sorts right after '#': every key "<T>#..." is below "<T>$", every later time above it.
_AFTER_TIME = "$"


@dataclass(frozen=True)
class DueWork:
    """One planned piece of work, as the job that runs it sees it."""

    kind: str
    key: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0
    last_error: str | None = None


def _shard(kind: str, key: str) -> str:
    return f"due#{time_shard_of(f'{kind}#{key}', get_settings().due_work_shards)}"


def _due_key(kind: str, key: str, due_at: datetime) -> str:
    return f"{format_stored_time(due_at)}#{kind}#{key}"


def _check_names(kind: str, key: str) -> None:
    if not kind or "#" in kind:
        raise ValidationFailed("due work needs a kind without '#'", field="kind")
    if not key:
        raise ValidationFailed("due work needs a key", field="key")


def _item(work: DueWork) -> DueWorkModel:
    return DueWorkModel(
        _shard(work.kind, work.key),
        _due_key(work.kind, work.key, work.due_at),
        kind=work.kind,
        key=work.key,
        due_at=format_stored_time(work.due_at),
        payload=json.dumps(work.payload, separators=(",", ":"), sort_keys=True),
        attempts=work.attempts,
        last_error=work.last_error,
    )


def _from_item(item: DueWorkModel) -> DueWork:
    return DueWork(
        kind=item.kind,
        key=item.key,
        due_at=datetime.fromisoformat(item.due_at),
        payload=json.loads(item.payload or "{}"),
        attempts=int(item.attempts or 0),
        last_error=item.last_error,
    )


def plan_work(
    kind: str, key: str, due_at: datetime, payload: dict[str, Any] | None = None
) -> DueWork:
    """Plan ``kind`` work named ``key`` for ``due_at`` (naive UTC); returns it."""
    _check_names(kind, key)
    work = DueWork(kind=kind, key=key, due_at=due_at, payload=dict(payload or {}))
    with store_access():
        _item(work).save()
    return work


def cancel_work(kind: str, key: str, due_at: datetime) -> None:
    """Forget planned work (nothing happens when it is not planned)."""
    with store_access():
        DueWorkModel(_shard(kind, key), _due_key(kind, key, due_at)).delete()


def planned_work(kind: str, key: str, due_at: datetime) -> DueWork | None:
    """The planned item, or None (for tests and for dialects that show what is planned)."""
    with store_access():
        try:
            return _from_item(DueWorkModel.get(_shard(kind, key), _due_key(kind, key, due_at)))
        except DoesNotExist:
            return None


def due_work(now: datetime | None = None) -> Iterator[DueWork]:
    """Work due by ``now``, oldest first within each shard; reads nothing planned later."""
    moment = format_stored_time(now or utcnow())
    shards = get_settings().due_work_shards
    for shard in range(shards):
        with store_access():
            items = list(
                DueWorkModel.query(f"due#{shard}", DueWorkModel.due_key < moment + _AFTER_TIME)
            )
        for item in items:
            yield _from_item(item)


def claim(work: DueWork, lease_seconds: float) -> bool:
    """Take ``work`` for ``lease_seconds`` (wall clock); False when another tick holds it."""
    now = utcnow()
    item = DueWorkModel(_shard(work.kind, work.key), _due_key(work.kind, work.key, work.due_at))
    free = DueWorkModel.lease_until.does_not_exist() | (
        DueWorkModel.lease_until < format_stored_time(now)
    )
    until = format_stored_time(now + timedelta(seconds=max(1.0, lease_seconds)))
    return update_if(
        item,
        [DueWorkModel.lease_until.set(until)],
        DueWorkModel.shard.exists() & free,
    )


def finish(work: DueWork, next_due: datetime | None = None, payload: dict | None = None) -> None:
    """Work done: delete it; with ``next_due``, plan its next occurrence atomically."""
    old = _item(work)
    with (
        store_access(),
        TransactWrite(connection=DueWorkModel._get_connection().connection) as tx,
    ):
        tx.delete(old)
        if next_due is not None:
            following = DueWork(
                kind=work.kind,
                key=work.key,
                due_at=next_due,
                payload=work.payload if payload is None else payload,
            )
            if _due_key(work.kind, work.key, next_due) != old.due_key:
                tx.save(_item(following))


def retry(work: DueWork, at: datetime, error: str) -> DueWork:
    """The attempt failed: move the work to ``at`` with one more attempt and its error."""
    again = DueWork(
        kind=work.kind,
        key=work.key,
        due_at=at,
        payload=work.payload,
        attempts=work.attempts + 1,
        last_error=error[:1000],
    )
    if _due_key(work.kind, work.key, at) == _due_key(work.kind, work.key, work.due_at):
        with store_access():
            _item(again).save()  # same key: the save replaces the claimed item and its lease
        return again
    with (
        store_access(),
        TransactWrite(connection=DueWorkModel._get_connection().connection) as tx,
    ):
        tx.delete(_item(work))
        tx.save(_item(again))
    return again
