"""The embedded default at size: ``make run`` with 1k / 10k (/ 50k) stored events.

One ``python -m local.run`` (the runtime ``make run`` execs: embedded DynamoDB, stream pump,
snapshots, ``chalice local``) on a throwaway DATA_DIR. It is seeded directly through the store
(``core.events.record_events`` from this process, in transactions of 100 against the
embedded DynamoDB, as an ingest writes them), and at each size it measures, over HTTP:
- one 1-event ``POST /v2/events`` (median of 5);
- one 1,000-event ``POST /v2/events`` (median of 3; each adds 1,000 stored events);
- a Panko page, ``GET /v2/events?limit=50``, and one of a type (``q.field=event_type``, one
  type in 5), median of 5 each;
- a webhook's ingest-to-delivery delay: a privacyIDEA-style WebHook handler bound to one event
  type, a real local HTTP receiver; from the ``POST`` of one such event to the call's arrival
  (median of 3; the stream pump polls every 0.5 s, as ``make run`` does).
Targets: each figure within 1.5x of its value at 1k (flat), and the 1,000-event ingest <= 5 s.
Sizes: ``BENCH_SIZES`` (default ``1000,10000``; ``BENCH_FULL=1``: ``1000,10000,50000``).
"""

from __future__ import annotations

import itertools
import os
import statistics
import time
from datetime import datetime, timedelta
from typing import Any

from bench.report import Section, full_run

ENV_SIZES = "BENCH_SIZES"
DEFAULT_SIZES = (1000, 10000)
FULL_SIZES = (1000, 10000, 50000)
FLAT = 1.5
INGEST_TARGET_SECONDS = 5.0
TYPES = 5
DELIVERED_TYPE = "size.delivered"
PAGE_LIMIT = 50
TIMEOUT = 300.0


def sizes() -> tuple[int, ...]:
    text = os.environ.get(ENV_SIZES, "").strip()
    if text:
        return tuple(sorted(int(part) for part in text.split(",") if part.strip()))
    return FULL_SIZES if full_run() else DEFAULT_SIZES


_EPOCH = datetime(2026, 1, 1)
_clock = itertools.count()


def _wire(prefix: str, count: int, event_type: str | None = None) -> list[dict[str, Any]]:
    """``count`` events, each generated one second after the previous one of this run (a page
    orders by time: events sharing a second would be read as one tie group)."""
    return [
        {
            "event_type": event_type or f"size.type{number % TYPES}",
            "message_id": f"{prefix}-{number:06d}",
            "generated": (_EPOCH + timedelta(seconds=next(_clock))).isoformat(),
            "traits": [
                {"name": "host", "type": "string", "value": f"h{number % 100}"},
                {"name": "size", "type": "integer", "value": number},
            ],
        }
        for number in range(count)
    ]


def _seed(count: int, prefix: str) -> None:
    """``count`` events written through the store, 1,000 at a time."""
    from chalicelib.core import events
    from chalicelib.dialects.panko.ingest import Owner, events_from_wire

    owner = Owner(username="bench", project_id=None, user_id="bench", admin=True)
    for start in range(0, count, 1000):
        wire = _wire(f"{prefix}{start // 1000}", min(1000, count - start))
        events.record_events(events_from_wire(wire, owner))


class _Probe:
    """The HTTP side: ingests, pages and the webhook's delay against one runtime."""

    def __init__(self, url: str, receiver: Any) -> None:
        import requests

        from bench.local_runtime import ADMIN

        self.url = url
        self.session = requests.Session()
        self.session.auth = ADMIN
        self.receiver = receiver
        self.sent = 0

    def post(self, events: list[dict[str, Any]]) -> float:
        started = time.perf_counter()
        answer = self.session.post(f"{self.url}/v2/events", json=events, timeout=TIMEOUT)
        seconds = time.perf_counter() - started
        if answer.status_code != 201:
            raise RuntimeError(f"POST /v2/events: {answer.status_code} {answer.text[:300]}")
        return seconds

    def bind_webhook(self) -> None:
        answer = self.session.post(
            f"{self.url}/event",
            data={
                "name": "bench-size",
                "event": DELIVERED_TYPE,
                "handlermodule": "WebHook",
                "action": "post_webhook",
                "position": "post",
                "option.URL": self.receiver.url,
                "option.content_type": "application/json",
                "option.replace": "True",
                "option.data": '{"id": "{message_id}"}',
            },
            timeout=TIMEOUT,
        )
        if answer.status_code != 200:
            raise RuntimeError(f"POST /event: {answer.status_code} {answer.text[:300]}")

    def delivery(self) -> float:
        """Seconds from the POST of one bound event to its arrival at the receiver."""
        self.sent += 1
        message_id = f"delivered-{self.sent}"
        event = _wire(message_id, 1, DELIVERED_TYPE)[0]
        event["message_id"] = message_id
        started = time.monotonic()
        self.post([event])
        arrived = self.receiver.wait_for(message_id, TIMEOUT)
        if arrived is None:
            raise RuntimeError(f"the webhook call for {message_id} never arrived")
        return arrived - started

    def page(self, event_type: str | None = None) -> float:
        params = {"limit": str(PAGE_LIMIT)}
        if event_type is not None:
            params.update({"q.field": "event_type", "q.value": event_type})
        started = time.perf_counter()
        answer = self.session.get(f"{self.url}/v2/events", params=params, timeout=TIMEOUT)
        seconds = time.perf_counter() - started
        if answer.status_code != 200 or len(answer.json()) != PAGE_LIMIT:
            raise RuntimeError(f"GET /v2/events: {answer.status_code} {answer.text[:300]}")
        return seconds

    def measure(self, size: int) -> dict[str, float]:
        # A delivered event first: the stream pump has caught up with the seeding.
        self.delivery()
        figures = {
            "page": statistics.median(self.page() for _ in range(5)),
            "typed": statistics.median(self.page("size.type0") for _ in range(5)),
            "one": statistics.median(self.post(_wire(f"one{size}-{n}", 1)) for n in range(5)),
            "delivery": statistics.median(self.delivery() for _ in range(3)),
        }
        figures["thousand"] = statistics.median(
            self.post(_wire(f"thousand{size}-{n}", 1000)) for n in range(3)
        )
        return figures


FIGURES = (
    ("one", "1-event ingest", "s"),
    ("thousand", "1,000-event ingest", "s"),
    ("page", f"Panko page (limit {PAGE_LIMIT})", "s"),
    ("typed", f"Panko page, one type of {TYPES} (limit {PAGE_LIMIT})", "s"),
    ("delivery", "webhook ingest-to-delivery", "s"),
)


def table(measured: dict[int, dict[str, float]]) -> Section:
    """Rows: one per figure and size, with its ratio to 1k and its target beside it."""
    base = measured[min(measured)]
    rows = []
    for key, name, _unit in FIGURES:
        for size, figures in measured.items():
            value = figures[key]
            ratio = value / base[key] if base[key] else float("nan")
            target = f"<= {FLAT}x of {min(measured):,}"
            met = ratio <= FLAT
            if key == "thousand":
                target += f" and <= {INGEST_TARGET_SECONDS:g} s"
                met = met and value <= INGEST_TARGET_SECONDS
            rows.append(
                (
                    name,
                    f"{size:,}",
                    f"{value:.3f} s",
                    f"x{ratio:.2f}",
                    f"{target}: {'met' if met else 'MISSED'}",
                )
            )
    return Section(
        title="Embedded default at size (make run)",
        method=(
            "`python -m local.run` on a throwaway DATA_DIR, seeded through the store "
            "(`record_events`, transactions of 100); at each stored size over HTTP: median of 5 "
            "1-event POST /v2/events, median of 3 1,000-event POSTs, median of 5 Panko pages (all "
            "types; one type of 5), median of 3 webhook deliveries (POST to arrival at a "
            "local receiver)"
        ),
        rows=rows,
        columns=("figure", "stored events", "value", "of 1k", "target"),
    )


def run(wanted: tuple[int, ...]) -> dict[int, dict[str, float]]:
    from bench.local_runtime import Receiver, local_run, store_of

    measured: dict[int, dict[str, float]] = {}
    receiver = Receiver()
    try:
        with local_run() as runtime, store_of(runtime):
            probe = _Probe(runtime.url, receiver)
            probe.bind_webhook()
            stored = 0
            for size in wanted:
                started = time.perf_counter()
                _seed(size - stored, f"seed{size}-")
                stored = size
                print(f"   seeded to {size:,} in {time.perf_counter() - started:.1f} s", flush=True)
                measured[size] = probe.measure(size)
                stored += 3000 + 5 + 4  # the 1,000-event ingests, the 1-event ones, deliveries
                print(
                    "   " + ", ".join(f"{k} {v:.3f} s" for k, v in measured[size].items()),
                    flush=True,
                )
    finally:
        receiver.close()
    return measured


def main() -> Section:
    return table(run(sizes()))


if __name__ == "__main__":
    from bench.report import render_section

    print(render_section(main()))
