"""``make run`` for a benchmark: ``python -m local.run`` on free ports and a throwaway DATA_DIR,
a local webhook receiver that notes when each call arrives, and the bench process's own store
pointed at the runtime's embedded DynamoDB (to seed it directly, as a restore would)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from local.child import LocalRunProcess
from local.config import LocalConfig, runtime_environment

ADMIN = ("bench", "bench-password-1")
START_SECONDS = 180.0


class LocalRun(LocalRunProcess):
    """One ``python -m local.run`` (what ``make run`` execs) with the bench's admin and a
    webhook receiver on this machine allowed, its output kept in a file."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        super().__init__(
            data_dir,
            data_dir.parent / "run.log",
            ADMIN_USERNAME=ADMIN[0],
            ADMIN_PASSWORD=ADMIN[1],
            EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE="1",
            **env,
        )
        self.config = LocalConfig(
            port=self.port, dynamodb_port=self.dynamodb_port, data_dir=data_dir
        )

    def wait_ready(self) -> None:
        give_up = time.monotonic() + START_SECONDS
        while not self.healthy():
            if time.monotonic() > give_up:
                raise RuntimeError(f"local.run not ready after {START_SECONDS:.0f} s")
            time.sleep(0.2)

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
    from bench.support import environment_of
    from chalicelib.settings import get_settings
    from chalicelib.store.tables import bind_all

    with environment_of(runtime_environment(runtime.config, os.environ)):
        bind_all(get_settings())
        yield


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
