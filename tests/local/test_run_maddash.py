"""``make run`` with ``MADDASH_CONFIG``: the grids load at start and the ticker applies a window
created with the API (the README's walk-through)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
import requests

from tests.local.support import wait_until
from tests.local.test_run import ADMIN, START_DEADLINE, Runtime

CHECK = "/maddash/grids/OWAMP+Mesh/albq-owamp.es.net/bois-owamp.es.net/Loss"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="as test_run")
def test_make_run_loads_the_example_config_and_applies_a_window(tmp_path):
    runtime = Runtime(
        tmp_path,
        tmp_path / "data",
        ADMIN_USERNAME=ADMIN[0],
        ADMIN_PASSWORD=ADMIN[1],
        MADDASH_CONFIG="examples/maddash.yaml",
        SCHEDULE_INTERVAL_SECONDS="1",
    )
    try:
        wait_until(runtime.healthy, "the API", START_DEADLINE)
        assert "MaDDash config examples/maddash.yaml: 2 grids, 14 checks" in runtime.output()
        grids = requests.get(f"{runtime.url}/maddash/grids", timeout=15).json()
        assert [grid["name"] for grid in grids["grids"]] == ["OWAMP Mesh", "Throughput"]
        now = int(time.time())
        created = requests.post(
            f"{runtime.url}/maddash/admin/events",
            auth=ADMIN,
            json={
                "checkFilters": {"gridName": "OWAMP Mesh", "rowName": "albq-owamp.es.net"},
                "name": "fibre cut",
                "description": "repair",
                "startTime": now,
                "endTime": now + 5,
                "changeStatus": True,
            },
            timeout=15,
        )
        assert created.status_code == 200, created.text

        def status() -> int:
            return requests.get(f"{runtime.url}{CHECK}", timeout=15).json()["status"]

        wait_until(lambda: status() == 5, "MAINTENANCE")
        wait_until(lambda: status() == 4, "NOT RUN again after the window")
        assert requests.get(f"{runtime.url}/maddash/events", timeout=15).json() == {"events": []}
    finally:
        try:
            runtime.stop(signal.SIGTERM)
        finally:
            runtime.kill()
