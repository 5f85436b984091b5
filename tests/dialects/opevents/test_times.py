"""opCommon's time formats in ``o_start``/``o_end``: each form, and through the listing."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.dialects.opevents.times import parse_opcommon_time
from tests.dialects.opevents import support as opevents_support
from tests.dialects.opevents.support import EVENTS, create, json_get

router = opevents_support.router
writer = opevents_support.writer

NOW = datetime(2026, 12, 1, 20, 30, 7)
MIDNIGHT = datetime(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1796157007", NOW),
        ("1796157007.5", NOW + timedelta(seconds=0.5)),
        ("2026-12-01T20:30:07", NOW),
        ("2026-12-01 20:30:07", NOW),
        ("2026-12-01T21:30:07+01:00", NOW),
        ("2026-12-01T20:30:07Z", NOW),
        ("2026-12-01", MIDNIGHT),
        ("01-Dec-2026 20:30:07", NOW),
        ("1-dec-2026 20:30", NOW.replace(second=0)),
        ("01-Dec-2026", MIDNIGHT),
        ("now", NOW),
        ("NOW", NOW),
        ("today", MIDNIGHT),
        ("yesterday", MIDNIGHT - timedelta(days=1)),
        ("tomorrow", MIDNIGHT + timedelta(days=1)),
        ("-1 hours", NOW - timedelta(hours=1)),
        ("-1 hour", NOW - timedelta(hours=1)),
        ("-30 minutes", NOW - timedelta(minutes=30)),
        ("-2 days", NOW - timedelta(days=2)),
        ("-1 weeks", NOW - timedelta(weeks=1)),
        ("-1 months", datetime(2026, 11, 1, 20, 30, 7)),
        ("-1 years", datetime(2025, 12, 1, 20, 30, 7)),
        ("+2 hours", NOW + timedelta(hours=2)),
        ("now - 1 hours", NOW - timedelta(hours=1)),
        ("now -1 hours", NOW - timedelta(hours=1)),
        ("today + 8 hours", MIDNIGHT + timedelta(hours=8)),
        ("yesterday 12 hours", MIDNIGHT - timedelta(hours=12)),
        ("2 days ago", NOW - timedelta(days=2)),
        ("-1 days -6 hours", NOW - timedelta(days=1, hours=6)),
    ],
)
def test_each_opcommon_form(text, expected):
    assert parse_opcommon_time(text, NOW) == expected


@pytest.mark.parametrize(
    "text", ["", "last tuesday", "32-Dec-2026", "01-Foo-2026 10:00:00", "-1 fortnights", "now -"]
)
def test_what_is_not_a_time(text):
    assert parse_opcommon_time(text, NOW) is None


def test_the_listing_reads_relative_and_named_times(client, writer, router):
    now = time.time()
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    made = {}
    for name, moment in [
        ("half an hour ago", now - 1800),
        ("three hours ago", now - 3 * 3600),
        ("just after midnight", midnight + 1),
        ("just before midnight", midnight - 1),
    ]:
        response = create(client, writer, node="router1", event=name, time=moment)
        made[response.json_body["id"]] = name

    def names(**query):
        response = json_get(client, EVENTS, writer, **query)
        assert response.status_code == 200, response.body
        return {made[event["id"]] for event in response.json_body}

    assert "half an hour ago" in names(o_start="-1 hours")
    assert "three hours ago" not in names(o_start="-1 hours")
    assert {"half an hour ago", "three hours ago"} <= names(o_start="now - 4 hours")
    assert "half an hour ago" not in names(o_start="-4 hours", o_end="-1 hours")
    assert names(o_start="today", o_end="now") >= {"just after midnight"}
    assert "just before midnight" not in names(o_start="today", o_end="now")
    assert names(o_start="yesterday", o_end="today") >= {"just before midnight"}
    assert "just after midnight" not in names(o_start="yesterday", o_end="today")
    stamp = datetime.fromtimestamp(midnight + 1, UTC).strftime("%d-%b-%Y %H:%M:%S")
    assert names(o_start=stamp, o_end=stamp) == {"just after midnight"}
