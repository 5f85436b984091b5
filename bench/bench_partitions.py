"""The write-partition model: at a steady load, the busiest partition key of every index.

DynamoDB serves at most 1,000 write units per second per partition, and one partition key
lives in one partition: the busiest key bounds the rate. The model takes ``BENCH_EVENTS_PER_S``
(default 10,000) events/s of which ``BENCH_HOT_TYPE_SHARE`` (default 0.8) are of one type, one
handler execution per event (all of one handler: the worst case for ``by_handler``), items
under 1 KB (1 WCU each, as one GSI write each), and the shard counts of the current settings.
Target: every key at or under 50% of 1,000 WCU.
The owner index ``by_owner`` is keyed by (project, user): its busiest key is the busiest single
caller's own rate (shown for one caller sending 5% of the load).
"""

from __future__ import annotations

import os

PARTITION_WCU = 1000
TARGET = 0.5


def model(events_per_s: float, hot_share: float, time_shards: int, type_shards: int) -> list:
    """(index, partition key, busiest key's writes/s) for every write the load makes."""
    executions_per_s = events_per_s  # one handler execution per event
    return [
        ("events (base table)", "message_id", events_per_s / 1e6),  # one write per distinct id
        ("events.by_time", "time shard", events_per_s / time_shards),
        ("events.by_id", "time shard", events_per_s / time_shards),
        ("events.by_type", "type#shard", events_per_s * hot_share / type_shards),
        ("events.by_owner", "project#user", events_per_s * 0.05),
        ("executions (base table)", "execution_id", executions_per_s / 1e6),
        ("executions.by_day", "day#shard", executions_per_s / type_shards),
        ("executions.by_message", "message_id", 1.0),
        ("executions.by_handler", "handler#shard", executions_per_s / type_shards),
    ]


def main() -> None:
    from chalicelib.settings import Settings

    settings = Settings.from_env()
    rate = float(os.environ.get("BENCH_EVENTS_PER_S", "10000"))
    hot = float(os.environ.get("BENCH_HOT_TYPE_SHARE", "0.8"))
    print(
        f"   {rate:.0f} events/s, {hot:.0%} of one type; time shards {settings.time_shards},"
        f" type/day shards {settings.type_shards}; 1 WCU per write, {PARTITION_WCU} WCU/partition"
    )
    for index, key, busiest in model(rate, hot, settings.time_shards, settings.type_shards):
        share = busiest / PARTITION_WCU
        verdict = "ok" if share <= TARGET else "HOT"
        print(f"   {index:<26}{key:<14}{busiest:9.0f} writes/s  {share:7.1%}  {verdict}")
    needed = max(rate / (PARTITION_WCU * TARGET), rate * hot / (PARTITION_WCU * TARGET))
    print(
        f"   shards needed for <= {TARGET:.0%} per key: {needed:.0f} (EVENT_SERVICE_TIME_SHARDS,"
        " EVENT_SERVICE_TYPE_SHARDS); by_owner is one key per (project, user): one caller"
        " alone past 500 events/s would be its own hot key"
    )


if __name__ == "__main__":
    main()
