"""Cost per million events ingested and dispatched to one handler, beside a Panko server.

Counted, not timed, where it matters: ``BENCH_COST_EVENTS`` events (default 300) are ingested
through the real app (``POST /v2/events`` through ``chalice.test.Client``, one event per call,
and again in calls of 100), then their stream records (read from moto's stream, as Lambda
gets them) go through the stream handler in batches of 100 with one ``Logging`` handler bound.
Write and read request units come from each DynamoDB call's items (``bench/capacity.py``:
1 WRU per KB per table and per index written, 0.5 RRU per 4 KB eventually consistent, 1 for
a strongly consistent read); log bytes are what the service wrote to its JSON log and EMF
lines. Lambda time is estimated: this process's own time per call (moto's time taken out),
plus ``DYNAMODB_LATENCY_MS`` per DynamoDB request, billed per ms at 512 MB. The prices are
constants below, with their date and region; change them there.
"""

from __future__ import annotations

import io
import json
import os
import time
from contextlib import redirect_stdout
from typing import Any

from bench.capacity import CapacityMeter
from bench.support import DynamoDBCounter, bench_environment

ENV_EVENTS = "BENCH_COST_EVENTS"
METRICS_DISABLED = "POWERTOOLS_METRICS_DISABLED"
EVENT_TYPE = "compute.instance.create.end"
BATCH = 100

# ---------------------------------------------------------------- prices and assumptions
PRICES_AS_OF = "AWS public on-demand price pages as of 2025 (last verified from memory, not live)"
REGION = "us-east-1"
WRU = 0.625 / 1e6  # DynamoDB on-demand, per write request unit (price cut of Nov 2024)
RRU = 0.125 / 1e6  # per read request unit; Streams reads by a Lambda trigger are free
STORAGE_GB_MONTH = 0.25  # DynamoDB Standard table class
LAMBDA_REQUEST = 0.20 / 1e6
LAMBDA_GB_SECOND = 0.0000166667  # x86
API_GATEWAY_REST = 3.50 / 1e6  # REST API (what Chalice deploys), first 333 M a month
LOGS_INGEST_GB = 0.50  # CloudWatch Logs ingestion (EMF lines included)
LAMBDA_MEMORY_GB = 0.5  # .chalice/config.json lambda_memory_size 512
DYNAMODB_LATENCY_MS = 5.0  # assumed single-digit-ms DynamoDB latency inside the region
# The server it replaces: Panko (API + notification agent + RabbitMQ) on one EC2 instance,
# MySQL on RDS; both single-AZ, on-demand, us-east-1, 730 h a month.
SERVER = (
    ("EC2 m6i.large (2 vCPU, 8 GiB): panko-api, notification agent, RabbitMQ", 0.096 * 730),
    ("RDS for MySQL db.m6g.large single-AZ", 0.152 * 730),
    ("RDS gp3 storage, 100 GB", 0.115 * 100),
)
SERVER_LOADS_PER_DAY = (1_000_000, 10_000_000)  # the box idles at the first, is busy at the second


class _CountingSink(io.TextIOBase):
    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode())
        return len(text)


def _count_log_bytes(sink: _CountingSink) -> None:
    import logging

    from chalicelib import observability

    for handler in logging.getLogger(observability.logger.name).handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sink)


class _Phase:
    """Units, requests, Lambda time and log bytes of one phase of the run."""

    def __init__(self, meter: CapacityMeter, counter: DynamoDBCounter, sink: _CountingSink):
        self.meter, self.counter, self.sink = meter, counter, sink

    def __enter__(self) -> _Phase:
        self.meter.reset()
        self.counter.reset()
        self._log_start = self.sink.bytes
        self._stdout = io.StringIO()
        self._redirect = redirect_stdout(self._stdout)
        self._redirect.__enter__()
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        own = time.perf_counter() - self._started - self.counter.seconds  # moto's time out
        self._redirect.__exit__(*exc)
        self.wru = self.meter.total_write_units
        self.rru = self.meter.total_read_units
        self.requests = self.counter.requests
        self.lambda_seconds = max(0.0, own) + self.requests * DYNAMODB_LATENCY_MS / 1000
        self.log_bytes = self.sink.bytes - self._log_start + len(self._stdout.getvalue().encode())


def _events(count: int, offset: int) -> list[dict[str, Any]]:
    return [
        {
            "event_type": EVENT_TYPE,
            "message_id": f"cost-{offset + index:07d}",
            "traits": [
                {"name": "instance_id", "type": "string", "value": f"i-{index:06d}"},
                {"name": "host", "type": "string", "value": f"compute-{index % 20}"},
                {"name": "memory_mb", "type": "integer", "value": 2048},
            ],
        }
        for index in range(count)
    ]


def measure(count: int) -> dict[str, Any]:
    from chalicelib import metrics

    metrics.flush("bench")  # drop what earlier benchmarks in this process counted
    saved = os.environ.pop(METRICS_DISABLED, None)  # EMF lines are log bytes too: count them
    try:
        return _measure(count)
    finally:
        if saved is not None:
            os.environ[METRICS_DISABLED] = saved


def _measure(count: int) -> dict[str, Any]:
    from chalice.test import Client
    from moto import mock_aws

    with bench_environment("bench-cost-"), mock_aws():
        from app import app
        from chalicelib.auth.principal import Principal
        from chalicelib.auth.principals import create_principal
        from chalicelib.auth.tokens import issue_token
        from chalicelib.core import handlers
        from chalicelib.engine import dispatch
        from chalicelib.engine.modules.base import module_rules
        from chalicelib.settings import get_settings
        from chalicelib.store.tables import ALL_MODELS, bind_all, create_all_tables
        from local.stream_pump import read_stream_records

        bind_all(get_settings())
        create_all_tables(wait=False)
        models = [model for model, _ in ALL_MODELS]
        meter = CapacityMeter.for_models(models)
        counter = DynamoDBCounter().install(*models)
        sink = _CountingSink()
        handlers.save_handler(
            handlers.HandlerDraft.from_params(
                {
                    "name": "log",
                    "events": [EVENT_TYPE],
                    "handlermodule": "Logging",
                    "action": "logging",
                }
            ),
            module_rules(),
        )
        # A token names an existing principal and carries its credential version.
        cost_admin = create_principal(
            Principal("cost", roles=("admin",), user_id="cost"), "cost-password-1"
        )
        token = issue_token(cost_admin)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        figures: dict[str, Any] = {}
        with Client(app, stage_name="local") as client:
            client.http.get("/health")  # warm: the first request builds the logger
            _count_log_bytes(sink)
            with _Phase(meter, counter, sink) as single:
                for event in _events(count, 0):
                    response = client.http.post(
                        "/v2/events", headers=headers, body=json.dumps(event)
                    )
                    assert response.status_code == 201, response.body
            figures["ingest, 1 event per call"] = (single, count, count)
            with _Phase(meter, counter, sink) as batched:
                events = _events(count, count)
                for start in range(0, count, BATCH):
                    body = json.dumps(events[start : start + BATCH])
                    response = client.http.post("/v2/events", headers=headers, body=body)
                    assert response.status_code == 201, response.body
            figures[f"ingest, {BATCH} events per call"] = (batched, count, -(-count // BATCH))
        records = [
            record
            for record in read_stream_records(get_settings().table_name("events"))
            if record["dynamodb"]["Keys"]["message_id"]["S"].startswith("cost-")
        ]
        with _Phase(meter, counter, sink) as stream:
            for start in range(0, len(records), BATCH):
                dispatch.handle_stream_batch({"Records": records[start : start + BATCH]})
        figures["dispatch, 1 handler"] = (stream, len(records), -(-len(records) // BATCH))
        from chalicelib.store.events import EventModel

        sizes = [len(json.dumps(item.serialize())) for item in EventModel.scan()]
        figures["event item bytes"] = sum(sizes) / max(1, len(sizes))
        figures["event indexes"] = meter.indexes_by_table.get(EventModel.Meta.table_name, 0)
        return figures


def _per_million(phase: _Phase, events: int, invocations: int, api: bool) -> dict[str, float]:
    scale = 1e6 / events
    lambda_gb_s = phase.lambda_seconds * LAMBDA_MEMORY_GB
    return {
        "WRU": phase.wru * scale,
        "RRU": phase.rru * scale,
        "requests": phase.requests * scale,
        "invocations": invocations * scale,
        "GB-s": lambda_gb_s * scale,
        "log GB": phase.log_bytes * scale / 1e9,
        "$ DynamoDB": (phase.wru * WRU + phase.rru * RRU) * scale,
        "$ Lambda": (invocations * LAMBDA_REQUEST + lambda_gb_s * LAMBDA_GB_SECOND) * scale,
        "$ API Gateway": (invocations * API_GATEWAY_REST * scale) if api else 0.0,
        "$ logs": phase.log_bytes * scale / 1e9 * LOGS_INGEST_GB,
    }


def _total(costs: dict[str, float]) -> float:
    return sum(value for key, value in costs.items() if key.startswith("$"))


def main():
    from bench.report import Section

    count = int(os.environ.get(ENV_EVENTS, "300"))
    figures = measure(count)
    single = _per_million(*figures["ingest, 1 event per call"], api=True)
    batched = _per_million(*figures[f"ingest, {BATCH} events per call"], api=True)
    dispatched = _per_million(*figures["dispatch, 1 handler"], api=False)
    item_gb = figures["event item bytes"] * (1 + figures["event indexes"]) * 1e6 / 1e9
    rows = []
    for name, costs in (
        ("ingest, 1 event per call", single),
        (f"ingest, {BATCH} events per call", batched),
        ("dispatch to 1 Logging handler", dispatched),
    ):
        rows.append(
            (
                name,
                f"{costs['WRU']:,.0f}",
                f"{costs['RRU']:,.0f}",
                f"{costs['invocations']:,.0f}",
                f"{costs['GB-s']:,.0f}",
                f"{costs['log GB']:.2f}",
                f"${_total(costs):.2f}",
                f"DynamoDB ${costs['$ DynamoDB']:.2f}, Lambda ${costs['$ Lambda']:.2f}, "
                f"API GW ${costs['$ API Gateway']:.2f}, logs ${costs['$ logs']:.2f}",
            )
        )
    serverless = _total(single) + _total(dispatched)
    serverless_batched = _total(batched) + _total(dispatched)
    storage = item_gb * STORAGE_GB_MONTH
    rows.append(
        (
            "**ingested (1 per call) + dispatched**",
            "",
            "",
            "",
            "",
            "",
            f"**${serverless:.2f}**",
            f"batched ingest: ${serverless_batched:.2f}; storage ${storage:.2f} per million "
            f"events kept a month ({figures['event item bytes']:.0f} B an item, "
            f"x{1 + figures['event indexes']} with its indexes)",
        )
    )
    monthly = sum(price for _, price in SERVER)
    for per_day in SERVER_LOADS_PER_DAY:
        per_month = per_day * 30.4
        rows.append(
            (
                f"Panko on MySQL server at {per_day / 1e6:g} M events/day",
                "",
                "",
                "",
                "",
                "",
                f"${monthly / per_month * 1e6:.2f}",
                f"${monthly:.0f}/month: " + "; ".join(f"{n} ${p:.0f}" for n, p in SERVER),
            )
        )
    for row in rows:
        print(" | ".join(str(cell) for cell in row))
    return Section(
        "Cost per million events",
        f"{count} events through the real app over moto (one per call, then {BATCH} per call), "
        f"their stream records through the stream handler in batches of {BATCH} with one "
        "Logging handler bound; WRU/RRU from each DynamoDB call's items (1 WRU per KB per table "
        "and index written; 0.5 RRU per 4 KB); Lambda GB-s = this process's wall time per "
        "phase less the time inside moto's DynamoDB calls, plus "
        f"{DYNAMODB_LATENCY_MS:g} ms per DynamoDB request, at 512 MB; logs = bytes of JSON "
        f"log and EMF lines. Prices: {REGION}, on-demand, {PRICES_AS_OF}: DynamoDB "
        "$0.625/M WRU, $0.125/M RRU, $0.25/GB-month; Lambda $0.20/M requests, "
        "$0.0000166667/GB-s; API Gateway REST $3.50/M; CloudWatch Logs $0.50/GB. The server: "
        "on-demand, single-AZ (no standby), 730 h a month, the same whether busy or idle.",
        rows,
        columns=(
            "per million events",
            "WRU",
            "RRU",
            "Lambda invocations",
            "GB-s",
            "log GB",
            "cost",
            "breakdown",
        ),
    )
