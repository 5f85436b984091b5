"""opEvents: DynamoDB requests per created event, items read per item listed.

Runs the real app through ``chalice.test.Client`` against moto's in-process DynamoDB.
Requests are counted on the clients of every table a create touches (nodes, opEvents'
state and records, the one store's events and catalog) and named by operation: these carry
over to real DynamoDB, moto's latencies do not. Targets: at most 4 requests per created
event (node lookup GetItem, state UpdateItem, the one-store PutItem, opEvents' record
PutItem; a flap's record and back-link are one TransactWriteItems), once the container has
seen the event name (the first event of a name also notes its type and traits in the
catalog, once per container). Listing the default two hours: at most 1.5 items read per
item returned without a regex filter (``BENCH_OPEVENTS_EVENTS`` events, default 1000, spread
over four hours).
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from bench.support import DynamoDBCounter, bench_environment, silence_logs

ENV_EVENTS = "BENCH_OPEVENTS_EVENTS"
EVENTS = "/omk/opEvents/events"
SPAN_SECONDS = 4 * 3600
CREATES_PER_SCENARIO = 40


def _named(by_operation: dict[str, int], count: int) -> str:
    return ", ".join(f"{name} {n / count:g}" for name, n in sorted(by_operation.items()))


def _create_scenarios() -> list[tuple[str, Any]]:
    """(name, properties of the i-th create)."""

    def stateful(i: int) -> dict[str, Any]:
        # Each element alternates down/up with a gap beyond the flap window: a real change.
        state = "down" if (i // 4) % 2 == 0 else "up"
        return {
            "node": "router1",
            "event": f"Interface {state.title()}",
            "stateful": "Interface",
            "element": f"Gi0/{i % 4}",
            "state": state,
            "time": 1_800_000_000 + i * 1000,
        }

    def flap(i: int) -> dict[str, Any]:
        state = "down" if i % 2 == 0 else "up"
        return {
            "node": "router1",
            "event": f"Node {state.title()}",
            "stateful": "Node",
            "element": "",
            "state": state,
            "time": 1_800_100_000 + i * 10,
        }

    return [
        ("stateless, node given", lambda i: {"node": "router1", "event": "Syslog"}),
        ("stateless, host by alias", lambda i: {"host": "r1", "event": "Syslog"}),
        # The warm-up ran on switch1; the first report of router1's state is a change too.
        ("stateful, state changes", stateful),
        ("stateful, duplicate state", lambda i: {**stateful(0), "time": 1_700_000_000 + i}),
        ("stateful, flapping", flap),
    ]


def _measure_creates(client: Any, headers: dict[str, str], counter: DynamoDBCounter) -> None:
    print(f"   {'POST /omk/opEvents/events':<30}{'req/event':>10}   requests per event by name")
    first = {"node": "router1", "event": "First Of Its Name", "details": "x"}
    counter.reset()
    client.http.post(EVENTS, headers=headers, body=json.dumps(first))
    print(
        f"   {'first event of a new name':<30}{counter.requests:>10}   "
        f"{_named(counter.by_operation, 1)} (catalog, once per container)"
    )
    for name, properties in _create_scenarios():
        for index in range(8):  # the catalog learns the names (on another node: no state)
            warm_up = {**properties(index), "node": "switch1"}
            client.http.post(EVENTS, headers=headers, body=json.dumps(warm_up))
        counter.reset()
        for index in range(CREATES_PER_SCENARIO):
            response = client.http.post(EVENTS, headers=headers, body=json.dumps(properties(index)))
            assert response.status_code == 201, response.body
        per_event = counter.requests / CREATES_PER_SCENARIO
        print(
            f"   {name:<30}{per_event:>10.2f}   "
            f"{_named(counter.by_operation, CREATES_PER_SCENARIO)}"
        )


def _record_listing_events(count: int, now: float) -> None:
    from chalicelib.dialects.opevents import events as opevents

    creator = opevents.Creator("bench")
    for index in range(count):
        properties = {
            "node": "router1" if index % 5 else "switch1",
            "event": ("Node Down", "Interface Down", "High CPU")[index % 3],
            "details": f"event {index}",
            "time": now - SPAN_SECONDS + index * SPAN_SECONDS / count,
        }
        opevents.create_event(properties, creator)


def _measure_listings(client: Any, headers: dict[str, str], counter: DynamoDBCounter) -> None:
    scenarios = [
        ("two hours (default)", ""),
        ("two hours, limit 100, 3 pages", "limit=100"),
        ("node switch1 (by_node index)", "o_node_name=switch1"),
        ("event name (by_name index)", "ev_event_name=High%20CPU"),
        ("details regex (in memory)", "ev_event_details=regex:7$"),
    ]
    print(
        f"   {'GET /omk/opEvents/events.json':<32}{'pages':>6}{'returned':>9}{'read/returned':>14}"
    )
    for name, query in scenarios:
        counter.reset()
        returned = pages = 0
        url = f"{EVENTS}.json?{query}"
        for _ in range(3 if "pages" in name else 1):
            response = client.http.get(url, headers=headers)
            assert response.status_code == 200, response.body
            returned += len(json.loads(response.body))
            pages += 1
            token = response.headers.get("X-OpEvents-Continue")
            if not token:
                break
            url = f"{EVENTS}.json?{query}&o_continue={token}"
        ratio = f"{counter.items / returned:>14.2f}" if returned else f"{'-':>14}"
        print(f"   {name:<32}{pages:>6}{returned:>9}{ratio}")


def main() -> None:
    count = int(os.environ.get(ENV_EVENTS, "1000"))
    with bench_environment("bench-opevents-"):
        from chalice.test import Client
        from moto import mock_aws

        with mock_aws():
            from app import app
            from chalicelib import observability
            from chalicelib.auth.principal import Principal
            from chalicelib.auth.principals import create_principal
            from chalicelib.auth.tokens import issue_token
            from chalicelib.core import catalog
            from chalicelib.dialects.opevents import nodes
            from chalicelib.settings import get_settings
            from chalicelib.store.catalog import CatalogModel
            from chalicelib.store.events import EventModel
            from chalicelib.store.nodes import NodeModel
            from chalicelib.store.opevents import OpEventModel, OpEventStateModel
            from chalicelib.store.tables import bind_all, create_all_tables

            silence_logs(observability.logger.name)
            bind_all(get_settings())
            create_all_tables(wait=False)
            catalog.forget_cache()
            nodes.create_node(nodes.node_from_dict({"name": "router1", "aliases": ["r1"]}))
            nodes.create_node(nodes.node_from_dict({"name": "switch1"}))
            # Tokens name stored principals (a token of an unknown user is refused).
            admin = create_principal(
                Principal("bench", roles=("admin",), user_id="bench"), "bench-password"
            )
            headers = {"Authorization": f"Bearer {issue_token(admin)}"}
            counter = DynamoDBCounter().install(
                EventModel, CatalogModel, NodeModel, OpEventModel, OpEventStateModel
            )
            with Client(app) as client:
                _measure_creates(client, headers, counter)
                started = time.perf_counter()
                _record_listing_events(count, time.time())
                print(
                    f"\n   recorded {count} events over 4 h in "
                    f"{time.perf_counter() - started:.1f} s"
                )
                _measure_listings(client, headers, counter)
            catalog.forget_cache()


if __name__ == "__main__":
    main()
