"""Recurring windows: cron occurrences in a time zone, cut by the series' start and end."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.core.errors import ValidationFailed
from chalicelib.core.maddash_recurrence import (
    Timing,
    is_over,
    next_end,
    next_start,
    occurrence_at,
    parse_recurrence,
)


def ts(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp())


# Sundays 03:00 Berlin, 2 h; Europe switched to summer time on 2027-03-28 at 01:00 UTC.
WEEKLY = Timing(ts(2027, 3, 1), -1, "0 3 * * 0", "Europe/Berlin", 7200)


def test_occurrences_keep_local_time_across_daylight_saving():
    assert occurrence_at(WEEKLY, ts(2027, 3, 21, 2, 30)) == (ts(2027, 3, 21, 2), ts(2027, 3, 21, 4))
    assert occurrence_at(WEEKLY, ts(2027, 3, 28, 1, 30)) == (ts(2027, 3, 28, 1), ts(2027, 3, 28, 3))
    assert occurrence_at(WEEKLY, ts(2027, 3, 28, 3, 0)) is None
    assert next_start(WEEKLY, ts(2027, 3, 21, 2)) == ts(2027, 3, 28, 1)
    assert next_end(WEEKLY, ts(2027, 3, 21, 3)) == ts(2027, 3, 21, 4)
    assert next_end(WEEKLY, ts(2027, 3, 21, 4)) == ts(2027, 3, 28, 3)


def test_series_bounds_and_one_off_windows():
    bounded = Timing(ts(2027, 3, 22), ts(2027, 3, 28, 2), "0 3 * * 0", "Europe/Berlin", 7200)
    assert occurrence_at(bounded, ts(2027, 3, 21, 2, 30)) is None  # before the series
    assert occurrence_at(bounded, ts(2027, 3, 28, 1, 30)) == (
        ts(2027, 3, 28, 1),
        ts(2027, 3, 28, 2),
    )
    assert next_start(bounded, ts(2027, 3, 28, 2)) is None
    assert is_over(bounded, ts(2027, 3, 28, 2))
    once = Timing(100, 200)
    assert occurrence_at(once, 100) == (100, 200) and occurrence_at(once, 200) is None
    assert (next_start(once, 99), next_start(once, 100)) == (100, None)
    assert (next_end(once, 199), next_end(once, 200)) == (200, None)
    forever = Timing(100)
    assert occurrence_at(forever, 10**10) == (100, -1) and not is_over(forever, 10**10)


@pytest.mark.parametrize(
    "raw",
    [
        "0 3 * * 0",
        {"cron": "0 3 * * 0 2027", "duration": 60},
        {"cron": "61 3 * * 0", "duration": 60},
        {"cron": "0 3 * * 0", "timeZone": "Nowhere/City", "duration": 60},
        {"cron": "0 3 * * 0", "duration": -5},
        {"cron": "0 3 * * 0", "duration": True},
    ],
)
def test_invalid_recurrences_are_refused(raw):
    with pytest.raises(ValidationFailed):
        parse_recurrence(raw)


def test_default_zone_is_utc():
    assert parse_recurrence({"cron": "0 3 * * 0", "duration": 60}) == ("0 3 * * 0", "UTC", 60)
