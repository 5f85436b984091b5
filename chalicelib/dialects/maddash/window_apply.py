"""The scheduler's MaDDash job: bring one window's checks in line with the time.

``apply_window`` runs for every due ``maddash.window.start``/``.end``/``.sync`` item of a
window; it is idempotent, so a late, repeated or stale item does no harm:

1. read the window (strongly consistent); gone → nothing to do;
2. decide the occurrence that covers ``now`` (none when deleted or off) and its token
   ``<id>@<occurrence start>``;
3. an applied occurrence that is no longer the current one is lifted: its token leaves the
   checks' maintenance sets (a check shows MAINTENANCE while its set is not empty, so
   overlapping windows hold it until the last one ends), then the window's applied state is
   cleared with a conditional write; the tick whose write succeeds records
   ``maddash.maintenance.end``;
4. the current occurrence is applied the same way (``changeStatus`` windows add their token
   to their checks) and recorded as ``maddash.maintenance.start``; event ids are derived from
   the token, so even a retried job stores each event once;
5. an expired or deleted window is removed with its targets; otherwise, when the item is the
   window's current plan, the next start (or end) of a recurring window is returned.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.core import events
from chalicelib.core.model import Trait, build_event, format_stored_time
from chalicelib.core.recurrence import is_over, next_end, next_start, occurrence_at
from chalicelib.dialects.maddash.checks import CheckRef, encode_name
from chalicelib.dialects.maddash.window_items import (
    Window,
    WindowNotFound,
    epoch,
    from_epoch,
    to_item,
)
from chalicelib.dialects.maddash.windows import END, START, delete_targets, load_window
from chalicelib.store.access import store_access, update_if
from chalicelib.store.maddash import MaddashModel, cells_pk
from chalicelib.store.maintenance import MaintenanceModel

START_EVENT, END_EVENT = "maddash.maintenance.start", "maddash.maintenance.end"

if TYPE_CHECKING:
    from pynamodb.expressions.update import Action


def _hold(refs: Iterable[str], token: str, *, add: bool) -> None:
    """Add ``token`` to (or take it from) each check's maintenance set."""
    for text in sorted(refs):
        ref = CheckRef.from_ref(text)
        item = MaddashModel(cells_pk(encode_name(ref.grid)), ref.cell_key)
        tokens = {token}
        action = (
            MaddashModel.maintenance.add(tokens) if add else MaddashModel.maintenance.delete(tokens)
        )
        update_if(item, [action], MaddashModel.pk.exists())  # a check never configured: skip


def _mark_applied(
    window: Window, expected: str | None, token: str | None, checks: list[str]
) -> bool:
    """Record what is applied, if nobody changed it since ``expected`` was read."""
    item = to_item(window)
    was = (
        MaintenanceModel.applied_token.does_not_exist()
        if expected is None
        else MaintenanceModel.applied_token == expected
    )
    actions: list[Action] = (
        [MaintenanceModel.applied_token.set(token)]
        if token
        else [MaintenanceModel.applied_token.remove()]
    )
    actions.append(
        MaintenanceModel.applied_checks.set(checks)
        if checks
        else MaintenanceModel.applied_checks.remove()
    )
    return update_if(item, actions, MaintenanceModel.pk.exists() & was)


def _record(event_type: str, window: Window, token: str, checks: list[str], now: datetime) -> None:
    refs = [CheckRef.from_ref(ref) for ref in checks]
    occurrence = int(token.rsplit("@", 1)[1])
    phase = "start" if event_type == START_EVENT else "end"
    traits = [
        Trait("window_id", "integer", window.id),
        Trait("window_uri", "string", f"/maddash/events/{window.id}"),
        Trait("name", "string", window.name),
        Trait("description", "string", window.description),
        Trait("change_status", "string", str(window.change_status)),
        Trait("occurrence_start", "datetime", from_epoch(occurrence)),
        Trait("checks", "string", json.dumps([ref.uri for ref in refs])),
        Trait("nodes", "string", ",".join(sorted({r.row for r in refs} | {r.col for r in refs}))),
        Trait("check_names", "string", ",".join(sorted({ref.check for ref in refs}))),
    ]
    events.record_event(
        build_event(
            event_type=event_type,
            message_id=f"maddash-window-{window.id}-{phase}-{occurrence}",
            generated=now,
            traits=traits,
            raw={"window": window.id, "token": token, "checks": [ref.uri for ref in refs]},
            source="maddash",
        )
    )


def _lift(window: Window, now: datetime) -> None:
    token = window.applied_token
    if token is None:
        return
    _hold(window.applied_checks, token, add=False)
    if _mark_applied(window, token, None, []):
        _record(END_EVENT, window, token, window.checks, now)
    window.applied_token, window.applied_checks = None, []


def _apply(window: Window, token: str, now: datetime) -> None:
    desired = set(window.checks) if window.change_status else set()
    held = set(window.applied_checks)
    if window.applied_token == token:
        _hold(held - desired, token, add=False)
        _hold(desired - held, token, add=True)
        if held != desired:
            _mark_applied(window, token, token, sorted(desired))
    else:
        _hold(desired, token, add=True)
        if _mark_applied(window, None, token, sorted(desired)):
            _record(START_EVENT, window, token, window.checks, now)
    window.applied_token, window.applied_checks = token, sorted(desired)


def apply_window(kind: str, key: str, due_at: datetime, now: datetime) -> datetime | None:
    """Apply window ``key`` at ``now``; returns when this kind of work is next due, if ever."""
    try:
        window = load_window(key, include_deleted=True)
    except WindowNotFound:
        return None
    moment = epoch(now)
    occurrence = None if window.deleted else occurrence_at(window.timing, moment)
    token = f"{window.id}@{occurrence[0]}" if occurrence else None
    if window.applied_token != token:
        _lift(window, now)
    if token:
        _apply(window, token, now)
    if window.deleted or is_over(window.timing, moment):
        if not window.deleted:
            delete_targets(window)
        with store_access():
            to_item(window).delete(condition=MaintenanceModel.applied_token.does_not_exist())
        return None
    planned = format_stored_time(due_at)
    if kind == START and window.planned_start == planned:
        following = next_start(window.timing, moment)
        attribute = MaintenanceModel.planned_start
    elif kind == END and window.planned_end == planned:
        following = next_end(window.timing, moment)
        attribute = MaintenanceModel.planned_end
    else:
        return None
    if following is None:
        return None
    due = from_epoch(following)
    update_if(
        to_item(window), [attribute.set(format_stored_time(due))], MaintenanceModel.pk.exists()
    )
    return due
