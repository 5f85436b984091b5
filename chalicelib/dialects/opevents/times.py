"""opCommon's time formats, as opEvents' listing takes them in ``o_start`` and ``o_end``.

Accepted (any case, UTC where opCommon uses the server's local time):
- UNIX seconds, with decimals (``1796113800``, ``1796113800.25``);
- ISO 8601 (``2026-12-01T20:30:07``, ``2026-12-01 20:30``, ``2026-12-01T20:30:07Z``, ``+01:00``);
- ``DD-Mon-YYYY HH:MM:SS`` (``01-Dec-2026 20:30:07``; the time, or its seconds, may be left out);
- ``now``, ``today`` (midnight), ``yesterday`` (midnight before), ``tomorrow``;
- relative offsets from now, alone or after one of those words: ``-1 hours``, ``-30 minutes``,
  ``now - 1 hours``, ``today + 8 hours``, ``2 days ago`` (units: seconds, minutes, hours, days,
  weeks, months, years, singular or plural, and their usual abbreviations).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

__all__ = ["parse_opcommon_time"]

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DMY = re.compile(
    r"(\d{1,2})-([a-z]{3})-(\d{4})(?:[ t](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?", re.IGNORECASE
)
_UNITS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "seconds"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minutes"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("d", "day", "days"), "days"),
    **dict.fromkeys(("w", "week", "weeks"), "weeks"),
    **dict.fromkeys(("mon", "month", "months"), "months"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "years"),
}
_OFFSET = re.compile(r"\s*([+-]?)\s*(\d+(?:\.\d+)?)\s*([a-z]+)(\s+ago\b)?", re.IGNORECASE)
_WORDS = {"now": None, "today": 0, "yesterday": -1, "tomorrow": 1}


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _add_months(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    first = moment.replace(year=moment.year + year, month=month + 1, day=1)
    return first + timedelta(days=moment.day - 1)  # the day overflows, as Perl's Time::Local


def _offsets(text: str, moment: datetime) -> datetime | None:
    position = 0
    while position < len(text):
        match = _OFFSET.match(text, position)
        unit = _UNITS.get(match.group(3).lower()) if match else None
        if match is None or unit is None:
            return None
        amount = float(match.group(2)) * (-1 if match.group(1) == "-" else 1)
        if match.group(4):  # "2 days ago"
            amount = -amount
        if unit in ("months", "years"):
            whole = int(amount) * (12 if unit == "years" else 1)
            moment = _add_months(moment, whole)
        else:
            moment += timedelta(**{unit: amount})
        position = match.end()
    return moment


def _relative(text: str, now: datetime) -> datetime | None:
    word, _, rest = text.partition(" ")
    if word.lower() in _WORDS:
        days = _WORDS[word.lower()]
        base = now if days is None else datetime.combine(now.date(), datetime.min.time())
        base += timedelta(days=days or 0)
        return _offsets(rest, base) if rest.strip() else base
    if _OFFSET.match(text):
        return _offsets(text, now)
    return None


def parse_opcommon_time(value: str, now: datetime) -> datetime | None:
    """``value`` in one of opCommon's formats as naive UTC, or None when it is none of them."""
    text = value.strip()
    if not text:
        return None
    try:
        return datetime.fromtimestamp(float(text), UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        pass
    match = _DMY.fullmatch(text)
    if match:
        day, month_name, year, hour, minute, second = match.groups()
        month = _MONTHS.get(month_name.lower())
        if month is None:
            return None
        try:
            return datetime(
                int(year), month, int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        except ValueError:
            return None
    try:
        return _naive_utc(datetime.fromisoformat(text.replace("z", "Z")))
    except ValueError:
        pass
    try:
        return _relative(text, now)
    except (OverflowError, ValueError):
        return None
