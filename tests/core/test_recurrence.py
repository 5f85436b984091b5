"""Recurring windows: cron occurrences in a time zone, cut by the series' start and end."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from chalicelib.core.recurrence import (
    Timing,
    is_over,
    next_end,
    next_start,
    occurrence_at,
    occurrences_between,
    parse_recurrence,
    parse_span,
)
from chalicelib.errors import ValidationFailed


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


def test_occurrences_between_follow_local_time_across_daylight_saving():
    # March 2027 in Berlin: 03:00 local is 02:00 UTC until the 28th, then 01:00 UTC.
    found, more = occurrences_between(WEEKLY, ts(2027, 3, 14), ts(2027, 4, 5))
    assert found == [
        (ts(2027, 3, 14, 2), ts(2027, 3, 14, 4)),
        (ts(2027, 3, 21, 2), ts(2027, 3, 21, 4)),
        (ts(2027, 3, 28, 1), ts(2027, 3, 28, 3)),
        (ts(2027, 4, 4, 1), ts(2027, 4, 4, 3)),
    ]
    assert more is False
    # An occurrence already on at the span's start is included; one starting at its end is not.
    assert occurrences_between(WEEKLY, ts(2027, 3, 21, 3), ts(2027, 3, 28, 1))[0] == [
        (ts(2027, 3, 21, 2), ts(2027, 3, 21, 4))
    ]
    # Bounded: a minutely rule stops at the limit and says so.
    minutely = Timing(ts(2027, 3, 1), -1, "* * * * *", "UTC", 30)
    found, more = occurrences_between(minutely, ts(2027, 3, 1), ts(2027, 3, 2), limit=3)
    assert (found, more) == (
        [(ts(2027, 3, 1, 0, m), ts(2027, 3, 1, 0, m) + 30) for m in range(3)],
        True,
    )


def test_occurrences_between_cut_by_the_series_and_one_off_windows():
    bounded = Timing(ts(2027, 3, 15), ts(2027, 3, 21, 3), "0 3 * * 0", "Europe/Berlin", 7200)
    assert occurrences_between(bounded, ts(2027, 3, 1), ts(2027, 4, 1)) == (
        [(ts(2027, 3, 21, 2), ts(2027, 3, 21, 3))],  # cut at the series' end
        False,
    )
    one_off = Timing(ts(2027, 3, 10), ts(2027, 3, 12))
    assert occurrences_between(one_off, ts(2027, 3, 1), ts(2027, 4, 1))[0] == [
        (ts(2027, 3, 10), ts(2027, 3, 12))
    ]
    assert occurrences_between(one_off, ts(2027, 3, 11), ts(2027, 4, 1))[0] == [
        (ts(2027, 3, 10), ts(2027, 3, 12))
    ]
    assert occurrences_between(one_off, ts(2027, 3, 12), ts(2027, 4, 1))[0] == []
    endless = Timing(ts(2027, 3, 10))
    assert occurrences_between(endless, ts(2027, 3, 1), ts(2027, 3, 2))[0] == []
    assert occurrences_between(endless, ts(2027, 3, 1), ts(2027, 4, 1))[0] == [
        (ts(2027, 3, 10), -1)
    ]


@pytest.mark.parametrize(
    ("raw_from", "raw_to", "message"),
    [
        (None, "10", "Missing required parameter from"),
        ("0", "", "Missing required parameter to"),
        ("x", "10", "Parameter from must be an integer (UNIX seconds)"),
        ("-5", "10", "Parameter from must be an integer (UNIX seconds)"),
        ("10", "10", "Parameter to must be after from"),
        ("0", str(63 * 86400), "The span from from to to is at most 62 days"),
    ],
)
def test_parse_span_refuses_bad_or_long_spans(raw_from, raw_to, message):
    with pytest.raises(ValidationFailed, match=re.escape(message)):
        parse_span(raw_from, raw_to)
    assert parse_span("0", str(62 * 86400)) == (0, 62 * 86400)
