"""When a maintenance window is on: one span, or a cron series in an IANA time zone.

Pure functions over ``Timing`` (UNIX seconds). A recurring window's occurrences start at the
fires of a 5-field cron expression evaluated in its time zone (croniter; wall-clock times, so
"Sunday 02:00 Europe/Berlin" stays 02:00 local across daylight-saving changes), not before
``start_time`` and not at or after ``end_time``; each lasts ``duration`` seconds, cut at
``end_time``. Without a cron expression the window is the one span [start, end).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.errors import ValidationFailed

NEVER = -1


@dataclass(frozen=True)
class Timing:
    start_time: int
    end_time: int = NEVER
    cron: str | None = None
    time_zone: str | None = None
    duration: int | None = None

    @property
    def recurring(self) -> bool:
        return self.cron is not None


def parse_recurrence(raw: Any) -> tuple[str, str, int] | None:
    """``{"cron": "0 2 * * 0", "timeZone": "Europe/Berlin", "duration": 7200}`` or None."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValidationFailed("recurrence must be an object", field="recurrence")
    cron, zone, duration = raw.get("cron"), raw.get("timeZone") or "UTC", raw.get("duration")
    from croniter import croniter  # loaded when a recurrence is used, not at cold start

    if not isinstance(cron, str) or len(cron.split()) != 5 or not croniter.is_valid(cron):
        raise ValidationFailed(
            "recurrence.cron must be a 5-field cron expression", field="recurrence"
        )
    try:
        ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(
            f"recurrence.timeZone is not an IANA time zone: {zone}", field="recurrence"
        ) from exc
    if isinstance(duration, bool) or not isinstance(duration, int) or duration <= 0:
        raise ValidationFailed(
            "recurrence.duration must be a positive number of seconds", field="recurrence"
        )
    return cron, str(zone), duration


def _fire_after(timing: Timing, moment: int) -> int:
    from croniter import croniter

    base = datetime.fromtimestamp(moment, ZoneInfo(timing.time_zone or "UTC"))
    return int(croniter(timing.cron, base).get_next(datetime).timestamp())


def _fire_at_or_before(timing: Timing, moment: int) -> int:
    from croniter import croniter

    base = datetime.fromtimestamp(moment + 1, ZoneInfo(timing.time_zone or "UTC"))
    return int(croniter(timing.cron, base).get_prev(datetime).timestamp())


def _cut(timing: Timing, end: int) -> int:
    return end if timing.end_time == NEVER else min(end, timing.end_time)


def _in_series(timing: Timing, start: int) -> bool:
    return start >= timing.start_time and (timing.end_time == NEVER or start < timing.end_time)


def occurrence_at(timing: Timing, at: int) -> tuple[int, int] | None:
    """The (start, end) of the occurrence covering ``at`` (end -1: never), or None."""
    if not timing.recurring:
        if timing.start_time <= at and (timing.end_time == NEVER or at < timing.end_time):
            return timing.start_time, timing.end_time
        return None
    if at < timing.start_time:
        return None
    # The latest fire ends last, so it covers ``at`` if any occurrence does.
    start = _fire_at_or_before(timing, at)
    if not _in_series(timing, start):
        return None
    end = _cut(timing, start + int(timing.duration or 0))
    return (start, end) if at < end else None


def next_start(timing: Timing, after: int) -> int | None:
    """The first occurrence start strictly after ``after``, or None."""
    if not timing.recurring:
        return timing.start_time if timing.start_time > after else None
    start = _fire_after(timing, max(after, timing.start_time - 1))
    return start if _in_series(timing, start) else None


def next_end(timing: Timing, after: int) -> int | None:
    """The first occurrence end strictly after ``after``, or None (never ends, or no more)."""
    if not timing.recurring:
        return timing.end_time if timing.end_time != NEVER and timing.end_time > after else None
    duration = int(timing.duration or 0)
    start = _fire_after(timing, max(after - duration, timing.start_time - 1))
    return _cut(timing, start + duration) if _in_series(timing, start) else None


def is_over(timing: Timing, at: int) -> bool:
    """True when no occurrence covers ``at`` and none starts later: the window expired."""
    return occurrence_at(timing, at) is None and next_start(timing, at) is None


# A calendar asks for a month or so; a minutely rule must not make a huge answer.
MAX_SPAN_SECONDS = 62 * 86400
MAX_OCCURRENCES = 500


def parse_span(raw_from: Any, raw_to: Any) -> tuple[int, int]:
    """``from`` and ``to`` query values (UNIX seconds) as a span of at most 62 days."""
    bounds = []
    for name, raw in (("from", raw_from), ("to", raw_to)):
        if raw is None or raw == "":
            raise ValidationFailed(f"Missing required parameter {name}", field=name)
        try:
            value = int(str(raw))
        except ValueError:
            raise ValidationFailed(
                f"Parameter {name} must be an integer (UNIX seconds)", field=name
            ) from None
        if value < 0:
            raise ValidationFailed(
                f"Parameter {name} must be an integer (UNIX seconds)", field=name
            )
        bounds.append(value)
    begin, end = bounds
    if end <= begin:
        raise ValidationFailed("Parameter to must be after from", field="to")
    if end - begin > MAX_SPAN_SECONDS:
        raise ValidationFailed(
            f"The span from from to to is at most {MAX_SPAN_SECONDS // 86400} days", field="to"
        )
    return begin, end


def occurrences_between(
    timing: Timing, begin: int, end: int, limit: int = MAX_OCCURRENCES
) -> tuple[list[tuple[int, int]], bool]:
    """The (start, end) of the occurrences overlapping [begin, end), in order, at most
    ``limit`` (end -1: never), and whether more were left off. Each recurring start is a
    cron fire in the window's zone, so the list is right across daylight-saving changes."""
    found: list[tuple[int, int]] = []
    current = occurrence_at(timing, begin)
    if current:
        found.append(current)
    after = begin
    while True:
        start = next_start(timing, after)
        if start is None or start >= end:
            return found, False
        if len(found) == limit:
            return found, True
        stop = (
            _cut(timing, start + int(timing.duration or 0)) if timing.recurring else timing.end_time
        )
        found.append((start, stop))
        after = start
