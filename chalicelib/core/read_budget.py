"""A listing's read budget and its sharded, paced, merged reads.

Every listing that reads an index over several write shards (Panko's events, the handler
executions) reads one query per shard and merges them in key order. ``Budget`` bounds what one
page may read: items read, matched or not, and requests (a request that reads nothing counts
one item). ``ShardReader`` sizes each page within it; ``Merge`` orders items and shard
frontiers, so a listing the budget ends knows the key up to which every shard has been read
(``resume_key``) and continues after it, past items a filter refused. The event listings read
their shards concurrently instead (chalicelib/core/shard_fanout.py), within the same budget.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MAX_PAGE_SIZE", "Budget", "BudgetSpent", "Merge", "ShardReader"]

MAX_PAGE_SIZE = 1000  # items one DynamoDB request reads at most (DynamoDB also stops at 1 MB)


class BudgetSpent(Exception):
    """Raised by a reader that would send a request past the listing's read budget."""


@dataclass
class Budget:
    """Items read so far against the listing's budget, matched or not; shared by the threads
    of a fan-out (every change under one lock).

    ``allow(size)`` reserves the size the next request may ask for: at most what is left, so
    the items read never exceed the budget (DynamoDB's ``Limit`` caps the items a request
    evaluates, and concurrent requests each hold their reservation); ``BudgetSpent`` when
    nothing is left, or ``requests`` were sent. ``spend`` settles a reservation with what the
    request read (a request that reads nothing still counts one item, so empty partitions are
    not free either); ``release`` returns one whose request was never answered.
    """

    limit: int
    requests: int | None = None
    read: int = 0  # items read
    charged: int = 0  # items read (a request that read none counted one), plus reservations
    sent: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def left(self) -> int:
        """Items still to reserve (0 when the request count is spent too)."""
        with self._lock:
            if self.requests is not None and self.sent >= self.requests:
                return 0
            return max(0, self.limit - self.charged)

    def allow(self, size: int) -> int:
        with self._lock:
            left = self.limit - self.charged
            if left <= 0 or (self.requests is not None and self.sent >= self.requests):
                raise BudgetSpent
            granted = max(1, min(size, left))
            self.charged += granted
            self.sent += 1
            return granted

    def spend(self, scanned: int, granted: int) -> None:
        """Settle the reservation ``granted`` of a request that read ``scanned`` items."""
        with self._lock:
            self.read += scanned
            self.charged += max(1, scanned) - granted

    def release(self, granted: int) -> None:
        """Return the reservation of a request that read nothing (sent or not)."""
        with self._lock:
            self.charged -= granted
            self.sent -= 1


def key_text(value: Any) -> str | None:
    """A key attribute of a ``LastEvaluatedKey`` (``{"S": text}``) as its text."""
    if isinstance(value, dict):
        value = value.get("S")
    return value if isinstance(value, str) else None


class ShardReader:
    """The items of one query (one shard), each page sized to what is still wanted from it.

    The first page reads ``first_page`` items; about ``target`` are expected to be used. When
    a filter passes only part of what it reads, the next page is about (still wanted / pass
    rate): a selective filter costs a few large requests rather than many small ones, and a
    top-up after an unfiltered page stays small. Every request is sized within the budget.

    Yields ``(order key, item)`` and, after a page that did not end the shard, ``(key of the
    last item read, None)``: DynamoDB's ``LastEvaluatedKey``, so items a filter refused count
    as read. The merge orders those frontiers with the items: a shard whose page matched
    nothing gives way to the others, its next page read only when the merge reaches it.
    """

    def __init__(
        self,
        results: Any,
        model: Any,
        order_attr: str,
        first_page: int,
        target: int,
        budget: Budget,
    ) -> None:
        self.pages = results.page_iter  # PynamoDB's page iterator: one request per page
        self.model = model
        self.order_attr = order_attr
        self.first_page = first_page
        self.target = target
        self.budget = budget

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        pages = self.pages
        size = self.first_page
        scanned = passed = 0
        while True:
            granted = self.budget.allow(min(MAX_PAGE_SIZE, size))
            pages.page_size = granted
            try:
                page = next(pages)
            except StopIteration:
                self.budget.release(granted)
                return
            except BaseException:
                self.budget.release(granted)
                raise
            items = page.get("Items") or []
            page_scanned = page.get("ScannedCount", len(items))
            scanned += page_scanned
            self.budget.spend(page_scanned, granted)
            passed += len(items)
            for raw in items:
                item = self.model.from_raw_data(raw)
                yield getattr(item, self.order_attr), item
            frontier = key_text((page.get("LastEvaluatedKey") or {}).get(self.order_attr))
            if frontier is None:
                return  # no LastEvaluatedKey: the shard is read to its end
            yield frontier, None
            still_wanted = max(self.target - passed, -(-self.target // 4))
            if passed:
                size = -(-still_wanted * scanned * 11 // (passed * 10)) + 1
            else:
                size = pages.page_size * 4
            size = max(2, size)


def _first(pair: tuple[str, Any]) -> str:
    return pair[0]


@dataclass
class Merge:
    """One reader per partition (shard), merged in key order (``forward``: ascending).

    ``resume_key``: the key of the last item or frontier the merge passed. Every shard has
    been read up to it (the merge passes a key only once each shard's head is beyond it), so
    a listing the budget ends continues right after it.
    """

    readers: list[ShardReader]
    forward: bool
    skip_key: str | None = None  # a continuation's own position: read again, never returned
    resume_key: str | None = None

    def __iter__(self) -> Iterator[Any]:
        merged: Iterable[tuple[str, Any]] = (
            iter(self.readers[0])
            if len(self.readers) == 1
            else heapq.merge(*self.readers, key=_first, reverse=not self.forward)
        )
        for key, item in merged:
            self.resume_key = key
            if item is not None and key != self.skip_key:
                yield item


def first_page_size(wanted: int, shards: int, budget: Budget) -> int:
    """The first page of each of ``shards`` readers: about an even share of ``wanted``, and
    all of them within the budget (raised to two items per shard if it is smaller)."""
    # Two items a shard at least: a continuation reads its own position again, and must
    # still move past it on every shard.
    budget.limit = max(budget.limit, 2 * shards)
    if budget.requests is not None:
        budget.requests = max(budget.requests, shards)
    # A tenth more than an even share: a shard that holds more than its share tops up with a
    # small page; a larger cushion would read items no page returns, on every shard.
    first_page = max(2, -(-wanted * 11 // (10 * shards)))
    return min(first_page, max(2, budget.limit // shards))
