"""What the MaDDash tests share: the example configuration, requests, and ticks."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path

from chalicelib.dialects.maddash.mesh import Mesh

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "maddash.yaml"
OWAMP = "OWAMP Mesh"
A, B, C = "albq-owamp.es.net", "bois-owamp.es.net", "chic-owamp.es.net"
# A whole hour a day ahead: windows created "now" through the API start in the future.
T0 = int(time.time()) // 3600 * 3600 + 86_400


def at(seconds: int) -> datetime:
    from chalicelib.dialects.maddash.window_items import from_epoch

    return from_epoch(seconds)


def load_example(client, admin) -> dict:
    answer = client.http.post(
        "/maddash/admin/config",
        headers={**admin, "Content-Type": "application/x-yaml"},
        body=EXAMPLE.read_bytes(),
    )
    assert answer.status_code == 200, answer.body
    return json.loads(answer.body)


def post_json(client, path: str, body, headers=None, method: str = "post"):
    return getattr(client.http, method)(
        path,
        headers={**(headers or {}), "Content-Type": "application/json"},
        body=json.dumps(body),
    )


def create_event(client, admin, **fields) -> int:
    body = {
        "checkFilters": {"gridName": OWAMP, "rowName": A},
        "name": "upgrade",
        "description": "firmware",
        "startTime": T0,
        "endTime": T0 + 3600,
        "changeStatus": True,
    } | fields
    answer = post_json(client, "/maddash/admin/events", body, admin)
    assert answer.status_code == 200, answer.body
    uri = json.loads(answer.body)["uri"]
    return int(uri.rsplit("/", 1)[1])


def tick(seconds: int) -> dict:
    """One scheduler tick at ``seconds`` (the handler the ticker calls, at a chosen time)."""
    from chalicelib.dialects.jobs import run_due_work

    return run_due_work(at(seconds))


def get(client, path: str):
    answer = client.http.get(path)
    return answer.status_code, (
        json.loads(answer.body) if answer.body[:1] in b"{[" else answer.body.decode()
    )


def status_of(client, row: str, col: str, check: str = "Loss", grid: str = "OWAMP+Mesh") -> int:
    from chalicelib.dialects.maddash.checks import encode_name

    code, body = get(
        client, f"/maddash/grids/{grid}/{encode_name(row)}/{encode_name(col)}/{encode_name(check)}"
    )
    assert code == 200, body
    return body["status"]


# A report rule test's grid: four sites, every cell two checks.
SITES = ["s0", "s1", "s2", "s3"]
OK, WARNING, CRITICAL, UNKNOWN, NOT_RUN = range(5)


def mesh(status_of, checks: int = 2) -> Mesh:
    """A full mesh of SITES (no self cells); ``status_of(row, col, check)`` → status."""
    cells = [
        [None if r == c else [status_of(r, c, k) for k in range(checks)] for c in range(4)]
        for r in range(4)
    ]
    return Mesh("m", list(SITES), list(SITES), checks, cells)
