"""``make smoke`` against ``make run``: every step passes, nothing it created is left."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time

import pytest
import requests

from local.config import PROJECT_DIR
from tests.local.support import free_port, wait_until
from tests.local.test_run import START_DEADLINE, Runtime

ADMIN = ("smoke-admin", "smoke-admin-password-1")
PM_LOCAL_CLIENT = "x-pm-local-client:179ad45c6ce2cb97cf1029e212046e81"


class Receiver:
    """A webhook target on loopback that keeps every body posted to it, answering after
    ``delay`` seconds (a remote receiver's latency: the execution is ``running`` meanwhile)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.bodies: list[bytes] = []
        bodies = self.bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                bodies.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                time.sleep(delay)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    folder = tmp_path_factory.mktemp("smoke")
    running = Runtime(
        folder,
        folder / "data",
        ADMIN_USERNAME=ADMIN[0],
        ADMIN_PASSWORD=ADMIN[1],
        EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE="1",
        MADDASH_CONFIG=str(PROJECT_DIR / "examples" / "maddash.yaml"),
        SCHEDULE_INTERVAL_SECONDS="3600",
    )
    try:
        wait_until(running.healthy, "make run to answer /health", START_DEADLINE)
        yield running
    finally:
        running.kill()


def smoke(url: str, password: str, *options: str) -> subprocess.CompletedProcess[str]:
    """``make smoke`` as its recipe runs it (make itself would reinstall the shared venv)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ops.smoke",
            "--url",
            url,
            "--user",
            ADMIN[0],
            "--password-stdin",
            *options,
        ],
        cwd=PROJECT_DIR,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_smoke_passes_against_make_run_and_cleans_up(runtime):
    # A slow receiver: the smoke waits for the execution to end, not merely to exist (it once
    # failed at random on a clean clone, reading a post still on its way as a failure).
    receiver = Receiver(delay=3.0)
    try:
        done = smoke(runtime.url, ADMIN[1], "--hook", receiver.url, "--pm-client", PM_LOCAL_CLIENT)
    finally:
        receiver.close()
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for step in (
        "health",
        "login: platform",
        "login: privacyIDEA",
        "login: Panko",
        "login: opEvents",
        "login: MaDDash",
        "login: ProcessMaker",
        "webhook handler bound",
        "event ingested (Panko)",
        "event found (Panko)",
        "webhook fired",
        "MaDDash window",
        "ProcessMaker project",
        "handler deleted",
    ):
        assert any(line.startswith(f"ok   {step}:") for line in lines), (step, done.stdout)
    run_id = lines[-1].split()[2].rstrip(":")
    assert receiver.bodies == [f'{{"smoke_id": "{run_id}"}}'.encode()]

    auth = ADMIN
    handlers = requests.get(f"{runtime.url}/event/", auth=auth, timeout=30).json()
    assert handlers["result"]["value"] == []
    assert requests.get(f"{runtime.url}/maddash/events", timeout=30).json() == {"events": []}
    projects = requests.get(f"{runtime.url}/api/1.0/workflow/project", auth=auth, timeout=30)
    assert not [p for p in projects.json() if run_id in p.get("prj_name", "")]


def test_smoke_fails_and_says_where_with_a_wrong_password(runtime):
    done = smoke(runtime.url, "not-the-password")
    assert done.returncode == 1
    assert "FAIL login: platform" in done.stdout


def test_the_make_target_passes_its_variables_on():
    dry = subprocess.run(
        [
            "make",
            "-n",
            "smoke",
            "URL=https://x.example/dev/",
            "USER=alice",
            "PASSWORD_STDIN=1",
            "HOOK=https://h.example/",
            "PM_CLIENT=id:secret",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert (
        '-m ops.smoke --url "https://x.example/dev/" --user "alice" --password-stdin'
        in " ".join(dry.split())
    )
    assert '--hook "https://h.example/" --pm-client "id:secret"' in " ".join(dry.split())
