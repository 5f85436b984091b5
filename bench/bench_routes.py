"""Per route: DynamoDB requests per call and items read per item returned, for every route.

The route list is Chalice's route table (``app.routes``), so a new route is measured as soon
as it is registered. Each route is called once through ``chalice.test.Client`` against moto,
as an admin with a bearer token, after a seed of ``BENCH_ROUTES_EVENTS`` events (default 200,
two types), one handler binding and one counter, and for the other dialects: 50 opEvents events
on one node, MaDDash's example configuration (``examples/maddash.yaml``) with one maintenance
window, and a ProcessMaker project; reads first, then writes. Path parameters name seeded
things (a declaration's ``sample_path`` for names this bench does not know); a write's body is
its declaration's ``sample_body``. Requests are counted on ``before-send``,
items read on ``after-call`` (a Query's ``ScannedCount``, a GetItem's item): exact counts
that carry over to DynamoDB. Items returned: the length of the JSON list answered (the
privacyIDEA envelope's ``result.value``), 1 for an object, 0 otherwise.
"""

from __future__ import annotations

import json
import os
from typing import Any

from bench.support import DynamoDBCounter, bench_environment, silence_logs

ENV_EVENTS = "BENCH_ROUTES_EVENTS"
TYPES = ("compute.instance.create", "volume.attach")
SAMPLES = {
    "event_type": TYPES[0],
    "trait_name": "host",
    "message_id": "ev-000007",
    "handler_id": "1",
    "module": "Logging",
    "name": "bench-counter",
    "username": "bench-victim",
    "workspace": "workflow",
    "grid": "OWAMP+Mesh",
    "row": "albq-owamp.es.net",
    "col": "bois-owamp.es.net",
    "check": "Loss",
    "event_id": "1",
}
# Where one parameter name means different things in different dialects.
ROUTE_SAMPLES = {"/omk/opEvents/nodes/{name}": {"name": "bench-node"}}
PM_TAILS = ("", "/events", "/triggers", "/event", "/trigger")
OPEVENTS = 50
MADDASH_CONFIG = "examples/maddash.yaml"


def _seed(count: int) -> dict[str, dict[str, str]]:
    from datetime import datetime, timedelta

    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal
    from chalicelib.core import handlers
    from chalicelib.core.counters import change_counter
    from chalicelib.core.events import record_events
    from chalicelib.core.model import build_event, make_trait
    from chalicelib.engine.modules.base import module_rules

    start = datetime(2024, 1, 1)
    record_events(
        build_event(
            event_type=TYPES[index % 2],
            message_id=f"ev-{index:06d}",
            generated=start + timedelta(seconds=index),
            traits=[make_trait("host", "string", f"host-{index % 10}")],
            project_id=None,
        )
        for index in range(count)
    )
    handlers.save_handler(
        handlers.HandlerDraft.from_params(
            {"name": "log", "events": [TYPES[0]], "handlermodule": "Logging", "action": "logging"}
        ),
        module_rules(),
    )
    change_counter("bench-counter", 3)
    create_principal(Principal("bench-victim", roles=("user",)), "bench-password-1")
    return _seed_other_dialects()


def _seed_other_dialects() -> dict[str, dict[str, str]]:
    """A representative state for opEvents, MaDDash and ProcessMaker reads; returns the
    samples of the routes whose parameters name what was generated here."""
    import time
    from pathlib import Path

    from chalicelib.dialects.maddash.config import apply_config, parse_config_text
    from chalicelib.dialects.maddash.windows import create_window
    from chalicelib.dialects.opevents import events as opevents
    from chalicelib.dialects.opevents import nodes
    from chalicelib.dialects.processmaker import designer as processmaker_designer

    nodes.create_node(nodes.node_from_dict({"name": "bench-node"}))
    creator = opevents.Creator(username="bench-admin")
    now = int(time.time())
    for index in range(OPEVENTS):
        created = opevents.create_event(
            {"node": "bench-node", "event": f"Bench {index % 5}", "time": now - index * 60},
            creator,
        )
    root = Path(__file__).resolve().parent.parent
    apply_config(parse_config_text((root / MADDASH_CONFIG).read_bytes()))
    create_window(
        {
            "checkFilters": {"gridName": "OWAMP Mesh"},
            "name": "bench",
            "description": "bench window",
            "startTime": now + 86_400,
            "endTime": now + 90_000,
            "changeStatus": True,
        }
    )
    project = processmaker_designer.create_project(SAMPLES["workspace"], {"prj_name": "bench"})
    prj_uid = {"prj_uid": project["prj_uid"]}
    return {
        # The .json suffix asks for the event itself, not opEvents' console pointer page.
        "/omk/opEvents/events/{event_id}": {"event_id": created.event_id + ".json"},
        **{f"/api/1.0/{{workspace}}/project/{{prj_uid}}{tail}": prj_uid for tail in PM_TAILS},
    }


def _returned(body: bytes) -> int:
    try:
        value = json.loads(body)
    except ValueError:
        return 0
    if isinstance(value, dict) and isinstance(value.get("result"), dict):
        value = value["result"].get("value")
    if isinstance(value, list):
        return len(value)
    return 1 if isinstance(value, dict) else 0


def _call(
    client: Any, path: str, method: str, declaration: Any, headers: dict, seeded: dict
) -> Any:
    samples = {
        **(declaration.sample_path or {}),
        **SAMPLES,
        **ROUTE_SAMPLES.get(path, {}),
        **seeded.get(path, {}),
    }
    for part in path.split("/"):
        if part.startswith("{"):
            path = path.replace(part, samples.get(part.strip("{}+"), "x"))
    body = b""
    headers = dict(headers)
    if declaration.sample_body is not None:
        body = json.dumps(declaration.sample_body).encode()
        headers["Content-Type"] = declaration.body_types[0]
    return client.http.request(method, path + declaration.path_suffix, headers=headers, body=body)


def measure(count: int) -> list[tuple[str, str, int, int, int, int]]:
    """(method, route, status, requests, items read, items returned) for every route."""
    from chalice.test import Client
    from moto import mock_aws

    with bench_environment("bench-routes-"), mock_aws():
        from app import app
        from chalicelib import observability
        from chalicelib.auth.principal import Principal
        from chalicelib.auth.tokens import issue_token
        from chalicelib.openapi.document import iter_routes
        from chalicelib.settings import get_settings
        from chalicelib.store.tables import ALL_MODELS, bind_all, create_all_tables

        bind_all(get_settings())
        create_all_tables(wait=False)
        silence_logs(observability.logger.name)
        seeded = _seed(count)
        from chalicelib.auth.principals import create_principal

        bench_admin = create_principal(
            Principal("bench-admin", roles=("admin",), user_id="bench-admin"), "bench-password-1"
        )
        token = issue_token(bench_admin)  # a token names an existing principal and its version
        headers = {"Authorization": f"Bearer {token}"}
        counter = DynamoDBCounter().install(*(model for model, _ in ALL_MODELS))
        routes = sorted(iter_routes(app), key=lambda r: (r[1] != "GET", r[0], r[1]))
        rows = []
        with Client(app, stage_name="local") as client:
            for path, method, _, declaration in routes:
                counter.reset()
                response = _call(client, path, method, declaration, headers, seeded)
                rows.append(
                    (
                        method,
                        path,
                        response.status_code,
                        counter.requests,
                        counter.items,
                        _returned(response.body),
                    )
                )
        return rows


def main():
    from bench.report import Section

    count = int(os.environ.get(ENV_EVENTS, "200"))
    rows = []
    for method, path, status, requests, read, returned in measure(count):
        ratio = f"{read / returned:.2f}" if returned else ("-" if not read else f"{read} / 0")
        rows.append((f"{method} {path}", status, requests, read, returned, ratio))
        print(f"{method:6} {path:55} {status} req {requests:3} read {read:4} ret {returned:4}")
    return Section(
        "DynamoDB work per route",
        f"each route called once as an admin (bearer token) after seeding {count} events, one "
        "binding, one counter; requests counted on botocore `before-send`, items read on "
        "`after-call` (Query `ScannedCount`, GetItem item); reads first, then writes; "
        "ratio = items read / items returned",
        rows,
        columns=("route", "status", "requests", "items read", "items returned", "read/returned"),
    )
