"""A MaDDash window as a value, and its item in the ``maintenance`` table.

``Window`` is what core and the dialect pass around; ``to_item``/``from_item`` map it to the
stored item; ``definition_actions`` is the update a request may make (never the scheduler's
applied state). Times are UNIX seconds; ``epoch``/``from_epoch`` convert the store's naive UTC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chalicelib.core.maintenance import timing_of
from chalicelib.core.recurrence import Timing
from chalicelib.dialects.maddash.checks import CheckRef, Filters
from chalicelib.errors import NotFound
from chalicelib.store.maintenance import WINDOWS_PK, MaintenanceModel, window_sk


class WindowNotFound(NotFound):
    """No MaDDash event with that id (MaDDash's text)."""

    def __init__(self, window_id: Any = None) -> None:
        self.window_id = window_id
        super().__init__("Event resource not found")


@dataclass
class Window:
    id: int
    name: str
    description: str
    timing: Timing
    change_status: bool
    cover_new_checks: bool
    filters: Filters
    checks: list[str]
    created_by: str | None = None
    deleted: bool = False
    planned_start: str | None = None
    planned_end: str | None = None
    applied_token: str | None = None
    applied_checks: list[str] = field(default_factory=list)

    @property
    def refs(self) -> list[CheckRef]:
        return [CheckRef.from_ref(ref) for ref in self.checks]


def epoch(moment: datetime) -> int:
    """Naive UTC (the store's time) as UNIX seconds."""
    return int(moment.replace(tzinfo=UTC).timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def from_item(item: MaintenanceModel) -> Window:
    return Window(
        id=int(item.window_id),
        name=item.name or "",
        description=item.description or "",
        timing=timing_of(item),
        change_status=bool(item.change_status),
        cover_new_checks=bool(item.cover_new_checks),
        filters={k: tuple(v) for k, v in json.loads(item.filters or "{}").items()},
        checks=list(item.checks or []),
        created_by=item.created_by,
        deleted=bool(item.deleted),
        planned_start=item.planned_start,
        planned_end=item.planned_end,
        applied_token=item.applied_token,
        applied_checks=list(item.applied_checks or []),
    )


def timing_attributes(timing: Timing) -> dict[str, Any]:
    return {
        "start_time": timing.start_time,
        "end_time": timing.end_time,
        "cron": timing.cron,
        "time_zone": timing.time_zone,
        "duration": timing.duration,
    }


def to_item(window: Window) -> MaintenanceModel:
    return MaintenanceModel(
        WINDOWS_PK,
        window_sk(window.id),
        window_id=window.id,
        name=window.name,
        description=window.description,
        change_status=window.change_status,
        cover_new_checks=window.cover_new_checks,
        filters=json.dumps({k: list(v) for k, v in window.filters.items()}, sort_keys=True),
        checks=window.checks,
        created_by=window.created_by,
        deleted=window.deleted or None,
        planned_start=window.planned_start,
        planned_end=window.planned_end,
        applied_token=window.applied_token,
        applied_checks=window.applied_checks or None,
        **timing_attributes(window.timing),
    )


def definition_actions(window: Window) -> list[Any]:
    """Set what a request may change; what the scheduler applied is never written here, so a
    tick running at the same moment keeps its record of the checks it holds."""
    item = to_item(window)
    actions = []
    for attribute in (
        MaintenanceModel.name,
        MaintenanceModel.description,
        MaintenanceModel.change_status,
        MaintenanceModel.cover_new_checks,
        MaintenanceModel.filters,
        MaintenanceModel.checks,
        MaintenanceModel.start_time,
        MaintenanceModel.end_time,
        MaintenanceModel.cron,
        MaintenanceModel.time_zone,
        MaintenanceModel.duration,
        MaintenanceModel.planned_start,
        MaintenanceModel.planned_end,
    ):
        value = getattr(item, attribute.attr_name)
        actions.append(attribute.remove() if value is None else attribute.set(value))
    return actions
