"""What the engine's ``in_maintenance`` condition reads: is a node or check covered now?

MaDDash's windows (``dialects/maddash/windows.py``) write one target item per covered node
and check name into the ``maintenance`` table; this module only reads them, so the engine
never imports a dialect.
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.core.model import utcnow
from chalicelib.core.recurrence import NEVER, Timing, occurrence_at
from chalicelib.store.access import store_access
from chalicelib.store.maintenance import MaintenanceModel, check_pk, node_pk

__all__ = ["is_under_maintenance", "timing_of"]


def timing_of(item: MaintenanceModel) -> Timing:
    """The stored timing of a window (or of one of its target items)."""
    return Timing(
        start_time=int(item.start_time),
        end_time=int(item.end_time if item.end_time is not None else NEVER),
        cron=item.cron,
        time_zone=item.time_zone,
        duration=int(item.duration) if item.duration is not None else None,
    )


def _covering(pk: str, at: int) -> bool:
    with store_access():
        targets = list(MaintenanceModel.query(pk))
    return any(occurrence_at(timing_of(target), at) is not None for target in targets)


def is_under_maintenance(
    node: str | None = None, check: str | None = None, at: datetime | None = None
) -> bool:
    """True when a window covering ``node`` (a row or column) or ``check`` (a check name) is
    on at ``at`` (now by default): one Query per name given."""
    moment = int((at or utcnow()).replace(tzinfo=UTC).timestamp())
    return bool(
        (node and _covering(node_pk(node), moment))
        or (check and _covering(check_pk(check), moment))
    )
