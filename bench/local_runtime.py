"""``make run`` for a benchmark: ``python -m local.run`` on free ports and a throwaway DATA_DIR,
a local webhook receiver that notes when each call arrives, and the bench process's own store
pointed at the runtime's embedded DynamoDB (to seed it directly, as a restore would)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from local.config import PROJECT_DIR, LocalConfig, runtime_environment

ADMIN = ("bench", "bench-password-1")
START_SECONDS = 180.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalRun:
    """One ``python -m local.run`` (what ``make run`` execs), its output kept in a file."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        self.data_dir = data_dir
        self.port, self.dynamodb_port = free_port(), free_port()
        self.log = data_dir.parent / "run.log"
        environment = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("AWS_ENDPOINT_URL", "EVENT_SERVICE_TABLE_PREFIX"))
        }
        environment.update(
            PORT=str(self.port),
            DYNAMODB_PORT=str(self.dynamodb_port),
            DATA_DIR=str(data_dir),
            SCHEDULE_INTERVAL_SECONDS="3600",
            ADMIN_USERNAME=ADMIN[0],
            ADMIN_PASSWORD=ADMIN[1],
            EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE="1",
            **env,
        )
        self.config = LocalConfig(
            port=self.port, dynamodb_port=self.dynamodb_port, data_dir=data_dir
        )
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local.run"],
                cwd=PROJECT_DIR,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        import requests

        give_up = time.monotonic() + START_SECONDS
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError(f"local.run exited early:\n{self.output()[-3000:]}")
            try:
                if requests.get(f"{self.url}/health", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"local.run not ready after {START_SECONDS:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def local_run(**env: str) -> Iterator[LocalRun]:
    """A ready ``make run`` runtime in a temporary directory; stopped and removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as folder:
        runtime = LocalRun(Path(folder) / "data", **env)
        try:
            runtime.wait_ready()
            yield runtime
        finally:
            runtime.stop()


@contextlib.contextmanager
def store_of(runtime: LocalRun) -> Iterator[None]:
    """Within the block, this process's settings and models use the runtime's tables."""
    from chalicelib.settings import get_settings, reset_settings
    from chalicelib.store.tables import bind_all

    environment = runtime_environment(runtime.config, os.environ)
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    reset_settings()
    try:
        bind_all(get_settings())
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reset_settings()


class Receiver:
    """A local webhook receiver: the arrival time (``time.monotonic``) of each call, by its
    ``id`` field, and a slow mode answering after ``delay`` seconds."""

    def __init__(self, delay: float = 0.0) -> None:
        self.arrivals: dict[str, float] = {}
        self.changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                arrived = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if delay:
                    time.sleep(delay)
                with receiver.changed:
                    receiver.arrivals.setdefault(json.loads(body)["id"], arrived)
                    receiver.changed.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait_for(self, message_id: str, timeout: float) -> float | None:
        """When ``message_id`` arrived (monotonic), or None after ``timeout`` seconds."""
        give_up = time.monotonic() + timeout
        with self.changed:
            while message_id not in self.arrivals:
                left = give_up - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(left)
            return self.arrivals[message_id]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
