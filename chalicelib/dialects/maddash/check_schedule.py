"""``POST /maddash/admin/schedule``: MaDDash's "Reschedule checks" (``updateSchedule``).

Sets ``nextCheckTime`` on every check the ``checkFilters`` match, active or not (MaDDash's
``UPDATE checks SET nextCheckTime=?`` filters on the names only). Results are pushed to this
service, so nothing here runs a check: the agent that pushes them reads ``nextCheckTime`` from
the check's detail (``GET /maddash/grids/...``) and runs the check then; its next result clears
the time again (the interval applies). One Query per grid, one conditional update per match.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.dialects.maddash.checks import matches, parse_filters
from chalicelib.dialects.maddash.grids import check_items, check_ref, grid_items
from chalicelib.dialects.maddash.windows import whole_seconds
from chalicelib.errors import ValidationFailed
from chalicelib.store.access import update_if
from chalicelib.store.maddash import MaddashModel


def reschedule(body: Any) -> dict[str, Any]:
    """Set the matched checks' next check time; MaDDash's answer ``{status,
    checkUpdateCount, message}`` (status -1 when nothing matched)."""
    if not isinstance(body, Mapping):
        raise ValidationFailed("a JSON object is required", field="body")
    filters = parse_filters(body)
    # Required but nullable, as MaDDash's checkLongField(..., true, true): null is -1.
    if "nextCheckTime" not in body:
        raise ValidationFailed("Missing required field nextCheckTime", field="nextCheckTime")
    next_time = whole_seconds(body, "nextCheckTime", required=False)
    next_time = -1 if next_time is None else next_time
    grids = filters.get("gridName")
    count = 0
    for grid in grid_items():
        if grids is not None and grid.sk not in grids:
            continue
        for item in check_items(grid.sk):
            if matches(check_ref(item), filters) and update_if(
                item,
                [MaddashModel.next_check_time.set(next_time)],
                MaddashModel.pk.exists(),
            ):
                count += 1
    if not count:
        return {"status": -1, "checkUpdateCount": 0, "message": "No checks matched request"}
    return {
        "status": 0,
        "checkUpdateCount": count,
        "message": f"Successfully updated {count} checks.",
    }
