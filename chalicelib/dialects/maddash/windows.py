"""MaDDash maintenance windows ("events"): create, read, edit, delete, and "under maintenance?".

A window covers the checks its ``checkFilters`` matched when it was saved (plus, with
``coverNewChecks``, checks a later configuration adds). Saving one:

1. validates in MaDDash's order: filters, then the matching active checks (none → refused),
   then the other fields;
2. takes its id from an atomic counter and writes the window item;
3. writes one target item per covered node (row or column) and check name, so
   ``is_under_maintenance`` is a Query on that target's partition, never a scan;
4. plans its next start and end as due work (``maddash.window.start``/``.end``, keyed by the
   id). An edit or a delete cancels what was planned, changes only the definition (or marks
   the window deleted), never what the scheduler applied, and plans a ``maddash.window.sync``
   due now: the next tick lifts or moves what it holds, and removes a deleted window.
The scheduler's job (``dialects/maddash/window_apply.py``) applies what is planned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.core import due_work
from chalicelib.core.model import format_stored_time, utcnow
from chalicelib.core.recurrence import (
    NEVER,
    Timing,
    next_end,
    next_start,
    occurrence_at,
    parse_recurrence,
)
from chalicelib.dialects.maddash.checks import CheckRef, Filters, matches, parse_filters
from chalicelib.dialects.maddash.grids import active_checks
from chalicelib.dialects.maddash.window_items import (
    Window,
    WindowNotFound,
    definition_actions,
    epoch,
    from_epoch,
    from_item,
    timing_attributes,
    to_item,
)
from chalicelib.errors import ValidationFailed
from chalicelib.settings import get_settings
from chalicelib.store.access import store_access, update_if
from chalicelib.store.maintenance import (
    WINDOWS_PK,
    MaintenanceModel,
    check_pk,
    node_pk,
    window_sk,
)
from chalicelib.store.meta import next_sequence_value

START, END, SYNC = "maddash.window.start", "maddash.window.end", "maddash.window.sync"
SEQUENCE = "maddash_window"
MAX_TEXT = 2000
# A window keeps its check refs in its own item (DynamoDB items hold 400 KB).
MAX_CHECKS = 2000
PAGE_SIZE = 100  # windows per Query page of a listing


# ---------------------------------------------------------------- validation


def _text(body: Mapping[str, Any], name: str) -> str:
    if name not in body:
        raise ValidationFailed(f"Missing required field {name}", field=name)
    value = body[name]
    if value is None:
        raise ValidationFailed(f"Field {name} cannot be null", field=name)
    if not isinstance(value, str):
        raise ValidationFailed(f"Field {name} must be a string", field=name)
    if len(value) > MAX_TEXT:
        raise ValidationFailed(f"Field {name} is longer than {MAX_TEXT} characters", field=name)
    return value


def whole_seconds(body: Mapping[str, Any], name: str, *, required: bool) -> int | None:
    """A time field as MaDDash reads it (``longValueExact``): an integer or a whole float
    (``1700000000.0``); ``None`` for an optional field that is absent or null."""
    if name not in body:
        if required:
            raise ValidationFailed(f"Missing required field {name}", field=name)
        return None
    value = body[name]
    if value is None:
        if required:
            raise ValidationFailed(f"Field {name} cannot be null", field=name)
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not -(2**63) <= value < 2**63:
        raise ValidationFailed(f"Field {name} must be an integer (UNIX seconds)", field=name)
    return value


def _flag(body: Mapping[str, Any], name: str) -> bool:
    value = body.get(name)
    if value is not None and not isinstance(value, bool):
        raise ValidationFailed(f"Field {name} must be a boolean", field=name)
    return bool(value)


def covered_checks(filters: Filters, candidates: Iterable[CheckRef] | None = None) -> list[str]:
    """Refs of the active checks ``filters`` match, sorted."""
    grids = list(filters["gridName"]) if "gridName" in filters else None
    pool = active_checks(grids) if candidates is None else candidates
    return sorted({ref.ref for ref in pool if matches(ref, filters)})


def validate_window(body: Any) -> Window:
    """A window (id 0) from a request body, checked in MaDDash's order."""
    if not isinstance(body, Mapping):
        raise ValidationFailed("a JSON object is required", field="body")
    filters = parse_filters(body)
    checks = covered_checks(filters)
    if not checks:
        raise ValidationFailed("No checks matched search filter. Event was not created.")
    if len(checks) > MAX_CHECKS:
        raise ValidationFailed(f"A window covers at most {MAX_CHECKS} checks", field="checkFilters")
    name, description = _text(body, "name"), _text(body, "description")
    start = whole_seconds(body, "startTime", required=True)
    assert start is not None  # required=True: whole_seconds raised otherwise
    if start < 0:
        raise ValidationFailed("Field startTime must not be negative", field="startTime")
    # MaDDash stores -1 for "never ends" and expires only an endTime above 0; an endTime at
    # or before startTime is kept as sent: such a window never marks a check down.
    end = whole_seconds(body, "endTime", required=False)
    if end is not None and end <= 0:
        end = None
    recurrence = parse_recurrence(body.get("recurrence"))
    cron, zone, duration = recurrence or (None, None, None)
    return Window(
        id=0,
        name=name,
        description=description,
        timing=Timing(start, NEVER if end is None else end, cron, zone, duration),
        change_status=_flag(body, "changeStatus"),
        cover_new_checks=_flag(body, "coverNewChecks"),
        filters=filters,
        checks=checks,
    )


# ---------------------------------------------------------------- targets and planning


def _target_keys(window: Window) -> list[str]:
    refs = window.refs
    nodes = {ref.row for ref in refs} | {ref.col for ref in refs}
    return [node_pk(n) for n in sorted(nodes)] + [
        check_pk(c) for c in sorted({ref.check for ref in refs})
    ]


def _write_targets(window: Window) -> None:
    with store_access(), MaintenanceModel.batch_write() as batch:
        for pk in _target_keys(window):
            batch.save(
                MaintenanceModel(
                    pk,
                    window_sk(window.id),
                    window_id=window.id,
                    **timing_attributes(window.timing),
                )
            )


def delete_targets(window: Window) -> None:
    with store_access(), MaintenanceModel.batch_write() as batch:
        for pk in _target_keys(window):
            batch.delete(MaintenanceModel(pk, window_sk(window.id)))


def _cancel_plans(window: Window) -> None:
    for kind, planned in ((START, window.planned_start), (END, window.planned_end)):
        if planned:
            due_work.cancel_work(kind, str(window.id), datetime.fromisoformat(planned))


def _plan_times(window: Window, now: int) -> tuple[int | None, int | None]:
    """Note on ``window`` when its next start and end are due (stored time text)."""
    occurrence = occurrence_at(window.timing, now)
    start = occurrence[0] if occurrence else next_start(window.timing, now)
    end = next_end(window.timing, now)
    window.planned_start = None if start is None else format_stored_time(from_epoch(start))
    window.planned_end = None if end is None else format_stored_time(from_epoch(end))
    return start, end


def _plan(window: Window, now: int) -> None:
    """Plan what ``_plan_times`` noted (after the window item is saved, so a tick finds it);
    a window already applied, or with nothing left to plan, gets a sync due now."""
    key = str(window.id)
    for kind, planned in ((START, window.planned_start), (END, window.planned_end)):
        if planned:
            due_work.plan_work(kind, key, datetime.fromisoformat(planned))
    if window.applied_token or not (window.planned_start or window.planned_end):
        due_work.plan_work(SYNC, key, from_epoch(now))


# ---------------------------------------------------------------- operations


def create_window(body: Any, created_by: str | None = None, now: datetime | None = None) -> Window:
    """Validate and store a new window; its start and end are planned."""
    window = validate_window(body)
    window.id = next_sequence_value(SEQUENCE)
    window.created_by = created_by
    moment = epoch(now or utcnow())
    _plan_times(window, moment)
    _write_targets(window)
    with store_access():
        to_item(window).save()
    _plan(window, moment)
    return window


def load_window(window_id: Any, *, include_deleted: bool = False) -> Window:
    """The stored window; ``WindowNotFound`` for an unknown, non-integer or deleted id."""
    try:
        number = int(str(window_id))
    except ValueError:
        raise WindowNotFound(window_id) from None
    if number <= 0:
        raise WindowNotFound(window_id)
    with store_access():
        try:
            item = MaintenanceModel.get(WINDOWS_PK, window_sk(number), consistent_read=True)
        except MaintenanceModel.DoesNotExist:
            raise WindowNotFound(window_id) from None
    window = from_item(item)
    if window.deleted and not include_deleted:
        raise WindowNotFound(window_id)
    return window


_LIVE = MaintenanceModel.pk.exists() & MaintenanceModel.deleted.does_not_exist()


def update_window(window_id: Any, body: Any, now: datetime | None = None) -> Window:
    """Replace a window's definition (``PUT``); the next tick re-applies it."""
    old = load_window(window_id)
    window = validate_window(body)
    window.id, window.created_by = old.id, old.created_by
    window.applied_token, window.applied_checks = old.applied_token, old.applied_checks
    _cancel_plans(old)
    delete_targets(old)
    moment = epoch(now or utcnow())
    _plan_times(window, moment)
    _write_targets(window)
    if not update_if(to_item(window), definition_actions(window), _LIVE):
        raise WindowNotFound(window_id)  # deleted meanwhile
    _plan(window, moment)
    due_work.plan_work(SYNC, str(window.id), from_epoch(moment))
    return window


def delete_window(window_id: Any, now: datetime | None = None) -> Window:
    """Delete a window: hidden at once; the next tick lifts what it applied and removes it."""
    window = load_window(window_id)
    _cancel_plans(window)
    delete_targets(window)
    hidden = update_if(
        to_item(window),
        [
            MaintenanceModel.deleted.set(True),
            MaintenanceModel.planned_start.remove(),
            MaintenanceModel.planned_end.remove(),
        ],
        _LIVE,
    )
    if not hidden:
        raise WindowNotFound(window_id)
    due_work.plan_work(SYNC, str(window.id), now or utcnow())
    return window


def list_windows(now: datetime | None = None) -> list[Window]:
    """Every window not deleted and not expired (one Query), by id."""
    moment = epoch(now or utcnow())
    with store_access():
        items = list(MaintenanceModel.query(WINDOWS_PK))
    windows = [from_item(item) for item in items if not item.deleted]
    return [w for w in windows if _live(w, moment)]


def _live(window: Window, moment: int) -> bool:
    """On now, or starting later: what MaDDash still lists (its calendar deletes the rest, and
    deletes a window that ends at or before its start once that end has passed)."""
    timing = window.timing
    if not timing.recurring and timing.end_time != NEVER and timing.end_time <= timing.start_time:
        return moment < timing.end_time
    return occurrence_at(timing, moment) is not None or next_start(timing, moment) is not None


@dataclass
class WindowPage:
    """One answer of ``GET /maddash/events``: the matching windows, and the id to continue
    after when the read budget ended the listing (None: nothing is left)."""

    windows: list[Window]
    marker: int | None = None


def windows_matching(
    filters: Filters,
    now: datetime | None = None,
    *,
    after: int = 0,
    read_budget: int | None = None,
) -> WindowPage:
    """``GET /maddash/events``: windows with at least one check matching every filter key.

    Reads windows in id order after ``after``, at most ``read_budget`` items (the setting
    ``read_budget`` by default), matched or not: a filter that matches nothing costs no more
    than the budget, and the page names the id to continue after.
    """
    budget = get_settings().read_budget if read_budget is None else read_budget
    moment = epoch(now or utcnow())
    with store_access():
        results = MaintenanceModel.query(
            WINDOWS_PK,
            MaintenanceModel.sk > window_sk(after),
            limit=budget,
            page_size=min(budget, PAGE_SIZE),
        )
        items = list(results)
        more = results.last_evaluated_key is not None and len(items) >= budget
    found = []
    for item in items:
        if item.deleted:
            continue
        window = from_item(item)
        if not _live(window, moment):
            continue
        if not filters or any(matches(ref, filters) for ref in window.refs):
            found.append(window)
    return WindowPage(found, int(items[-1].window_id) if more and items else None)


def cover_new_checks(now: datetime | None = None) -> int:
    """After a configuration load: ``coverNewChecks`` windows take the new matching checks."""
    moment = now or utcnow()
    candidates = list(active_checks())
    grown = 0
    for window in list_windows(moment):
        if not window.cover_new_checks:
            continue
        added = set(covered_checks(window.filters, candidates)) - set(window.checks)
        if not added:
            continue
        window.checks = sorted(set(window.checks) | added)
        _write_targets(window)
        with store_access():
            to_item(window).update(actions=[MaintenanceModel.checks.set(window.checks)])
        due_work.plan_work(SYNC, str(window.id), moment)
        grown += 1
    return grown
