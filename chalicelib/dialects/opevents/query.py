"""Listing opEvents' events: a time window, plain or ``regex:`` filters, newest first.

The window is a key range, so a listing reads only events inside it:
- ``o_node_name`` given as a plain name: the ``by_node`` index; else ``ev_event_name`` as a
  plain name: the ``by_name`` index; otherwise every time shard of the ``by_time`` index;
- each partition is read newest first in pages (DynamoDB's ``Limit``: items *evaluated*,
  matched or not), and the partitions are merged newest first.
Plain ``ev_*`` filters are filter expressions on that read; ``regex:`` filters run in memory
with RE2 (linear time: no pattern can make matching hang).

Two budgets bound one request:
1. ``READ_BUDGET`` items read from DynamoDB, matched or not (each page asks for no more than
   what is left, so a filter that matches nothing costs at most the budget);
2. ``MAX_RESPONSE_BYTES`` of answer, as Lambda carries it (the body escaped inside its JSON
   envelope), below Lambda's 6 MB response limit.
opEvents answers every event of the window, so a listing does too: when either budget runs
out before the window is read, the answer is a 400 asking for a narrower window — never a
silent cut. A client that pages (``limit`` or ``o_continue``, this service's extension) gets
a continuation instead: the key below which the next page starts.
"""

from __future__ import annotations

import base64
import json
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.core.model import format_stored_time, utcnow
from chalicelib.dialects.opevents.events import entry_properties
from chalicelib.dialects.opevents.times import parse_opcommon_time
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
MAX_LIMIT = 10_000
READ_BUDGET = 20_000  # items one listing request reads from DynamoDB, matched or not
MAX_PAGE = 1000  # items one DynamoDB page evaluates at most
# Lambda answers at most 6 MB (6,291,456 bytes) including its envelope and headers.
MAX_RESPONSE_BYTES = 6_291_456 - 64 * 1024
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


def parse_time(parameter: str, value: str, now: datetime) -> datetime:
    """``value`` in one of opCommon's time formats, as naive UTC; ``ValidationFailed`` otherwise."""
    moment = parse_opcommon_time(value, now)
    if moment is None:
        raise ValidationFailed(
            f"{parameter} is not a time opEvents reads, not {value!r}: use UNIX seconds, "
            "ISO 8601, DD-Mon-YYYY HH:MM:SS, now, today, yesterday or an offset like -1 hours",
            field=parameter,
        )
    return moment


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
    """What to list: a window, filters by attribute, and (when paging) a page size and a start."""

    start: datetime
    end: datetime
    filters: dict[str, Match] = field(default_factory=dict)
    limit: int | None = None  # None: every event of the window
    before: str | None = None  # continue below this gen_key

    @property
    def paged(self) -> bool:
        """The client pages (``limit`` or ``o_continue``): a continuation answers a cut."""
        return self.limit is not None or self.before is not None

    @classmethod
    def from_parameters(cls, params: dict[str, str], now: datetime | None = None) -> ListingQuery:
        """The query opEvents' listing parameters describe (the last two hours by default)."""
        now = now or utcnow()
        end = parse_time("o_end", params["o_end"], now) if params.get("o_end") else now
        start = (
            parse_time("o_start", params["o_start"], now)
            if params.get("o_start")
            else end - DEFAULT_WINDOW
        )
        filters = {
            attribute: parse_match(name, params[name])
            for name, attribute in FILTERS.items()
            if params.get(name)
        }
        limit = None
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
    read: int = 0  # items DynamoDB evaluated for this answer


class WindowTooLarge(ValidationFailed):
    """The window holds more than one answer may read or carry: the client must narrow it."""


def _key_range(query: ListingQuery) -> tuple[str, str]:
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


class _Partition:
    """One partition of the window, read newest first one page at a time."""

    def __init__(self, results: Any, high: str) -> None:
        self.pages = results.page_iter  # PynamoDB's pager: its ``page_size`` is DynamoDB's Limit
        self.buffer: deque[OpEventModel] = deque()
        self.done = False
        self.boundary = high  # read down to here: the gen_key of the last item evaluated

    @property
    def stalled(self) -> bool:
        return not self.buffer and not self.done

    def fetch(self, size: int) -> int:
        """Read the next page of at most ``size`` items evaluated; how many were."""
        self.pages.page_size = size
        page = next(self.pages)
        self.buffer.extend(OpEventModel.from_raw_data(raw) for raw in page.get("Items") or [])
        last = page.get("LastEvaluatedKey")
        if last is None:
            self.done = True
        else:
            self.boundary = last["gen_key"]["S"]
        return int(page["ScannedCount"])


def _partitions(query: ListingQuery, low: str, high: str) -> list[_Partition]:
    keyed = _keyed_index(query)
    if keyed is not None:
        index, range_key, attribute = keyed
        return [
            _Partition(
                index.query(
                    query.filters[attribute].text,
                    range_key_condition=range_key.between(low, high),
                    filter_condition=_server_filter(query, attribute),
                    scan_index_forward=False,
                ),
                high,
            )
        ]
    return [
        _Partition(
            OpEventModel.by_time.query(
                str(shard),
                range_key_condition=OpEventsByTime.gen_key.between(low, high),
                filter_condition=_server_filter(query, None),
                scan_index_forward=False,
            ),
            high,
        )
        for shard in range(get_settings().time_shards)
    ]


def answer_bytes(event: dict[str, Any]) -> int:
    """What one event adds to the answer Lambda carries: its JSON, escaped in the envelope."""
    return len(json.dumps(json.dumps(event, separators=(",", ":")))) - 1  # quotes, one comma


def list_events(query: ListingQuery) -> Listing:
    """The events of ``query``, newest first (see the module docstring for the budgets)."""
    low, high = _key_range(query)
    if low > high:
        return Listing([])
    regexes = {a: m for a, m in query.filters.items() if m.is_regex}
    partitions = _partitions(query, low, high)
    found: list[dict[str, Any]] = []
    size, read, last = 2, 0, ""  # "[]"; the gen_key of the last event answered
    page = MAX_PAGE if query.limit is None or query.filters else min(MAX_PAGE, query.limit + 1)
    budget = max(READ_BUDGET, len(partitions))  # at least one item per partition: progress
    with store_access():
        while True:
            read = _refill(partitions, page, read, budget)
            heads = [p for p in partitions if p.buffer]
            stalled = max((p.boundary for p in partitions if p.stalled), default="")
            newest = max(heads, key=lambda p: p.buffer[0].gen_key, default=None)
            if newest is None or newest.buffer[0].gen_key < stalled:
                if not stalled:
                    return Listing(found, None, read)  # the window is read to its end
                # The read budget ran out: a stalled partition may still hold newer events.
                return _cut(query, found, stalled, read, "read")
            item = newest.buffer.popleft()
            if item.gen_key == query.before:
                continue  # the previous page ended on it
            if not all(m.matches(getattr(item, a)) for a, m in regexes.items()):
                continue
            if len(found) == query.limit:
                return Listing(found, encode_continuation(last), read)
            event = entry_properties(item)
            size += answer_bytes(event)
            if size > MAX_RESPONSE_BYTES:
                return _cut(query, found, last, read, "size")
            found.append(event)
            last = item.gen_key


def _refill(partitions: list[_Partition], page: int, read: int, budget: int) -> int:
    """Partitions with nothing buffered read their next pages, sharing what is left of the
    budget (each reads at least one item, so a request always makes progress)."""
    while read < budget:
        needy = [p for p in partitions if p.stalled]
        if not needy:
            break
        share = max(1, (budget - read) // len(needy))
        for partition in needy:
            if read >= budget:
                break
            read += partition.fetch(min(page, share, budget - read))
    return read


def _cut(
    query: ListingQuery, found: list[dict[str, Any]], below: str, read: int, budget: str
) -> Listing:
    """A window that does not fit one answer: a continuation when paging, else a 400."""
    if query.paged and (found or budget == "read"):
        return Listing(found, encode_continuation(below), read)
    reason = (
        f"more than {READ_BUDGET} events to read"
        if budget == "read"
        else f"more events than one answer carries ({MAX_RESPONSE_BYTES} bytes)"
    )
    raise WindowTooLarge(
        f"the window holds {reason}: narrow it (o_start, o_end, o_node_name, ev_event_name) "
        "or page through it with limit and o_continue"
    )
