"""The local runtime's settings and the environment every process of ``make run`` shares."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_PORT = "PORT"
ENV_DYNAMODB_PORT = "DYNAMODB_PORT"
ENV_DATA_DIR = "DATA_DIR"
ENV_SCHEDULE_INTERVAL = "SCHEDULE_INTERVAL_SECONDS"  # also read by chalicelib.settings
ENV_SNAPSHOT_INTERVAL = "SNAPSHOT_INTERVAL_SECONDS"
ENV_STREAM_POLL = "STREAM_POLL_SECONDS"

HOST = "127.0.0.1"
STAGE = "local"
PROJECT_DIR = Path(__file__).resolve().parent.parent
# The local runtime never talks to AWS: every client gets these and the embedded endpoint.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
}
# Variables that could point a client at a real account or a different endpoint.
_DROPPED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ENDPOINT_URL_DYNAMODB_STREAMS",
    "EVENT_SERVICE_EVENTS_STREAM_ARN",
)


class LocalConfigError(ValueError):
    """A setting of the local runtime has a value it cannot use."""


def _number(environ: Mapping[str, str], name: str, default: float, minimum: float) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError as exc:
        raise LocalConfigError(f"{name} must be a number, not {text!r}") from exc
    if value < minimum:
        raise LocalConfigError(f"{name} must be at least {minimum:g}, not {text}")
    return value


def _port(environ: Mapping[str, str], name: str, default: int) -> int:
    text = environ.get(name, "").strip() or str(default)
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise LocalConfigError(f"{name} must be a TCP port (1-65535), not {text!r}")
    return int(text)


@dataclass(frozen=True)
class LocalConfig:
    """Where and how often: ports, data directory and intervals of one ``make run``."""

    port: int = 8000
    dynamodb_port: int = 8001
    data_dir: Path = PROJECT_DIR / ".data"
    schedule_interval_seconds: int = 60
    # The longest a write waits for its snapshot (snapshots are taken on change); 0: only at stop.
    snapshot_interval_seconds: float = 1.0
    stream_poll_seconds: float = 0.5
    host: str = HOST
    project_dir: Path = PROJECT_DIR

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LocalConfig:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get(ENV_DATA_DIR, "").strip() or ".data")
        if not data_dir.is_absolute():
            data_dir = Path.cwd() / data_dir
        schedule = env.get(ENV_SCHEDULE_INTERVAL, "").strip() or "60"
        if not schedule.isdigit() or int(schedule) < 1:
            raise LocalConfigError(
                f"{ENV_SCHEDULE_INTERVAL} must be a whole number of seconds (1 or more),"
                f" not {schedule!r}"
            )
        config = cls(
            port=_port(env, ENV_PORT, 8000),
            dynamodb_port=_port(env, ENV_DYNAMODB_PORT, 8001),
            data_dir=data_dir,
            schedule_interval_seconds=int(schedule),
            snapshot_interval_seconds=_number(env, ENV_SNAPSHOT_INTERVAL, 1.0, 0.0),
            stream_poll_seconds=_number(env, ENV_STREAM_POLL, 0.5, 0.05),
        )
        if config.port == config.dynamodb_port:
            raise LocalConfigError(f"{ENV_PORT} and {ENV_DYNAMODB_PORT} must differ")
        return config

    @property
    def endpoint(self) -> str:
        """The embedded DynamoDB (and every other mocked AWS API)."""
        return f"http://{self.host}:{self.dynamodb_port}"

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}"


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on (or holds) ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR: a port left in TIME_WAIT by the previous run is free, not busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def busy_port(config: LocalConfig) -> tuple[int, str] | None:
    """The first configured port that is taken, with the name of its variable."""
    for port, name in ((config.dynamodb_port, ENV_DYNAMODB_PORT), (config.port, ENV_PORT)):
        if port_in_use(config.host, port):
            return port, name
    return None


def chalice_stage_environment(project_dir: Path, stage: str = STAGE) -> dict[str, str]:
    """The environment variables ``.chalice/config.json`` gives ``stage`` (global, then stage)."""
    config = json.loads((project_dir / ".chalice" / "config.json").read_text())
    merged = dict(config.get("environment_variables", {}))
    merged.update(config.get("stages", {}).get(stage, {}).get("environment_variables", {}))
    return {name: str(value) for name, value in merged.items()}


def runtime_environment(config: LocalConfig, base: Mapping[str, str]) -> dict[str, str]:
    """The environment of the supervisor and of ``chalice local``: the same in both."""
    env = {name: value for name, value in base.items() if name not in _DROPPED}
    env.update(chalice_stage_environment(config.project_dir))
    region = base.get("AWS_REGION") or base.get("AWS_DEFAULT_REGION") or "us-east-1"
    env.update(FAKE_CREDENTIALS)
    env.update(
        {
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            # botocore >= 1.44 would send Streams calls to an account-id endpoint moto lacks.
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "AWS_ENDPOINT_URL": config.endpoint,
            "AWS_ENDPOINT_URL_DYNAMODB": config.endpoint,
            "EVENT_SERVICE_STAGE": STAGE,
            ENV_SCHEDULE_INTERVAL: str(config.schedule_interval_seconds),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env
