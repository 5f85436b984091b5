"""``make run`` as a child process, for the tests and the benches that drive the real runtime:
``python -m local.run`` on free ports, its output in a file, asked for ``/health``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from local.config import PROJECT_DIR


def free_port() -> int:
    """A TCP port nobody listens on now (the child binds it moments later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalRunProcess:
    """One ``python -m local.run`` (what ``make run`` execs) on ``data_dir``, its output in
    ``log``; ``env`` is added to this process's environment, less any endpoint or table
    prefix that would point the child elsewhere."""

    def __init__(self, data_dir: Path, log: Path, **env: str) -> None:
        self.data_dir = data_dir
        self.port, self.dynamodb_port = free_port(), free_port()
        self.log = log
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
        )
        environment.update(env)
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

    def healthy(self) -> bool:
        """``GET /health`` answers 200 with the tables there; ``RuntimeError`` if the child
        has exited."""
        import requests

        if self.process.poll() is not None:
            raise RuntimeError(f"local.run exited early:\n{self.output()[-3000:]}")
        try:
            answer = requests.get(f"{self.url}/health", timeout=15)
        except requests.RequestException:  # not listening yet, or still starting up
            return False
        return answer.status_code == 200 and answer.json().get("tables") is True

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
