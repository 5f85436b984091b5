"""The one shard hash: a stable spread of keys over write shards (indexes, counters)."""

from __future__ import annotations

import hashlib


def shard_of(key: str, shards: int) -> int:
    """A stable hash of ``key`` into ``shards`` write shards (the same in every process)."""
    digest = hashlib.blake2b(key.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % max(1, shards)
