"""MaDDash's JSON for events (maintenance windows), beside the routes that send it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalicelib.dialects.maddash.window_items import Window


def event_uri(window_id: int) -> str:
    return f"/maddash/events/{window_id}"


def admin_event_uri(window_id: int) -> str:
    """The URI ``POST /maddash/admin/events`` answers, as MaDDash's code builds it."""
    return f"/maddash/admin/events/{window_id}"


def window_to_wire(window: Window, *, with_checks: bool = False) -> dict[str, Any]:
    """``{uri, name, description, startTime, endTime, changeStatus}`` (+ ``checks`` and
    ``checkFilters``), plus this service's extensions only when a window uses them."""
    wire: dict[str, Any] = {
        "uri": event_uri(window.id),
        "name": window.name,
        "description": window.description,
        "startTime": window.timing.start_time,
        "endTime": window.timing.end_time,
        "changeStatus": window.change_status,
    }
    if window.cover_new_checks:
        wire["coverNewChecks"] = True
    if window.timing.recurring:
        wire["recurrence"] = {
            "cron": window.timing.cron,
            "timeZone": window.timing.time_zone,
            "duration": window.timing.duration,
        }
    if with_checks:
        wire["checks"] = [ref.uri for ref in window.refs]
        # Beyond MaDDash: the filters as saved (lists), so a client can edit the window.
        wire["checkFilters"] = {key: list(values) for key, values in window.filters.items()}
    return wire
