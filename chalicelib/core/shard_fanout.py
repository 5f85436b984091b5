"""A listing's write shards read concurrently, in rounds, merged in key order.

A listing over an index sharded N ways reads each shard (one Query per shard) and merges them.
Read one after another that is N round trips per page; here it is one per round:

1. Round one sends every shard's first Query at once (a bounded pool), each about an even
   share of the items the page wants plus a tenth.
2. The merge yields, in key order, every item read that no shard can still precede: those up
   to the nearest frontier (the last key read, DynamoDB's ``LastEvaluatedKey``) among the
   shards not read to their end.
3. When the page wants more, the cut K is the key of the (still wanted)-th item read and not
   yet yielded. The next round reads, concurrently, only the shards whose frontier is short of
   K, each bounded by it (``BETWEEN frontier AND K`` on the sort key, starting after the
   frontier): all it reads lies before the cut, so little is read in vain. Without a cut
   (filters passed fewer items than still wanted), every unfinished shard reads its next page,
   sized by its share of what is still to find over that shard's own pass rate.
4. Each round waits for every one of its requests before the merge goes on, so no request is
   ever running when the listing returns. Every request reserves its size from the shared
   ``Budget`` before it is sent; when nothing is left the merge raises ``BudgetSpent``, its
   ``resume_key`` the key up to which every shard has been read (a continuation resumes after
   it).

Typically a page costs two rounds (three when a bounded read ends on DynamoDB's 1 MB or the
budget's size), about 1.1 to 1.3 items read per item returned without filters.
"""

from __future__ import annotations

import contextvars
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from chalicelib.core.read_budget import MAX_PAGE_SIZE, Budget, BudgetSpent, key_text

__all__ = ["SHARD_READ_WORKERS", "FanOut", "PageRequest", "RangeCondition"]

# Requests in flight at once across listings: the default 20 shards of a page in one round.
SHARD_READ_WORKERS = 32

# One request: (partition, bounded range condition or None, exclusive start key, size) -> the
# raw page (Items, ScannedCount, LastEvaluatedKey).
PageRequest = Callable[[str, Any, "dict[str, Any] | None", int], "dict[str, Any]"]
# The sort key's condition for the inclusive range (low, high), either end open (None).
RangeCondition = Callable[["str | None", "str | None"], Any]

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _shard_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(SHARD_READ_WORKERS, thread_name_prefix="shard-read")
        return _pool


@dataclass
class _Shard:
    partition: str
    buffer: deque[tuple[str, Any]] = field(default_factory=deque)  # read, not yet merged
    frontier: str | None = None  # the shard is read up to this key (inclusive)
    start_key: dict[str, Any] | None = None  # DynamoDB's LastEvaluatedKey: where to go on
    ended: bool = False
    scanned: int = 0
    passed: int = 0
    last_size: int = 0


@dataclass
class FanOut:
    """The items of ``partitions`` in key order (``forward``: ascending), read in rounds.

    ``low``/``high``: the listing's range of the sort key (inclusive, None: open), which
    ``key_range`` turns into a key condition. ``wanted``: items the listing expects to take (it
    may take more: later rounds then read by pass rate). ``skip_key``: a continuation's own
    position, read again, never yielded.
    """

    request: PageRequest
    partitions: list[str]
    model: Any
    order_attr: str
    key_range: RangeCondition
    low: str | None
    high: str | None
    wanted: int
    budget: Budget
    forward: bool
    skip_key: str | None = None
    first_page: int = 2
    resume_key: str | None = None
    rounds: int = 0

    def __post_init__(self) -> None:
        self.shards = [_Shard(partition) for partition in self.partitions]

    # -------------------------------------------------------------- order

    def _before(self, key: str, other: str) -> bool:
        return key < other if self.forward else key > other

    def _nearest_frontier(self) -> str | None:
        """The frontier of the open shard least far read (None: every shard ended)."""
        open_frontiers = [s.frontier for s in self.shards if not s.ended and s.frontier]
        if not open_frontiers:
            return None
        return min(open_frontiers) if self.forward else max(open_frontiers)

    def _settled(self, bound: str | None) -> list[tuple[str, Any]]:
        """Buffered items no shard can precede any more (all of them when ``bound`` is None)."""
        out: list[tuple[str, Any]] = []
        for shard in self.shards:
            buffer = shard.buffer
            while buffer and (bound is None or not self._before(bound, buffer[0][0])):
                out.append(buffer.popleft())
        out.sort(key=_first, reverse=not self.forward)
        return out

    def _cut(self, still_wanted: int) -> str | None:
        """The key of the ``still_wanted``-th buffered item, or None if fewer are buffered."""
        keys = sorted(
            (key for shard in self.shards for key, _ in shard.buffer), reverse=not self.forward
        )
        return keys[still_wanted - 1] if len(keys) >= still_wanted else None

    # -------------------------------------------------------------- merge

    def __iter__(self) -> Iterator[Any]:
        self._round([(shard, None, self.first_page) for shard in self.shards])
        taken = 0
        while True:
            bound = self._nearest_frontier()
            for key, item in self._settled(bound):
                self.resume_key = key
                if key != self.skip_key:
                    taken += 1
                    yield item
            if bound is None:
                return  # every shard read to its end
            self.resume_key = bound  # every shard is read up to here
            self._round(self._next_reads(max(1, self.wanted - taken)))

    def _next_reads(self, still_wanted: int) -> list[tuple[_Shard, str | None, int]]:
        """(shard, cut or None, size) of each read of the next round."""
        open_shards = [s for s in self.shards if not s.ended]
        cut = self._cut(still_wanted)
        left = self.budget.left()
        if cut is not None:
            short = [s for s in open_shards if s.frontier and self._before(s.frontier, cut)]
            if short:
                # Bounded: a request reads only what lies before the cut, whatever its Limit.
                size = min(MAX_PAGE_SIZE, max(1, left // len(short)))
                return [(s, cut, size) for s in short]
        # What is read and not merged yet counts: only the rest is still to find.
        buffered = sum(len(shard.buffer) for shard in self.shards)
        share = -(-max(1, still_wanted - buffered) // len(open_shards))
        reads: list[tuple[_Shard, str | None, int]] = []
        for shard in open_shards:
            if shard.passed:
                size = -(-share * shard.scanned * 11 // (shard.passed * 10)) + 1
            else:
                size = shard.last_size * 4
            size = min(MAX_PAGE_SIZE, max(2, size), max(1, left // len(open_shards)))
            reads.append((shard, None, size))
        return reads

    def _condition(self, shard: _Shard, cut: str | None) -> Any:
        """The key condition of ``shard``'s next read: from its frontier to the cut (or the
        listing's end). Inclusive of the frontier: either the request starts after it
        (``start_key``), or it is a cut of another shard, which this shard does not hold."""
        low, high = self.low, self.high
        if self.forward:
            low = shard.frontier or low
            high = cut or high
        else:
            high = shard.frontier or high
            low = cut or low
        return self.key_range(low, high)

    # -------------------------------------------------------------- one round

    def _round(self, reads: list[tuple[_Shard, str | None, int]]) -> None:
        """Send ``reads`` at once and wait for all of them; ``BudgetSpent`` if none fits."""
        granted: list[tuple[_Shard, str | None, int]] = []
        for shard, cut, size in reads:
            try:
                granted.append((shard, cut, self.budget.allow(size)))
            except BudgetSpent:
                break
        if not granted:
            raise BudgetSpent
        self.rounds += 1
        if len(granted) == 1:
            shard, cut, size = granted[0]
            self._take(shard, cut, size, self._send(shard, cut, size))
            return
        pool = _shard_pool()
        futures: list[Future[dict[str, Any]]] = [
            pool.submit(contextvars.copy_context().run, self._send, shard, cut, size)
            for shard, cut, size in granted
        ]
        wait(futures)  # every request answered (or failed) before the merge goes on
        for (shard, cut, size), future in zip(granted, futures, strict=True):
            self._take(shard, cut, size, future.result())

    def _send(self, shard: _Shard, cut: str | None, size: int) -> dict[str, Any]:
        condition = self._condition(shard, cut)
        try:
            page = self.request(shard.partition, condition, shard.start_key, size)
        except BaseException:
            self.budget.release(size)
            raise
        items = page.get("Items") or []
        self.budget.spend(page.get("ScannedCount", len(items)), size)
        return page

    def _take(self, shard: _Shard, cut: str | None, size: int, page: dict[str, Any]) -> None:
        items = page.get("Items") or []
        shard.scanned += page.get("ScannedCount", len(items))
        shard.passed += len(items)
        shard.last_size = size
        for raw in items:
            item = self.model.from_raw_data(raw)
            shard.buffer.append((getattr(item, self.order_attr), item))
        last = page.get("LastEvaluatedKey")
        shard.start_key = last
        frontier = key_text((last or {}).get(self.order_attr))
        if frontier is not None:
            shard.frontier = frontier
        elif cut is not None:
            shard.frontier = cut  # read up to the cut; the next read starts there
        else:
            shard.ended = True  # no LastEvaluatedKey: read to its end
            shard.frontier = None


def _first(pair: tuple[str, Any]) -> Any:
    return pair[0]
