"""Handler executions: the claim that makes each (event, handler) run once, and its history.

Stream delivery is at least once, so before a ``post`` handler acts on an event its execution
``f"{message_id}#{handler_id}"`` is claimed with a conditional write. A claim is ``running``
under a lease; when the lease has expired (the container that held it crashed) another
delivery may take it over. ``ok``, ``failed`` and ``skipped`` are final and never repeated.

The depth of the execution being run (so an event recorded because of it is one level deeper
and dispatch can stop handler loops) lives in ``core/depth``; its names are re-exported here.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.core import continuation
from chalicelib.core.depth import DEPTH_HEADER as DEPTH_HEADER
from chalicelib.core.depth import DEPTH_SIGNATURE_HEADER as DEPTH_SIGNATURE_HEADER
from chalicelib.core.depth import ORIGIN_HEADER as ORIGIN_HEADER
from chalicelib.core.depth import current_depth as current_depth
from chalicelib.core.depth import depth_from_headers as depth_from_headers
from chalicelib.core.depth import depth_headers as depth_headers
from chalicelib.core.depth import running_at_depth as running_at_depth
from chalicelib.core.model import Event, format_stored_time, utcnow
from chalicelib.core.read_budget import Budget, BudgetSpent, Merge, ShardReader, first_page_size
from chalicelib.errors import InvalidMarker, ValidationFailed
from chalicelib.settings import get_settings
from chalicelib.store.access import save_if, store_access, update_if
from chalicelib.store.executions import FINAL_STATUSES, STATUSES, ExecutionModel
from chalicelib.store.shards import shard_of

MAX_ERROR = 1000
MAX_LIMIT = 1000

# ---------------------------------------------------------------- claims


def execution_id(message_id: str, handler_id: int) -> str:
    return f"{message_id}#{handler_id}"


@dataclass(frozen=True)
class Claim:
    """A running execution this process owns until ``lease_until``."""

    execution_id: str
    token: str
    started_at: str
    started: float  # time.perf_counter() at the claim


@dataclass(frozen=True)
class ClaimOutcome:
    """``claimed`` (run it), ``done`` (final already: skip) or ``busy`` (another holds it)."""

    state: str
    claim: Claim | None = None


def _expires_at(now_epoch: float) -> Any:
    from datetime import UTC, datetime

    days = get_settings().execution_ttl_days
    return datetime.fromtimestamp(now_epoch, UTC) + timedelta(days=days)


def _new_item(handler: Any, event: Event, status: str, started_at: str) -> ExecutionModel:
    ident = execution_id(event.message_id, handler.id)
    return ExecutionModel(
        ident,
        message_id=event.message_id,
        handler_id=handler.id,
        handler_name=handler.name,
        event_type=event.event_type,
        handlermodule=handler.handlermodule,
        action=handler.action,
        status=status,
        attempts=0,
        started_at=started_at,
        started_key=f"{started_at}#{ident}",
        day=started_at[:10],
        day_key=day_key_of(started_at[:10], ident),
        handler_key=f"{handler.id}#{_shard(ident)}",
        expires_at=_expires_at(time.time()),
    )


def _shard(ident: str) -> int:
    return shard_of(ident, get_settings().type_shards)


def day_key_of(day: str, ident: str) -> str:
    """The ``by_day`` partition of an execution: its day and a write shard."""
    return f"{day}#{_shard(ident)}"


def _takeover_allowed(now_epoch: float):
    return ExecutionModel.execution_id.does_not_exist() | (
        (ExecutionModel.status == "running") & (ExecutionModel.lease_until < now_epoch)
    )


def claim_execution(handler: Any, event: Event, lease_seconds: float) -> ClaimOutcome:
    """Claim the execution of ``handler`` on ``event`` for ``lease_seconds``."""
    now_epoch = time.time()
    started_at = format_stored_time(utcnow())
    item = _new_item(handler, event, "running", started_at)
    item.claim_token = uuid.uuid4().hex
    item.lease_until = now_epoch + lease_seconds
    if not save_if(item, _takeover_allowed(now_epoch)):
        return ClaimOutcome(_state_of(item.execution_id))
    claim = Claim(item.execution_id, item.claim_token, started_at, time.perf_counter())
    return ClaimOutcome("claimed", claim)


def _state_of(ident: str) -> str:
    with store_access():
        try:
            stored = ExecutionModel.get(ident, consistent_read=True)
        except ExecutionModel.DoesNotExist:
            return "busy"  # it vanished (TTL) between the write and the read: try again later
    return "done" if stored.status in FINAL_STATUSES else "busy"


def record_skipped(handler: Any, event: Event, reason: str) -> str:
    """Record a final ``skipped`` execution in one write.

    Returns ``skipped``, or the state of the execution that already exists: ``done`` (final)
    or ``busy`` (claimed by another delivery).
    """
    now = format_stored_time(utcnow())
    item = _new_item(handler, event, "skipped", now)
    item.finished_at = now
    item.duration_ms = 0
    item.detail = reason[:MAX_ERROR]
    if not save_if(item, _takeover_allowed(time.time())):
        return _state_of(item.execution_id)
    return "skipped"


def finish_execution(
    claim: Claim,
    status: str,
    *,
    attempts: int,
    error: str | None = None,
    detail: Mapping[str, Any] | str | None = None,
) -> bool:
    """Make ``claim`` final with ``status``; False if another delivery took it over meanwhile."""
    if status not in FINAL_STATUSES:
        raise ValueError(f"not a final status: {status}")
    duration_ms = round((time.perf_counter() - claim.started) * 1000, 3)
    if detail is not None and not isinstance(detail, str):
        detail = json.dumps(detail, default=str, sort_keys=True)
    actions = [
        ExecutionModel.status.set(status),
        ExecutionModel.attempts.set(attempts),
        ExecutionModel.finished_at.set(format_stored_time(utcnow())),
        ExecutionModel.duration_ms.set(duration_ms),
        ExecutionModel.lease_until.remove(),
    ]
    if error:
        actions.append(ExecutionModel.error.set(error[:MAX_ERROR]))
    if detail:
        actions.append(ExecutionModel.detail.set(detail[:MAX_ERROR]))
    return update_if(
        ExecutionModel(claim.execution_id), actions, ExecutionModel.claim_token == claim.token
    )


def release_claim(claim: Claim) -> bool:
    """Give ``claim`` up unfinished (the invocation's deadline is near): its lease ends now, so
    the record's redelivery takes it over at once. False if it was no longer ours."""
    return update_if(
        ExecutionModel(claim.execution_id),
        [ExecutionModel.lease_until.set(0)],
        (ExecutionModel.claim_token == claim.token) & (ExecutionModel.status == "running"),
    )


# ---------------------------------------------------------------- history


def to_dict(item: ExecutionModel) -> dict[str, Any]:
    """One execution as the history shows it."""
    return {
        "execution_id": item.execution_id,
        "message_id": item.message_id,
        "event_type": item.event_type,
        "handler_id": int(item.handler_id),
        "handler_name": item.handler_name,
        "handlermodule": item.handlermodule,
        "action": item.action,
        "status": item.status,
        "attempts": int(item.attempts or 0),
        "started_at": item.started_at,
        "finished_at": item.finished_at,
        "duration_ms": item.duration_ms,
        "error": item.error,
        "detail": item.detail,
    }


def get_execution(message_id: str, handler_id: int) -> dict[str, Any] | None:
    """The execution of ``handler_id`` on event ``message_id``, or None."""
    with store_access():
        try:
            return to_dict(ExecutionModel.get(execution_id(message_id, handler_id)))
        except ExecutionModel.DoesNotExist:
            return None


def _filters(status: str | None, event_type: str | None, handler_id: int | None):
    condition = None
    for part in (
        ExecutionModel.status == status if status else None,
        ExecutionModel.event_type == event_type if event_type else None,
        ExecutionModel.handler_id == handler_id if handler_id is not None else None,
    ):
        if part is not None:
            condition = part if condition is None else condition & part
    return condition


@dataclass(frozen=True)
class ExecutionPage:
    """One page of the history; ``next_marker`` continues it (None: nothing more)."""

    executions: list[dict[str, Any]]
    next_marker: str | None = None
    items_read: int = 0


# Requests one page may send: a filter that matches nothing reads a few days' shards per page,
# never every shard of every day of the retention in one request.
REQUEST_BUDGET = 60
_SCOPE = "executions"


def list_executions(
    handler_id: int | None = None,
    status: str | None = None,
    event_type: str | None = None,
    message_id: str | None = None,
    limit: int = 100,
    marker: str | None = None,
) -> list[dict[str, Any]]:
    """The executions of ``list_executions_page`` (one page)."""
    return list_executions_page(
        handler_id, status, event_type, message_id, limit, marker
    ).executions


def list_executions_page(
    handler_id: int | None = None,
    status: str | None = None,
    event_type: str | None = None,
    message_id: str | None = None,
    limit: int = 100,
    marker: str | None = None,
) -> ExecutionPage:
    """Executions, newest first, at most ``limit``, after ``marker``.

    Reads the ``by_message`` index for an event, ``by_handler`` for a handler, otherwise
    ``by_day`` (every day shard, merged) from today back over the retention period; never a
    Scan. A page reads at most the read budget's items and ``REQUEST_BUDGET`` requests,
    matched or not; ended so, its ``next_marker`` continues right after the last item read
    (a sealed position). A full page's marker is its last execution id.
    """
    if status is not None and status not in STATUSES:
        raise ValidationFailed(
            f"status must be one of {', '.join(STATUSES)}, not {status!r}", field="status"
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit must be an integer from 1 to {MAX_LIMIT}", field="limit")
    budget = Budget(get_settings().read_budget, requests=REQUEST_BUDGET)
    scope = json.dumps([_SCOPE, handler_id, message_id])
    found: list[dict[str, Any]] = []
    with store_access():
        after = _marker_key(marker, scope) if marker else None
        filters = _filters(status, event_type, handler_id if message_id is not None else None)
        plans: Iterable[tuple[Any, list[str], str | None]]
        if message_id is not None:
            plans = [(ExecutionModel.by_message, [message_id], after)]
        elif handler_id is not None:
            keys = [f"{handler_id}#{shard}" for shard in _shards()]
            plans = [(ExecutionModel.by_handler, keys, after)]
        else:
            plans = _by_day(after)
        position = after
        merge: Merge | None = None
        try:
            for index, keys, before in plans:
                # Nothing of this partition set is read yet: a stop here resumes at its top.
                position = before if before is not None else position
                merge = _merge(index, keys, before, limit - len(found), filters, budget)
                for item in merge:
                    found.append(to_dict(item))
                    if len(found) >= limit:
                        return ExecutionPage(found, found[-1]["execution_id"], budget.read)
                position = None
        except BudgetSpent:
            resume = merge.resume_key if merge and merge.resume_key is not None else position
            if resume is None:
                return ExecutionPage(found, None, budget.read)
            return ExecutionPage(found, continuation.seal(resume, scope), budget.read)
    return ExecutionPage(found, None, budget.read)


def _marker_key(marker: str, scope: str) -> str:
    """The ``started_key`` a page continues below: a sealed position, or an execution id."""
    if continuation.is_sealed(marker):
        position = continuation.open_marker(marker, scope)
        if not isinstance(position, str):
            raise InvalidMarker(marker)
        return position
    try:
        return ExecutionModel.get(marker).started_key
    except ExecutionModel.DoesNotExist:
        raise InvalidMarker(marker) from None


def _merge(index, keys: list[str], before, wanted: int, filters, budget: Budget) -> Merge:
    first_page = first_page_size(wanted + 1, len(keys), budget)
    share = -(-wanted // len(keys))
    readers = [
        ShardReader(
            index.query(
                key,
                range_key_condition=ExecutionModel.started_key < before if before else None,
                filter_condition=filters,
                scan_index_forward=False,
            ),
            ExecutionModel,
            "started_key",
            first_page,
            share,
            budget,
        )
        for key in keys
    ]
    return Merge(readers, forward=False)


def _shards() -> range:
    return range(get_settings().type_shards)


def _by_day(after: str | None):
    """(index, the day's shard keys, upper bound) for each day, newest first."""
    today = utcnow().date()
    for back in range(get_settings().execution_ttl_days + 1):
        day = (today - timedelta(days=back)).isoformat()
        if after is not None and day > after[:10]:
            continue  # newer than the marker: already listed
        keys = [f"{day}#{shard}" for shard in _shards()]
        # Within the marker's day, below it; an earlier day from its top ('~' sorts above 'T').
        before = after if after and day == after[:10] else f"{day}~"
        yield ExecutionModel.by_day, keys, before
