"""Listing opEvents' events: a time window, plain or ``regex:`` filters, newest first, paged.

The window is a key range, so a listing reads only events inside it:
- ``o_node_name`` given as a plain name: one Query of the ``by_node`` index; else
  ``ev_event_name`` as a plain name: one Query of the ``by_name`` index;
- otherwise one Query per time shard of the ``by_time`` index, merged newest first.
Plain ``ev_*`` filters are filter expressions on that read; ``regex:`` filters run in memory
with RE2 (linear time: no pattern can make matching hang). A listing returns at most
``limit`` events and examines at most ``READ_BUDGET`` items; when more may follow it hands
back a continuation (the key of the last event examined), from which the next page starts.
"""

from __future__ import annotations

import base64
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.core.model import format_stored_time, parse_timestamp, utcnow
from chalicelib.dialects.opevents.events import entry_properties
from chalicelib.errors import ValidationFailed
from chalicelib.settings import get_settings
from chalicelib.store.access import store_access
from chalicelib.store.opevents import (
    OpEventModel,
    OpEventsByName,
    OpEventsByNode,
    OpEventsByTime,
)

REGEX_PREFIX = "regex:"
DEFAULT_WINDOW = timedelta(hours=2)
DEFAULT_LIMIT = 1000
MAX_LIMIT = 1000
READ_BUDGET = 10_000  # items one listing request examines at most
MAX_PAGE = 1000
_KEY_CEILING = "#\U0010ffff"  # above every "<time>#<id>" of that time
# Listing filter -> the stored attribute it tests.
FILTERS = {
    "o_node_name": "node",
    "ev_event_name": "event",
    "ev_event_type": "type",
    "ev_event_element": "element",
    "ev_event_details": "details",
}


@dataclass(frozen=True)
class Match:
    """A plain value (equality) or a compiled RE2 pattern (search)."""

    text: str
    pattern: Any = None

    @property
    def is_regex(self) -> bool:
        return self.pattern is not None

    def matches(self, value: str | None) -> bool:
        if self.pattern is None:
            return value == self.text
        return value is not None and self.pattern.search(value) is not None


def parse_match(parameter: str, value: str) -> Match:
    """``value`` as a filter: ``regex:<expr>`` compiled with RE2, else a plain string."""
    if not value.startswith(REGEX_PREFIX):
        return Match(value)
    import re2  # only listings with a regex pay for loading it

    options = re2.Options()
    options.log_errors = False
    expression = value[len(REGEX_PREFIX) :]
    try:
        return Match(expression, re2.compile(expression, options))
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ValidationFailed(
            f"invalid regular expression in {parameter}: {detail}", field=parameter
        ) from exc


def parse_time(parameter: str, value: str) -> datetime:
    """UNIX seconds or ISO 8601, as naive UTC; ``ValidationFailed`` otherwise."""
    try:
        return datetime.fromtimestamp(float(value), UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        pass
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise ValidationFailed(
            f"{parameter} must be UNIX seconds or an ISO 8601 time, not {value!r}",
            field=parameter,
        ) from exc


def encode_continuation(gen_key: str) -> str:
    return base64.urlsafe_b64encode(gen_key.encode()).decode().rstrip("=")


def decode_continuation(token: str) -> str:
    try:
        key = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed("invalid continuation", field="o_continue") from exc
    if "#" not in key:
        raise ValidationFailed("invalid continuation", field="o_continue")
    return key


@dataclass(frozen=True)
class ListingQuery:
    """What to list: a window, filters by attribute, a page size and where to continue."""

    start: datetime
    end: datetime
    filters: dict[str, Match] = field(default_factory=dict)
    limit: int = DEFAULT_LIMIT
    before: str | None = None  # continue below this gen_key

    @classmethod
    def from_parameters(cls, params: dict[str, str], now: datetime | None = None) -> ListingQuery:
        """The query opEvents' listing parameters describe (the last two hours by default)."""
        now = now or utcnow()
        end = parse_time("o_end", params["o_end"]) if params.get("o_end") else now
        start = (
            parse_time("o_start", params["o_start"])
            if params.get("o_start")
            else end - DEFAULT_WINDOW
        )
        filters = {
            attribute: parse_match(name, params[name])
            for name, attribute in FILTERS.items()
            if params.get(name)
        }
        limit = DEFAULT_LIMIT
        if params.get("limit"):
            try:
                limit = int(params["limit"])
            except ValueError:
                limit = 0
            if not 1 <= limit <= MAX_LIMIT:
                raise ValidationFailed(
                    f"limit must be an integer from 1 to {MAX_LIMIT}", field="limit"
                )
        before = decode_continuation(params["o_continue"]) if params.get("o_continue") else None
        return cls(start, end, filters, limit, before)


@dataclass(frozen=True)
class Listing:
    events: list[dict[str, Any]]
    continuation: str | None = None


def _key_range(query: ListingQuery):
    low = format_stored_time(query.start)
    high = format_stored_time(query.end) + _KEY_CEILING
    if query.before is not None:
        high = min(high, query.before)
    return low, high


def _server_filter(query: ListingQuery, skip: str | None):
    condition = None
    for attribute, match in query.filters.items():
        if match.is_regex or attribute == skip:
            continue
        test = getattr(OpEventModel, attribute) == match.text
        condition = test if condition is None else condition & test
    return condition


def _keyed_index(query: ListingQuery) -> tuple[Any, Any, str] | None:
    """(index, its range key, the filter it answers) when a plain filter names a partition."""
    for attribute, index, range_key in (
        ("node", OpEventModel.by_node, OpEventsByNode.gen_key),
        ("event", OpEventModel.by_name, OpEventsByName.gen_key),
    ):
        match = query.filters.get(attribute)
        if match is not None and not match.is_regex:
            return index, range_key, attribute
    return None


def _read(query: ListingQuery, low: str, high: str) -> Iterable[OpEventModel]:
    """The window's items, newest first (filtered by the plain filters)."""
    keyed = _keyed_index(query)
    answered = 1 if keyed is not None else 0
    filtered = len(query.filters) > answered  # the read passes over items it drops
    wanted = query.limit + 1  # one more tells whether a next page exists
    if keyed is not None:
        index, range_key, attribute = keyed
        return index.query(
            query.filters[attribute].text,
            range_key_condition=range_key.between(low, high),
            filter_condition=_server_filter(query, attribute),
            scan_index_forward=False,
            page_size=MAX_PAGE if filtered else min(MAX_PAGE, wanted),
        )
    shards = get_settings().time_shards
    # A quarter more than an even share absorbs the shards' uneven split.
    share = MAX_PAGE if filtered else min(MAX_PAGE, -(-wanted * 5 // (4 * shards)) + 1)
    readers = [
        OpEventModel.by_time.query(
            str(shard),
            range_key_condition=OpEventsByTime.gen_key.between(low, high),
            filter_condition=_server_filter(query, None),
            scan_index_forward=False,
            page_size=share,
        )
        for shard in range(shards)
    ]
    return heapq.merge(*readers, key=lambda item: item.gen_key, reverse=True)


def list_events(query: ListingQuery) -> Listing:
    """The events of ``query``, newest first, and a continuation when more may follow."""
    low, high = _key_range(query)
    if low > high:
        return Listing([])
    regexes = {a: m for a, m in query.filters.items() if m.is_regex}
    found: list[OpEventModel] = []
    examined, last_seen = 0, ""
    with store_access():
        for item in _read(query, low, high):
            if item.gen_key == query.before:
                continue  # the previous page ended on it
            if examined == READ_BUDGET:
                # The read budget ran out: continue after the last item examined.
                return Listing(_render(found), encode_continuation(last_seen))
            examined += 1
            last_seen = item.gen_key
            if not all(m.matches(getattr(item, a)) for a, m in regexes.items()):
                continue
            if len(found) == query.limit:
                return Listing(_render(found), encode_continuation(found[-1].gen_key))
            found.append(item)
    return Listing(_render(found))


def _render(items: list[OpEventModel]) -> list[dict[str, Any]]:
    return [entry_properties(item) for item in items]
